package lang

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/funcs"
)

// Options are the inputs to Load besides the files themselves. The CLI fills
// them from flags and the environment; lang never reads either itself.
type Options struct {
	// DisplayDir is prefixed (with a slash) to every filename in source
	// ranges, so diagnostics name files as the user wrote the directory,
	// e.g. "examples/web/main.pf.hcl". Empty means names as in fsys.
	DisplayDir string
	// Env holds PF_VAR_<name> values by <name> (lowest precedence).
	Env map[string]string
	// Args are -var and -var-file values in command-line order (highest
	// precedence; later wins). *.pfvars files in the directory come between
	// Env and Args, in name order.
	Args []VarArg
	// Parse, when set, parses one file in place of hclsyntax.ParseConfig.
	// The language server passes a cache keyed by name and contents, so an
	// edit re-parses only the file that changed. It must return what
	// ParseConfig would; the files it returns are only read.
	Parse func(src []byte, filename string) (*hcl.File, hcl.Diagnostics)
	// SourceOnly makes Result.Files hold what diagnostics need of each
	// file (see SourceOnly) instead of its syntax tree, and lets each
	// block's tree go as soon as it is decoded: the trees of a large
	// configuration are many times the size of what is decoded from them.
	// Diagnostics are the same either way.
	SourceOnly bool

	// Decoded, when set, keeps the decoded pipelines between Loads of one
	// folder: a pipeline block whose inputs did not change is not decoded
	// again (see DecodeCache). The result is the same as without it.
	Decoded *DecodeCache

	// Parsed, when set, is called once every file is parsed, before
	// decoding begins (again if Load starts over, see parseSkimmed). Parsing allocates the most (hcl's lexer and syntax
	// trees) while the least is alive, so a caller may run the garbage
	// collector less often until then (the CLI does).
	Parsed func()

	// fullParse turns off skimming over pipeline bodies (parseSkimmed):
	// set when loading again after a skimmed block did not parse, or
	// would not have been parsed at all (a file nested too deeply).
	fullParse bool
}

// VarArg is one -var NAME=VALUE or one -var-file (already read by the CLI).
type VarArg struct {
	// For -var: Name and Value (raw text, parsed like Terraform: as an HCL
	// expression for non-string types, literally for strings).
	Name, Value string
	// For -var-file: File is the path as given and Src its contents.
	File string
	Src  []byte
}

// Result is everything Load produces.
type Result struct {
	Config *config.Config
	// Files are the parsed files by display name, for diagnostic snippets
	// (with Options.SourceOnly, their source and outline only).
	Files map[string]*hcl.File
	// Secrets are the texts of the sensitive values of the configuration;
	// Redact hides them in diagnostics found after Load (the compiler's).
	Secrets []string
	// SensitiveUses are the project and pipeline expressions whose values
	// come from sensitive variables, in source order: what generate
	// writes of them is in plain text.
	SensitiveUses []hcl.Range
	// Scope evaluates top-level expressions as Load did: var.*, local.*,
	// project.* (values derived from a sensitive variable are marked) and
	// the functions. Editors use it to show what an expression is. Nil
	// when nothing could be decoded.
	Scope *hcl.EvalContext
}

// Redact replaces secrets (a Result's Secrets) with "(sensitive value)"
// in the summaries and details of diags.
func Redact(diags hcl.Diagnostics, secrets []string) {
	if len(secrets) == 0 {
		return
	}
	for _, d := range diags {
		d.Summary = funcs.Redact(d.Summary, secrets)
		d.Detail = funcs.Redact(d.Detail, secrets)
	}
}

