package compiler

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// checkRules: condition rules name a known provider (the rule catalog of
// lang/providers) with its required configuration and the values its keys
// take; Commands rules have 1 to 50 commands; configuration values are at
// most 10000 characters.
func checkRules(s *state, code Code) {
	known := providers.RuleProviders()
	s.ruleRanges = map[hcl.Range]config.Ranges{}
	for _, cp := range s.cfg.Pipelines {
		for _, st := range cp.Stages {
			for _, c := range []*config.Conditions{st.BeforeEntry, st.OnSuccess} {
				s.addRuleRanges(c)
			}
			if st.OnFailure != nil {
				s.addRuleRanges(&st.OnFailure.Conditions)
			}
		}
	}
	for _, p := range s.g.Pipelines {
		for _, st := range p.Stages {
			for _, r := range stageRules(st) {
				checkRule(s, code, r, known)
			}
		}
	}
}

// addRuleRanges records the attribute ranges of c's rules by rule header.
func (s *state) addRuleRanges(c *config.Conditions) {
	if c == nil {
		return
	}
	for _, cc := range c.Conditions {
		for _, r := range cc.Rules {
			s.ruleRanges[r.DeclRange] = r.Ranges
		}
	}
}

// ruleRange is the range of attribute attr of rule r, else its header.
func (s *state) ruleRange(r *graph.Rule, attr string) hcl.Range {
	return s.ruleRanges[r.DeclRange].Rng(attr, r.DeclRange)
}

func checkRule(s *state, code Code, r *graph.Rule, known []string) {
	rp := providers.LookupRule(r.Provider)
	if rp == nil {
		s.d.errorf(code, "Invalid rule", s.ruleRange(r, "provider"), r.DeclRange,
			"Rule %q has provider %q; the rule providers are %s.%s", r.Name, r.Provider, quoteList(known), didYouMean(r.Provider, known))
		return
	}
	for _, k := range rp.Required {
		if r.Configuration[k] == "" {
			s.d.errorf(code, "Invalid rule", r.DeclRange, r.DeclRange,
				"Rule %q (%s) needs configuration key %s.", r.Name, r.Provider, k)
		}
	}
	if r.Provider == "Commands" && (len(r.Commands) == 0 || len(r.Commands) > 50) {
		s.d.errorf(code, "Invalid rule", r.DeclRange, r.DeclRange,
			"Rule %q (Commands) has %d commands; it needs 1 to 50.", r.Name, len(r.Commands))
	}
	for _, k := range sortedKeys(r.Configuration) {
		if valid := rp.Values[k]; valid != nil && !strings.Contains(r.Configuration[k], "#{") {
			for _, v := range strings.Split(r.Configuration[k], ",") {
				if v = strings.TrimSpace(v); !contains(valid, v) {
					s.d.errorf(code, "Invalid rule", s.ruleRange(r, "configuration"), r.DeclRange,
						"Rule %q (%s) has %s %q; it takes %s.%s", r.Name, r.Provider, k, v, quoteList(valid), constraints.DidYouMean(v, valid))
					break
				}
			}
		}
		if len(r.Configuration[k]) > 10000 {
			s.d.errorf(code, "Invalid rule", r.DeclRange, r.DeclRange,
				"The %s configuration of rule %q is %d characters; rules allow 10000.", k, r.Name, len(r.Configuration[k]))
		}
	}
}
