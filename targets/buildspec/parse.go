package buildspec

import (
	"errors"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/compiler/graph"
)

// Parse reads a buildspec (version 0.1 or 0.2) into the model. filename only
// labels diagnostics. Every problem found is reported, with the file, line
// and column of the offending token; the model is nil only when the text is
// not YAML or not a mapping at all, and otherwise holds everything that could
// be read even when there are errors.
//
// Scalars are kept exactly as written: `CI: true` is "true", `1.10` is
// "1.10", and a null (`~`, `null` or nothing) is "". Boolean keys accept the
// YAML 1.1 spellings yes/no/true/false/on/off/y/n in any case. A list or map
// key that is present but null (for example `commands:` followed only by
// comments) is an empty, non-nil value.
func Parse(filename string, src []byte) (*graph.Buildspec, hcl.Diagnostics) {
	p := &parser{source: newSource(filename, src), budget: maxBatchNodes}
	root, ok := p.decode()
	if !ok {
		return nil, p.diags
	}
	b := p.buildspec(root)
	return b, uniqueDiags(p.diags)
}

// uniqueDiags sorts diagnostics by position and drops repeated ones: a node
// reached twice through YAML aliases would otherwise be reported twice.
func uniqueDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	sort.SliceStable(diags, func(i, j int) bool { return diags[i].Subject.Start.Byte < diags[j].Subject.Start.Byte })
	type key struct {
		summary, detail string
		rng             hcl.Range
	}
	seen := map[key]bool{}
	out := diags[:0]
	for _, d := range diags {
		k := key{d.Summary, d.Detail, *d.Subject}
		if !seen[k] {
			seen[k] = true
			out = append(out, d)
		}
	}
	return out
}

// parser holds the state of one Parse call.
type parser struct {
	*source
	diags hcl.Diagnostics
	// budget bounds how many nodes the verbatim batch section may expand to,
	// so an alias bomb cannot make Parse run out of memory.
	budget      int
	batchTooBig bool
	// mergeDepth bounds nested YAML merge keys (`<<: *base`).
	mergeDepth int
}

const (
	maxBatchNodes = 100_000
	maxMergeDepth = 16
)

// yamlLine finds the line number in a yaml error message.
var yamlLine = regexp.MustCompile(`^yaml: line (\d+): `)

// decode parses the YAML text and returns the root mapping.
func (p *parser) decode() (root *yaml.Node, ok bool) {
	dec := yaml.NewDecoder(strings.NewReader(string(p.src)))
	var doc yaml.Node
	err := safeDecode(dec, &doc)
	if errors.Is(err, io.EOF) || (err == nil && len(doc.Content) == 0) {
		p.errorAt(hcl.Range{Filename: p.name, Start: p.pos(1, 1), End: p.pos(1, 1)},
			"Empty buildspec",
			"The file holds no YAML document. A buildspec needs at least \"version: 0.2\" and a \"phases\" section.")
		return nil, false
	}
	if err != nil {
		p.syntaxError(err)
		return nil, false
	}
	var extra yaml.Node
	switch err := safeDecode(dec, &extra); {
	case err == nil:
		p.warnAt(p.rng(&extra), "Multiple YAML documents",
			"The file holds more than one YAML document (separated by \"---\"). A buildspec is one document; pipeform reads only the first.")
	case !errors.Is(err, io.EOF):
		p.syntaxError(err)
		return nil, false
	}
	root = deref(doc.Content[0])
	if root.Kind != yaml.MappingNode {
		p.errorf(root, "Invalid value type",
			"A buildspec must be a YAML mapping with keys such as version and phases; got %s.", kindName(root))
		return nil, false
	}
	return root, true
}

// safeDecode runs the yaml decoder, turning a panic inside the library into
// an error: Parse promises never to panic on any input.
func safeDecode(dec *yaml.Decoder, n *yaml.Node) (err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("yaml: the YAML parser failed: %v", r)
		}
	}()
	return dec.Decode(n)
}

