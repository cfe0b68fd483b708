package compiler

import (
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// reBucket is an artifact store bucket name (CODEPIPELINE.md §1).
var reBucket = regexp.MustCompile(`^[a-zA-Z0-9.-]{3,63}$`)

// checkListLimits: the per-pipeline and per-action list quotas of
// CODEPIPELINE.md §1 and §3.
func checkListLimits(s *state, code Code) {
	over := func(what string, n, max int, rng, ctx hcl.Range) {
		if n > max {
			s.d.errorf(code, "Too many entries", rng, ctx,
				"This has %d %s; CodePipeline allows at most %d.", n, what, max)
		}
	}
	for _, p := range s.g.Pipelines {
		// Tags are counted by the tags check, with their other rules.
		if len(p.Variables) > 50 {
			over("pipeline variables", len(p.Variables), 50, p.Variables[50].DeclRange, p.DeclRange)
		}
		if len(p.Triggers) > 50 {
			over("triggers", len(p.Triggers), 50, p.Triggers[50].DeclRange, p.DeclRange)
		}
		for _, a := range p.Actions() {
			// environment_variables, output_variables and output_files
			// are counted by the constraint table (checkConstraints).
			over("commands", len(a.Commands), 50, s.attrRange(a, "commands"), a.DeclRange)
		}
	}
}

// checkArtifactStores: bucket names CodePipeline accepts.
func checkArtifactStores(s *state, code Code) {
	for _, cp := range s.cfg.Pipelines {
		for _, st := range cp.ArtifactStores {
			if !reBucket.MatchString(st.Location) {
				s.d.errorf(code, "Invalid artifact store", st.Ranges.Rng("location", st.DeclRange), st.DeclRange,
					"The artifact store location %q is not an S3 bucket name CodePipeline accepts: 3 to 63 letters, digits, '.' and '-'. Give the bucket name, not an ARN, URL or prefix.", st.Location)
			}
			if len(st.EncryptionKey) > 400 {
				s.d.errorf(code, "Invalid artifact store", st.Ranges.Rng("encryption_key", st.DeclRange), st.DeclRange,
					"The artifact store encryption_key is %d characters; CodePipeline takes a KMS key ID, key ARN or alias ARN of at most 400.", len(st.EncryptionKey))
			}
		}
	}
}

// checkActionCommands: the Commands action needs 1 to 50 commands, each a
// single line of at most 1000 characters; other actions take none.
func checkActionCommands(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			rng := s.attrRange(a, "commands")
			if a.Block != "commands" {
				checkCommandsOnlyAttrs(s, code, a)
				continue
			}
			if len(a.Commands) == 0 {
				s.d.errorf(code, "Invalid action commands", rng, a.DeclRange,
					"The Commands action %q needs commands = [...]: 1 to 50 shell commands.", a.ID())
			}
			for _, c := range a.Commands {
				if strings.ContainsAny(c, "\n\r") || len(c) > 1000 {
					s.d.errorf(code, "Invalid action commands", rng, a.DeclRange,
						"A command of action %q is multi-line or longer than 1000 characters; the Commands action takes single-line commands only. Put longer scripts in a file of the input artifact.", a.ID())
					break
				}
			}
		}
	}
}

// commandsOnlyAttrs are the action attributes only the Commands action
// takes (CODEPIPELINE.md §3), with what to do instead; environment
// variables are documented for EKS too.
var commandsOnlyAttrs = []struct{ attr, instead string }{
	{"commands", "use a local block to say what runs locally in its place"},
	{"output_variables", "its output variables are those its provider documents"},
	{"output_files", "its output artifact holds what the provider writes"},
	{"environment_variables", "set the provider's own variables where it has them (a codebuild block's environment_variables)"},
}

// checkCommandsOnlyAttrs: an action other than the Commands action writes
// none of the Commands action's attributes (an empty list included:
// CodePipeline refuses the member on other actions, and an empty one on
// any action).
func checkCommandsOnlyAttrs(s *state, code Code, a *graph.Action) {
	ca := s.actions[a]
	if ca == nil {
		return
	}
	for _, c := range commandsOnlyAttrs {
		rng, set := ca.Ranges.Get(c.attr)
		if !set || c.attr == "environment_variables" && a.Block == "eks" {
			continue
		}
		s.d.errorf(code, "Attribute not for this action", rng, a.DeclRange,
			"Action %q is a %s action; only the Commands action (a commands block) takes %s. Remove it: %s.", a.ID(), a.Type.Provider, c.attr, c.instead)
	}
}
