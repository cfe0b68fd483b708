package views

import (
	"fmt"
	"io"
	"sort"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// graphEdge is one edge of the rendered graph: an artifact (solid), a
// variable reference (dotted) or stage order (dashed, between clusters).
type graphEdge struct {
	from, to *graph.Action
	label    string
	kind     string // "artifact", "variable"
}

// dataEdges lists a pipeline's artifact and variable edges in execution
// order of the consumer, then producer, then label.
func dataEdges(p *graph.Pipeline) []graphEdge {
	var out []graphEdge
	for _, a := range p.Actions() {
		var mine []graphEdge
		for _, in := range a.Inputs {
			if in.Producer != nil {
				mine = append(mine, graphEdge{in.Producer, a, in.Name, "artifact"})
			}
		}
		for _, r := range a.References {
			if r.Producer != nil {
				mine = append(mine, graphEdge{r.Producer, a, r.Namespace + "." + r.Name, "variable"})
			}
		}
		out = append(out, mine...)
	}
	return out
}

// runOrderEdges orders the actions of a stage that has more than one run
// order: every action of one run order to every action of the next, so
// sequential actions do not look parallel. Nil when all run together.
func runOrderEdges(s *graph.Stage) [][2]*graph.Action {
	var groups [][]*graph.Action // by run order; Actions are sorted by it
	for _, a := range s.Actions {
		if n := len(groups); n == 0 || groups[n-1][0].RunOrder != a.RunOrder {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], a)
	}
	var out [][2]*graph.Action
	for i := 1; i < len(groups); i++ {
		for _, from := range groups[i-1] {
			for _, to := range groups[i] {
				out = append(out, [2]*graph.Action{from, to})
			}
		}
	}
	return out
}

// sequential says whether a stage's actions have more than one run order.
func sequential(s *graph.Stage) bool {
	return len(s.Actions) > 0 && s.Actions[0].RunOrder != s.Actions[len(s.Actions)-1].RunOrder
}

// actionLabel is the node label: the name, then the provider (with the
// project for CodeBuild and the Region for cross-Region actions), then the
// run order when the stage runs its actions in more than one step.
func actionLabel(a *graph.Action) (name, provider string) {
	provider = a.Type.Provider
	switch {
	case a.Project != nil:
		provider += " " + a.Project.Name
	case a.Type.Category == graph.CategoryApproval:
		provider += " approval"
	}
	if a.Region != "" {
		provider += " in " + a.Region
	}
	if a.Stage != nil && sequential(a.Stage) {
		provider += fmt.Sprintf("\nrun_order %d", a.RunOrder)
	}
	return a.Name, provider
}

