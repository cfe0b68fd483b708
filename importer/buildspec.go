package importer

import (
	"bytes"
	"fmt"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
)

// ProjectLabel derives a project label from a file name: its base name
// without extension, with characters CodeBuild does not allow in project
// names replaced by "-".
func ProjectLabel(path string) string {
	base := filepath.Base(path)
	base = strings.TrimSuffix(base, filepath.Ext(base))
	name := regexp.MustCompile(`[^A-Za-z0-9_-]+`).ReplaceAllString(base, "-")
	name = strings.Trim(name, "-_")
	// The label is the CodeBuild project name: 2 to 150 characters.
	switch {
	case name == "":
		return "imported"
	case len(name) < 2:
		return "project-" + name
	case len(name) > 150:
		return strings.TrimRight(name[:150], "-_")
	}
	return name
}

// Buildspec renders b as a formatted project block labelled name. src is
// the YAML text, used to place warnings about what cannot be carried over.
func Buildspec(path string, src []byte, b *graph.Buildspec, name string) ([]byte, hcl.Diagnostics) {
	f := hclwrite.NewEmptyFile()
	diags := projectBlock(f.Body(), path, src, b, name, projectExtra{})
	return hclwrite.Format(f.Bytes()), diags
}

// projectExtra writes what a project has besides its buildspec: its own
// attributes (first in the block) and its batch settings (first in the
// batch block). Nil functions write nothing.
type projectExtra struct {
	settings, batch func(*hclwrite.Body)
	// env adds the project's own environment variables to the
	// buildspec's env before it is written.
	env func(*graph.Buildspec)
}

// projectBlock appends the project block of b to body.
func projectBlock(body *hclwrite.Body, path string, src []byte, b *graph.Buildspec, name string, extra projectExtra) hcl.Diagnostics {
	var diags hcl.Diagnostics
	warn := func(key, summary, detail string) {
		rng := keyRange(path, src, key)
		diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: &rng})
	}
	if b.Version == "0.1" {
		warn("version", "Buildspec version 0.1 imported as 0.2",
			"pipeform writes version 0.2 buildspecs, where all commands of a build run in one shell instance. In version 0.1 every command ran in a fresh shell, so cd, exported and plain variables did not carry over to the next command; check commands that relied on that.")
	}
	if a := b.Artifacts; a != nil && a.Type != "" {
		warn("type", "Artifact type not imported",
			fmt.Sprintf("artifacts.type (%q) belongs to buildspec version 0.1 and is deprecated in 0.2; pipeform leaves it out. Set the packaging on the CodeBuild project instead.", a.Type))
	}

	p := body.AppendNewBlock("project", []string{name}).Body()
	if extra.settings != nil {
		extra.settings(p)
	}
	setString(p, "run_as", b.RunAs)
	if env := b.Env; env != nil {
		e := p.AppendNewBlock("env", nil).Body()
		setString(e, "shell", env.Shell)
		setMap(e, "variables", env.Variables)
		setMap(e, "parameter_store", env.ParameterStore)
		setMap(e, "secrets_manager", env.SecretsManager)
		setList(e, "exported", env.ExportedVariables)
		setBool(e, "git_credential_helper", env.GitCredentialHelper)
	}
	if px := b.Proxy; px != nil {
		x := p.AppendNewBlock("proxy", nil).Body()
		setBool(x, "upload_artifacts", px.UploadArtifacts)
		setBool(x, "logs", px.Logs)
	}
	for i, ph := range b.Phases {
		if ph == nil {
			continue
		}
		if EmptyPhase(i, ph) {
			warn(graph.PhaseNames[i], "Empty phase not imported",
				fmt.Sprintf("The %s phase has no commands, so it does nothing; pipeform requires commands in every phase except install (as CodeBuild documents), so import leaves it out.", graph.PhaseNames[i]))
			continue
		}
		x := p.AppendNewBlock("phase", []string{graph.PhaseNames[i]}).Body()
		setString(x, "run_as", ph.RunAs)
		setString(x, "on_failure", ph.OnFailure)
		setMap(x, "runtime_versions", ph.RuntimeVersions)
		setList(x, "commands", ph.Commands)
		setList(x, "finally", ph.Finally)
	}
	for _, r := range b.Reports {
		x := p.AppendNewBlock("report", []string{r.Name}).Body()
		setList(x, "files", r.Files)
		setString(x, "base_directory", r.BaseDirectory)
		setBool(x, "discard_paths", r.DiscardPaths)
		setString(x, "format", r.FileFormat)
	}
	if a := b.Artifacts; a != nil {
		importArtifacts(p.AppendNewBlock("artifacts", nil).Body(), a)
		for _, s := range a.Secondary {
			importArtifacts(p.AppendNewBlock("secondary_artifacts", []string{s.Identifier}).Body(), &s.Artifacts)
		}
	}
	if b.Batch != nil {
		(&batchWriter{warn: warn, settings: extra.batch}).batch(p, b.Batch)
	}
	if c := b.Cache; c != nil {
		x := p.AppendNewBlock("cache", nil).Body()
		setString(x, "key", c.Key)
		setList(x, "fallback_keys", c.FallbackKeys)
		setString(x, "action", c.Action)
		setList(x, "paths", c.Paths)
	}
	return diags
}

// EmptyPhase reports a phase other than install without commands: it runs
// nothing, and a pipeform phase must have commands.
func EmptyPhase(i int, ph *graph.Phase) bool {
	return i > 0 && len(ph.Commands) == 0 && len(ph.Finally) == 0
}