// loader holds the state of one Load call.
type loader struct {
	opts  Options
	diags hcl.Diagnostics
	files map[string]*hcl.File
	funcs map[string]function.Function
	// syntaxErrs are the subjects of parse errors, so that decoding does
	// not pile a second diagnostic on a block that did not parse.
	syntaxErrs []hcl.Range
	// parseErrs are the parser's error diagnostics themselves.
	parseErrs map[*hcl.Diagnostic]bool
	// tooDeep is set when a file nests beyond limits.MaxNesting and was
	// not parsed: decoding the rest would report its declarations as
	// missing, so Load stops after parsing.
	tooDeep bool
	// deferred are the pipeline bodies parsed again when decoded
	// (Options.SourceOnly), by the stub that stands for each.
	deferred map[*hclsyntax.Body]deferredBlock
	// skimFailed is set when a pipeline body skimmed over while parsing
	// does not parse alone (see parseSkimmed); forks share it.
	skimFailed *atomic.Bool
	// skimmed is set when some file was parsed with its pipeline bodies
	// skimmed over.
	skimmed bool
	// dynamic holds the files that may have dynamic blocks.
	dynamic map[string]bool
	// pipeCache is this Load's use of Options.Decoded, nil without one;
	// forks share it.
	pipeCache *decodeSession
	// secrets are the texts of sensitive values met while evaluating;
	// finish hides them in every diagnostic.
	secrets []string
	// sensitiveUses are the expressions of projects and pipelines whose
	// values are sensitive.
	sensitiveUses []hcl.Range

	vars     map[string]*varDecl
	locals   map[string]*localDecl
	projects map[string]*projectDecl // by label
	root     *hcl.EvalContext
}

// Load parses, decodes and evaluates every *.pf.hcl file at the root of fsys.
// It never panics on bad input; every problem is a diagnostic. Config is nil
// only when nothing could be decoded at all.
func Load(fsys fs.FS, opts Options) (*Result, hcl.Diagnostics) {
	res, diags, skimFailed := load(fsys, opts)
	if skimFailed {
		// A pipeline block left out of its file's first parse does not
		// parse, or was never parsed: load again parsing each file whole, so that diagnostics
		// are the parser's own for the whole file.
		opts.fullParse = true
		res, diags, _ = load(fsys, opts)
	}
	return res, diags
}

func load(fsys fs.FS, opts Options) (*Result, hcl.Diagnostics, bool) {
	l := &loader{
		skimFailed: new(atomic.Bool),
		opts:       opts,
		files:      map[string]*hcl.File{},
		parseErrs:  map[*hcl.Diagnostic]bool{},
		dynamic:    map[string]bool{},
		deferred:   map[*hclsyntax.Body]deferredBlock{},
		funcs:      funcs.Table(fsys),
		vars:       map[string]*varDecl{},
		locals:     map[string]*localDecl{},
		projects:   map[string]*projectDecl{},
	}
	res := &Result{Files: l.files}
	bodies, varFiles, ok := l.parseDir(fsys)
	if opts.Parsed != nil {
		opts.Parsed()
	}
	if !ok || l.tooDeep {
		// Nothing is decoded, so no skimmed body is ever parsed and the
		// syntax errors it may hold would be missing: load again with
		// each file parsed whole (only when a file nests too deeply).
		return res, l.finish(), l.skimmed
	}
	res.Config = l.decode(bodies, varFiles)
	if l.skimFailed.Load() {
		return nil, nil, true
	}
	if l.pipeCache != nil {
		l.pipeCache.commit()
	}
	res.Secrets = l.secrets
	res.SensitiveUses = sortedRanges(l.sensitiveUses)
	res.Scope = l.root
	return res, l.finish(), false
}

// displayName is the filename used in ranges for a file at the root of fsys.
func (l *loader) displayName(name string) string {
	if l.opts.DisplayDir == "" {
		return name
	}
	return path.Join(l.opts.DisplayDir, name)
}

