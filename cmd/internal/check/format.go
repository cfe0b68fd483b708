package check

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/pipeform/pipeform/lang/limits"
)

// Format returns src in the canonical layout, what `pipeform fmt` writes
// and the language server's formatting returns. A file with syntax errors
// is never formatted: Format returns nil and the errors.
func Format(name string, src []byte) ([]byte, *hcl.File, hcl.Diagnostics) {
	// The parser recurses once per level of nesting: deep input is refused
	// before it can exhaust the stack.
	if d := limits.CheckNesting(src, name, false); d != nil {
		return nil, &hcl.File{Body: hcl.EmptyBody(), Bytes: src}, hcl.Diagnostics{d}
	}
	file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	if diags.HasErrors() {
		return nil, file, diags
	}
	return hclwrite.Format(src), file, nil
}
