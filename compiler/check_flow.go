package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/providers"
)

// checkDuplicateArtifact: each artifact is produced once per pipeline.
func checkDuplicateArtifact(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		first := map[string]*graph.Action{}
		for _, a := range p.Actions() {
			for _, o := range a.Outputs {
				if prev, ok := first[o.Name]; ok {
					fix := "give this output another name"
					if prev.DeclRange == a.DeclRange {
						// Two instances of one for_each (or dynamic) action.
						fix = fmt.Sprintf("both actions come from the same block, so make the output name differ per instance, such as \"%s-${each.key}\"", o.Name)
					}
					s.d.errorf(code, "Duplicate output artifact", rangeOr(o.Range, a.DeclRange), a.DeclRange,
						"Action %q outputs artifact %q, which action %q (%s) already produces. Each artifact name is produced exactly once per pipeline; %s.", a.ID(), o.Name, prev.ID(), shortRange(prev.DeclRange), fix)
					continue
				}
				first[o.Name] = a
			}
		}
	}
}

// shortRange is file:line,col of the start of r.
func shortRange(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

// checkArtifactOrder: inputs are produced by a strictly earlier action.
func checkArtifactOrder(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			for _, in := range a.Inputs {
				if in.Producer == nil || runsBefore(in.Producer, a) {
					continue
				}
				why := "runs later"
				if in.Producer == a {
					why = "is this action itself"
				} else if in.Producer.Stage == a.Stage && in.Producer.RunOrder == a.RunOrder {
					why = "runs in parallel with it (same stage and run order)"
				}
				s.d.errorf(code, "Artifact used before it is produced", rangeOr(in.Range, a.DeclRange), a.DeclRange,
					"Action %q consumes %q, but its producer %q %s. An input must come from an earlier stage, or from the same stage with a smaller run_order.", a.ID(), in.Name, in.Producer.ID(), why)
			}
		}
	}
}

// checkNamespaces: namespaces are unique, not reserved, and no artifact is
// named like one.
func checkDuplicateNamespace(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		first := map[string]*graph.Action{}
		for _, a := range p.Actions() {
			if a.Namespace == "" {
				continue
			}
			if prev, ok := first[a.Namespace]; ok {
				s.d.errorf(code, "Duplicate namespace", s.attrRange(a, "namespace"), a.DeclRange,
					"Namespace %q is already used by action %q (%s). Namespaces must be unique in a pipeline.", a.Namespace, prev.ID(), prev.DeclRange)
				continue
			}
			first[a.Namespace] = a
		}
	}
}

func checkReservedNamespace(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Namespace == nsCodePipeline || a.Namespace == nsVariables {
				s.d.errorf(code, "Reserved namespace", s.attrRange(a, "namespace"), a.DeclRange,
					"Namespace %q is reserved by CodePipeline (codepipeline and variables are). Choose another namespace for action %q.", a.Namespace, a.ID())
			}
		}
	}
}

func checkNamespaceArtifact(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		prod := producers(p)
		for _, a := range p.Actions() {
			if a.Namespace == "" {
				continue
			}
			if other, ok := prod[a.Namespace]; ok {
				s.d.errorf(code, "Namespace clashes with artifact", s.attrRange(a, "namespace"), a.DeclRange,
					"Namespace %q is also the name of an artifact output by %q; CodePipeline requires namespaces and artifact names to differ.", a.Namespace, other.ID())
			}
		}
	}
}

// checkVariableRefs: each #{ns.VAR} names a known namespace of a strictly
// earlier action that exports VAR, codepipeline.PipelineExecutionId, or a
// declared pipeline variable.
func checkVariableRefs(s *state, _ Code) {
	for _, p := range s.g.Pipelines {
		nsNames := sortedNamespaces(p)
		for _, a := range p.Actions() {
			for _, r := range a.References {
				checkVariableRef(s, p, a, r, nsNames, s.refRange(a, r))
			}
		}
	}
}

