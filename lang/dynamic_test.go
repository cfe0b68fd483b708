package lang

import (
	"strings"
	"testing"
)

// The details that dynamicDiags adds to hcl's dynamic block diagnostics.
func TestDynamicDiagDetails(t *testing.T) {
	_, diags := Load(fixtureFS(t, "testdata/invalid/dynamic.pf.hcl"), Options{})
	want := map[int]string{
		4:  `Cannot use a string value in for_each. An iterable collection is required. Use a list, set, map or object, such as ["a", "b"] or { a = 1 }.`,
		12: `A "phase" block takes exactly 1 label, so labels must be a list of 1 expression, such as labels = [phase.key].`,
		17: `Blocks of type "phse" are not expected here. Did you mean "phase"?`,
		30: `Blocks of type "pushh" are not expected here. Did you mean "push"?`,
		41: `A "stage" block takes exactly 1 label, so labels must be a list of 1 expression, such as labels = [stage.key].`,
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
	_, diags := Load(fixtureFS(t, "testdata/invalid/computed_refs.pf.hcl"), Options{})
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
