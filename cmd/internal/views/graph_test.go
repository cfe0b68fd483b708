package views

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"

	"github.com/pipeform/pipeform/lang/langtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// exampleGraphs compiles every example under ../../../examples.
func exampleGraphs(t *testing.T) map[string]*graph.Graph {
	t.Helper()
	dirs, err := filepath.Glob("../../../examples/*")
	if err != nil {
		t.Fatal(err)
	}
	out := map[string]*graph.Graph{}
	for _, dir := range dirs {
		if st, err := os.Stat(dir); err != nil || !st.IsDir() {
			continue
		}
		if m, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl")); len(m) == 0 {
			continue
		}
		res, diags := lang.Load(os.DirFS(dir), lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", dir, diags)
		}
		g, cdiags := compiler.Compile(res.Config)
		if cdiags.HasErrors() {
			t.Fatalf("%s: %v", dir, cdiags)
		}
		out[filepath.Base(dir)] = g
	}
	if len(out) == 0 {
		t.Fatal("no examples found")
	}
	return out
}

// golden compares got with testdata/<name>, or rewrites it with -update.
func golden(t *testing.T, name string, got []byte) {
	t.Helper()
	langtest.Golden(t, filepath.Join("testdata", name), got, *update)
}

func TestGraphExamples(t *testing.T) {
	_, dotErr := exec.LookPath("dot")
	var mermaidFiles []string
	tmp := t.TempDir()
	for name, g := range exampleGraphs(t) {
		t.Run(name, func(t *testing.T) {
			var dot, mmd bytes.Buffer
			if err := WriteDOT(&dot, g.Pipelines); err != nil {
				t.Fatal(err)
			}
			if err := WriteMermaid(&mmd, g.Pipelines); err != nil {
				t.Fatal(err)
			}
			golden(t, "graph/"+name+".dot", dot.Bytes())
			golden(t, "graph/"+name+".mmd", mmd.Bytes())
			if err := checkMermaid(mmd.String()); err != nil {
				t.Errorf("mermaid: %v", err)
			}
			f := filepath.Join(tmp, name+".mmd")
			if err := os.WriteFile(f, mmd.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			mermaidFiles = append(mermaidFiles, f)
			if dotErr != nil {
				t.Log("dot (Graphviz) not installed: DOT rendering not checked")
				return
			}
			cmd := exec.Command("dot", "-Tsvg")
			cmd.Stdin = &dot
			var stderr bytes.Buffer
			cmd.Stderr = &stderr
			if err := cmd.Run(); err != nil || stderr.Len() > 0 {
				t.Errorf("dot -Tsvg: %v\n%s", err, stderr.String())
			}
		})
	}
	parseMermaid(t, mermaidFiles)
}

// TestPlanExamples: the plan of every example lists each action exactly
// once, in an order where every action comes after what it depends on and
// steps never go backwards.
func TestPlanExamples(t *testing.T) {
	for name, g := range exampleGraphs(t) {
		t.Run(name, func(t *testing.T) {
			pl := NewPlan(g.Pipelines)
			seen := map[string]int{}
			want := 0
			for _, p := range g.Pipelines {
				want += len(p.Actions())
			}
			if len(pl.Actions) != want {
				t.Errorf("plan has %d actions, graph %d", len(pl.Actions), want)
			}
			lastStep := map[string]int{}
			for i, a := range pl.Actions {
				key := a.Pipeline + "/" + a.ID
				if _, dup := seen[key]; dup {
					t.Errorf("%s listed twice", key)
				}
				seen[key] = i
				if a.Step < lastStep[a.Pipeline] {
					t.Errorf("%s: step %d after step %d", key, a.Step, lastStep[a.Pipeline])
				}
				lastStep[a.Pipeline] = a.Step
				for _, d := range a.DependsOn {
					j, ok := seen[a.Pipeline+"/"+d]
					if !ok || pl.Actions[j].Step >= a.Step {
						t.Errorf("%s depends on %s, which is not in an earlier step", key, d)
					}
				}
				if a.Status == "" || a.Reason == "" {
					t.Errorf("%s: empty status or reason", key)
				}
			}
			var js, txt bytes.Buffer
			if err := WriteJSON(&js, pl); err != nil {
				t.Fatal(err)
			}
			var back Plan
			if err := json.Unmarshal(js.Bytes(), &back); err != nil || back.FormatVersion != PlanFormatVersion {
				t.Errorf("plan JSON does not round-trip: %v", err)
			}
			if err := WritePlan(&txt, pl); err != nil {
				t.Fatal(err)
			}
			golden(t, "plan/"+name+".json", js.Bytes())
			golden(t, "plan/"+name+".txt", txt.Bytes())
		})
	}
}

// parseMermaid runs Mermaid's own parser (testdata/mermaid, installed by
// .ci/run with npm ci) on the files in one node process; it skips that step
// with a message when node or the modules are missing.
func parseMermaid(t *testing.T, files []string) {
	t.Helper()
	node, err := exec.LookPath("node")
	if err != nil {
		t.Log("node not installed: Mermaid parser not run")
		return
	}
	if _, err := os.Stat("testdata/mermaid/node_modules/mermaid"); err != nil {
		t.Log("Mermaid parser not installed (npm ci --prefix cmd/internal/views/testdata/mermaid): not run")
		return
	}
	out, err := exec.Command(node, append([]string{"testdata/mermaid/check.mjs"}, files...)...).CombinedOutput()
	var exit *exec.ExitError
	if errors.As(err, &exit) && exit.ExitCode() == 3 {
		t.Logf("Mermaid parser not usable, not run: %s", out)
		return
	}
	if err != nil {
		t.Errorf("mermaid.parse rejected the flowchart: %v\n%s", err, out)
	}
}

// TestRunOrderMermaid: the run-order links of a sequential stage are in the
// emitted Mermaid grammar, one per pair of consecutive run orders.
func TestRunOrderMermaid(t *testing.T) {
	st := &graph.Stage{Name: "Build"}
	p := &graph.Pipeline{Name: "web", Stages: []*graph.Stage{st}}
	for i, ro := range []int{1, 2, 2, 3} {
		st.Actions = append(st.Actions, &graph.Action{Name: string(rune('a' + i)), RunOrder: ro, Stage: st, Pipeline: p})
	}
	var b bytes.Buffer
	if err := WriteMermaid(&b, []*graph.Pipeline{p}); err != nil {
		t.Fatal(err)
	}
	if err := checkMermaid(b.String()); err != nil {
		t.Fatalf("%v\n%s", err, b.String())
	}
	if n := bytes.Count(b.Bytes(), []byte(" --o ")); n != 4 {
		t.Errorf("%d run-order links, want 4 (1→2 twice, 2→3 twice):\n%s", n, b.String())
	}
	if !bytes.Contains(b.Bytes(), []byte("run_order 3")) {
		t.Errorf("no run_order in the labels:\n%s", b.String())
	}
	file := filepath.Join(t.TempDir(), "run_order.mmd")
	if err := os.WriteFile(file, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	parseMermaid(t, []string{file})
}
