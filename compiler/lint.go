package compiler

import (
	"bytes"
	"fmt"
	"regexp"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// The lint pass warns about build commands and settings that are legal but
// unsafe: a script downloaded and piped to a shell, a credential written in
// plain text, tracing that prints secrets, and so on. Unlike the checks, a
// lint rule never makes a configuration invalid: each reports a warning
// with its code, why it is a risk and how to fix it, and a comment
// `# pipeform:ignore CODE` on the warned line silences it there (several
// codes may be given, separated by commas or spaces).
//
// Rules are values with a name (the diagnostic code) and are documented in
// docs/diagnostics.md like the checks.

// lintRule is one lint rule.
type lintRule struct {
	code Code
	run  func(*linter, Code)
}

var lintRules = []lintRule{
	{"pipe-to-shell", lintPipeToShell},
	{"plaintext-credential", lintPlaintextCredential},
	{"set-x-secrets", lintSetXSecrets},
	{"privileged-no-docker", lintPrivileged},
	{"chmod-777", lintChmod777},
	{"unpinned-install", lintUnpinnedInstall},
	{"commands-variables", lintCommandsVariables},
}

// LintRules lists the codes of the lint rules in the order they run.
func LintRules() []string {
	out := make([]string, len(lintRules))
	for i, r := range lintRules {
		out[i] = string(r.code)
	}
	return out
}

// linter runs the lint rules over the configuration. It reads the source
// files (Options.Files) to place a warning on the exact list element and to
// find the ignore comments; without them a warning points at the whole
// attribute and nothing is silenced.
type linter struct {
	s    *state
	seen map[string]bool
	// exprs indexes each file's attribute expressions by range, built on
	// first use with one walk of the file: looking an expression up by
	// walking the whole file every time made the pass quadratic.
	exprs map[string]map[hcl.Range]hclsyntax.Expression
	// cmds are the commands every command rule reads, found once.
	cmds    []command
	cmdsSet bool
}

func runLint(s *state) {
	l := &linter{s: s, seen: map[string]bool{}}
	for _, r := range lintRules {
		r.run(l, r.code)
	}
}

// warn reports a lint warning at rng unless an ignore comment for code is
// on its line. for_each instances of one block share their source, so a
// warning is reported once per place and code.
func (l *linter) warn(code Code, summary string, rng, context hcl.Range, format string, args ...any) {
	key := fmt.Sprintf("%s@%s:%d:%d", code, rng.Filename, rng.Start.Line, rng.Start.Column)
	if l.seen[key] || l.ignored(code, rng) {
		return
	}
	l.seen[key] = true
	var ctx *hcl.Range
	if context != (hcl.Range{}) {
		ctx = &context
	}
	detail := fmt.Sprintf(format, args...) + fmt.Sprintf(" To accept the risk here, end the line with # pipeform:ignore %s.", code)
	l.s.d.list = append(l.s.d.list, &hcl.Diagnostic{
		Severity: hcl.DiagWarning, Summary: summary, Detail: detail,
		Subject: &rng, Context: ctx, Extra: code,
	})
}

var ignoreComment = regexp.MustCompile(`(?:#|//)\s*pipeform:ignore\s+([A-Za-z0-9_, -]+)`)

// ignored reports whether the line rng starts on (or ends on) carries an
// ignore comment naming code.
func (l *linter) ignored(code Code, rng hcl.Range) bool {
	f := l.s.opts.Files[rng.Filename]
	if f == nil {
		return false
	}
	for _, n := range []int{rng.Start.Line, rng.End.Line} {
		line := lineOf(f.Bytes, n)
		for _, m := range ignoreComment.FindAllSubmatch(line, -1) {
			codes := strings.FieldsFunc(string(m[1]), func(r rune) bool { return r == ',' || r == ' ' })
			if slices.Contains(codes, string(code)) {
				return true
			}
		}
	}
	return false
}

// lineOf returns line n (1-based) of src.
func lineOf(src []byte, n int) []byte {
	for i := 1; i < n; i++ {
		j := bytes.IndexByte(src, '\n')
		if j < 0 {
			return nil
		}
		src = src[j+1:]
	}
	if j := bytes.IndexByte(src, '\n'); j >= 0 {
		return src[:j]
	}
	return src
}

// expr finds the syntax of the expression written at rng (an attribute's
// value, as config.Ranges records it), or nil. A file kept without its
// syntax tree (lang.Options.SourceOnly) has its source: the expression is
// parsed again from its own bytes, at its own position, which gives the
// tree the whole file's parse had for it.
func (l *linter) expr(rng hcl.Range) hclsyntax.Expression {
	if f := l.s.opts.Files[rng.Filename]; f != nil && !isSyntaxBody(f.Body) {
		return reparse(f.Bytes, rng)
	}
	idx, ok := l.exprs[rng.Filename]
	if !ok {
		idx = l.indexFile(rng.Filename)
		if l.exprs == nil {
			l.exprs = map[string]map[hcl.Range]hclsyntax.Expression{}
		}
		l.exprs[rng.Filename] = idx
	}
	return idx[rng]
}

func isSyntaxBody(b hcl.Body) bool {
	_, ok := b.(*hclsyntax.Body)
	return ok
}

// reparse parses the expression at rng of src, or returns nil.
func reparse(src []byte, rng hcl.Range) hclsyntax.Expression {
	if rng.Start.Byte < 0 || rng.Start.Byte > rng.End.Byte || rng.End.Byte > len(src) {
		return nil
	}
	e, diags := hclsyntax.ParseExpression(src[rng.Start.Byte:rng.End.Byte], rng.Filename, rng.Start)
	if diags.HasErrors() || e.Range() != rng {
		return nil
	}
	return e
}

// indexFile maps the range of every attribute's expression in the file to
// the expression; the first attribute at a range wins.
func (l *linter) indexFile(name string) map[hcl.Range]hclsyntax.Expression {
	f := l.s.opts.Files[name]
	if f == nil {
		return nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	idx := map[hcl.Range]hclsyntax.Expression{}
	_ = hclsyntax.VisitAll(body, func(n hclsyntax.Node) hcl.Diagnostics {
		if a, ok := n.(*hclsyntax.Attribute); ok {
			if _, dup := idx[a.Expr.Range()]; !dup {
				idx[a.Expr.Range()] = a.Expr
			}
		}
		return nil
	})
	return idx
}

// rangeOf returns a command's own range when its list is a literal of as
// many elements, else the list's. It is looked up only for a command that
// gets a warning: finding it needs the list's syntax.
func (l *linter) rangeOf(c command) hcl.Range {
	if t, ok := l.expr(c.list).(*hclsyntax.TupleConsExpr); ok && len(t.Exprs) == c.count {
		return t.Exprs[c.index].Range()
	}
	return c.list
}

// mapEntry returns the range of the value of key in the map written at
// rng, else rng.
func (l *linter) mapEntry(rng hcl.Range, key string) hcl.Range {
	o, ok := l.expr(rng).(*hclsyntax.ObjectConsExpr)
	if !ok {
		return rng
	}
	for _, it := range o.Items {
		k, diags := it.KeyExpr.Value(nil)
		if !diags.HasErrors() && k.Type().FriendlyName() == "string" && k.AsString() == key {
			return it.ValueExpr.Range()
		}
	}
	return rng
}
