package compiler_test

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
)

// fixtureFS serves one fixture: a file as main.pf.hcl's directory, a
// directory as itself.
func fixtureFS(t testing.TB, path string) fs.FS {
	t.Helper()
	st, err := os.Stat(path)
	if err != nil {
		t.Fatal(err)
	}
	if st.IsDir() {
		return os.DirFS(path)
	}
	src, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return fstest.MapFS{filepath.Base(path): {Data: src}}
}

func fixtures(t *testing.T, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(dir)
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for _, e := range entries {
		if e.IsDir() || strings.HasSuffix(e.Name(), ".pf.hcl") {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	if len(out) == 0 {
		t.Fatalf("no fixtures in %s", dir)
	}
	return out
}

// loadCompile loads a directory and compiles it when the language stage
// found no errors.
func loadCompile(t testing.TB, fsys fs.FS) (*graph.Graph, hcl.Diagnostics) {
	t.Helper()
	res, diags := lang.Load(fsys, lang.Options{})
	if diags.HasErrors() || res == nil || res.Config == nil {
		return nil, diags
	}
	g, cdiags := compiler.Compile(res.Config)
	return g, append(diags, cdiags...)
}

func TestValid(t *testing.T) {
	dirs := fixtures(t, "testdata/valid")
	examples, _ := filepath.Glob("../examples/*/*.pf.hcl")
	seen := map[string]bool{}
	for _, e := range examples {
		if d := filepath.Dir(e); !seen[d] {
			seen[d] = true
			dirs = append(dirs, d)
		}
	}
	for _, path := range dirs {
		t.Run(path, func(t *testing.T) {
			g, diags := loadCompile(t, fixtureFS(t, path))
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if g == nil || len(g.Pipelines) == 0 {
				t.Fatal("no pipelines compiled")
			}
		})
	}
}

var annotation = regexp.MustCompile(`#\s*ERROR:\s*(.+?)\s*$`)

// expectedErrors reads the `# ERROR: <summary>` annotations: file:line ->
// summaries joined with " | " in order.
func expectedErrors(t *testing.T, fsys fs.FS) map[string]string {
	t.Helper()
	want := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".pf.hcl") {
			return err
		}
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for line := 1; sc.Scan(); line++ {
			if m := annotation.FindStringSubmatch(sc.Text()); m != nil {
				key := fmt.Sprintf("%s:%d", path, line)
				want[key] = joinSorted(want[key], m[1])
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

func joinSorted(prev, s string) string {
	if prev == "" {
		return s
	}
	parts := append(strings.Split(prev, " | "), s)
	sort.Strings(parts)
	return strings.Join(parts, " | ")
}

func TestInvalid(t *testing.T) {
	for _, path := range fixtures(t, "testdata/invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fsys := fixtureFS(t, path)
			want := expectedErrors(t, fsys)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: annotation")
			}
			_, diags := loadCompile(t, fsys)
			got := map[string]string{}
			for _, d := range diags {
				if d.Subject == nil {
					t.Errorf("diagnostic without a range: %s", d.Summary)
					continue
				}
				if d.Severity != hcl.DiagError {
					continue
				}
				key := fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
				got[key] = joinSorted(got[key], d.Summary)
				if d.Detail == "" || strings.HasSuffix(d.Summary, ".") {
					t.Errorf("%s: empty detail or summary ending in a period", d.Summary)
				}
			}
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
	for _, path := range fixtures(t, "testdata/invalid") {
		res, diags := lang.Load(fixtureFS(t, path), lang.Options{})
		if diags.HasErrors() {
			continue
		}
		_, cdiags := compiler.Compile(res.Config)
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
