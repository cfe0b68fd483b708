package compiler

import (
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
)

// Instances of one for_each block share its source: an error in that
// source is found once per instance, differing only in the instance's name
// (project "smoke-dev", "smoke-prod"). collapseInstances keeps the first of
// such a run, so one mistake gives one error.

// reVarying matches the parts of a detail that differ between instances:
// quoted names and numbers.
var reVarying = regexp.MustCompile(`"[^"]*"|[0-9]+`)

// repeatedBlocks counts, per block header, the for_each instances of
// projects, stages and actions (and the actions of stage instances) that
// come from it; only headers with more than one instance are kept.
func repeatedBlocks(cfg *config.Config) map[hcl.Range]int {
	n := map[hcl.Range]int{}
	for _, p := range cfg.Projects {
		if p.Key != cty.NilVal {
			n[p.DeclRange]++
		}
	}
	for _, p := range cfg.Pipelines {
		for _, st := range p.Stages {
			repeated := st.Key != cty.NilVal
			if repeated {
				n[st.DeclRange]++
			}
			for _, a := range st.Actions {
				if repeated || a.Key != cty.NilVal {
					n[a.DeclRange]++
				}
			}
		}
	}
	for r, c := range n {
		if c < 2 {
			delete(n, r)
		}
	}
	return n
}

// collapseInstances drops a diagnostic that repeats an earlier one for
// another instance of the same for_each block: same severity, summary,
// subject and block, and the same detail but for names and numbers.
func collapseInstances(ds hcl.Diagnostics, repeated map[hcl.Range]int) hcl.Diagnostics {
	if len(repeated) == 0 {
		return ds
	}
	type key struct {
		sev              hcl.DiagnosticSeverity
		summary, shape   string
		subject, context hcl.Range
	}
	seen := map[key]bool{}
	out := ds[:0]
	for _, d := range ds {
		if d.Context == nil || d.Subject == nil || repeated[*d.Context] == 0 {
			out = append(out, d)
			continue
		}
		k := key{d.Severity, d.Summary, reVarying.ReplaceAllString(d.Detail, `""`), *d.Subject, *d.Context}
		if seen[k] {
			continue
		}
		seen[k] = true
		out = append(out, d)
	}
	return out
}
