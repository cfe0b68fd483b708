package providers

import "sort"

// Rule is a stage-condition rule provider (category Rule, owner AWS,
// version "1"; reference CODEPIPELINE.md §2).
type Rule struct {
	Provider string
	// Required are the configuration keys it needs.
	Required []string
	// Values are the values some configuration keys take; a key whose value
	// is a comma-separated list (AlarmStates) has each element checked.
	Values map[string][]string
}

// Rules is the catalog of rule providers.
var Rules = []*Rule{
	{Provider: "CloudWatchAlarm", Required: []string{"AlarmName"},
		Values: map[string][]string{"AlarmStates": {"ALARM", "OK", "INSUFFICIENT_DATA"}}},
	{Provider: "CodeBuild", Required: []string{"ProjectName"}},
	{Provider: "Commands"},
	{Provider: "DeploymentWindow", Required: []string{"Cron"}},
	{Provider: "LambdaInvoke", Required: []string{"FunctionName"}},
	{Provider: "VariableCheck", Required: []string{"Variable", "Value", "Operator"},
		Values: map[string][]string{"Operator": {"EQ", "NE", "CONTAINS", "MATCHES"}}},
}

// LookupRule returns the rule provider of that name, or nil.
func LookupRule(provider string) *Rule {
	for _, r := range Rules {
		if r.Provider == provider {
			return r
		}
	}
	return nil
}

// RuleProviders lists the rule provider names in sorted order.
func RuleProviders() []string {
	out := make([]string, len(Rules))
	for i, r := range Rules {
		out[i] = r.Provider
	}
	sort.Strings(out)
	return out
}
