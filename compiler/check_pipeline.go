package compiler

import (
	"fmt"
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/glob"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// checkV2Only: V2-only features are rejected on V1 pipelines.
func checkV2Only(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		if p.Type != "V1" {
			continue
		}
		cp := s.pipelines[p]
		need := func(what string, rng hcl.Range) {
			s.d.errorf(code, "Feature needs pipeline type V2", rng, p.DeclRange,
				"Pipeline %q is type V1, but %s needs a V2 pipeline. Set type = \"V2\" (the default when type is not written) or remove it.", p.Name, what)
		}
		for _, v := range p.Variables {
			need("a pipeline variable", v.DeclRange)
		}
		for _, t := range p.Triggers {
			need("a trigger", t.DeclRange)
		}
		if p.ExecutionMode == "QUEUED" || p.ExecutionMode == "PARALLEL" {
			need("execution_mode "+p.ExecutionMode, cp.Ranges.Rng("execution_mode", p.DeclRange))
		}
		for _, st := range p.Stages {
			if st.BeforeEntry != nil {
				need("a before_entry condition", s.condRange(st, "before_entry"))
			}
			if st.OnSuccess != nil {
				need("an on_success condition", s.condRange(st, "on_success"))
			}
			if st.OnFailure != nil {
				need("an on_failure condition", s.condRange(st, "on_failure"))
			}
			for _, a := range st.Actions {
				if pv := providers.Lookup(a.Block); pv != nil && pv.V2Only {
					need("the "+pv.Provider+" action ("+pv.Block+")", s.providerRange(a, ""))
				}
			}
		}
	}
}

// checkTriggers: CODEPIPELINE.md §11.9.
func checkTriggers(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		cp := s.pipelines[p]
		sources := map[string]*graph.Action{}
		var names []string
		if len(p.Stages) > 0 {
			for _, a := range p.Stages[0].Actions {
				if a.Block == "codestar_connection" {
					sources[a.Name] = a
					names = append(names, a.Name)
				}
			}
		}
		sort.Strings(names)
		seen := map[string]bool{}
		for i, t := range p.Triggers {
			bad := func(format string, args ...any) {
				s.d.errorf(code, "Invalid trigger", t.DeclRange, p.DeclRange, format, args...)
			}
			var ranges config.Ranges
			if i < len(cp.Triggers) {
				ranges = cp.Triggers[i].Ranges
			}
			srcRng := ranges.Rng("source_action", t.DeclRange)
			if sources[t.SourceActionName] == nil {
				known := "This pipeline has no codestar_connection source action."
				if len(names) > 0 {
					known = "Sources that can be triggered: " + quoteList(names) + "." + didYouMean(t.SourceActionName, names)
				}
				s.d.errorf(code, "Invalid trigger", srcRng, t.DeclRange,
					"source_action %q is not a codestar_connection action of the first stage; triggers start pipelines from a connection source. %s", t.SourceActionName, known)
			} else if seen[t.SourceActionName] {
				s.d.errorf(code, "Invalid trigger", srcRng, t.DeclRange,
					"Source action %q already has a trigger; CodePipeline allows one trigger per source action. Merge their filters.", t.SourceActionName)
			}
			seen[t.SourceActionName] = true
			if len(t.Push) == 0 && len(t.PullRequest) == 0 {
				bad("The trigger has no push or pull_request filter; add at least one.")
			}
			if len(t.Push) > 3 || len(t.PullRequest) > 3 {
				bad("The trigger has %d push and %d pull_request filters; at most 3 of each are allowed.", len(t.Push), len(t.PullRequest))
			}
			var ct *config.Trigger
			if i < len(cp.Triggers) {
				ct = cp.Triggers[i]
			}
			for j, f := range t.Push {
				at := filterAt(s, code, ct, "push", j, t.DeclRange)
				if f.Branches == nil && f.Tags == nil {
					at("", "A push filter needs branches or tags.")
				} else if f.FilePaths != nil && f.Branches == nil {
					at("file_paths", "file_paths are only allowed together with branches; this push filter has only tags. Add branches, or remove file_paths.")
				}
				checkPatterns(f, at)
			}
			for j, f := range t.PullRequest {
				at := filterAt(s, code, ct, "pull_request", j, t.DeclRange)
				switch {
				case f.Branches == nil && f.FilePaths != nil:
					at("file_paths", "A pull_request filter needs branches, and its file_paths apply only together with branches. Add branches { includes = [...] } to the filter.")
				case f.Branches == nil:
					at("", "A pull_request filter needs branches.")
				}
				if f.Tags != nil {
					at("tags", "A pull_request filter cannot filter on tags.")
				}
				checkPatterns(f, at)
			}
			checkDuplicateFilters(s, code, t, ct)
		}
	}
}

