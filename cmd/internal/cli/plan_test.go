package cli

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/cmd/internal/views"
)

// planExampleDirs are the example directories that hold a configuration.
func planExampleDirs(t *testing.T) []string {
	t.Helper()
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "*"))
	var out []string
	for _, dir := range dirs {
		if hcl, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl")); len(hcl) > 0 {
			out = append(out, dir)
		}
	}
	if len(out) == 0 {
		t.Fatal("no examples found")
	}
	return out
}

// plan --json of every example lists every action of the compiled graph
// exactly once, in an order the executor could run: stages in order, run
// orders ascending within a stage, steps numbered 1, 2, ... with a new step
// exactly where the (stage, run_order) changes, and every action it depends
// on (artifacts, variables) in an earlier step.
func TestExamplesPlanJSON(t *testing.T) {
	for _, dir := range planExampleDirs(t) {
		t.Run(filepath.Base(dir), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			c := &CLI{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
			if code := c.Run([]string{"plan", dir, "--json"}); code != ExitOK {
				t.Fatalf("plan --json: exit %d\n%s", code, stderr.String())
			}
			checkPlanAgainstGraph(t, c, dir, stdout.Bytes())
		})
	}
}

func checkPlanAgainstGraph(t *testing.T, c *CLI, dir string, doc []byte) {
	t.Helper()
	var pl views.Plan
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&pl); err != nil {
		t.Fatalf("plan --json is not a valid plan document: %v", err)
	}
	if pl.FormatVersion != views.PlanFormatVersion {
		t.Errorf("format_version = %q, want %q", pl.FormatVersion, views.PlanFormatVersion)
	}
	l := c.load(dir, nil)
	if l.Diags.HasErrors() || l.Graph == nil {
		t.Fatalf("load: %s", l.Diags.Error())
	}
	type key struct{ pipeline, id string }
	want := map[key]bool{}
	stageIndex := map[key]int{}
	for _, p := range l.Graph.Pipelines {
		for i, st := range p.Stages {
			stageIndex[key{p.Name, st.Name}] = i
		}
		for _, a := range p.Actions() {
			want[key{p.Name, a.ID()}] = true
		}
	}
	seen := map[key]int{} // action -> step
	type pos struct{ stage, runOrder, step int }
	last := map[string]pos{}
	for _, a := range pl.Actions {
		k := key{a.Pipeline, a.ID}
		if a.ID != a.Stage+"."+a.Name {
			t.Errorf("%s: id %q does not match stage %q and name %q", a.Pipeline, a.ID, a.Stage, a.Name)
		}
		if !want[k] {
			t.Errorf("%s %s: in the plan but not in the graph, or listed twice", a.Pipeline, a.ID)
			continue
		}
		delete(want, k)
		if a.Pipeline == "" || a.Status == "" || a.Reason == "" {
			t.Errorf("%s %s: pipeline, status and reason must be set: %+v", a.Pipeline, a.ID, a)
		}
		cur := pos{stageIndex[key{a.Pipeline, a.Stage}], a.RunOrder, a.Step}
		prev, ok := last[a.Pipeline]
		switch {
		case !ok:
			if cur.step != 1 {
				t.Errorf("%s %s: first step is %d, want 1", a.Pipeline, a.ID, cur.step)
			}
		case cur.stage < prev.stage || (cur.stage == prev.stage && cur.runOrder < prev.runOrder):
			t.Errorf("%s %s: listed after an action that runs later", a.Pipeline, a.ID)
		case cur.stage == prev.stage && cur.runOrder == prev.runOrder && cur.step != prev.step:
			t.Errorf("%s %s: step %d, want %d (parallel with the previous action)", a.Pipeline, a.ID, cur.step, prev.step)
		case (cur.stage != prev.stage || cur.runOrder != prev.runOrder) && cur.step != prev.step+1:
			t.Errorf("%s %s: step %d, want %d", a.Pipeline, a.ID, cur.step, prev.step+1)
		}
		last[a.Pipeline] = cur
		for _, dep := range a.DependsOn {
			step, ok := seen[key{a.Pipeline, dep}]
			if !ok || step >= a.Step {
				t.Errorf("%s %s: depends on %s, which is not in an earlier step", a.Pipeline, a.ID, dep)
			}
		}
		seen[k] = a.Step
	}
	for k := range want {
		t.Errorf("%s %s: in the graph but missing from the plan", k.pipeline, k.id)
	}
}
