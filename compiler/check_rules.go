package compiler

import (
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/cron"
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
// The checks of role ARNs, Regions and rules all ask for it; the first
// call indexes the rules of the configuration.
func (s *state) ruleRange(r *graph.Rule, attr string) hcl.Range {
	if s.ruleRanges == nil {
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
	}
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
	checkRuleConfig(s, code, r, rp)
}

// checkRuleConfig: each configuration key is one the provider takes, each
// value one it accepts (the catalog's value lists and cron fields), and at
// most 10000 characters. Errors sit on the key or value concerned.
func checkRuleConfig(s *state, code Code, r *graph.Rule, rp *providers.Rule) {
	keys := rp.Keys()
	for _, k := range sortedKeys(r.Configuration) {
		v := r.Configuration[k]
		at := func(part string) hcl.Range {
			return s.ruleRange(r, part)
		}
		valueAt := at(config.ValueKey("configuration", k))
		if valueAt == r.DeclRange {
			valueAt = at("configuration")
		}
		switch {
		case !contains(keys, k):
			taken := "no configuration (it uses the rule's commands)"
			if len(keys) > 0 {
				taken = "the keys " + quoteList(keys)
			}
			keyAt := at(config.KeyKey("configuration", k))
			if keyAt == r.DeclRange {
				keyAt = at("configuration")
			}
			s.d.errorf(code, "Invalid rule", keyAt, r.DeclRange,
				"Rule %q (%s) has configuration key %s, which %s does not take; it takes %s.%s", r.Name, r.Provider, k, r.Provider, taken, constraints.DidYouMean(k, keys))
			continue
		case strings.Contains(v, "#{"):
		case rp.Values[k] != nil:
			valid := rp.Values[k]
			for _, e := range strings.Split(v, ",") {
				if e = strings.TrimSpace(e); !contains(valid, e) {
					s.d.errorf(code, "Invalid rule", valueAt, r.DeclRange,
						"Rule %q (%s) has %s %q; it takes %s.%s", r.Name, r.Provider, k, e, quoteList(valid), constraints.DidYouMean(e, valid))
					break
				}
			}
		case k == rp.Cron:
			if _, err := cron.Parse(v); err != nil {
				s.d.errorf(code, "Invalid rule", valueAt, r.DeclRange,
					"Rule %q (%s) has %s %q: %v. CodePipeline's DeploymentWindow rule reference gives the format (the local executor reads it the same way).", r.Name, r.Provider, k, v, err)
			}
		}
		if len(v) > 10000 {
			s.d.errorf(code, "Invalid rule", valueAt, r.DeclRange,
				"The %s configuration of rule %q is %d characters; rules allow 10000.", k, r.Name, len(v))
		}
	}
}
