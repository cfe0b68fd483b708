package lang

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
)

// FuzzLoad feeds arbitrary text to Load as main.pf.hcl: it must return
// diagnostics, never panic. Seeds are every fixture and every example.
func FuzzLoad(f *testing.F) {
	for _, root := range []string{"testdata", filepath.Join("..", "examples")} {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() {
				return nil
			}
			if strings.HasSuffix(path, ".pf.hcl") || strings.HasSuffix(path, ".pfvars") {
				if src, err := os.ReadFile(path); err == nil {
					f.Add(src)
				}
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		fsys := fstest.MapFS{"main.pf.hcl": {Data: src}}
		res, diags := Load(fsys, Options{DisplayDir: "dir", Env: map[string]string{"x": "1"}})
		if res == nil {
			t.Fatal("nil result")
		}
		for _, d := range diags {
			if d.Summary == "" {
				t.Fatalf("diagnostic without summary: %v", d)
			}
		}
	})
}