// filterAt returns a reporter of errors about the j-th filter of a kind
// (push or pull_request) of trigger ct, at the range of its block named
// sub (branches, tags, file_paths; "" the filter itself), falling back to
// the trigger.
func filterAt(s *state, code Code, ct *config.Trigger, kind string, j int, fallback hcl.Range) func(sub, format string, args ...any) {
	return func(sub, format string, args ...any) {
		s.d.errorf(code, "Invalid trigger", filterRange(ct, kind, j, sub, fallback), fallback, format, args...)
	}
}

// filterRange is the range of the j-th filter of a kind of trigger ct, or
// of its block named sub, falling back to the trigger's.
func filterRange(ct *config.Trigger, kind string, j int, sub string, fallback hcl.Range) hcl.Range {
	if ct == nil {
		return fallback
	}
	filters := ct.Push
	if kind == "pull_request" {
		filters = ct.PullRequest
	}
	if j >= len(filters) {
		return fallback
	}
	f := filters[j]
	rng := rangeOr(f.DeclRange, fallback)
	if ie := map[string]*config.IncludeExclude{"branches": f.Branches, "tags": f.Tags, "file_paths": f.FilePaths}[sub]; ie != nil {
		rng = rangeOr(ie.DeclRange, rng)
	}
	return rng
}

// checkDuplicateFilters: a trigger's push filters are distinct, and so are
// its pull_request filters. CloudFormation's schema of the pipeline marks
// GitConfiguration's Push and PullRequest uniqueItems, as it does the
// filters' includes and excludes lists (which the constraint table
// checks), so a repeated filter is refused like a repeated branch name;
// and the repeat would start no run the first does not.
func checkDuplicateFilters(s *state, code Code, t *graph.Trigger, ct *config.Trigger) {
	for _, kind := range []string{"push", "pull_request"} {
		filters := t.Push
		if kind == "pull_request" {
			filters = t.PullRequest
		}
		first := map[string]int{}
		for j, f := range filters {
			key := filterKey(f)
			i, dup := first[key]
			if !dup {
				first[key] = j
				continue
			}
			was := filterRange(ct, kind, i, "", t.DeclRange)
			s.d.errorf(code, "Duplicate trigger filter", filterRange(ct, kind, j, "", t.DeclRange), t.DeclRange,
				"This %s filter of the trigger of source action %q is the same as its %s filter at line %d. CloudFormation wants a trigger's %s filters distinct, and the repeat would start no run the first does not. Remove it, or change what it matches.",
				kind, t.SourceActionName, kind, was.Start.Line, kind)
		}
	}
}

// filterKey is a filter as its JSON would compare: its patterns in order,
// an absent list the same as an empty one.
func filterKey(f *graph.GitFilter) string {
	part := func(ie *graph.IncludeExclude) string {
		if ie == nil {
			return "-"
		}
		return fmt.Sprintf("%q%q", ie.Includes, ie.Excludes)
	}
	return part(f.Branches) + part(f.Tags) + part(f.FilePaths) + fmt.Sprintf("%q", f.Events)
}

func checkPatterns(f *graph.GitFilter, at func(sub, format string, args ...any)) {
	for _, c := range []struct {
		sub string
		ie  *graph.IncludeExclude
	}{{"branches", f.Branches}, {"tags", f.Tags}, {"file_paths", f.FilePaths}} {
		if c.ie == nil {
			continue
		}
		for _, p := range slices.Concat(c.ie.Includes, c.ie.Excludes) {
			if _, err := glob.Compile(p); err != nil {
				at(c.sub, "The pattern %q is not a valid glob: %s. Trigger patterns use CodePipeline's glob syntax: *, **, ?, [set], {a,b} and \\ to escape (docs/triggers.md).", p, err)
			}
		}
	}
}