func importArtifacts(x *hclwrite.Body, a *graph.Artifacts) {
	setList(x, "files", a.Files)
	setString(x, "name", a.Name)
	setBool(x, "discard_paths", a.DiscardPaths)
	setString(x, "base_directory", a.BaseDirectory)
	setList(x, "exclude_paths", a.ExcludePaths)
	setBool(x, "enable_symlinks", a.EnableSymlinks)
	setString(x, "s3_prefix", a.S3Prefix)
}

func setString(b *hclwrite.Body, name, v string) {
	if v != "" {
		b.SetAttributeValue(name, cty.StringVal(v))
	}
}

func setBool(b *hclwrite.Body, name string, v *bool) {
	if v != nil {
		b.SetAttributeValue(name, cty.BoolVal(*v))
	}
}

// setList writes a list one element per line; nil leaves it out and an
// empty list is written as [].
func setList(b *hclwrite.Body, name string, items []string) {
	if items == nil {
		return
	}
	if len(items) == 0 {
		b.SetAttributeRaw(name, hclwrite.Tokens{
			{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")},
			{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")},
		})
		return
	}
	toks := hclwrite.Tokens{{Type: hclsyntax.TokenOBrack, Bytes: []byte("[")}, newline()}
	for _, s := range items {
		if h, ok := heredoc(s, listItemIndent); ok {
			// The tokens are re-lexed by hclwrite.Format, so the whole
			// heredoc can travel as one token.
			toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenOHeredoc, Bytes: []byte(h)}, newline())
		} else {
			toks = append(toks, hclwrite.TokensForValue(cty.StringVal(s))...)
		}
		toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenComma, Bytes: []byte(",")}, newline())
	}
	toks = append(toks, &hclwrite.Token{Type: hclsyntax.TokenCBrack, Bytes: []byte("]")})
	b.SetAttributeRaw(name, toks)
}

// listItemIndent is the column of list items in attributes of the blocks
// inside a project block, where hclwrite.Format puts them.
const listItemIndent = 6

// heredoc renders a multi-line string that ends with a newline as an
// indented heredoc (<<-EOT) whose content sits two columns right of indent,
// ending with the closing marker at indent. It reports false when the
// heredoc could not give back exactly s: HCL strips the smallest indentation
// of the non-blank lines, so at least one line must start without blanks,
// and blank-looking or control characters are left to quoted strings.
func heredoc(s string, indent int) (string, bool) {
	if !strings.HasSuffix(s, "\n") || strings.Count(s, "\n") < 2 {
		return "", false
	}
	lines := strings.Split(strings.TrimSuffix(s, "\n"), "\n")
	flush := false
	for _, l := range lines {
		if l == "" {
			continue
		}
		if strings.TrimLeft(l, " \t") == "" || l[0] >= utf8.RuneSelf {
			return "", false
		}
		flush = flush || (l[0] != ' ' && l[0] != '\t')
		for _, r := range l {
			if (r < 0x20 && r != '\t') || r == 0x7F || r == utf8.RuneError || (r >= 0x80 && r <= 0x9F) || r == 0x2028 || r == 0x2029 {
				return "", false
			}
		}
	}
	if !flush {
		return "", false
	}
	delim := "EOT"
	for i := 1; slices.ContainsFunc(lines, func(l string) bool { return strings.TrimSpace(l) == delim }); i++ {
		delim = fmt.Sprintf("EOT%d", i)
	}
	var b strings.Builder
	pad := strings.Repeat(" ", indent)
	b.WriteString("<<-" + delim + "\n")
	for _, l := range lines {
		if l != "" {
			b.WriteString(pad + "  " + escapeTemplate(l))
		}
		b.WriteString("\n")
	}
	b.WriteString(pad + delim)
	return b.String(), true
}

// escapeTemplate escapes HCL template sequences: ${ becomes $${ and %{
// becomes %%{.
func escapeTemplate(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if (s[i] == '$' || s[i] == '%') && i+1 < len(s) && s[i+1] == '{' {
			b.WriteByte(s[i])
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// setMap writes an object in the buildspec's order; keys that are not
// identifiers are quoted.
func setMap(b *hclwrite.Body, name string, kvs []graph.KeyValue) {
	if kvs == nil {
		return
	}
	attrs := make([]hclwrite.ObjectAttrTokens, 0, len(kvs))
	for _, kv := range kvs {
		key := hclwrite.TokensForValue(cty.StringVal(kv.Key))
		if hclsyntax.ValidIdentifier(kv.Key) {
			key = hclwrite.TokensForIdentifier(kv.Key)
		}
		attrs = append(attrs, hclwrite.ObjectAttrTokens{Name: key, Value: hclwrite.TokensForValue(cty.StringVal(kv.Value))})
	}
	b.SetAttributeRaw(name, hclwrite.TokensForObject(attrs))
}

func newline() *hclwrite.Token {
	return &hclwrite.Token{Type: hclsyntax.TokenNewline, Bytes: []byte("\n")}
}

// keyRange finds the first line of src where key starts a mapping entry, for
// placing a warning; the start of the file if there is none.
func keyRange(path string, src []byte, key string) hcl.Range {
	re := regexp.MustCompile(`(?m)^([ \t]*)` + regexp.QuoteMeta(key) + `[ \t]*:`)
	rng := hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
	loc := re.FindSubmatchIndex(src)
	if loc == nil {
		return rng
	}
	start := loc[3] // end of the indentation
	line := 1 + bytes.Count(src[:start], []byte("\n"))
	col := 1 + start - (bytes.LastIndexByte(src[:start], '\n') + 1)
	rng.Start = hcl.Pos{Line: line, Column: col, Byte: start}
	rng.End = hcl.Pos{Line: line, Column: col + len(key), Byte: start + len(key)}
	return rng
}

// HasPhase reports whether b has at least one phase.
func HasPhase(b *graph.Buildspec) bool {
	for _, ph := range b.Phases {
		if ph != nil {
			return true
		}
	}
	return false
}
