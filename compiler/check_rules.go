package compiler

import (
	"sort"

	"github.com/pipeform/pipeform/compiler/graph"
)

// ruleProviders maps each stage-condition rule provider to its required
// configuration keys (CODEPIPELINE.md §2).
var ruleProviders = map[string][]string{
	"CloudWatchAlarm":  {"AlarmName"},
	"CodeBuild":        {"ProjectName"},
	"Commands":         nil,
	"DeploymentWindow": {"Cron"},
	"LambdaInvoke":     {"FunctionName"},
	"VariableCheck":    {"Variable", "Value", "Operator"},
}

// checkRules: condition rules name a known provider with its required
// configuration; Commands rules have 1 to 50 commands; configuration values
// are at most 10000 characters.
func checkRules(s *state, code Code) {
	var known []string
	for k := range ruleProviders {
		known = append(known, k)
	}
	sort.Strings(known)
	for _, p := range s.g.Pipelines {
		for _, st := range p.Stages {
			for _, r := range stageRules(st) {
				checkRule(s, code, r, known)
			}
		}
	}
}

func checkRule(s *state, code Code, r *graph.Rule, known []string) {
	required, ok := ruleProviders[r.Provider]
	if !ok {
		s.d.errorf(code, "Invalid rule", r.DeclRange, r.DeclRange,
			"Rule %q has provider %q; the rule providers are %s.%s", r.Name, r.Provider, quoteList(known), didYouMean(r.Provider, known))
		return
	}
	for _, k := range required {
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
		if len(r.Configuration[k]) > 10000 {
			s.d.errorf(code, "Invalid rule", r.DeclRange, r.DeclRange,
				"The %s configuration of rule %q is %d characters; rules allow 10000.", k, r.Name, len(r.Configuration[k]))
		}
	}
}
