package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
)

// valueSite is one written attribute of the configuration and where it
// sits: its block path (as lang/constraints keys them), its value, the
// range of the value and of the enclosing block, and the block in words.
type valueSite struct {
	block, attr string
	val         cty.Value
	rng, ctx    hcl.Range
	who         string
}

// checkConstraints: every written attribute takes a value AWS accepts, by
// the constraint table generated from AWS's models and the provider
// catalog's documented limits.
func checkConstraints(s *state, code Code) {
	for _, st := range valueSites(s.cfg) {
		if problem := constraintProblem(st); problem != "" {
			s.d.errorf(code, "Invalid value", st.rng, st.ctx, "%s sets %s to a value AWS rejects: %s", capitalize(st.who), st.attr, problem)
		}
	}
}

// constraintProblem checks one site against every constraint of its
// attribute and says what is wrong with the first value that breaks one.
func constraintProblem(st valueSite) string {
	for _, c := range constraints.Lookup(st.block, st.attr) {
		if p := checkValue(c, st.val); p != "" {
			return p
		}
	}
	return ""
}

func checkValue(c *constraints.Constraint, v cty.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	ty := v.Type()
	switch {
	case ty == cty.String:
		if c.Part != "" {
			return ""
		}
		return checkString(c, v.AsString())
	case ty == cty.Number:
		if c.Part != "" {
			return ""
		}
		n, _ := v.AsBigFloat().Int64()
		return c.CheckNumber(int(n))
	case ty.IsMapType() || ty.IsObjectType():
		m := v.AsValueMap()
		keys := make([]string, 0, len(m))
		for k := range m {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		switch c.Part {
		case "":
			return c.CheckCount(len(m))
		case "key":
			for _, k := range keys {
				if p := checkString(c, k); p != "" {
					return "the key " + p
				}
			}
		case "value":
			for _, k := range keys {
				if e := m[k]; e.Type() == cty.String && e.IsKnown() && !e.IsNull() {
					if p := checkString(c, e.AsString()); p != "" {
						return fmt.Sprintf("the value of %q: %s", k, p)
					}
				}
			}
		}
	case ty.IsListType() || ty.IsTupleType() || ty.IsSetType():
		if c.Part != "" {
			return ""
		}
		if p := c.CheckCount(v.LengthInt()); p != "" {
			return p
		}
		for _, e := range v.AsValueSlice() {
			if e.Type() == cty.String && e.IsKnown() && !e.IsNull() {
				if p := checkString(c, e.AsString()); p != "" {
					return p
				}
			}
		}
	}
	return ""
}

// checkString checks one string; a provider configuration value holding a
// #{...} variable is resolved at run time, so only its length is known.
func checkString(c *constraints.Constraint, s string) string {
	if strings.Contains(s, "#{") && strings.HasPrefix(firstSource(c), "lang/providers") {
		return ""
	}
	return c.CheckString(s)
}

func firstSource(c *constraints.Constraint) string {
	if len(c.Sources) == 0 {
		return ""
	}
	return c.Sources[0]
}

// sites collects the written attributes of one block.
type sites struct {
	out []valueSite
}

// add records attribute attr of a block when it was written (ranges has
// it).
func (ss *sites) add(block, attr string, v cty.Value, ranges config.Ranges, ctx hcl.Range, who string) {
	rng, ok := ranges[attr]
	if !ok {
		return
	}
	ss.out = append(ss.out, valueSite{block: block, attr: attr, val: v, rng: rng, ctx: ctx, who: who})
}

func strVal(s string) cty.Value { return cty.StringVal(s) }

func listVal(l []string) cty.Value {
	if len(l) == 0 {
		return cty.ListValEmpty(cty.String)
	}
	vals := make([]cty.Value, len(l))
	for i, s := range l {
		vals[i] = cty.StringVal(s)
	}
	return cty.ListVal(vals)
}

func mapVal(m map[string]string) cty.Value {
	if len(m) == 0 {
		return cty.MapValEmpty(cty.String)
	}
	vals := make(map[string]cty.Value, len(m))
	for k, s := range m {
		vals[k] = cty.StringVal(s)
	}
	return cty.MapVal(vals)
}

// valueSites lists every written attribute of cfg that the constraint
// table or the provider catalog may constrain, in source order of blocks.
func valueSites(cfg *config.Config) []valueSite {
	var ss sites
	for _, p := range cfg.Pipelines {
		pipelineSites(&ss, p)
	}
	for _, p := range cfg.Projects {
		who := fmt.Sprintf("project %q", p.Name)
		ss.add("project", "compute_type", strVal(p.ComputeType), p.Ranges, p.DeclRange, who)
		ss.add("project", "environment_type", strVal(p.EnvironmentType), p.Ranges, p.DeclRange, who)
	}
	return ss.out
}

func pipelineSites(ss *sites, p *config.Pipeline) {
	who := fmt.Sprintf("pipeline %q", p.Name)
	ss.add("pipeline", "type", strVal(p.Type), p.Ranges, p.DeclRange, who)
	ss.add("pipeline", "execution_mode", strVal(p.ExecutionMode), p.Ranges, p.DeclRange, who)
	for _, n := range p.Notifications {
		nwho := fmt.Sprintf("notification %q", n.Name)
		ss.add("pipeline.notification", "detail_types", listVal(n.DetailTypes), n.Ranges, n.DeclRange, nwho)
		ss.add("pipeline.notification", "states", listVal(n.States), n.Ranges, n.DeclRange, nwho)
	}
	for _, t := range p.Triggers {
		twho := "a trigger of " + who
		ss.add("pipeline.trigger", "provider_type", strVal(t.ProviderType), t.Ranges, t.DeclRange, twho)
		for _, f := range t.Push {
			filterSites(ss, "pipeline.trigger.push", f, "a push filter of "+who)
		}
		for _, f := range t.PullRequest {
			ss.add("pipeline.trigger.pull_request", "events", listVal(f.Events), f.Ranges, f.DeclRange, "a pull_request filter of "+who)
			filterSites(ss, "pipeline.trigger.pull_request", f, "a pull_request filter of "+who)
		}
	}
	for _, st := range p.Stages {
		stageSites(ss, st)
	}
}

func filterSites(ss *sites, block string, f *config.GitFilter, who string) {
	for _, c := range []struct {
		name string
		ie   *config.IncludeExclude
	}{{"branches", f.Branches}, {"tags", f.Tags}, {"file_paths", f.FilePaths}} {
		if c.ie == nil {
			continue
		}
		ss.add(block+"."+c.name, "includes", listVal(c.ie.Includes), c.ie.Ranges, c.ie.DeclRange, who)
		ss.add(block+"."+c.name, "excludes", listVal(c.ie.Excludes), c.ie.Ranges, c.ie.DeclRange, who)
	}
}

func stageSites(ss *sites, st *config.Stage) {
	who := fmt.Sprintf("stage %q", st.Name)
	slots := []struct {
		name string
		c    *config.Conditions
	}{{"before_entry", st.BeforeEntry}, {"on_success", st.OnSuccess}}
	if f := st.OnFailure; f != nil {
		ss.add("pipeline.stage.on_failure", "result", strVal(f.Result), f.Ranges, f.DeclRange, "the on_failure of "+who)
		ss.add("pipeline.stage.on_failure", "retry_mode", strVal(f.RetryMode), f.Ranges, f.DeclRange, "the on_failure of "+who)
		slots = append(slots, struct {
			name string
			c    *config.Conditions
		}{"on_failure", &f.Conditions})
	}
	for _, slot := range slots {
		if slot.c == nil {
			continue
		}
		block := "pipeline.stage." + slot.name + ".condition"
		for _, c := range slot.c.Conditions {
			ss.add(block, "result", strVal(c.Result), c.Ranges, c.DeclRange, "a "+slot.name+" condition of "+who)
			for _, r := range c.Rules {
				rwho := fmt.Sprintf("rule %q", r.Name)
				ss.add(block+".rule", "commands", listVal(r.Commands), r.Ranges, r.DeclRange, rwho)
				ss.add(block+".rule", "configuration", mapVal(r.Configuration), r.Ranges, r.DeclRange, rwho)
			}
		}
	}
	for _, a := range st.Actions {
		actionSites(ss, st, a)
	}
}

func actionSites(ss *sites, st *config.Stage, a *config.Action) {
	who := fmt.Sprintf("action %q of stage %q", a.Name, st.Name)
	env := map[string]string{}
	for _, e := range a.EnvironmentVariables {
		env[e.Name] = e.Value
	}
	ss.add("pipeline.stage.action", "environment_variables", mapVal(env), a.Ranges, a.DeclRange, who)
	ss.add("pipeline.stage.action", "output_files", listVal(a.OutputFiles), a.Ranges, a.DeclRange, who)
	ss.add("pipeline.stage.action", "output_variables", listVal(a.OutputVariables), a.Ranges, a.DeclRange, who)
	pv := a.Provider
	if pv == nil {
		return
	}
	block := "pipeline.stage.action." + pv.Kind
	if pv.Kind == "custom" {
		ss.add(block, "category", strVal(pv.Category), pv.Ranges, pv.DeclRange, who)
		ss.add(block, "owner", strVal(pv.Owner), pv.Ranges, pv.DeclRange, who)
		ss.add(block, "provider", strVal(pv.ProviderName), pv.Ranges, pv.DeclRange, who)
		ss.add(block, "version", strVal(pv.Version), pv.Ranges, pv.DeclRange, who)
	}
	names := make([]string, 0, len(pv.Attrs))
	for name := range pv.Attrs {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		ss.add(block, name, pv.Attrs[name], pv.Ranges, pv.DeclRange, who)
	}
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
