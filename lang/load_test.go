package lang

import (
	"bufio"
	"bytes"
	"flag"
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
)

var update = flag.Bool("update", false, "rewrite golden files")

// fixtureFS returns the files of one fixture: a single file is loaded as
// main.pf.hcl (or main.pfvars), a directory as itself.
func fixtureFS(t *testing.T, path string) fs.FS {
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

func TestValid(t *testing.T) {
	for _, path := range fixtures(t, "testdata/valid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res, diags := Load(fixtureFS(t, path), Options{})
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if res == nil || res.Config == nil {
				t.Fatal("no config")
			}
		})
	}
}

var annotation = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.+?)\s*$`)

// expectedDiags reads the `# ERROR: <summary>` annotations of a fixture.
func expectedDiags(t *testing.T, fsys fs.FS) map[string]string {
	t.Helper()
	want := map[string]string{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		src, err := fs.ReadFile(fsys, path)
		if err != nil {
			return err
		}
		sc := bufio.NewScanner(bytes.NewReader(src))
		for line := 1; sc.Scan(); line++ {
			if m := annotation.FindStringSubmatch(sc.Text()); m != nil {
				want[fmt.Sprintf("%s:%d", path, line)] = m[1] + ": " + m[2]
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return want
}

// gotDiags keys diagnostics the same way; several on one line are joined.
func gotDiags(diags hcl.Diagnostics) map[string]string {
	lines := map[string][]string{}
	for _, d := range diags {
		key := "(no file):0"
		if d.Subject != nil {
			key = fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
		}
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			sev = "WARNING"
		}
		lines[key] = append(lines[key], sev+": "+d.Summary)
	}
	got := map[string]string{}
	for k, v := range lines {
		sort.Strings(v)
		got[k] = strings.Join(uniq(v), " | ")
	}
	return got
}

func uniq(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

func TestInvalid(t *testing.T) {
	for _, path := range fixtures(t, "testdata/invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fsys := fixtureFS(t, path)
			want := expectedDiags(t, fsys)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: annotation")
			}
			_, diags := Load(fsys, Options{})
			if diff := cmp.Diff(want, gotDiags(diags)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\nall:\n%s", diff, diags)
			}
		})
	}
}
