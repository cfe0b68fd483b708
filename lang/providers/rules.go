package providers

import "sort"

// Rule is a stage-condition rule provider (category Rule, owner AWS,
// version "1"; reference CODEPIPELINE.md §2).
type Rule struct {
	Provider string
	// Required are the configuration keys it needs.
	Required []string
	// Optional are the other configuration keys it takes; a key neither
	// required nor optional is refused.
	Optional []string
	// Values are the values some configuration keys take; a key whose value
	// is a comma-separated list (AlarmStates) has each element checked.
	Values map[string][]string
	// Cron is the configuration key holding a cron expression: six fields
	// and an optional year.
	Cron string
}

// Keys lists every configuration key of the rule provider, required first.
func (r *Rule) Keys() []string {
	return append(append([]string{}, r.Required...), r.Optional...)
}

// Rules is the catalog of rule providers.
var Rules = []*Rule{
	{Provider: "CloudWatchAlarm", Required: []string{"AlarmName"}, Optional: []string{"AlarmStates", "WaitTime"},
		Values: map[string][]string{"AlarmStates": {"ALARM", "OK", "INSUFFICIENT_DATA"}}},
	{Provider: "CodeBuild", Required: []string{"ProjectName"},
		Optional: []string{"PrimarySource", "BatchEnabled", "CombineArtifacts", "EnvironmentVariables"}},
	{Provider: "Commands"},
	{Provider: "DeploymentWindow", Required: []string{"Cron"}, Optional: []string{"TimeZone"}, Cron: "Cron"},
	{Provider: "LambdaInvoke", Required: []string{"FunctionName"}, Optional: []string{"UserParameters"}},
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
