package check

import (
	"fmt"
	"path/filepath"
	"reflect"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/langtest"
)

// TestDecodeCacheShared runs every compiler fixture and example three
// times, twice with one lang.DecodeCache and once without: the pipelines
// the second run reuses went through the compiler in the first, so any
// write to them after Load shows as a difference here.
func TestDecodeCacheShared(t *testing.T) {
	fixtures := append(langtest.Fixtures(t, "../../../compiler/testdata/valid"), langtest.Fixtures(t, "../../../compiler/testdata/lint")...)
	fixtures = append(fixtures, langtest.Folders(t, "../../../examples")...)
	for _, path := range fixtures {
		t.Run(filepath.ToSlash(path), func(t *testing.T) {
			fsys := langtest.FixtureFS(t, path)
			opts := lang.Options{Decoded: &lang.DecodeCache{}}
			Run(fsys, opts)
			got := Run(fsys, opts)
			want := Run(fsys, lang.Options{})
			if !reflect.DeepEqual(got.Config, want.Config) {
				t.Error("the configuration differs from one loaded without the cache")
			}
			if !reflect.DeepEqual(got.Graph, want.Graph) {
				t.Error("the graph differs from one compiled without the cache")
			}
			if diff := cmp.Diff(summaries(want), summaries(got)); diff != "" {
				t.Errorf("diagnostics (-uncached +cached):\n%s", diff)
			}
		})
	}
}

func summaries(r *Result) []string {
	var out []string
	for _, d := range r.Diags {
		out = append(out, fmt.Sprintf("%d %v %s: %s", d.Severity, d.Subject, d.Summary, d.Detail))
	}
	return out
}
