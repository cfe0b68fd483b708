package compiler_test

import (
	"os"
	"regexp"
	"testing"
	"testing/fstest"

	"github.com/pipeform/pipeform/compiler"
)

// docSection matches one documented diagnostic with a code and an example.
var docSection = regexp.MustCompile("(?s)### ([^\n]+)\n\nCode: `([a-z0-9-]+)`\n.*?```hcl\n(.*?)```")

// TestDocsDiagnostics: every check code is documented in
// docs/diagnostics.md, and each documented example produces its summary
// with its code.
func TestDocsDiagnostics(t *testing.T) {
	src, err := os.ReadFile("../docs/diagnostics.md")
	if err != nil {
		t.Fatal(err)
	}
	documented := map[string]bool{}
	for _, m := range docSection.FindAllStringSubmatch(string(src), -1) {
		summary, code, example := m[1], m[2], m[3]
		documented[code] = true
		t.Run(code, func(t *testing.T) {
			_, diags := loadCompile(t, fstest.MapFS{"main.pf.hcl": {Data: []byte(example)}})
			for _, d := range diags {
				if d.Summary == summary && compiler.DiagnosticCode(d) == code {
					return
				}
			}
			t.Errorf("example of %q produced %v, want %q with code %s", summary, diags, summary, code)
		})
	}
	for _, c := range append(compiler.Checks(), compiler.LintRules()...) {
		if c != "variable-ref" && !documented[c] {
			t.Errorf("check %q is not documented in docs/diagnostics.md", c)
		}
	}
}
