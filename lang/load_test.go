package lang

import (
	"flag"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/lang/langtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// langCompare: the language's fixtures annotate warnings too, and a mistake
// in a for_each body is reported once per instance.
var langCompare = langtest.Compare{Warnings: true, OncePerLine: true}

func TestValid(t *testing.T) {
	for _, path := range langtest.Fixtures(t, "testdata/valid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			res, diags := Load(langtest.FixtureFS(t, path), Options{})
			for _, d := range diags {
				t.Errorf("%s", d)
			}
			if res == nil || res.Config == nil {
				t.Fatal("no config")
			}
		})
	}
}

func TestInvalid(t *testing.T) {
	for _, path := range langtest.Fixtures(t, "testdata/invalid") {
		t.Run(filepath.Base(path), func(t *testing.T) {
			fsys := langtest.FixtureFS(t, path)
			want := langtest.Expected(t, fsys, langCompare)
			if len(want) == 0 {
				t.Fatal("fixture has no # ERROR: annotation")
			}
			_, diags := Load(fsys, Options{})
			if diff := cmp.Diff(want, langtest.Got(diags, langCompare)); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s\nall:\n%s", diff, diags)
			}
		})
	}
}
