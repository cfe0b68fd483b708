package compiler_test

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"reflect"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/langtest"
)

// TestSourceOnlySame: loading with lang.Options.SourceOnly (what the CLI
// does) gives the same configuration, graph and diagnostics, rendered with
// their snippets and "in project" context lines, as loading with the
// syntax trees kept, on every fixture of the language and the compiler.
func TestSourceOnlySame(t *testing.T) {
	var fixtures []string
	for _, dir := range []string{"testdata/valid", "testdata/invalid", "testdata/lint", "../lang/testdata/valid", "../lang/testdata/invalid"} {
		fixtures = append(fixtures, langtest.Fixtures(t, dir)...)
	}
	for _, path := range withExamples(fixtures) {
		t.Run(path, func(t *testing.T) { sourceOnlySame(t, langtest.FixtureFS(t, path)) })
	}
}

// FuzzSourceOnlySame: the same on any one file, which need not parse.
func FuzzSourceOnlySame(f *testing.F) {
	for _, dir := range []string{"testdata/valid", "testdata/invalid", "testdata/lint"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				f.Fatal(err)
			}
			f.Add(src)
		}
	}
	// Pipeline bodies are skimmed over by the first parse (lang's
	// parseSkimmed): text a scan without a parser could take for a block's
	// end, and line ends and characters that could move a position.
	for _, src := range []string{
		"pipeline \"p\" {\n  # }\n  /* } { */\n  variable \"v\" { default = \"}${\"{\"}\" }\n  stage \"S\" {\n    action \"a\" {\n      local {\n        commands = [<<-EOT\n          }\n        EOT\n        , \"printf '%%{'\"]\n      }\n    }\n  }\n}\n",
		"pipeline \"c\" {\r\n  stage \"S\" {\r\n    action \"a\" {\r\n      approval {}\r\n    }\r\n  }\r\n}\r\n",
		"pipeline \"u\" {\n  stage \"S\" {\n    action \"a\" {\n      approval { message = \"ü\" }\n    }\n  }\n  é }\n",
		"pipeline \"p\" {\n  stage \"S\" {\n    name = = 1\n  }\n}\nproject \"q\" {\n  phase \"build\" { commands = [\"true\"] }\n}\n",
	} {
		f.Add([]byte(src))
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		sourceOnlySame(t, fstest.MapFS{"main.pf.hcl": {Data: src}})
	})
}

func sourceOnlySame(t *testing.T, fsys fs.FS) {
	run := func(sourceOnly bool) (*lang.Result, string) {
		res, diags := lang.Load(fsys, lang.Options{SourceOnly: sourceOnly})
		if res.Config != nil && !diags.HasErrors() {
			opts := cliOptions
			opts.Files = res.Files
			_, cdiags := compiler.CompileWith(res.Config, opts)
			diags = append(diags, cdiags...)
		}
		var out bytes.Buffer
		w := hcl.NewDiagnosticTextWriter(&out, res.Files, 100, false)
		if err := w.WriteDiagnostics(diags); err != nil {
			t.Fatal(err)
		}
		return res, out.String()
	}
	full, want := run(false)
	kept, got := run(true)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics differ (-full +source only):\n%s", diff)
	}
	if !reflect.DeepEqual(full.Config, kept.Config) {
		t.Error("configurations differ")
	}
	for name, f := range kept.Files {
		if !bytes.Equal(f.Bytes, full.Files[name].Bytes) {
			t.Errorf("%s: source differs", name)
		}
	}
}