func (p *parser) syntaxError(err error) {
	msg := err.Error()
	line := 1
	if m := yamlLine.FindStringSubmatch(msg); m != nil {
		line, _ = strconv.Atoi(m[1])
		line = p.problemLine(line, msg)
		msg = strings.TrimPrefix(msg, m[0])
	} else {
		msg = strings.TrimPrefix(msg, "yaml: ")
	}
	start := p.pos(line, 1)
	end := p.advance(start, p.lineEnd(start.Byte))
	hint := ""
	switch {
	case strings.Contains(msg, "mapping values are not allowed"):
		hint = ` In YAML, ": " (colon and space) starts a mapping: quote a command that contains it, for example - 'echo "a: b"'.`
	case strings.Contains(msg, "cannot start any token"):
		hint = " YAML is indented with spaces, never tabs, and a value that starts with @, ` or % must be quoted."
	}
	p.errorAt(hcl.Range{Filename: p.name, Start: start, End: end}, "Invalid YAML",
		fmt.Sprintf("The file is not valid YAML: %s.%s", msg, hint))
}

// problemLine finds the line that breaks the YAML. The yaml library reports
// the line where the enclosing construct starts (the mapping that holds the
// mistake), so this looks for the shortest prefix of the file, from that
// line on, that fails with the same message: a binary search, since a prefix
// of valid YAML is almost always valid.
func (p *parser) problemLine(context int, msg string) int {
	fails := func(k int) bool {
		var n yaml.Node
		err := safeDecode(yaml.NewDecoder(strings.NewReader(string(p.src[:p.lines[k]]))), &n)
		return err != nil && err.Error() == msg
	}
	lo, hi := context, len(p.lines) // fails(hi) holds for the whole text
	for lo < hi {
		mid := lo + (hi-lo)/2
		if mid < len(p.lines) && fails(mid) {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if hi >= len(p.lines) {
		return context
	}
	return hi
}

func (p *parser) errorAt(r hcl.Range, summary, detail string) {
	p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &r})
}

func (p *parser) warnAt(r hcl.Range, summary, detail string) {
	p.diags = append(p.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: &r})
}

func (p *parser) errorf(n *yaml.Node, summary, format string, args ...any) {
	p.errorAt(p.rng(n), summary, fmt.Sprintf(format, args...))
}

func (p *parser) warnf(n *yaml.Node, summary, format string, args ...any) {
	p.warnAt(p.rng(n), summary, fmt.Sprintf(format, args...))
}

// Keys of each section, in AWS's documented order.
var (
	topKeys      = []string{"version", "run-as", "env", "proxy", "batch", "phases", "reports", "artifacts", "cache"}
	envKeys      = []string{"shell", "variables", "parameter-store", "secrets-manager", "exported-variables", "git-credential-helper"}
	proxyKeys    = []string{"upload-artifacts", "logs"}
	phaseKeys    = []string{"run-as", "on-failure", "runtime-versions", "commands", "finally"}
	reportKeys   = []string{"files", "base-directory", "discard-paths", "file-format"}
	artifactKeys = []string{"files", "name", "discard-paths", "base-directory", "exclude-paths", "enable-symlinks", "s3-prefix", "secondary-artifacts"}
	cacheKeys    = []string{"key", "fallback-keys", "action", "paths"}
)

