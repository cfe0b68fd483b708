package lang

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/pipeform/pipeform/lang/langtest"
)

// The details that dynamicDiags adds to hcl's dynamic block diagnostics.
func TestDynamicDiagDetails(t *testing.T) {
	_, diags := Load(langtest.FixtureFS(t, "testdata/invalid/dynamic.pf.hcl"), Options{})
	want := map[int]string{
		4:  `Cannot use a string value in for_each. An iterable collection is required. Use a list, set, map or object, such as ["a", "b"] or { a = 1 }.`,
		12: `A "phase" block takes exactly 1 label, so labels must be a list of 1 expression, such as labels = [phase.key].`,
		17: `Blocks of type "phse" are not expected here. Did you mean "phase"?`,
		28: `The block type this dynamic block generates takes no labels: remove labels.`,
		37: `Blocks of type "pushh" are not expected here. Did you mean "push"?`,
		48: `A "stage" block takes exactly 1 label, so labels must be a list of 1 expression, such as labels = [stage.key].`,
	}
	got := map[int]string{}
	for _, d := range diags {
		if d.Subject != nil {
			got[d.Subject.Start.Line] = d.Detail
		}
	}
	for line, w := range want {
		if got[line] != w {
			t.Errorf("line %d: detail\n got %q\nwant %q", line, got[line], w)
		}
	}
	for _, d := range diags {
		if strings.Contains(d.Detail, "label(s)") {
			t.Errorf("hcl's wording left in %q", d.Detail)
		}
	}
}

// A key that names no instance of a for_each project lists the keys, for a
// constant key and a computed one alike.
func TestProjectKeyDetail(t *testing.T) {
	_, diags := Load(langtest.FixtureFS(t, "testdata/invalid/computed_refs.pf.hcl"), Options{})
	want := map[string]bool{
		`Project "svc" has no for_each instance with key "wbe"; its keys are "api" and "web". Did you mean "web"?`: true,
		`Project "svc" has no for_each instance with key "db"; its keys are "api" and "web". Did you mean "web"?`:  true,
	}
	for _, d := range diags {
		if d.Summary == "Invalid index" {
			if !want[d.Detail] {
				t.Errorf("unexpected detail %q", d.Detail)
			}
			delete(want, d.Detail)
		}
	}
	for w := range want {
		t.Errorf("missing detail %q", w)
	}
}

// Inside a generated stage with its own for_each, a misspelt iterator is
// an unknown reference with the iterator suggested.
func TestDynamicIteratorSuggestion(t *testing.T) {
	fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(`
project "build" {}
pipeline "app" {
  dynamic "stage" {
    for_each = ["A"]
    iterator = region
    labels   = [region.value]
    content {
      for_each = toset(["x"])
      name     = "${regoin.value}-${each.key}"
      action "a" {
        codebuild = project.build
      }
    }
  }
}
`)}}
	_, diags := Load(fsys, Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+": "+d.Detail)
	}
	want := `Unknown reference: There is no symbol named "regoin". References start with var, local, project, artifact or each; inside a dynamic block's content also with its iterator (the block type, as in phase.value, or the name its iterator attribute gives). Did you mean "region"?`
	if len(got) != 1 || got[0] != want {
		t.Errorf("got %q\nwant %q", got, want)
	}
}
