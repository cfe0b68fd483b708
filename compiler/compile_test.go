package compiler_test

import (
	"io/fs"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/targets/buildspec"

	"github.com/pipeform/pipeform/lang/langtest"
)

// loadCompile loads a directory and compiles it when the language stage
// found no errors, with the buildspec target's size and parser as the CLI
// passes them (a test may import a target; the compiler may not).
func loadCompile(t testing.TB, fsys fs.FS) (*graph.Graph, hcl.Diagnostics) {
	t.Helper()
	res, diags := lang.Load(fsys, lang.Options{})
	if diags.HasErrors() || res == nil || res.Config == nil {
		return nil, diags
	}
	opts := cliOptions
	opts.Files = res.Files
	g, cdiags := compiler.CompileWith(res.Config, opts)
	return g, append(diags, cdiags...)
}

// cliOptions are the compiler options the CLI passes.
var cliOptions = compiler.Options{BuildspecSize: buildspec.InlineSize, ParseBuildspec: buildspec.Parse}

// withExamples adds the folders of examples/ to fixtures.
func withExamples(fixtures []string) []string {
	examples, _ := filepath.Glob("../examples/*/*.pf.hcl")
	seen := map[string]bool{}
	for _, e := range examples {
		if d := filepath.Dir(e); !seen[d] {
			seen[d] = true
			fixtures = append(fixtures, d)
		}
	}
	return fixtures
}

func TestValid(t *testing.T) {
	for _, path := range withExamples(langtest.Fixtures(t, "testdata/valid")) {
		t.Run(path, func(t *testing.T) {
			g, diags := loadCompile(t, langtest.FixtureFS(t, path))
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if g == nil || len(g.Pipelines) == 0 {
				t.Fatal("no pipelines compiled")
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	for _, path := range langtest.Fixtures(t, "testdata/invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fsys := langtest.FixtureFS(t, path)
			want := langtest.Expected(t, fsys, langtest.Compare{Warnings: true})
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: annotation")
			}
			_, diags := loadCompile(t, fsys)
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without a range: %s", d.Summary)
				}
				if d.Severity == hcl.DiagError && (d.Detail == "" || strings.HasSuffix(d.Summary, ".")) {
					t.Errorf("%s: empty detail or summary ending in a period", d.Summary)
				}
			}
			got := langtest.Got(diags, langtest.Compare{Warnings: true})
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
				for _, d := range diags {
					t.Logf("%s", d)
				}
			}
		})
	}
}

// TestEveryCheckHasFixture: each code a check can report is produced by at
// least one invalid fixture, and every compiler diagnostic carries a code.
func TestEveryCheckHasFixture(t *testing.T) {
	want := map[string]bool{"variable-namespace": true, "variable-order": true, "variable-name": true}
	for _, c := range compiler.Checks() {
		if c != "variable-ref" {
			want[c] = true
		}
	}
	got := map[string]bool{}
	for _, path := range langtest.Fixtures(t, "testdata/invalid") {
		res, diags := lang.Load(langtest.FixtureFS(t, path), lang.Options{})
		if diags.HasErrors() {
			continue
		}
		_, cdiags := compiler.CompileWith(res.Config, cliOptions)
		for _, d := range cdiags {
			code := compiler.DiagnosticCode(d)
			if code == "" {
				t.Errorf("%s: %q has no code", path, d.Summary)
			}
			got[code] = true
		}
	}
	for c := range want {
		if !got[c] {
			t.Errorf("no invalid fixture reports %q", c)
		}
	}
}
