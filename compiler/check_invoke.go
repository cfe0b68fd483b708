package compiler

import (
	"sort"
	"strings"

	"github.com/pipeform/pipeform/compiler/dag"
	"github.com/pipeform/pipeform/compiler/graph"
)

// checkInvokeCycles: pipelines that start each other through
// pipeline_invoke actions in a loop would run forever. Pipelines are added
// to the DAG in source order, so each cycle is reported once, at the invoke
// action of its earliest pipeline.
func checkInvokeCycles(s *state, code Code) {
	byName := map[string]*graph.Pipeline{}
	ordered := append([]*graph.Pipeline{}, s.g.Pipelines...)
	sort.SliceStable(ordered, func(i, j int) bool { return rangeBefore(ordered[i], ordered[j]) })
	d := dag.New[*graph.Pipeline]()
	for _, p := range ordered {
		byName[p.Name] = p
		d.Add(p)
	}
	invokes := map[[2]*graph.Pipeline]*graph.Action{}
	for _, p := range ordered {
		for _, a := range p.Actions() {
			if a.Block != "pipeline_invoke" {
				continue
			}
			if target := byName[a.Configuration["PipelineName"]]; target != nil {
				d.Connect(p, target)
				if _, ok := invokes[[2]*graph.Pipeline{p, target}]; !ok {
					invokes[[2]*graph.Pipeline{p, target}] = a
				}
			}
		}
	}
	cycles := d.Cycles()
	if cycles == nil {
		return
	}
	for _, c := range cycles.Cycles {
		names := make([]string, 0, len(c)+1)
		for _, p := range c {
			names = append(names, p.Name)
		}
		names = append(names, c[0].Name)
		next := c[0]
		if len(c) > 1 {
			next = c[1]
		}
		a := invokes[[2]*graph.Pipeline{c[0], next}]
		s.d.errorf(code, "Pipeline invocation cycle", s.providerRange(a, "pipeline_name"), a.DeclRange,
			"These pipelines start each other in a loop: %s. Every run would start the next one forever; remove one of the pipeline_invoke actions.", strings.Join(names, " -> "))
	}
}

// rangeBefore orders pipelines by source position.
func rangeBefore(a, b *graph.Pipeline) bool {
	ra, rb := a.DeclRange, b.DeclRange
	if ra.Filename != rb.Filename {
		return ra.Filename < rb.Filename
	}
	return ra.Start.Byte < rb.Start.Byte
}
