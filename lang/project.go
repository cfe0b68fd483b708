package lang

import (
	"fmt"
	"sort"
	"strings"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
)

// Project defaults (CodeBuild's usual Linux environment).
const (
	DefaultImage           = "aws/codebuild/standard:7.0"
	DefaultComputeType     = "BUILD_GENERAL1_SMALL"
	DefaultEnvironmentType = "LINUX_CONTAINER"
)

// projectObject is the type of project.<label>: what other blocks may read.
var projectObject = cty.Object(map[string]cty.Type{"name": cty.String})

// phaseOrder lists the buildspec phases in execution order.
var phaseOrder = []string{"install", "pre_build", "build", "post_build"}

// projectDecl is a project block: its instances and their names.
type projectDecl struct {
	block     *hcl.Block
	index     int          // of block in decodeProjects' blocks
	pending   atomic.Int64 // instances not yet decoded
	forEach   bool
	forEachOK bool // for_each evaluated to a usable (maybe empty) collection
	instances []*instance
	names     []string
}

// decodeProjects expands every project block, publishes project.* (names
// first, so projects may refer to each other) and decodes the bodies.
func (l *loader) decodeProjects(blocks hcl.Blocks) []*config.Project {
	labels := newDupCheck("project")
	names := map[string]projectName{}
	var decls []*projectDecl
	objs := map[string]cty.Value{}
	for k, b := range blocks {
		if !labels.add(l, b.Labels[0], b.DefRange) {
			continue
		}
		d := &projectDecl{block: b, index: k}
		l.projects[b.Labels[0]] = d
		decls = append(decls, d)
		pre, _, _ := b.Body.PartialContent(forEachSchema)
		d.forEach = pre.Attributes["for_each"] != nil
		n := len(l.diags)
		d.instances = l.expand(b.Body, projectSchema, &scope{ctx: l.root, output: true})
		d.forEachOK = len(d.instances) > 0 || !hasErrorsSince(l.diags, n)
		insts := map[string]cty.Value{}
		for _, inst := range d.instances {
			name := l.instanceName(b.Labels[0], inst)
			l.uniqueProjectName(names, projectName{addr: instanceAddr(b.Labels[0], inst), rng: nameRange(inst, b)}, name)
			d.names = append(d.names, name)
			obj := cty.ObjectVal(map[string]cty.Value{"name": cty.StringVal(name)})
			if !d.forEach {
				objs[b.Labels[0]] = obj
			}
			insts[inst.keyString()] = obj
		}
		switch {
		case d.forEach && len(insts) > 0:
			objs[b.Labels[0]] = cty.MapVal(insts)
		case d.forEach && d.forEachOK:
			// for_each over an empty collection: no instances to pick.
			objs[b.Labels[0]] = cty.MapValEmpty(projectObject)
		case len(d.instances) == 0:
			objs[b.Labels[0]] = cty.DynamicVal // already reported
		}
	}
	l.root.Variables["project"] = cty.ObjectVal(objs)
	// The root context is complete: projects' bodies and pipelines share
	// the Load's use of the cache.
	l.pipeCache = l.beginDecodeCache()

	type item struct {
		d     *projectDecl
		i     int
		block *hcl.Block
		label string
		decl  hcl.Range
	}
	var items []item
	for _, d := range decls {
		d.pending.Store(int64(len(d.instances)))
		for i := range d.instances {
			items = append(items, item{d, i, d.block, d.block.Labels[0], d.block.DefRange})
		}
	}
	out := make([]*config.Project, len(items))
	l.decodeEach(len(items), func(sub *loader, n int) {
		it := items[n]
		inst := it.d.instances[it.i]
		inst.sc.projects = true
		out[n] = sub.decodeProjectCached(it.block, inst, func(p *config.Project) {
			p.Name, p.Label, p.Key, p.DeclRange = it.d.names[it.i], it.label, inst.key, it.decl
		})
		items[n].block = nil
		// Pipelines read only the names and keys of the instances: once
		// a block's last instance is decoded, let its tree go.
		inst.content = nil
		if it.d.pending.Add(-1) == 0 {
			it.d.block, blocks[it.d.index] = nil, nil
		}
	})
	clear(blocks) // the blocks of instances-less and repeated declarations
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// projectName is the project instance that first took a CodeBuild name.
type projectName struct {
	addr string // project.<label> or project.<label>["<key>"]
	rng  hcl.Range
}

// uniqueProjectName reports a CodeBuild name that an earlier project
// instance already has, naming both instances.
func (l *loader) uniqueProjectName(names map[string]projectName, p projectName, name string) {
	prev, ok := names[name]
	if !ok {
		names[name] = p
		return
	}
	fix := "set name on one of them, or rename its label"
	if strings.HasPrefix(prev.addr, strings.SplitN(p.addr, "[", 2)[0]+"[") {
		fix = "with for_each, make name differ per instance, such as name = \"" + name + "-${each.key}\", or leave it out for <label>-<key>"
	}
	l.errorf(p.rng, "Duplicate project name",
		"The project %s has the CodeBuild project name %q, but %s (%s) already has it. Project names must be unique: %s.",
		p.addr, name, prev.addr, shortPos(prev.rng), fix)
}

// instanceAddr is the HCL address of a project instance.
func instanceAddr(label string, inst *instance) string {
	if inst.key == cty.NilVal {
		return "project." + label
	}
	return fmt.Sprintf("project.%s[%q]", label, inst.key.AsString())
}

// nameRange is the range of an instance's name attribute, else the block's
// label.
func nameRange(inst *instance, b *hcl.Block) hcl.Range { return nameOrLabel(inst.content, b) }

// nameOrLabel is the range of the name attribute of c, else of b's label
// (for a block generated by a dynamic block, its labels element).
func nameOrLabel(c *hcl.BodyContent, b *hcl.Block) hcl.Range {
	if a := c.Attributes["name"]; a != nil {
		return a.Expr.Range()
	}
	if len(b.LabelRanges) > 0 {
		return b.LabelRanges[0]
	}
	return b.DefRange
}

func (l *loader) decodeProject(inst *instance) *config.Project {
	c, sc := inst.content, inst.sc
	a := c.Attributes
	p := &config.Project{
		Description:   l.str(a, "description", sc),
		Privileged:    l.boolean(a, "privileged", sc),
		Timeout:       l.integer(a, "timeout", sc),
		QueuedTimeout: l.integer(a, "queued_timeout", sc),
		Tags:          l.strMap(a, "tags", sc),
		RunAs:         l.str(a, "run_as", sc),
		Ranges:        ranges(c),
	}
	// Defaults apply only when the attribute is left out (or null): a
	// written "" stays, and the compiler reports it.
	p.Image = l.strDefault(a, "image", DefaultImage, sc)
	p.ComputeType = l.strDefault(a, "compute_type", DefaultComputeType, sc)
	p.EnvironmentType = l.strDefault(a, "environment_type", DefaultEnvironmentType, sc)
	single := newDupCheck("block")
	phases := newDupCheck("phase")
	reports := newDupCheck("report")
	secondary := newDupCheck("secondary artifact")
	for _, b := range c.Blocks {
		switch b.Type {
		case "env", "proxy", "artifacts", "cache", "batch":
			if !single.add(l, b.Type, b.DefRange) {
				continue
			}
		}
		switch b.Type {
		case "env":
			p.Env = l.decodeEnv(b, sc)
		case "proxy":
			bc := l.content(b, proxySchema)
			p.Proxy = &config.Proxy{
				UploadArtifacts: l.boolPtr(bc.Attributes, "upload_artifacts", sc),
				Logs:            l.boolPtr(bc.Attributes, "logs", sc),
				DeclRange:       b.DefRange,
			}
		case "phase":
			if ph := l.decodePhase(b, sc); ph != nil && phases.add(l, ph.Name, b.LabelRanges[0]) {
				p.Phases = append(p.Phases, ph)
			}
		case "report":
			if reports.add(l, b.Labels[0], b.LabelRanges[0]) {
				p.Reports = append(p.Reports, l.decodeReport(b, sc))
			}
		case "artifacts":
			p.Artifacts = l.decodeArtifacts(b, "", sc)
		case "secondary_artifacts":
			if secondary.add(l, b.Labels[0], b.LabelRanges[0]) {
				p.SecondaryArtifacts = append(p.SecondaryArtifacts, l.decodeArtifacts(b, b.Labels[0], sc))
			}
		case "cache":
			p.Cache = l.decodeCache(b, sc)
		case "batch":
			p.Batch = l.decodeBatch(b, sc)
		}
	}
	sort.SliceStable(p.Phases, func(i, j int) bool { return phaseIndex(p.Phases[i].Name) < phaseIndex(p.Phases[j].Name) })
	return p
}

// strDefault is the string attribute name, or def when it is not set.
func (l *loader) strDefault(attrs hcl.Attributes, name, def string, sc *scope) string {
	if v, ok := l.strOK(attrs, name, sc); ok {
		return v
	}
	return def
}

// content decodes a nested block's body against schema.
func (l *loader) content(b *hcl.Block, schema *hcl.BodySchema) *hcl.BodyContent {
	c, diags := b.Body.Content(schema)
	l.diags = append(l.diags, dynamicDiags(diags, schema)...)
	return c
}

func phaseIndex(name string) int {
	for i, n := range phaseOrder {
		if n == name {
			return i
		}
	}
	return len(phaseOrder)
}

func (l *loader) decodeEnv(b *hcl.Block, sc *scope) *config.Env {
	c := l.content(b, envSchema)
	a := c.Attributes
	vars, sensitive := l.strMapSensitive(a, "variables", sc)
	return &config.Env{
		Shell:               l.str(a, "shell", sc),
		Variables:           vars,
		SensitiveVariables:  sensitive,
		ParameterStore:      l.strMap(a, "parameter_store", sc),
		SecretsManager:      l.strMap(a, "secrets_manager", sc),
		Exported:            l.strList(a, "exported", sc),
		GitCredentialHelper: l.boolPtr(a, "git_credential_helper", sc),
		DeclRange:           b.DefRange,
		Ranges:              ranges(c),
	}
}

func (l *loader) decodePhase(b *hcl.Block, sc *scope) *config.Phase {
	name := b.Labels[0]
	c := l.content(b, phaseSchema)
	if phaseIndex(name) == len(phaseOrder) {
		l.errorf(b.LabelRanges[0], "Unknown phase", "%q is not a buildspec phase. The phases are %s, and they always run in that order.%s",
			name, quoteList(phaseOrder), suggest(name, phaseOrder))
		return nil
	}
	a := c.Attributes
	ph := &config.Phase{
		Name:      name,
		RunAs:     l.str(a, "run_as", sc),
		OnFailure: l.str(a, "on_failure", sc),
		Finally:   l.strList(a, "finally", sc),
		DeclRange: b.DefRange,
		Ranges:    ranges(c),
	}
	ph.Commands, ph.CommandsSet = l.strListOK(a, "commands", sc)
	if rv := a["runtime_versions"]; rv != nil {
		if name != "install" {
			l.errorf(rv.NameRange, "Unsupported argument", "runtime_versions is allowed only in the install phase, as in a buildspec. Move it to phase \"install\".")
		} else {
			ph.RuntimeVersions = l.strMap(a, "runtime_versions", sc)
		}
	}
	return ph
}

func (l *loader) decodeReport(b *hcl.Block, sc *scope) *config.Report {
	c := l.content(b, reportSchema)
	a := c.Attributes
	return &config.Report{
		Name:          b.Labels[0],
		Files:         l.strList(a, "files", sc),
		BaseDirectory: l.str(a, "base_directory", sc),
		DiscardPaths:  l.boolPtr(a, "discard_paths", sc),
		Format:        l.str(a, "format", sc),
		DeclRange:     b.DefRange,
		Ranges:        ranges(c),
	}
}

func (l *loader) decodeArtifacts(b *hcl.Block, id string, sc *scope) *config.Artifacts {
	c := l.content(b, artifactsSchema)
	a := c.Attributes
	return &config.Artifacts{
		Identifier:     id,
		Files:          l.strList(a, "files", sc),
		Name:           l.str(a, "name", sc),
		DiscardPaths:   l.boolPtr(a, "discard_paths", sc),
		BaseDirectory:  l.str(a, "base_directory", sc),
		ExcludePaths:   l.strList(a, "exclude_paths", sc),
		EnableSymlinks: l.boolPtr(a, "enable_symlinks", sc),
		S3Prefix:       l.str(a, "s3_prefix", sc),
		DeclRange:      b.DefRange,
		Ranges:         ranges(c),
	}
}

func (l *loader) decodeCache(b *hcl.Block, sc *scope) *config.Cache {
	c := l.content(b, cacheSchema)
	a := c.Attributes
	return &config.Cache{
		Key:          l.str(a, "key", sc),
		FallbackKeys: l.strList(a, "fallback_keys", sc),
		Action:       l.str(a, "action", sc),
		Paths:        l.strList(a, "paths", sc),
		DeclRange:    b.DefRange,
		Ranges:       ranges(c),
	}
}

func hasErrorsSince(diags hcl.Diagnostics, n int) bool {
	return diags[n:].HasErrors()
}