// buildspec reads the top-level mapping.
func (p *parser) buildspec(root *yaml.Node) *graph.Buildspec {
	b := &graph.Buildspec{}
	var versionKey, phasesKey *yaml.Node
	var legacy []field // keys that exist only in version 0.1
	for _, f := range p.mapping(root, "the buildspec") {
		switch f.name {
		case "version":
			versionKey = f.key
			b.Version = p.version(f.val)
		case "run-as":
			b.RunAs = p.str(f.val, "run-as")
		case "env":
			b.Env = p.env(f.val, b.Env)
		case "environment_variables":
			legacy = append(legacy, f)
			b.Env = p.legacyEnv(f.val, b.Env)
		case "proxy":
			b.Proxy = p.proxy(f.val)
		case "batch":
			b.Batch = p.batch(f.val)
		case "phases":
			phasesKey = f.key
			p.phases(f.val, b)
		case "reports":
			b.Reports = p.reports(f.val)
		case "artifacts":
			if isNull(deref(f.val)) {
				continue // present but empty: the same as absent
			}
			b.Artifacts = p.artifacts(f, "artifacts", &legacy)
		case "cache":
			b.Cache = p.cache(f.val)
		default:
			p.unknownKey(f, topWhere, topKeys)
		}
	}
	if versionKey == nil {
		p.errorAt(hcl.Range{Filename: p.name, Start: p.pos(root.Line, root.Column), End: p.pos(root.Line, root.Column)},
			"Missing version", "A buildspec must start with \"version: 0.2\"; CodeBuild rejects a buildspec without a version.")
	}
	if phasesKey == nil && b.Batch == nil {
		p.errorAt(hcl.Range{Filename: p.name, Start: p.pos(root.Line, root.Column), End: p.pos(root.Line, root.Column)},
			"Missing phases", "A buildspec needs a \"phases\" section with at least one of install, pre_build, build and post_build (only a batch-only buildspec may leave it out).")
	}
	if phasesKey != nil && !hasPhases(b) && b.Batch == nil {
		// The same rule as a missing section, and the one Emit keeps: a
		// buildspec that runs nothing is a mistake.
		p.errorf(phasesKey, "Missing phases",
			"The phases section holds none of install, pre_build, build and post_build, so the build would run nothing. Add at least one of them with its commands.")
	}
	if b.Version == "0.2" {
		for _, f := range legacy {
			p.warnf(f.key, "Deprecated key",
				"%q belongs to buildspec version 0.1. Version 0.2 renamed environment_variables/plaintext to env/variables and deprecated artifacts.type.", f.name)
		}
	}
	return b
}

func (p *parser) version(n *yaml.Node) string {
	v := p.str(n, "version")
	if v != "0.1" && v != "0.2" {
		p.errorf(n, "Unsupported buildspec version",
			"version must be 0.2 (or the legacy 0.1); got %q.", v)
	}
	return v
}

// batchKinds are the keys of the batch section.
var batchKinds = []string{"build-list", "build-graph", "build-matrix", "build-fanout"}

// unknownKey warns about a key that is not part of the section.
func (p *parser) unknownKey(f field, where string, valid []string) {
	hint := didYouMean(f.name, valid)
	if where == topWhere && contains(batchKinds, f.name) {
		hint = fmt.Sprintf(" %s belongs under batch: write \"batch:\" and indent %s below it.", f.name, f.name)
	}
	p.warnf(f.key, "Unknown key",
		"%q is not a key of %s. Valid keys are %s.%s pipeform ignores it; whether CodeBuild rejects or ignores unknown keys is not documented.",
		f.name, where, listWords(valid), hint)
}

const topWhere = "the top level of a buildspec"

func (p *parser) env(n *yaml.Node, env *graph.BuildEnv) *graph.BuildEnv {
	if env == nil {
		env = &graph.BuildEnv{}
	}
	for _, f := range p.mapping(n, "env") {
		path := "env." + f.name
		switch f.name {
		case "shell":
			env.Shell = p.str(f.val, path)
			if !contains(graph.Shells, env.Shell) {
				p.warnf(deref(f.val), "Unknown shell",
					"CodeBuild supports the shells bash and /bin/sh on Linux, powershell.exe and cmd.exe on Windows; got %q.%s",
					env.Shell, didYouMean(env.Shell, graph.Shells))
			}
		case "variables":
			env.Variables = p.envVars(f.val, path)
		case "parameter-store":
			env.ParameterStore = p.envVars(f.val, path)
		case "secrets-manager":
			env.SecretsManager = p.envVars(f.val, path)
		case "exported-variables":
			env.ExportedVariables = p.strList(f.val, path, false)
		case "git-credential-helper":
			env.GitCredentialHelper = p.boolean(f.val, path)
		default:
			p.unknownKey(f, "env", envKeys)
		}
	}
	return env
}

