package compiler

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// valueSite is one written attribute of the configuration and where it
// sits: its block path (as lang/constraints keys them), its value, the
// range of the value and of the enclosing block, and the block in words.
type valueSite struct {
	block, attr string
	val         cty.Value
	rng, ctx    hcl.Range
	who         who
	// ranges are the block's, for the range of an element at fault.
	ranges config.Ranges
}

// who names a block in words, formatted only when there is an error:
// Format(name, stage) as in "action %q of stage %q".
type who struct {
	format, name, stage string
}

func (w who) String() string {
	switch strings.Count(w.format, "%q") {
	case 2:
		return fmt.Sprintf(w.format, w.name, w.stage)
	case 1:
		return fmt.Sprintf(w.format, w.name)
	}
	return w.format
}

// checkConstraints: every written attribute takes a value AWS accepts, by
// the constraint table generated from AWS's models and the provider
// catalog's documented limits.
func checkConstraints(s *state, code Code) {
	visitSites(s.cfg, func(st valueSite) {
		if problem, where := constraintProblem(st); problem != "" {
			s.d.errorf(code, "Invalid value", st.ranges.Rng(where, st.rng), st.ctx, "%s sets %s to a value AWS rejects: %s", capitalize(st.who.String()), st.attr, problem)
		}
	})
}

// constraintProblem checks one site against every constraint of its
// attribute and says what is wrong with the first value that breaks one,
// and where: the Ranges key of the element, map key or map value at fault
// ("" for the whole attribute).
func constraintProblem(st valueSite) (problem, where string) {
	for _, c := range constraints.Lookup(st.block, st.attr) {
		if p, w := checkValue(c, st.attr, st.val); p != "" {
			return p, w
		}
	}
	return "", ""
}

func checkValue(c *constraints.Constraint, attr string, v cty.Value) (problem, where string) {
	if v.IsNull() || !v.IsKnown() {
		return "", ""
	}
	ty := v.Type()
	switch {
	case ty == cty.String && c.Part == "":
		return checkString(c, v.AsString()), ""
	case ty == cty.Number && c.Part == "":
		return c.CheckNumber(v.AsBigFloat()), ""
	case ty.IsMapType() || ty.IsObjectType():
		return checkMap(c, attr, v)
	case (ty.IsListType() || ty.IsTupleType()) && c.Part != "" && c.Part != "key" && c.Part != "value":
		return checkFields(c, attr, v)
	case (ty.IsListType() || ty.IsTupleType() || ty.IsSetType()) && c.Part == "":
		if p := c.CheckCount(v.LengthInt()); p != "" {
			return p, ""
		}
		var elems []string
		for i, e := range v.AsValueSlice() {
			if e.Type() == cty.String && e.IsKnown() && !e.IsNull() {
				if p := checkString(c, e.AsString()); p != "" {
					return p, config.ElemKey(attr, i)
				}
				elems = append(elems, e.AsString())
			}
		}
		if p, i := c.CheckUnique(elems); p != "" {
			return p, config.ElemKey(attr, i)
		}
	}
	return "", ""
}

// checkFields checks field c.Part of each object of a list of objects.
func checkFields(c *constraints.Constraint, attr string, v cty.Value) (problem, where string) {
	for i, e := range v.AsValueSlice() {
		if !e.IsKnown() || e.IsNull() || !(e.Type().IsObjectType() || e.Type().IsMapType()) {
			continue
		}
		if e.Type().IsObjectType() && !e.Type().HasAttribute(c.Part) {
			continue
		}
		var f cty.Value
		if e.Type().IsObjectType() {
			f = e.GetAttr(c.Part)
		} else if f = cty.NullVal(cty.String); e.HasIndex(cty.StringVal(c.Part)).True() {
			f = e.Index(cty.StringVal(c.Part))
		}
		if f.Type() == cty.String && f.IsKnown() && !f.IsNull() {
			if p := checkString(c, f.AsString()); p != "" {
				return fmt.Sprintf("the %s of element %d: %s", c.Part, i+1, p), config.ElemKey(attr, i)
			}
		}
	}
	return "", ""
}