// checkRollback: no rollback on the source stage or in PARALLEL mode.
func checkRollback(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, st := range p.Stages {
			if !hasRollback(st) {
				continue
			}
			rng := s.condRange(st, "on_failure")
			if st.OnFailure == nil {
				rng = s.condRange(st, "on_success")
			}
			if st.Index == 0 {
				s.d.errorf(code, "Invalid rollback", rng, st.DeclRange,
					"Stage %q is the source stage; CodePipeline cannot roll back the source stage.", st.Name)
			} else if p.ExecutionMode == "PARALLEL" {
				s.d.errorf(code, "Invalid rollback", rng, st.DeclRange,
					"Pipeline %q runs in PARALLEL mode, where stage rollback is unavailable. Use QUEUED or SUPERSEDED, or another failure result.", p.Name)
			}
		}
	}
}

func hasRollback(st *graph.Stage) bool {
	if st.OnFailure != nil {
		if st.OnFailure.Result == "ROLLBACK" {
			return true
		}
		for _, c := range st.OnFailure.Conditions.Conditions {
			if c.Result == "ROLLBACK" {
				return true
			}
		}
	}
	if st.OnSuccess != nil {
		for _, c := range st.OnSuccess.Conditions {
			if c.Result == "ROLLBACK" {
				return true
			}
		}
	}
	return false
}

// checkStageConditions: each condition slot takes only its results
// (CODEPIPELINE.md §2).
func checkStageConditions(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, st := range p.Stages {
			slot := func(name string, c *graph.Conditions, results ...string) {
				if c == nil {
					return
				}
				for i, cc := range c.Conditions {
					// A result that is no Result at all is the constraint
					// table's error (checkConstraints).
					if cc.Result != "" && !contains(results, cc.Result) && modelResult(name, cc.Result) {
						s.d.errorf(code, "Invalid stage condition", s.condAttrRange(st, name, i, "result"), st.DeclRange,
							"A condition of %s cannot have result %q; it takes %s.", name, cc.Result, quoteList(results))
					}
					if cc.Result == "SKIP" {
						for _, r := range cc.Rules {
							if r.Provider != "LambdaInvoke" && r.Provider != "VariableCheck" {
								fix := "Move the rule to a condition with result FAIL, or check the same thing with a VariableCheck or LambdaInvoke rule."
								if r.Provider == "DeploymentWindow" {
									fix = "A deployment window cannot skip a stage: with result FAIL, CodePipeline holds the execution until the window opens (locally the stage fails at once)."
								}
								s.d.errorf(code, "Invalid stage condition", r.DeclRange, st.DeclRange,
									"Rule %q uses %s, but a SKIP condition of before_entry only takes LambdaInvoke and VariableCheck rules (CodePipeline's stage conditions reference). %s", r.Name, r.Provider, fix)
							}
						}
					}
					if len(cc.Rules) == 0 {
						s.d.errorf(code, "Invalid stage condition", s.condAttrRange(st, name, i, ""), st.DeclRange,
							"A condition of %s has no rule; CodePipeline takes 1 to 5 rules per condition. Add a rule block, or remove the condition.", name)
					}
					if len(cc.Rules) > 5 {
						s.d.errorf(code, "Invalid stage condition", s.condRange(st, name), st.DeclRange,
							"A condition has %d rules; CodePipeline allows 1 to 5.", len(cc.Rules))
					}
				}
			}
			slot("before_entry", st.BeforeEntry, constraints.SlotResults["before_entry"]...)
			slot("on_success", st.OnSuccess, constraints.SlotResults["on_success"]...)
			if st.OnFailure != nil {
				slot("on_failure", &st.OnFailure.Conditions, constraints.SlotResults["on_failure"]...)
				// result and retry_mode values are the constraint table's.
				switch m := st.OnFailure.RetryMode; {
				case m == "" || !contains(constraints.Enum("pipeline.stage.on_failure", "retry_mode"), m):
				case st.OnFailure.Result != "RETRY":
					s.d.errorf(code, "Invalid stage condition", s.condAttrRange(st, "on_failure", -1, "retry_mode"), st.DeclRange,
						"on_failure sets retry_mode %q, which only applies with result = \"RETRY\". Set result = \"RETRY\" or remove retry_mode.", m)
				}
			}
		}
	}
}

// checkCrossRegion: region only on AWS-owned, non-source actions, with an
// artifact store for every Region in use.
func checkCrossRegion(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Region == "" {
				continue
			}
			rng := s.attrRange(a, "region")
			switch {
			case a.Type.Category == graph.CategorySource:
				s.d.errorf(code, "Invalid cross-region action", rng, a.DeclRange,
					"Source action %q sets region; source actions must run in the pipeline's own Region. Remove region.", a.ID())
			case a.Type.Owner != "AWS":
				s.d.errorf(code, "Invalid cross-region action", rng, a.DeclRange,
					"Action %q is owned by %s; only AWS-owned actions can run in another Region.", a.ID(), a.Type.Owner)
			}
		}
	}
}