// legacyEnv reads version 0.1's environment_variables section.
func (p *parser) legacyEnv(n *yaml.Node, env *graph.BuildEnv) *graph.BuildEnv {
	if env == nil {
		env = &graph.BuildEnv{}
	}
	for _, f := range p.mapping(n, "environment_variables") {
		switch f.name {
		case "plaintext":
			env.Variables = append(env.Variables, p.envVars(f.val, "environment_variables.plaintext")...)
		case "parameter-store":
			env.ParameterStore = append(env.ParameterStore, p.envVars(f.val, "environment_variables.parameter-store")...)
		default:
			p.unknownKey(f, "environment_variables", []string{"plaintext", "parameter-store"})
		}
	}
	return env
}

// envVars reads a variable map. Reserved CODEBUILD_ names and unexportable
// AWS_ names are not reported here: the executor reports them when it runs
// the build, and the compiler when it checks a configuration.
func (p *parser) envVars(n *yaml.Node, path string) []graph.KeyValue {
	return p.kvList(n, path)
}

func (p *parser) proxy(n *yaml.Node) *graph.Proxy {
	proxy := &graph.Proxy{}
	for _, f := range p.mapping(n, "proxy") {
		switch f.name {
		case "upload-artifacts":
			proxy.UploadArtifacts = p.boolean(f.val, "proxy.upload-artifacts")
		case "logs":
			proxy.Logs = p.boolean(f.val, "proxy.logs")
		default:
			p.unknownKey(f, "proxy", proxyKeys)
		}
	}
	return proxy
}

func (p *parser) phases(n *yaml.Node, b *graph.Buildspec) {
	for _, f := range p.mapping(n, "phases") {
		i := indexOf(graph.PhaseNames[:], f.name)
		if i < 0 {
			p.warnf(f.key, "Unknown phase",
				"CodeBuild runs only the phases install, pre_build, build and post_build, in that order; a phase named %q is never run.%s",
				f.name, didYouMean(f.name, graph.PhaseNames[:]))
			continue
		}
		b.Phases[i] = p.phase(f.val, f.name)
	}
}

func (p *parser) phase(n *yaml.Node, name string) *graph.Phase {
	ph := &graph.Phase{}
	for _, f := range p.mapping(n, "phases."+name) {
		path := "phases." + name + "." + f.name
		switch f.name {
		case "run-as":
			ph.RunAs = p.str(f.val, path)
		case "on-failure":
			ph.OnFailure = p.onFailure(f.val, path)
		case "runtime-versions":
			if name != "install" {
				p.warnf(f.key, "Runtime versions outside install",
					"CodeBuild reads runtime-versions only in the install phase; in %s it has no effect. Move it to phases.install.", name)
			}
			ph.RuntimeVersions = p.kvList(f.val, path)
		case "commands":
			ph.Commands = p.strList(f.val, path, false)
		case "finally":
			ph.Finally = p.strList(f.val, path, false)
		default:
			p.unknownKey(f, "phases."+name, phaseKeys)
		}
	}
	return ph
}

// onFailure checks an on-failure mode: ABORT, CONTINUE, RETRY, RETRY-<count>,
// RETRY-<regex> or RETRY-<count>-<regex>, in any case (AWS's own examples mix
// case).
func (p *parser) onFailure(n *yaml.Node, path string) string {
	v := p.str(n, path)
	if graph.ValidOnFailure(v) {
		return v
	}
	p.errorf(deref(n), "Invalid on-failure",
		"on-failure must be ABORT, CONTINUE, RETRY, RETRY-<count> (count 0 to 100), RETRY-<regex> or RETRY-<count>-<regex>, with a valid regular expression; got %q.%s",
		v, didYouMean(v, graph.OnFailureModes))
	return v
}

