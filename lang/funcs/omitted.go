package funcs

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// Omitted names the well-known Terraform functions pipeform deliberately
// leaves out, with the reason, so the language can explain a call to one
// instead of only saying it does not exist (see ExplainOmitted).
var Omitted = map[string]string{
	"timestamp": "timestamp is not available: its result changes on every run, so the same configuration " +
		"would compile to different buildspecs and pipelines. Pass the time in as a variable " +
		"(-var build_time=...), or read the clock inside a build command, where CodeBuild and the " +
		"local executor provide it.",
}

// ExplainOmitted replaces the detail of every "Call to unknown function"
// diagnostic that names a function in Omitted with the reason it is left
// out. The language calls it on the diagnostics of expression evaluation.
func ExplainOmitted(diags hcl.Diagnostics) {
	for _, d := range diags {
		extra, ok := hcl.DiagnosticExtra[hclsyntax.FunctionCallUnknownDiagExtra](d)
		if !ok || extra.CalledFunctionNamespace() != "" {
			continue
		}
		if reason, ok := Omitted[extra.CalledFunctionName()]; ok {
			d.Detail = reason
		}
	}
}
