package lang

import (
	"io/fs"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/lang/config"
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
	// Files are the parsed files by display name, for diagnostic snippets.
	Files map[string]*hcl.File
}

// Load parses, decodes and evaluates every *.pf.hcl file at the root of fsys.
// It never panics on bad input; every problem is a diagnostic. Config is nil
// only when nothing could be decoded at all.
func Load(fsys fs.FS, opts Options) (*Result, hcl.Diagnostics) {
	panic("lang.Load: not yet implemented")
}