// WriteDOT renders pipelines as one Graphviz digraph: a cluster per
// pipeline holding a cluster per stage, actions as nodes, artifact edges
// labelled with the artifact name, variable edges dotted, and stage order
// as dashed edges between stage clusters; in a stage with several run
// orders, each node says its run_order and gray edges with an open
// circle lead from one run order to the next. Approvals have a double border,
// actions the local executor does not emulate are dashed, and every node's
// tooltip says what the executor does with it. Node ids are stable:
// "<pipeline>/<stage>/<action>".
func WriteDOT(w io.Writer, pipelines []*graph.Pipeline) error {
	b := &strings.Builder{}
	b.WriteString("digraph pipeform {\n")
	b.WriteString("  rankdir=LR;\n  compound=true;\n  fontname=\"Helvetica\";\n")
	b.WriteString("  node [shape=box, style=\"rounded\", fontname=\"Helvetica\"];\n")
	b.WriteString("  edge [fontname=\"Helvetica\", fontsize=10];\n")
	for pi, p := range pipelines {
		fmt.Fprintf(b, "  subgraph %s {\n", dotID(fmt.Sprintf("cluster_p%d", pi)))
		fmt.Fprintf(b, "    label=%s;\n", dotID("pipeline "+p.Name))
		for si, s := range p.Stages {
			fmt.Fprintf(b, "    subgraph %s {\n", dotID(fmt.Sprintf("cluster_p%d_s%d", pi, si)))
			fmt.Fprintf(b, "      label=%s;\n      style=\"rounded,dashed\";\n", dotID(s.Name))
			for _, a := range s.Actions {
				name, prov := actionLabel(a)
				status, reason := a.LocalMode()
				fmt.Fprintf(b, "      %s [label=%s, tooltip=%s%s];\n", dotID(nodeKey(a)), dotID(name+"\n"+prov), dotID(status+": "+reason), dotStyle[status])
			}
			for _, e := range runOrderEdges(s) {
				fmt.Fprintf(b, "      %s -> %s [style=dashed, color=gray, arrowhead=odot, tooltip=\"run_order\"];\n", dotID(nodeKey(e[0])), dotID(nodeKey(e[1])))
			}
			b.WriteString("    }\n")
		}
		b.WriteString("  }\n")
		for si := 1; si < len(p.Stages); si++ {
			prev, next := p.Stages[si-1], p.Stages[si]
			if len(prev.Actions) == 0 || len(next.Actions) == 0 {
				continue
			}
			fmt.Fprintf(b, "  %s -> %s [style=dashed, color=gray, ltail=%s, lhead=%s];\n",
				dotID(nodeKey(prev.Actions[0])), dotID(nodeKey(next.Actions[0])),
				dotID(fmt.Sprintf("cluster_p%d_s%d", pi, si-1)), dotID(fmt.Sprintf("cluster_p%d_s%d", pi, si)))
		}
		for _, e := range dataEdges(p) {
			style := ""
			if e.kind == "variable" {
				style = ", style=dotted"
			}
			fmt.Fprintf(b, "  %s -> %s [label=%s%s];\n", dotID(nodeKey(e.from)), dotID(nodeKey(e.to)), dotID(e.label), style)
		}
	}
	b.WriteString("}\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// dotStyle marks actions by what the local executor does with them:
// approvals have a double border, actions that are not emulated are dashed
// and grey.
var dotStyle = map[string]string{
	graph.LocalApproval:    ", peripheries=2",
	graph.LocalNotEmulated: `, style="rounded,dashed", color=gray50, fontcolor=gray30`,
}

func nodeKey(a *graph.Action) string {
	return a.Pipeline.Name + "/" + a.Stage.Name + "/" + a.Name
}

// dotID quotes s as a DOT string; newlines become \n line breaks.
func dotID(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// WriteMermaid renders pipelines as a Mermaid flowchart: a subgraph per
// pipeline holding a subgraph per stage, artifact edges labelled, variable
// edges dotted, stage order as links between stage subgraphs, run order
// inside a stage as circle-ended links (and a run_order line in each node
// of such a stage), approvals as
// hexagons and actions the local executor does not emulate dashed. Ids are
// positional (p0, p0s1, p0s1a2), so they are stable for the same input.
func WriteMermaid(w io.Writer, pipelines []*graph.Pipeline) error {
	b := &strings.Builder{}
	b.WriteString("flowchart LR\n")
	ids := map[*graph.Action]string{}
	var notEmulated []string
	for pi, p := range pipelines {
		fmt.Fprintf(b, "  subgraph p%d[%s]\n    direction LR\n", pi, mermaidText("pipeline "+p.Name))
		for si, s := range p.Stages {
			fmt.Fprintf(b, "    subgraph p%ds%d[%s]\n      direction TB\n", pi, si, mermaidText(s.Name))
			for ai, a := range s.Actions {
				id := fmt.Sprintf("p%ds%da%d", pi, si, ai)
				ids[a] = id
				name, prov := actionLabel(a)
				open, end := "[", "]"
				switch status, _ := a.LocalMode(); status {
				case graph.LocalApproval:
					open, end = "{{", "}}"
				case graph.LocalNotEmulated:
					notEmulated = append(notEmulated, id)
				}
				fmt.Fprintf(b, "      %s%s%s%s\n", id, open, mermaidText(name+"\n"+prov), end)
			}
			b.WriteString("    end\n")
		}
		b.WriteString("  end\n")
	}
	for pi, p := range pipelines {
		for si := 1; si < len(p.Stages); si++ {
			fmt.Fprintf(b, "  p%ds%d ==> p%ds%d\n", pi, si-1, pi, si)
		}
		for _, s := range p.Stages {
			for _, e := range runOrderEdges(s) {
				fmt.Fprintf(b, "  %s --o %s\n", ids[e[0]], ids[e[1]])
			}
		}
		for _, e := range dataEdges(p) {
			arrow := "-->"
			if e.kind == "variable" {
				arrow = "-.->"
			}
			fmt.Fprintf(b, "  %s %s|%s| %s\n", ids[e.from], arrow, mermaidText(e.label), ids[e.to])
		}
	}
	if len(notEmulated) > 0 {
		b.WriteString("  classDef notEmulated stroke-dasharray: 5 5, color: #666\n")
		fmt.Fprintf(b, "  class %s notEmulated\n", strings.Join(notEmulated, ","))
	}
	_, err := io.WriteString(w, b.String())
	return err
}

// mermaidText quotes a label; quotes become #quot; and newlines <br/>.
func mermaidText(s string) string {
	r := strings.NewReplacer(`"`, "#quot;", "\n", "<br/>")
	return `"` + r.Replace(s) + `"`
}

// SelectPipelines returns the named pipeline (or all when name is ""), and
// the sorted names of all pipelines for did-you-mean messages.
func SelectPipelines(g *graph.Graph, name string) ([]*graph.Pipeline, []string) {
	var names []string
	for _, p := range g.Pipelines {
		names = append(names, p.Name)
	}
	sort.Strings(names)
	if name == "" {
		return g.Pipelines, names
	}
	if p := g.Pipeline(name); p != nil {
		return []*graph.Pipeline{p}, names
	}
	return nil, names
}