func checkVariableRef(s *state, p *graph.Pipeline, a *graph.Action, r *graph.VariableRef, nsNames []string, rng hcl.Range) {
	ref := "#{" + r.Namespace + "." + r.Name + "}"
	switch {
	case r.Namespace == nsCodePipeline:
		if r.Name != "PipelineExecutionId" {
			s.d.errorf("variable-name", "Unknown variable", rng, a.DeclRange,
				"%s: the codepipeline namespace has only PipelineExecutionId.", ref)
		}
	case r.Namespace == nsVariables:
		var names []string
		for _, v := range p.Variables {
			if v.Name == r.Name {
				return
			}
			names = append(names, v.Name)
		}
		s.d.errorf("variable-name", "Unknown variable", rng, a.DeclRange,
			"%s: pipeline %q declares no variable %q. Declare it with a variable block inside the pipeline.%s", ref, p.Name, r.Name, didYouMean(r.Name, names))
	case r.Producer == nil:
		known := "No action of the pipeline has a namespace yet."
		if len(nsNames) > 0 {
			known = "Namespaces of this pipeline: " + quoteList(nsNames) + "." + didYouMean(r.Namespace, nsNames)
		}
		s.d.errorf("variable-namespace", "Unknown variable namespace", rng, a.DeclRange,
			"%s: no action of pipeline %q has namespace %q. Give the producing action namespace = %q. %s",
			ref, p.Name, r.Namespace, r.Namespace, known)
	case !runsBefore(r.Producer, a):
		s.d.errorf("variable-order", "Variable used before it is produced", rng, a.DeclRange,
			"%s: action %q reads a variable of %q, which does not run strictly earlier. Variables resolve just before an action starts, so the producer must be in an earlier stage or have a smaller run_order.", ref, a.ID(), r.Producer.ID())
	default:
		// A CodeBuild action that runs its project as a batch
		// (BatchEnabled) is checked like a single build. The action
		// reference says "This action will produce as variables all
		// environment variables that were exported as part of the build"
		// and makes no exception for batch builds
		// (https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-CodeBuild.html#action-reference-CodeBuild-variables),
		// nor do the batch build guide and the pipeline batch sample
		// (https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html,
		// https://docs.aws.amazon.com/codebuild/latest/userguide/sample-pipeline-batch.html).
		// The API's BuildBatch has no exportedEnvironmentVariables (a Build
		// has), so the local executor records none for a batch; that hints
		// at, but does not document, a refusal, so validate reports nothing.
		if exportsAny(r.Producer) {
			return
		}
		for _, v := range r.Producer.Variables {
			if v == r.Name {
				return
			}
		}
		s.d.errorf("variable-name", "Unknown variable", rng, a.DeclRange,
			"%s: action %q does not export %q; it exports %s.%s", ref, r.Producer.ID(), r.Name, quoteList(r.Producer.Variables), didYouMean(r.Name, r.Producer.Variables))
	}
}

// exportsAny reports whether the action's provider exports user-defined
// names (CloudFormation outputs, Lambda output variables, custom actions),
// or whether what it exports is not known here: a CodeBuild project
// defined outside pipeform, whose buildspec's exported-variables are not
// in the configuration.
func exportsAny(a *graph.Action) bool {
	if a.Block == providers.CustomBlock {
		return true
	}
	if a.Type.Owner == "AWS" && a.Type.Provider == "CodeBuild" && a.Project == nil {
		return true
	}
	if pv := providers.Lookup(a.Block); pv != nil {
		return pv.AnyVariables
	}
	return false
}

func sortedNamespaces(p *graph.Pipeline) []string {
	var out []string
	for n := range namespaces(p) {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}

// checkSourceVariables: pipeline variables are not allowed in source
// action configuration.
func checkSourceVariables(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Type.Category != graph.CategorySource {
				continue
			}
			for _, r := range a.References {
				if r.Namespace == nsVariables {
					s.d.errorf(code, "Pipeline variable in source action", s.refRange(a, r), a.DeclRange,
						"Source action %q uses #{variables.%s}; CodePipeline does not resolve pipeline variables in source action configuration. Use a fixed value.", a.ID(), r.Name)
				}
			}
		}
	}
}

// refRange is the range of the attribute whose value holds the reference.
func (s *state) refRange(a *graph.Action, r *graph.VariableRef) hcl.Range {
	text := "#{" + r.Namespace + "." + r.Name + "}"
	ca := s.actions[a]
	// The string holding the reference, when it is written out; else the
	// attribute.
	inProvider := func(attr string) hcl.Range {
		if ca != nil && ca.Provider != nil {
			if rng, ok := config.VarTextRange(ca.Provider.VarTexts, attr, text); ok {
				return rng
			}
		}
		return s.providerRange(a, attr)
	}
	if pv := providers.Lookup(a.Block); pv != nil {
		for _, attr := range pv.Attrs {
			if attr.Key != "" && strings.Contains(a.Configuration[attr.Key], text) {
				return inProvider(attr.Name)
			}
		}
	}
	for _, ev := range a.EnvironmentVariables {
		if strings.Contains(ev.Value, text) {
			if ca != nil {
				if rng, ok := config.VarTextRange(ca.VarTexts, "environment_variables", text); ok {
					return rng
				}
			}
			return s.attrRange(a, "environment_variables")
		}
	}
	return inProvider("configuration")
}

// checkCloneRef: a source output in CODEBUILD_CLONE_REF format (a full git
// clone, not a ZIP) can only be consumed by CodeBuild actions
// (CODEPIPELINE.md §5 and §6).
func checkCloneRef(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Type.Owner == "AWS" && a.Type.Provider == "CodeBuild" {
				continue
			}
			for _, in := range a.Inputs {
				src := in.Producer
				if src == nil || src.Type.Category != graph.CategorySource || src.Configuration["OutputArtifactFormat"] != "CODEBUILD_CLONE_REF" {
					continue
				}
				s.d.errorf(code, "Full clone consumed by a non-CodeBuild action", rangeOr(in.Range, a.DeclRange), a.DeclRange,
					"Action %q (%s) consumes %q, which source %q writes as CODEBUILD_CLONE_REF: a reference for CodeBuild to clone, which only CodeBuild actions can use. Consume it from a CodeBuild action only, or drop output_artifact_format from %q to get a ZIP.",
					a.ID(), a.Type.Provider, in.Name, src.ID(), src.ID())
			}
		}
	}
}