// checkMap checks a map's entry count, keys or values, by c.Part.
func checkMap(c *constraints.Constraint, attr string, v cty.Value) (problem, where string) {
	m := v.AsValueMap()
	if c.Part == "" {
		return c.CheckCount(len(m)), ""
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if c.Part == "key" {
			if p := checkString(c, k); p != "" {
				return "the key " + p, config.KeyKey(attr, k)
			}
			continue
		}
		if e := m[k]; e.Type() == cty.String && e.IsKnown() && !e.IsNull() {
			if p := checkString(c, e.AsString()); p != "" {
				return fmt.Sprintf("the value of %q: %s", k, p), config.ValueKey(attr, k)
			}
		}
	}
	return "", ""
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

// sites hands the written attributes of the configuration to visit. Each
// method visits attribute attr of a block when it was written (ranges has
// it) and is constrained, making its value only then.
type sites struct {
	visit func(valueSite)
}

// written returns the range of attr when it must be visited.
func written(block, attr string, ranges config.Ranges) (hcl.Range, bool) {
	rng, ok := ranges.Get(attr)
	return rng, ok && len(constraints.Lookup(block, attr)) > 0
}

func (ss *sites) str(block, attr, v string, ranges config.Ranges, ctx hcl.Range, w who) {
	if rng, ok := written(block, attr, ranges); ok {
		ss.visit(valueSite{block, attr, cty.StringVal(v), rng, ctx, w, ranges})
	}
}

func (ss *sites) list(block, attr string, l []string, ranges config.Ranges, ctx hcl.Range, w who) {
	rng, ok := written(block, attr, ranges)
	if !ok {
		return
	}
	v := cty.ListValEmpty(cty.String)
	if len(l) > 0 {
		vals := make([]cty.Value, len(l))
		for i, s := range l {
			vals[i] = cty.StringVal(s)
		}
		v = cty.ListVal(vals)
	}
	ss.visit(valueSite{block, attr, v, rng, ctx, w, ranges})
}

func (ss *sites) smap(block, attr string, m map[string]string, ranges config.Ranges, ctx hcl.Range, w who) {
	rng, ok := written(block, attr, ranges)
	if !ok {
		return
	}
	v := cty.MapValEmpty(cty.String)
	if len(m) > 0 {
		vals := make(map[string]cty.Value, len(m))
		for k, s := range m {
			vals[k] = cty.StringVal(s)
		}
		v = cty.MapVal(vals)
	}
	ss.visit(valueSite{block, attr, v, rng, ctx, w, ranges})
}

func (ss *sites) value(block, attr string, v cty.Value, ranges config.Ranges, ctx hcl.Range, w who) {
	if rng, ok := written(block, attr, ranges); ok {
		ss.visit(valueSite{block, attr, v, rng, ctx, w, ranges})
	}
}

// visitSites hands visit every written attribute of cfg that the
// constraint table or the provider catalog constrains, in source order of
// blocks.
func visitSites(cfg *config.Config, visit func(valueSite)) {
	ss := sites{visit: visit}
	for _, p := range cfg.Pipelines {
		pipelineSites(&ss, p)
	}
	for _, p := range cfg.Projects {
		w := who{"project %q", p.Name, ""}
		ss.str("project", "compute_type", p.ComputeType, p.Ranges, p.DeclRange, w)
		ss.str("project", "environment_type", p.EnvironmentType, p.Ranges, p.DeclRange, w)
		if b := p.Batch; b != nil {
			batchSites(&ss, b, w)
		}
	}
}

// batchSites visits a project's batch: its BuildBatchConfig and the
// environments of its builds.
func batchSites(ss *sites, b *config.Batch, w who) {
	ss.str("project.batch", "report_mode", b.ReportMode, b.Ranges, b.DeclRange, w)
	ss.list("project.batch", "compute_types_allowed", b.ComputeTypesAllowed, b.Ranges, b.DeclRange, w)
	env := func(block string, e *config.BatchEnv) {
		if e != nil {
			ss.str(block, "compute_type", e.ComputeType, e.Ranges, e.DeclRange, w)
			ss.str(block, "type", e.Type, e.Ranges, e.DeclRange, w)
		}
	}
	for _, bb := range b.Builds {
		env("project.batch.build.env", bb.Env)
	}
	if m := b.Matrix; m != nil {
		env("project.batch.matrix.static.env", m.StaticEnv)
		if d := m.DynamicEnv; d != nil {
			ss.list("project.batch.matrix.values", "compute_type", d.ComputeTypes, d.Ranges, d.DeclRange, w)
		}
	}
}

func pipelineSites(ss *sites, p *config.Pipeline) {
	w := who{"pipeline %q", p.Name, ""}
	ss.str("pipeline", "type", p.Type, p.Ranges, p.DeclRange, w)
	ss.str("pipeline", "execution_mode", p.ExecutionMode, p.Ranges, p.DeclRange, w)
	for _, n := range p.Notifications {
		nw := who{"notification %q", n.Name, ""}
		ss.list("pipeline.notification", "detail_types", n.DetailTypes, n.Ranges, n.DeclRange, nw)
		ss.list("pipeline.notification", "states", n.States, n.Ranges, n.DeclRange, nw)
	}
	for _, t := range p.Triggers {
		ss.str("pipeline.trigger", "provider_type", t.ProviderType, t.Ranges, t.DeclRange, who{"a trigger of pipeline %q", p.Name, ""})
		for _, f := range t.Push {
			filterSites(ss, "pipeline.trigger.push", f, who{"a push filter of pipeline %q", p.Name, ""})
		}
		for _, f := range t.PullRequest {
			fw := who{"a pull_request filter of pipeline %q", p.Name, ""}
			ss.list("pipeline.trigger.pull_request", "events", f.Events, f.Ranges, f.DeclRange, fw)
			filterSites(ss, "pipeline.trigger.pull_request", f, fw)
		}
	}
	for _, st := range p.Stages {
		stageSites(ss, st)
	}
}

func filterSites(ss *sites, block string, f *config.GitFilter, w who) {
	for _, c := range []struct {
		name string
		ie   *config.IncludeExclude
	}{{"branches", f.Branches}, {"tags", f.Tags}, {"file_paths", f.FilePaths}} {
		if c.ie == nil {
			continue
		}
		ss.list(block+"."+c.name, "includes", c.ie.Includes, c.ie.Ranges, c.ie.DeclRange, w)
		ss.list(block+"."+c.name, "excludes", c.ie.Excludes, c.ie.Ranges, c.ie.DeclRange, w)
	}
}

func stageSites(ss *sites, st *config.Stage) {
	if f := st.OnFailure; f != nil {
		fw := who{"the on_failure of stage %q", st.Name, ""}
		ss.str("pipeline.stage.on_failure", "result", f.Result, f.Ranges, f.DeclRange, fw)
		ss.str("pipeline.stage.on_failure", "retry_mode", f.RetryMode, f.Ranges, f.DeclRange, fw)
		conditionSites(ss, st, "on_failure", &f.Conditions)
	}
	conditionSites(ss, st, "before_entry", st.BeforeEntry)
	conditionSites(ss, st, "on_success", st.OnSuccess)
	for _, a := range st.Actions {
		actionSites(ss, st, a)
	}
}

func conditionSites(ss *sites, st *config.Stage, slot string, cs *config.Conditions) {
	if cs == nil {
		return
	}
	block := "pipeline.stage." + slot + ".condition"
	for _, c := range cs.Conditions {
		ss.str(block, "result", c.Result, c.Ranges, c.DeclRange, who{"a " + slot + " condition of stage %q", st.Name, ""})
		for _, r := range c.Rules {
			rw := who{"rule %q", r.Name, ""}
			ss.list(block+".rule", "commands", r.Commands, r.Ranges, r.DeclRange, rw)
			ss.smap(block+".rule", "configuration", r.Configuration, r.Ranges, r.DeclRange, rw)
		}
	}
}

func actionSites(ss *sites, st *config.Stage, a *config.Action) {
	w := who{"action %q of stage %q", a.Name, st.Name}
	if _, ok := written("pipeline.stage.action", "environment_variables", a.Ranges); ok {
		env := make(map[string]string, len(a.EnvironmentVariables))
		for _, e := range a.EnvironmentVariables {
			env[e.Name] = e.Value
		}
		ss.smap("pipeline.stage.action", "environment_variables", env, a.Ranges, a.DeclRange, w)
	}
	ss.list("pipeline.stage.action", "output_files", a.OutputFiles, a.Ranges, a.DeclRange, w)
	ss.list("pipeline.stage.action", "output_variables", a.OutputVariables, a.Ranges, a.DeclRange, w)
	pv := a.Provider
	if pv == nil {
		return
	}
	block := "pipeline.stage.action." + pv.Kind
	if pv.Kind == providers.CustomBlock {
		ss.str(block, "category", pv.Category, pv.Ranges, pv.DeclRange, w)
		ss.str(block, "owner", pv.Owner, pv.Ranges, pv.DeclRange, w)
		ss.str(block, "provider", pv.ProviderName, pv.Ranges, pv.DeclRange, w)
		ss.str(block, "version", pv.Version, pv.Ranges, pv.DeclRange, w)
		ss.value(block, "configuration", pv.Attrs["configuration"], pv.Ranges, pv.DeclRange, w)
		return
	}
	if cat := providers.Lookup(pv.Kind); cat != nil {
		for _, attr := range cat.Attrs {
			if v, ok := pv.Attrs[attr.Name]; ok {
				ss.value(block, attr.Name, v, pv.Ranges, pv.DeclRange, w)
			}
		}
	}
}

// capitalize upper-cases the first letter of s.
func capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