// checkRegionStore: every Region of a cross-Region action has a store, and
// no extra store is for the pipeline's own Region (its store is the one
// without region).
func checkRegionStore(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		if cp := s.pipelines[p]; cp != nil && p.Region != "" {
			for _, st := range cp.ArtifactStores {
				if st.Region == p.Region {
					s.d.errorf(code, "Artifact store for the pipeline's own Region", st.Ranges.Rng("region", st.DeclRange), st.DeclRange,
						"Pipeline %q is in %s (its region attribute), so its artifact store for %s is the artifact_store block without region. CodePipeline takes one store per Region: remove region = %q from this block, or merge it with the block without region.",
						p.Name, p.Region, p.Region, p.Region)
				}
			}
		}
		reported := map[string]bool{}
		for _, a := range p.Actions() {
			// A Region that is no Region name is the region-name check's error.
			if a.Region == "" || !validRegion(a.Region) || a.Type.Category == graph.CategorySource || reported[a.Region] {
				continue
			}
			if _, ok := p.ArtifactStores[a.Region]; ok {
				continue
			}
			reported[a.Region] = true
			s.d.errorf(code, "Missing artifact store for region", s.attrRange(a, "region"), a.DeclRange,
				"Action %q runs in %s, but pipeline %q has no artifact_store for that Region. CodePipeline copies artifacts into a bucket in each Region an action uses: add artifact_store { region = %q, location = \"<bucket in %s>\" }.%s",
				a.ID(), a.Region, p.Name, a.Region, a.Region, ownRegionHint(p))
		}
	}
}

// ownRegionHint tells a pipeline without a region attribute how to say
// that an action's Region is the pipeline's own.
func ownRegionHint(p *graph.Pipeline) string {
	if p.Region != "" {
		return ""
	}
	return " If that is the pipeline's own Region, say so with region = \"<Region>\" on the pipeline: actions in the pipeline's Region need no extra store."
}

// checkActionRole: role_arn only for AWS-owned actions.
func checkActionRole(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.RoleARN != "" && a.Type.Owner != "AWS" {
				s.d.errorf(code, "Invalid action role", s.attrRange(a, "role_arn"), a.DeclRange,
					"Action %q is owned by %s; only AWS-owned actions can assume their own role_arn.", a.ID(), a.Type.Owner)
			}
		}
	}
}

// condRange is the range of a stage's condition block, else the stage's.
func (s *state) condRange(st *graph.Stage, name string) hcl.Range {
	cs := s.stages[st]
	if cs == nil {
		return st.DeclRange
	}
	var r hcl.Range
	switch name {
	case "before_entry":
		if cs.BeforeEntry != nil {
			r = cs.BeforeEntry.DeclRange
		}
	case "on_success":
		if cs.OnSuccess != nil {
			r = cs.OnSuccess.DeclRange
		}
	case "on_failure":
		if cs.OnFailure != nil {
			r = cs.OnFailure.DeclRange
		}
	}
	return rangeOr(r, st.DeclRange)
}

// modelResult says whether v is one of the model's condition results
// (others are the constraint table's error).
func modelResult(slot, v string) bool {
	for _, c := range constraints.Lookup("pipeline.stage."+slot+".condition", "result") {
		if contains(c.Enum, v) {
			return true
		}
	}
	return false
}

// condAttrRange is the range of attribute attr of the i-th condition of a
// condition slot (attr "": of the condition block), or (i < 0) of the
// on_failure block itself; else the slot's range.
func (s *state) condAttrRange(st *graph.Stage, slot string, i int, attr string) hcl.Range {
	fallback := s.condRange(st, slot)
	cs := s.stages[st]
	if cs == nil {
		return fallback
	}
	var c *config.Conditions
	switch slot {
	case "before_entry":
		c = cs.BeforeEntry
	case "on_success":
		c = cs.OnSuccess
	case "on_failure":
		if cs.OnFailure == nil {
			return fallback
		}
		if i < 0 {
			return cs.OnFailure.Ranges.Rng(attr, fallback)
		}
		c = &cs.OnFailure.Conditions
	}
	if c == nil || i < 0 || i >= len(c.Conditions) {
		return fallback
	}
	if attr == "" {
		return rangeOr(c.Conditions[i].DeclRange, fallback)
	}
	return c.Conditions[i].Ranges.Rng(attr, fallback)
}