// decode runs the stages over the parsed files.
func (l *loader) decode(files, varFiles []*hcl.File) *config.Config {
	var blocks hcl.Blocks
	for _, f := range files {
		content, diags := f.Body.Content(rootSchema)
		l.diags = append(l.diags, diags...)
		blocks = append(blocks, content.Blocks...)
	}
	byType := map[string]hcl.Blocks{}
	for _, b := range blocks {
		byType[b.Type] = append(byType[b.Type], b)
	}
	// From here on each block is reachable only through byType, so a stage
	// that is done with a block can let its tree go (Options.SourceOnly).
	files, blocks = nil, nil
	l.root = &hcl.EvalContext{Functions: l.funcs, Variables: map[string]cty.Value{}}
	cfg := &config.Config{}

	// Stage 1: input variables and their values.
	cfg.Variables = l.decodeVariables(byType["variable"], varFiles)
	// Stage 2: locals, in dependency order.
	l.decodeLocals(byType["locals"])
	// Stage 3: projects (names first, then bodies).
	cfg.Projects = l.decodeProjects(byType["project"])
	// Stage 4: pipelines.
	cfg.Pipelines = l.decodePipelines(byType["pipeline"])
	return cfg
}

// unknownNames are the reference errors that a declaration the parser
// could not read would explain.
var unknownNames = map[string]bool{
	"Unknown input variable": true, "Unknown local value": true, "Unknown project": true, "Unknown artifact": true,
}

// finish removes repeated diagnostics (a for_each body is decoded once per
// instance) and sorts the rest by position. When a file does not parse,
// one mistake gives one error: its syntax errors come first, and the
// references to names no file declares are dropped, since the content the
// parser could not read may declare them (they come back, if still wrong,
// once the file parses).
func (l *loader) finish() hcl.Diagnostics {
	// timestamp() and friends are left out on purpose; say why instead of
	// hcl's plain "There is no function named ...".
	funcs.ExplainOmitted(l.diags)
	Redact(l.diags, l.secrets)
	seen := map[string]bool{}
	out := l.diags[:0]
	for _, d := range l.diags {
		key := fmt.Sprintf("%d|%s|%s|%v", d.Severity, d.Summary, d.Detail, d.Subject)
		if d.Subject != nil {
			key = fmt.Sprintf("%d|%s|%s|%s|%d|%d", d.Severity, d.Summary, d.Detail, d.Subject.Filename, d.Subject.Start.Byte, d.Subject.End.Byte)
		}
		if seen[key] || len(l.syntaxErrs) > 0 && unknownNames[d.Summary] {
			continue
		}
		seen[key] = true
		out = append(out, d)
	}
	sort.SliceStable(out, func(i, j int) bool {
		if si, sj := l.isSyntaxError(out[i]), l.isSyntaxError(out[j]); si != sj {
			return si
		}
		a, b := subjectOf(out[i]), subjectOf(out[j])
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		if a.Start.Byte != b.Start.Byte {
			return a.Start.Byte < b.Start.Byte
		}
		return out[i].Summary < out[j].Summary
	})
	return out
}

// sortedRanges sorts ranges by position and drops repeats (a for_each
// body is evaluated once per instance).
func sortedRanges(rs []hcl.Range) []hcl.Range {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Filename != b.Filename {
			return a.Filename < b.Filename
		}
		return a.Start.Byte < b.Start.Byte
	})
	out := rs[:0]
	for i, r := range rs {
		if i == 0 || r != rs[i-1] {
			out = append(out, r)
		}
	}
	return out
}

func subjectOf(d *hcl.Diagnostic) hcl.Range {
	if d.Subject != nil {
		return *d.Subject
	}
	return hcl.Range{}
}

// isSyntaxError says whether d is one of the parser's errors.
func (l *loader) isSyntaxError(d *hcl.Diagnostic) bool {
	return l.parseErrs[d]
}

// syntaxErrorIn reports whether a parse error lies inside body.
func (l *loader) syntaxErrorIn(body hcl.Body) bool {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return false
	}
	r := sb.SrcRange
	for _, e := range l.syntaxErrs {
		if e.Filename == r.Filename && e.Start.Byte >= r.Start.Byte && e.Start.Byte <= r.End.Byte {
			return true
		}
	}
	return false
}
