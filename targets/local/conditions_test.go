package local

import (
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
)

func TestVariableCheck(t *testing.T) {
	s := &scheduler{vars: Variables{}}
	s.vars.Set("SourceVariables", "BranchName", "release/1.2")
	for _, c := range []struct {
		op, value string
		want      bool
	}{
		{"EQ", "release/1.2", true},
		{"EQ", "main", false},
		{"NE", "main", true},
		{"ne", "release/1.2", false},
		{"CONTAINS", "release", true},
		{"CONTAINS", "hotfix", false},
		{"MATCHES", `^release/\d+\.\d+$`, true},
		{"MATCHES", `^main$`, false},
		{"MATCHES", `(`, false},
		{"GT", "1", false},
	} {
		r := &graph.Rule{Provider: "VariableCheck", Configuration: map[string]string{
			"Variable": "#{SourceVariables.BranchName}", "Value": c.value, "Operator": c.op}}
		if got, why := s.variableCheck(r); got != c.want {
			t.Errorf("%s %q: got %v (%s), want %v", c.op, c.value, got, why, c.want)
		}
	}
	r := &graph.Rule{Configuration: map[string]string{"Variable": "#{Build.VERSION}", "Value": "1", "Operator": "EQ"}}
	if ok, why := s.variableCheck(r); ok || why == "" {
		t.Errorf("an unresolved variable passed: %v %s", ok, why)
	}
}
