package compiler

import (
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
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
				if len(a.Commands) > 0 {
					s.d.errorf(code, "Invalid action commands", rng, a.DeclRange,
						"Action %q is a %s action; only the Commands action (a commands block) takes commands. For other actions use a local block to say what runs locally.", a.ID(), a.Type.Provider)
				}
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
