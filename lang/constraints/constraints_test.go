package constraints_test

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/constraints/constrainttest"
	"github.com/pipeform/pipeform/lang/providers"
)

// every returns constrainttest.All, after checking that each limited
// catalog attribute has exactly its catalog constraint.
func every(t *testing.T) []*constraints.Constraint {
	t.Helper()
	for _, p := range providers.All {
		for _, a := range p.Attrs {
			cs := constrainttest.Catalog(p, &a)
			if a.Limited() != (len(cs) == 1) || len(cs) > 1 {
				t.Fatalf("%s.%s: Lookup found %d constraints, want the catalog's", p.Block, a.Name, len(cs))
			}
		}
	}
	if len(constraints.Table()) < 20 {
		t.Fatalf("the table has only %d entries", len(constraints.Table()))
	}
	return constrainttest.All()
}

// check applies c to v the way the compiler does, as far as a unit test
// needs: strings, numbers, lists and maps of strings.
func check(c *constraints.Constraint, v cty.Value) string {
	ty := v.Type()
	switch {
	case ty == cty.String:
		return c.CheckString(v.AsString())
	case ty == cty.Number:
		return c.CheckNumber(v.AsBigFloat())
	case ty.IsListType() && ty.ElementType().IsObjectType():
		if c.Part == "" {
			return c.CheckCount(v.LengthInt())
		}
		for _, e := range v.AsValueSlice() {
			if p := c.CheckString(e.GetAttr(c.Part).AsString()); p != "" {
				return p
			}
		}
	case ty.IsListType():
		if p := c.CheckCount(v.LengthInt()); p != "" {
			return p
		}
		for _, e := range v.AsValueSlice() {
			if p := c.CheckString(e.AsString()); p != "" {
				return p
			}
		}
	case ty.IsMapType():
		m := v.AsValueMap()
		if c.Part == "" {
			return c.CheckCount(len(m))
		}
		for k, e := range m {
			s := e.AsString()
			if c.Part == "key" {
				s = k
			}
			if p := c.CheckString(s); p != "" {
				return p
			}
		}
	}
	return ""
}

// TestTableEntries walks every constraint: a value breaking it is rejected
// with a sentence, a valid one accepted, and every enum value accepted.
func TestTableEntries(t *testing.T) {
	for _, c := range every(t) {
		t.Run(constrainttest.Name(c), func(t *testing.T) {
			bad, good := constrainttest.Examples(t, c)
			if check(c, bad) == "" {
				t.Errorf("%#v was accepted", bad)
			}
			if p := check(c, good); p != "" {
				t.Errorf("%#v was rejected: %s", good, p)
			}
			for _, e := range c.Enum {
				if p := c.CheckString(e); p != "" {
					t.Errorf("enum value %q rejected: %s", e, p)
				}
			}
			if len(c.Sources) == 0 {
				t.Error("no source recorded")
			}
		})
	}
}

func TestUncheckedHaveReasons(t *testing.T) {
	if len(constraints.Unchecked) == 0 {
		t.Fatal("no unchecked members recorded")
	}
	for _, s := range constraints.Unchecked {
		if s.Member == "" || s.Reason == "" {
			t.Errorf("unchecked member without a reason: %+v", s)
		}
	}
}

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		given string
		valid []string
		want  string
	}{
		{"QUEUE", constraints.Enum("pipeline", "execution_mode"), "QUEUED"},
		{"RETRY_2", []string{"ABORT", "RETRY-2", "RETRY"}, "RETRY-2"},
		{"BUILD_GENERAL1_XL", constraints.Enum("project", "compute_type"), "BUILD_GENERAL1_XLARGE"},
		{"v3", constraints.Enum("pipeline", "type"), "V2"},
		{"public", constraints.Enum("pipeline.stage.action.s3_deploy", "canned_acl"), "public-read"},
		{"Tests", constraints.Enum("pipeline.stage.action.custom", "category"), "Test"},
		{"FAIL", constraints.Enum("pipeline.notification", "states"), "FAILED"},
		{"ZIP", constraints.Enum("pipeline.stage.action.codecommit", "output_artifact_format"), "CODE_ZIP"},
		{"zzzzzzzz", []string{"QUEUED"}, ""},
	} {
		if got := constraints.Suggest(c.given, c.valid); got != c.want {
			t.Errorf("Suggest(%q, %v) = %q, want %q", c.given, c.valid, got, c.want)
		}
	}
}

func TestEnum(t *testing.T) {
	for _, c := range []struct {
		block, attr string
		want        string // one of the values
	}{
		{"pipeline", "execution_mode", "QUEUED"},
		{"pipeline.stage.on_failure", "retry_mode", "ALL_ACTIONS"},
		{"pipeline.stage.on_success.condition", "result", "ROLLBACK"},
		{"pipeline.stage.before_entry.condition", "result", "SKIP"},
		{"pipeline.stage.action.custom", "owner", "Custom"},
		{"pipeline.stage.action.cloudformation", "action_mode", "CHANGE_SET_EXECUTE"},
		{"project", "environment_type", "ARM_CONTAINER"},
		{"pipeline.notification", "detail_types", "CodePipeline Stage Execution State Change"},
		{"pipeline.stage.before_entry.condition.rule", "provider", "VariableCheck"},
		{"project.env", "shell", "bash"},
		{"project.report", "format", "JUNITXML"},
		{"project.cache", "action", "restore"},
		{"pipeline.role_statement", "effect", "Deny"},
	} {
		got := constraints.Enum(c.block, c.attr)
		found := false
		for _, v := range got {
			found = found || v == c.want
		}
		if !found {
			t.Errorf("Enum(%q, %q) = %v, want it to hold %q", c.block, c.attr, got, c.want)
		}
	}
	if got := constraints.Enum("pipeline.stage.on_success.condition", "result"); len(got) != 2 || got[0] != "ROLLBACK" || got[1] != "FAIL" {
		t.Errorf("on_success condition results = %v, want the slot's ROLLBACK and FAIL only", got)
	}
	for _, c := range [][2]string{{"pipeline", "name"}, {"pipeline.stage.action.lambda_deploy", "alarms"}, {"nowhere", "x"}} {
		if got := constraints.Enum(c[0], c[1]); got != nil {
			t.Errorf("Enum(%q, %q) = %v, want nil", c[0], c[1], got)
		}
	}
}

// TestUnique checks that every entry whose list must be distinct refuses
// a repeated element and accepts distinct ones, at the repeat's index.
func TestUnique(t *testing.T) {
	n := 0
	for i := range constraints.Table() {
		c := &constraints.Table()[i]
		if !c.Unique {
			continue
		}
		n++
		if p, at := c.CheckUnique([]string{"a", "b", "a"}); p == "" || at != 2 {
			t.Errorf("%s %s: a repeat gives %q at %d, want an error at 2", c.Block, c.Attr, p, at)
		}
		if p, _ := c.CheckUnique([]string{"a", "b"}); p != "" {
			t.Errorf("%s %s: distinct values give %q", c.Block, c.Attr, p)
		}
	}
	if n == 0 {
		t.Fatal("no entry of the table has Unique set: the generator lost uniqueItems")
	}
}