func (p *parser) reports(n *yaml.Node) []*graph.Report {
	reports := []*graph.Report{}
	for _, f := range p.mapping(n, "reports") {
		path := "reports." + f.name
		r := &graph.Report{Name: f.name}
		var files bool
		for _, g := range p.mapping(f.val, path) {
			switch g.name {
			case "files":
				files = true
				r.Files = p.strList(g.val, path+".files", true)
			case "base-directory":
				r.BaseDirectory = p.str(g.val, path+".base-directory")
			case "discard-paths":
				r.DiscardPaths = p.boolean(g.val, path+".discard-paths")
			case "file-format":
				r.FileFormat = p.str(g.val, path+".file-format")
				if !graph.ValidReportFileFormat(r.FileFormat) {
					p.warnf(deref(g.val), "Unknown report file format",
						"CodeBuild report file formats are %s (in any case); got %q.%s",
						listWords(graph.ReportFileFormats), r.FileFormat, didYouMean(r.FileFormat, graph.ReportFileFormats))
				}
			default:
				p.unknownKey(g, path, reportKeys)
			}
		}
		if !files {
			p.missingKey(f.key, path, "files", "the test or coverage report files to collect, for example files: ['reports/*.xml']")
		}
		reports = append(reports, r)
	}
	return reports
}

func (p *parser) missingKey(at *yaml.Node, path, key, what string) {
	p.errorf(at, "Missing required key", "%s needs %q: %s.", path, key, what)
}

func (p *parser) artifacts(at field, path string, legacy *[]field) *graph.Artifacts {
	n := at.val
	a := &graph.Artifacts{}
	var files bool
	for _, f := range p.mapping(n, path) {
		fpath := path + "." + f.name
		switch f.name {
		case "files":
			files = true
			a.Files = p.strList(f.val, fpath, true)
		case "name":
			a.Name = p.str(f.val, fpath)
		case "discard-paths":
			a.DiscardPaths = p.boolean(f.val, fpath)
		case "base-directory":
			a.BaseDirectory = p.str(f.val, fpath)
		case "exclude-paths":
			a.ExcludePaths = p.strList(f.val, fpath, true)
		case "enable-symlinks":
			a.EnableSymlinks = p.boolean(f.val, fpath)
		case "s3-prefix":
			a.S3Prefix = p.str(f.val, fpath)
		case "type":
			*legacy = append(*legacy, f)
			a.Type = p.str(f.val, fpath)
		case "secondary-artifacts":
			if path != "artifacts" {
				p.unknownKey(f, path, artifactKeys[:len(artifactKeys)-1])
				continue
			}
			a.Secondary = []*graph.SecondaryArtifact{}
			for _, g := range p.mapping(f.val, fpath) {
				sa := p.artifacts(g, fpath+"."+g.name, legacy)
				a.Secondary = append(a.Secondary, &graph.SecondaryArtifact{Identifier: g.name, Artifacts: *sa})
			}
		default:
			valid := artifactKeys
			if path != "artifacts" {
				valid = valid[:len(valid)-1]
			}
			p.unknownKey(f, path, valid)
		}
	}
	if !files {
		p.missingKey(at.key, path, "files", "the paths to put in the artifact, for example files: ['**/*'] (CodeBuild requires it even when only secondary-artifacts are used)")
	}
	return a
}

func (p *parser) cache(n *yaml.Node) *graph.Cache {
	c := &graph.Cache{}
	for _, f := range p.mapping(n, "cache") {
		path := "cache." + f.name
		switch f.name {
		case "key":
			c.Key = p.str(f.val, path)
		case "fallback-keys":
			c.FallbackKeys = p.strList(f.val, path, false)
		case "action":
			c.Action = p.str(f.val, path)
			if !contains(graph.CacheActions, c.Action) {
				p.errorf(deref(f.val), "Invalid cache action",
					"cache.action must be restore or save (leave it out to restore at the start and save at the end); got %q.%s",
					c.Action, didYouMean(c.Action, graph.CacheActions))
			}
		case "paths":
			c.Paths = p.strList(f.val, path, false)
		default:
			p.unknownKey(f, "cache", cacheKeys)
		}
	}
	return c
}

func contains(list []string, s string) bool { return indexOf(list, s) >= 0 }

func indexOf(list []string, s string) int {
	for i, x := range list {
		if x == s {
			return i
		}
	}
	return -1
}
