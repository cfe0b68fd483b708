package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// Name patterns of CODEPIPELINE.md §11.2 (anchored, with lengths).
var (
	reEntityName   = regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`)
	reArtifactName = regexp.MustCompile(`^[A-Za-z0-9_-]{1,100}$`)
	reNamespace    = regexp.MustCompile(`^[A-Za-z0-9@_-]{1,100}$`)
	rePipelineVar  = regexp.MustCompile(`^[A-Za-z0-9@_-]{1,128}$`)
	reEnvVarName   = regexp.MustCompile(`^[A-Za-z0-9_]{1,128}$`)
)

// checkNames: every name matches its CodePipeline pattern and length.
func checkNames(s *state, code Code) {
	bad := func(kind, name, rule string, rng hcl.Range) {
		s.d.errorf(code, "Invalid name", rng, hcl.Range{},
			"The %s name %q is not valid: %s.%s", kind, name, rule, suggestName(kind, name))
	}
	const entity = "it must be 1 to 100 characters of letters, digits, '.', '@', '-' and '_'"
	for _, p := range s.g.Pipelines {
		if !reEntityName.MatchString(p.Name) {
			rng := p.DeclRange
			if cp := s.pipelines[p]; cp != nil {
				rng = cp.Ranges.Rng("name", rng)
			}
			bad("pipeline", p.Name, entity, rng)
		}
		for _, v := range p.Variables {
			if !rePipelineVar.MatchString(v.Name) {
				bad("pipeline variable", v.Name, "it must be 1 to 128 characters of letters, digits, '@', '-' and '_'", v.DeclRange)
			}
		}
		for _, st := range p.Stages {
			if !reEntityName.MatchString(st.Name) {
				rng := st.DeclRange
				if cs := s.stages[st]; cs != nil {
					rng = rangeOr(cs.NameRange, rng)
				}
				bad("stage", st.Name, entity, rng)
			}
			for _, a := range st.Actions {
				checkActionNames(s, a, bad)
			}
			for _, r := range stageRules(st) {
				if !reEntityName.MatchString(r.Name) {
					bad("rule", r.Name, entity, r.DeclRange)
				}
			}
		}
	}
}

func checkActionNames(s *state, a *graph.Action, bad func(kind, name, rule string, rng hcl.Range)) {
	if !reEntityName.MatchString(a.Name) {
		rng := a.DeclRange
		if ca := s.actions[a]; ca != nil {
			rng = rangeOr(ca.NameRange, rng)
		}
		bad("action", a.Name, "it must be 1 to 100 characters of letters, digits, '.', '@', '-' and '_'", rng)
	}
	for _, r := range append(append([]*graph.ArtifactRef{}, a.Inputs...), a.Outputs...) {
		if !reArtifactName.MatchString(r.Name) {
			bad("artifact", r.Name, "it must be 1 to 100 characters of letters, digits, '-' and '_' (no dots)", rangeOr(r.Range, a.DeclRange))
		}
	}
	// A written "" is checked too: only a namespace left out means none.
	written := false
	if ca := s.actions[a]; ca != nil {
		written = ca.Ranges.Has("namespace")
	}
	if (a.Namespace != "" || written) && !reNamespace.MatchString(a.Namespace) {
		bad("namespace", a.Namespace, "it must be 1 to 100 characters of letters, digits, '@', '-' and '_' (no dots)", s.attrRange(a, "namespace"))
	}
	for _, ev := range a.EnvironmentVariables {
		if !reEnvVarName.MatchString(ev.Name) {
			rng := s.attrRange(a, "environment_variables")
			if ca := s.actions[a]; ca != nil {
				rng = ca.Ranges.Rng(config.KeyKey("environment_variables", ev.Name), rng)
			}
			bad("environment variable", ev.Name, "it must be 1 to 128 characters of letters, digits and '_'", rng)
		}
	}
}

// stageRules lists every condition rule of a stage.
func stageRules(st *graph.Stage) []*graph.Rule {
	var out []*graph.Rule
	for _, c := range []*graph.Conditions{st.BeforeEntry, st.OnSuccess} {
		if c != nil {
			for _, cc := range c.Conditions {
				out = append(out, cc.Rules...)
			}
		}
	}
	if st.OnFailure != nil {
		for _, cc := range st.OnFailure.Conditions.Conditions {
			out = append(out, cc.Rules...)
		}
	}
	return out
}

// checkStageCount: a pipeline has 2 to 50 stages.
func checkStageCount(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		switch n := len(p.Stages); {
		case n < 2:
			s.d.errorf(code, "Wrong number of stages", p.DeclRange, hcl.Range{},
				"Pipeline %q has %d stage(s); CodePipeline needs 2 to 50: a first stage of source actions and at least one stage that builds, tests, deploys or approves.", p.Name, n)
		case n > 50:
			s.d.errorf(code, "Wrong number of stages", p.Stages[50].DeclRange, hcl.Range{},
				"Pipeline %q has %d stages; CodePipeline allows at most 50. Split it into several pipelines.", p.Name, n)
		}
	}
}

// checkStageActions: a stage has 1 to 50 actions; a pipeline at most 500.
func checkStageActions(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		total := 0
		for _, st := range p.Stages {
			total += len(st.Actions)
			switch n := len(st.Actions); {
			case n == 0:
				s.d.errorf(code, "Wrong number of actions in stage", st.DeclRange, hcl.Range{},
					"Stage %q has no actions; every stage needs 1 to 50. Add an action or remove the stage.", st.Name)
			case n > 50:
				s.d.errorf(code, "Wrong number of actions in stage", st.Actions[50].DeclRange, hcl.Range{},
					"Stage %q has %d actions; CodePipeline allows at most 50 per stage. Move some into another stage.", st.Name, n)
			}
		}
		if total > 500 {
			s.d.errorf(code, "Wrong number of actions in stage", p.DeclRange, hcl.Range{},
				"Pipeline %q has %d actions; CodePipeline allows at most 500 per pipeline.", p.Name, total)
		}
	}
}

// checkFirstStageSource: the first stage holds only source actions.
func checkFirstStageSource(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		if len(p.Stages) == 0 || countSources(p.Stages[0]) == 0 {
			continue // reported by source-required
		}
		for _, a := range p.Stages[0].Actions {
			if a.Type.Category != graph.CategorySource {
				s.d.errorf(code, "Non-source action in first stage", a.DeclRange, p.Stages[0].DeclRange,
					"Action %q is a %s action, but the first stage %q may hold only source actions. Move it to a later stage.", a.Name, a.Type.Category, p.Stages[0].Name)
			}
		}
	}
}

// checkSourceRequired: the first stage has at least one source action.
func checkSourceRequired(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		if len(p.Stages) == 0 || len(p.Stages[0].Actions) == 0 || countSources(p.Stages[0]) > 0 {
			continue
		}
		st := p.Stages[0]
		s.d.errorf(code, "No source action in first stage", st.DeclRange, hcl.Range{},
			"The first stage %q of pipeline %q has no source action. CodePipeline starts every run from the first stage, which must hold only source actions (codecommit, codestar_connection, s3_source, ecr_source) and at least one.", st.Name, p.Name)
	}
}

func countSources(st *graph.Stage) int {
	n := 0
	for _, a := range st.Actions {
		if a.Type.Category == graph.CategorySource {
			n++
		}
	}
	return n
}

// checkSourceStage: no source action outside the first stage.
func checkSourceStage(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, st := range p.Stages[min(1, len(p.Stages)):] {
			for _, a := range st.Actions {
				if a.Type.Category == graph.CategorySource {
					s.d.errorf(code, "Source action outside first stage", a.DeclRange, st.DeclRange,
						"Action %q is a source action in stage %q; source actions are only allowed in the first stage %q.", a.Name, st.Name, p.Stages[0].Name)
				}
			}
		}
	}
}

// checkRunOrder: run orders are 1 to 999.
func checkRunOrder(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.RunOrder < 1 || a.RunOrder > 999 {
				s.d.errorf(code, "Invalid run order", s.attrRange(a, "run_order"), a.DeclRange,
					"Action %q has run_order %d; it must be 1 to 999. Actions with the same run order run in parallel.", a.Name, a.RunOrder)
			}
		}
	}
}

// attrRange is the range of an action attribute, or the action's header.
func (s *state) attrRange(a *graph.Action, name string) hcl.Range {
	if ca := s.actions[a]; ca != nil {
		return ca.Ranges.Rng(name, a.DeclRange)
	}
	return a.DeclRange
}

// providerRange is the range of a provider attribute, else of the provider
// block, else of the action.
func (s *state) providerRange(a *graph.Action, name string) hcl.Range {
	if ca := s.actions[a]; ca != nil && ca.Provider != nil {
		return ca.Provider.Ranges.Rng(name, rangeOr(ca.Provider.DeclRange, a.DeclRange))
	}
	return a.DeclRange
}

func rangeOr(r, fallback hcl.Range) hcl.Range {
	if r == (hcl.Range{}) {
		return fallback
	}
	return r
}

// nameRules are, by kind of name, the characters it allows besides
// letters and digits, and its longest length (the patterns above).
var nameRules = map[string]struct {
	extra string
	max   int
}{
	"pipeline": {".@_-", 100}, "stage": {".@_-", 100}, "action": {".@_-", 100}, "rule": {".@_-", 100},
	"artifact": {"_-", 100}, "namespace": {"@_-", 100},
	"pipeline variable": {"@_-", 128}, "environment variable": {"_", 128},
}

// suggestName proposes a valid name of that kind for name: every other
// character becomes '-' (or '_' where '-' is not allowed), and it is cut
// to the longest length. "" when nothing useful is left.
func suggestName(kind, name string) string {
	r, ok := nameRules[kind]
	if !ok {
		return ""
	}
	sep := '-'
	if !strings.ContainsRune(r.extra, sep) {
		sep = '_'
	}
	var b strings.Builder
	for _, c := range name {
		if c < 128 && (c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || strings.ContainsRune(r.extra, c)) {
			b.WriteRune(c)
		} else {
			b.WriteRune(sep)
		}
	}
	out := b.String()
	if len(out) > r.max {
		out = out[:r.max]
	}
	if strings.Trim(out, string(sep)) == "" || out == name {
		return ""
	}
	return fmt.Sprintf(" Rename it, for example to %q.", out)
}

// checkNameCase warns when two projects, or two pipelines, have names
// that differ only in case: each becomes a file of its own name
// (buildspec/<project>.yml, codepipeline/<pipeline>.json), and on a
// case-insensitive file system (macOS, Windows) the second overwrites the
// first; in the console the two are easily confused.
func checkNameCase(s *state, code Code) {
	type named struct {
		name string
		rng  hcl.Range
	}
	warn := func(kind string, all []named) {
		sort.SliceStable(all, func(i, j int) bool { // source order
			a, b := all[i].rng, all[j].rng
			return a.Filename < b.Filename || a.Filename == b.Filename && a.Start.Byte < b.Start.Byte
		})
		first := map[string]named{}
		for _, n := range all {
			k := strings.ToLower(n.name)
			f, ok := first[k]
			if !ok {
				first[k] = n
			} else if f.name != n.name {
				s.d.warnf(code, "Names differ only in case", n.rng, hcl.Range{},
					"%s %q and %q (%s) differ only in case. Their generated files collide on a case-insensitive file system, where one overwrites the other. Rename one of them.", kind, n.name, f.name, shortRange(f.rng))
			}
		}
	}
	var projects, pipelines []named
	for _, p := range s.cfg.Projects {
		projects = append(projects, named{p.Name, p.DeclRange})
	}
	for _, p := range s.cfg.Pipelines {
		pipelines = append(pipelines, named{p.Name, p.DeclRange})
	}
	warn("Projects", projects)
	warn("Pipelines", pipelines)
}
