package check

import (
	"io/fs"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/targets/buildspec"
)

// Result is a configuration folder read, evaluated and compiled.
type Result struct {
	Files  map[string]*hcl.File
	Config *config.Config // nil when nothing could be decoded
	Graph  *graph.Graph   // nil when the language stage failed
	// Scope evaluates top-level expressions as lang.Load did (see
	// lang.Result.Scope); nil when nothing could be decoded.
	Scope *hcl.EvalContext
	Diags hcl.Diagnostics
	// Secrets are the texts of the sensitive values (lang.Result.Secrets),
	// hidden in Diags; callers hide them in diagnostics they add.
	Secrets []string
	// SensitiveUses are the expressions whose values come from sensitive
	// variables (lang.Result.SensitiveUses).
	SensitiveUses []hcl.Range
}

// Run loads the configuration at the root of fsys and, when the language
// stage found no errors, compiles it. Diagnostics are sorted.
func Run(fsys fs.FS, opts lang.Options) *Result {
	res, diags := lang.Load(fsys, opts)
	r := &Result{Diags: diags}
	if res != nil {
		r.Files = res.Files
		r.Config = res.Config
		r.Scope = res.Scope
		r.Secrets, r.SensitiveUses = res.Secrets, res.SensitiveUses
		if res.Config != nil && !diags.HasErrors() {
			r.Graph, r.Diags = compile(res.Config, res.Files, r.Diags)
			lang.Redact(r.Diags, r.Secrets) // the compiler's diagnostics may show values
		}
	}
	views.SortDiagnostics(r.Diags)
	return r
}

// compile runs the compiler with the exact emitted buildspec size, so an
// inline buildspec that is too long is reported just as generate would,
// and the parser apply uses for an inline buildspec_override.
func compile(cfg *config.Config, files map[string]*hcl.File, diags hcl.Diagnostics) (*graph.Graph, hcl.Diagnostics) {
	g, cdiags := compiler.CompileWith(cfg, compiler.Options{
		BuildspecSize: buildspec.InlineSize, ParseBuildspec: buildspec.Parse,
		Files: files, // the lint pass's element positions and ignore comments
	})
	return g, append(diags, cdiags...)
}
