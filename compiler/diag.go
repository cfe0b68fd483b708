package compiler

import (
	"fmt"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
)

// Code is the stable name of a compiler check, carried on a diagnostic's
// Extra field. Renderers find it through the DiagnosticCode method.
type Code string

// DiagnosticCode returns the code as a string.
func (c Code) DiagnosticCode() string { return string(c) }

// DiagnosticCode returns the code of d, or "" when it carries none.
func DiagnosticCode(d *hcl.Diagnostic) string {
	if c, ok := d.Extra.(interface{ DiagnosticCode() string }); ok {
		return c.DiagnosticCode()
	}
	return ""
}

// diags collects the diagnostics of one pass.
type diags struct {
	list hcl.Diagnostics
}

// errorf appends an error with the given code, summary, subject and context.
func (d *diags) errorf(code Code, summary string, subject, context hcl.Range, format string, args ...any) {
	d.add(hcl.DiagError, code, summary, subject, context, format, args...)
}

// warnf appends a warning, as errorf does an error.
func (d *diags) warnf(code Code, summary string, subject, context hcl.Range, format string, args ...any) {
	d.add(hcl.DiagWarning, code, summary, subject, context, format, args...)
}

func (d *diags) add(sev hcl.DiagnosticSeverity, code Code, summary string, subject, context hcl.Range, format string, args ...any) {
	s, c := subject, context
	var ctx *hcl.Range
	if c != (hcl.Range{}) {
		ctx = &c
	}
	d.list = append(d.list, &hcl.Diagnostic{
		Severity: sev,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  &s,
		Context:  ctx,
		Extra:    code,
	})
}

// didYouMean returns ` Did you mean "x"?` for the closest candidate, or "".
func didYouMean(given string, candidates []string) string {
	best, bestDist := "", 4
	for _, c := range candidates {
		d := levenshtein.Distance(strings.ToLower(given), strings.ToLower(c), nil)
		if d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

// quoteList renders names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	switch len(q) {
	case 0:
		return "(none)"
	case 1:
		return q[0]
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}
