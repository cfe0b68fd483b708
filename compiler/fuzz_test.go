package compiler_test

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang"
)

// FuzzCompile feeds arbitrary text through lang.Load and compiles whatever
// configuration came out, errors or not (as an editor would): Compile must
// never panic, and every diagnostic it reports has a code and a range.
// Seeds are every fixture and every example.
func FuzzCompile(f *testing.F) {
	for _, root := range []string{"testdata", filepath.Join("..", "examples")} {
		_ = filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && strings.HasSuffix(path, ".pf.hcl") {
				if src, err := os.ReadFile(path); err == nil {
					f.Add(src)
				}
			}
			return nil
		})
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		res, _ := lang.Load(fstest.MapFS{"main.pf.hcl": {Data: src}}, lang.Options{})
		if res == nil || res.Config == nil {
			return
		}
		g, diags := compiler.Compile(res.Config)
		if g == nil {
			t.Fatal("nil graph")
		}
		for _, d := range diags {
			if compiler.DiagnosticCode(d) == "" || d.Subject == nil {
				t.Fatalf("diagnostic without code or range: %v", d)
			}
		}
	})
}
