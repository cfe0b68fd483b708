// Package langtest holds the test helpers the project's tests share: golden
// files refreshed with -update, and the language and compiler fixtures:
// fixtures are discovered in a folder, and the diagnostics a fixture
// must produce are annotated on the line that causes them as
// `# ERROR: <summary>` or `# WARNING: <summary>`, compared exactly as a
// map of file:line to summaries.
//
// It imports only the standard library, hcl and go-cmp; only tests import it.
package langtest

import (
	"bufio"
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
)

// Fixtures lists the fixtures in dir: every *.pf.hcl file and every folder.
func Fixtures(t testing.TB, dir string) []string {
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

// Folders lists root and every folder under it that holds a *.pf.hcl
// file (the examples).
func Folders(t testing.TB, root string) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() {
			return err
		}
		if m, _ := filepath.Glob(filepath.Join(path, "*.pf.hcl")); len(m) > 0 {
			out = append(out, path)
		}
		return nil
	})
	if err != nil || len(out) == 0 {
		t.Fatalf("no configuration folders under %s: %v", root, err)
	}
	return out
}

// FixtureFS serves one fixture: a file alone in its directory, a folder as
// itself.
func FixtureFS(t testing.TB, path string) fs.FS {
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

// Compare says what Expected and Got keep.
type Compare struct {
	// Warnings compares warnings too (`# WARNING:` annotations).
	Warnings bool
	// OncePerLine counts a summary repeated on one line once: the language
	// reports a mistake in a for_each body once per instance.
	OncePerLine bool
}

var annotation = regexp.MustCompile(`#\s*(ERROR|WARNING):\s*(.+?)\s*$`)

// Expected reads the annotations of every file of a fixture: "file:line" to
// "ERROR: summary" (several on one line sorted and joined with " | ").
func Expected(t testing.TB, fsys fs.FS, c Compare) map[string]string {
	t.Helper()
	lines := map[string][]string{}
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
			m := annotation.FindStringSubmatch(sc.Text())
			if m == nil || (m[1] == "WARNING" && !c.Warnings) {
				continue
			}
			key := fmt.Sprintf("%s:%d", path, line)
			// Several summaries on one line: `# ERROR: A | B`.
			for _, summary := range strings.Split(m[2], " | ") {
				lines[key] = append(lines[key], m[1]+": "+summary)
			}
		}
		return sc.Err()
	})
	if err != nil {
		t.Fatal(err)
	}
	return c.join(lines)
}

// Got keys diagnostics the way Expected keys annotations.
func Got(diags hcl.Diagnostics, c Compare) map[string]string {
	lines := map[string][]string{}
	for _, d := range diags {
		sev := "ERROR"
		if d.Severity == hcl.DiagWarning {
			if !c.Warnings {
				continue
			}
			sev = "WARNING"
		}
		key := "(no file):0"
		if d.Subject != nil {
			key = fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
		}
		lines[key] = append(lines[key], sev+": "+d.Summary)
	}
	return c.join(lines)
}

// join sorts each line's summaries and joins them.
func (c Compare) join(lines map[string][]string) map[string]string {
	out := map[string]string{}
	for k, v := range lines {
		sort.Strings(v)
		if c.OncePerLine {
			v = dedupe(v)
		}
		out[k] = strings.Join(v, " | ")
	}
	return out
}

func dedupe(s []string) []string {
	out := s[:0]
	for i, v := range s {
		if i == 0 || v != s[i-1] {
			out = append(out, v)
		}
	}
	return out
}

// Golden compares got with the golden file at path, or rewrites the file
// when update is set (each package's -update flag). The failure names the
// file and shows the difference.
func Golden(t testing.TB, path string, got []byte, update bool) {
	t.Helper()
	if update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run the package's tests with -update to create it)", err)
	}
	if !bytes.Equal(want, got) {
		t.Errorf("%s differs (-want +got; run the package's tests with -update after an intended change and review the diff):\n%s",
			path, cmp.Diff(string(want), string(got)))
	}
}

// BuildspecCorpus is the folder of real buildspecs in the shared reference
// folder (../shared next to the repository). A test that needs it is
// skipped when it is missing, and fails in CI, which always has it.
func BuildspecCorpus(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	dir := filepath.Join(filepath.Dir(file), "..", "..", "..", "shared", "corpus", "buildspec")
	if files, _ := filepath.Glob(filepath.Join(dir, "*.y*ml")); len(files) == 0 {
		msg := "the buildspec corpus is not at " + dir + " (clone the shared folder next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}
