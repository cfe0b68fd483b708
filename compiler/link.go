package compiler

import (
	"regexp"
	"slices"
	"sort"

	"github.com/pipeform/pipeform/compiler/graph"
)

// varRefPattern matches CodePipeline's `#{Namespace.Name}` variable syntax.
var varRefPattern = regexp.MustCompile(`#\{([^.{}\s]+)\.([^{}\s]+)\}`)

// Reserved variable namespaces.
const (
	nsCodePipeline = "codepipeline"
	nsVariables    = "variables"
)

// link fills in the edges of every pipeline: artifact producers, variable
// references and each action's upstream actions.
func link(s *state) {
	for _, p := range s.g.Pipelines {
		linkArtifacts(p)
		linkReferences(p)
		linkUpstream(p)
	}
}

// producers maps each artifact name to the first action (in execution
// order) that outputs it.
func producers(p *graph.Pipeline) map[string]*graph.Action {
	out := map[string]*graph.Action{}
	for _, a := range p.Actions() {
		for _, o := range a.Outputs {
			if _, ok := out[o.Name]; !ok {
				out[o.Name] = a
			}
		}
	}
	return out
}

func linkArtifacts(p *graph.Pipeline) {
	prod := producers(p)
	for _, a := range p.Actions() {
		for _, in := range a.Inputs {
			in.Producer = prod[in.Name]
		}
	}
}

// namespaces maps each namespace to the first action declaring it.
func namespaces(p *graph.Pipeline) map[string]*graph.Action {
	out := map[string]*graph.Action{}
	for _, a := range p.Actions() {
		if a.Namespace == "" {
			continue
		}
		if _, ok := out[a.Namespace]; !ok {
			out[a.Namespace] = a
		}
	}
	return out
}

func linkReferences(p *graph.Pipeline) {
	ns := namespaces(p)
	for _, a := range p.Actions() {
		seen := map[[2]string]bool{}
		for _, text := range referenceTexts(a) {
			for _, m := range varRefPattern.FindAllStringSubmatch(text, -1) {
				key := [2]string{m[1], m[2]}
				if seen[key] {
					continue
				}
				seen[key] = true
				a.References = append(a.References, &graph.VariableRef{Namespace: m[1], Name: m[2], Producer: ns[m[1]]})
			}
		}
	}
	// A provider that exports names of the user's choosing (CloudFormation
	// stack outputs, Lambda output variables, custom actions) exports exactly
	// the names later actions use: the executor reads those back from the
	// action's `local` block.
	for _, a := range p.Actions() {
		for _, r := range a.References {
			if r.Producer != nil && exportsAny(r.Producer) && !slices.Contains(r.Producer.Variables, r.Name) {
				r.Producer.Variables = append(r.Producer.Variables, r.Name)
				slices.Sort(r.Producer.Variables)
			}
		}
	}
}

// referenceTexts lists the strings of an action in which CodePipeline
// resolves variables: configuration values (in key order) and environment
// variable values; and the commands of its local block, which stands in for
// the action locally and which the executor resolves the same way.
func referenceTexts(a *graph.Action) []string {
	keys := make([]string, 0, len(a.Configuration))
	for k := range a.Configuration {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]string, 0, len(keys)+len(a.EnvironmentVariables))
	for _, k := range keys {
		out = append(out, a.Configuration[k])
	}
	for _, ev := range a.EnvironmentVariables {
		out = append(out, ev.Value)
	}
	if a.Local != nil {
		out = append(out, a.Local.Commands...) // checked like configuration: resolved before the action runs
	}
	return out
}

// linkUpstream sets each action's Upstream: every action of earlier stages
// and of earlier run groups of its own stage.
func linkUpstream(p *graph.Pipeline) {
	var done []*graph.Action
	for _, s := range p.Stages {
		var stageDone []*graph.Action
		for _, group := range s.RunGroups() {
			up := append(append([]*graph.Action{}, done...), stageDone...)
			for _, a := range group {
				a.Upstream = up
			}
			stageDone = append(stageDone, group...)
		}
		done = append(done, stageDone...)
	}
}

// runsBefore reports whether a finishes before b starts: an earlier stage,
// or the same stage with a smaller run order.
func runsBefore(a, b *graph.Action) bool {
	if a.Stage.Index != b.Stage.Index {
		return a.Stage.Index < b.Stage.Index
	}
	return a.RunOrder < b.RunOrder
}
