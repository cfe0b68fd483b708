package compiler_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang/langtest"
)

// TestLint: every fixture in testdata/lint produces exactly its annotated
// warnings, each with a lint code, a detail saying how to fix and how to
// silence it, and no error; `# pipeform:ignore CODE` silences its line.
func TestLint(t *testing.T) {
	rules := map[string]bool{}
	for _, r := range compiler.LintRules() {
		rules[r] = true
	}
	for _, path := range langtest.Fixtures(t, "testdata/lint") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fsys := langtest.FixtureFS(t, path)
			c := langtest.Compare{Warnings: true}
			want := langtest.Expected(t, fsys, c)
			_, diags := loadCompile(t, fsys)
			for _, d := range diags {
				code := compiler.DiagnosticCode(d)
				if d.Severity != hcl.DiagWarning || !rules[code] {
					t.Errorf("not a lint warning: %s (code %q)", d, code)
				}
				if !strings.Contains(d.Detail, "# pipeform:ignore "+code) {
					t.Errorf("%s: the detail does not say how to silence it: %s", d.Summary, d.Detail)
				}
			}
			if diff := cmp.Diff(want, langtest.Got(diags, c)); diff != "" {
				t.Errorf("warnings (-want +got):\n%s", diff)
				for _, d := range diags {
					t.Logf("%s", d)
				}
			}
		})
	}
}
