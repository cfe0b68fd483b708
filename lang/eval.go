package lang

import (
	"fmt"
	"math/big"
	"slices"
	"sort"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/funcs"
	"github.com/pipeform/pipeform/lang/limits"
)

// scope says which references an expression may use and holds the
// evaluation context that provides them.
type scope struct {
	ctx      *hcl.EvalContext
	each     bool // inside a for_each block: each.key and each.value exist
	projects bool // project.* is available
	// pipe is the enclosing pipeline, nil outside pipelines.
	pipe *pipeScope
	// iters are the iterator names of enclosing dynamic blocks whose
	// content is read from the raw body (see dynamicBody).
	iters map[string]bool
	// output says that values evaluated here (in projects and pipelines)
	// are written into the files generate writes.
	output bool
}

// pipeScope is what a pipeline's expressions share: the artifact names
// produced by its actions' outputs.
type pipeScope struct {
	ready     bool // false while the outputs themselves are being read
	artifacts map[string]bool
}

// child returns a scope for a for_each instance with each bound.
func (s *scope) child(each cty.Value) *scope {
	c := *s
	c.ctx = s.ctx.NewChild()
	c.ctx.Variables = map[string]cty.Value{"each": each}
	c.each = true
	return &c
}

// suggest returns ` Did you mean "x"?` for the closest name, or "".
func suggest(given string, names []string) string {
	best, bestDist := "", 3
	for _, n := range names {
		if d := levenshtein.Distance(given, n, nil); d < bestDist {
			best, bestDist = n, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

func sortedNames[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

func (l *loader) errorf(subject hcl.Range, summary, format string, args ...any) {
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   fmt.Sprintf(format, args...),
		Subject:  subject.Ptr(),
	})
}

// checkRefs reports every reference in expr that scope sc does not allow,
// and returns false if there was one.
func (l *loader) checkRefs(expr hcl.Expression, sc *scope) bool {
	ok := true
	for _, tr := range expr.Variables() {
		if !l.checkRef(tr, sc) {
			ok = false
		}
	}
	return ok
}

var refRoots = []string{"var", "local", "project", "artifact", "each"}

func (l *loader) checkRef(tr hcl.Traversal, sc *scope) bool {
	root := tr.RootName()
	rng := tr.SourceRange()
	name, hasName := "", false
	if len(tr) > 1 {
		switch step := tr[1].(type) {
		case hcl.TraverseAttr:
			name, hasName = step.Name, true
		case hcl.TraverseIndex:
			// artifact["src"]: a constant key is checked like a name.
			if step.Key.Type() == cty.String && step.Key.IsKnown() && !step.Key.IsNull() {
				name, hasName = step.Key.AsString(), true
			}
		}
	}
	// artifact[expr] and project[expr] with a computed key (for example
	// artifact["${each.key}_pkg"] in a for_each action) arrive here as the bare
	// root: the key is checked when the index is evaluated.
	dynamicIndex := len(tr) == 1 && (root == "artifact" || root == "project")
	switch root {
	case "var", "local", "project", "artifact", "each":
		if !hasName && !dynamicIndex {
			l.errorf(rng, "Invalid reference", "A reference to %s must be followed by a name, like %s.example.", root, root)
			return false
		}
	default:
		if sc.iters[root] {
			return true
		}
		l.errorf(rng, "Unknown reference", "There is no symbol named %q. References start with var, local, project, artifact or each; inside a dynamic block's content also with its iterator (the block type, as in phase.value, or the name its iterator attribute gives).%s",
			root, suggest(root, append(sortedNames(sc.iters), refRoots...)))
		return false
	}
	switch root {
	case "var":
		if _, ok := l.vars[name]; !ok {
			l.errorf(rng, "Unknown input variable", "No variable named %q is declared. Declare it with a variable block, or fix the name.%s",
				name, suggest(name, sortedNames(l.vars)))
			return false
		}
	case "local":
		if _, ok := l.locals[name]; !ok {
			l.errorf(rng, "Unknown local value", "No local value named %q is defined in a locals block.%s",
				name, suggest(name, sortedNames(l.locals)))
			return false
		}
	case "project":
		if !sc.projects {
			l.errorf(rng, "Invalid reference", "Projects cannot be referenced here: a project's name and for_each are read before the projects exist, and variables and locals are evaluated before projects.")
			return false
		}
		if dynamicIndex {
			return true
		}
		if _, ok := l.projects[name]; !ok {
			l.errorf(rng, "Unknown project", "No project block is labelled %q.%s", name, suggest(name, sortedNames(l.projects)))
			return false
		}
		// project.svc["web"]: a constant instance key is checked here.
		if len(tr) > 2 {
			if ix, ok := tr[2].(hcl.TraverseIndex); ok && ix.Key.Type() == cty.String && ix.Key.IsKnown() && !ix.Key.IsNull() {
				return l.checkProjectKey(name, ix.Key.AsString(), rng)
			}
		}
	case "artifact":
		if sc.pipe == nil || !sc.pipe.ready {
			l.errorf(rng, "Invalid reference", "Artifacts can be referenced only in a pipeline's action inputs and attributes, not in outputs, names, for_each or outside pipelines.")
			return false
		}
		if dynamicIndex {
			return true
		}
		if !sc.pipe.artifacts[name] {
			l.unknownArtifact(rng, name, sc)
			return false
		}
	case "each":
		if !sc.each {
			l.errorf(rng, `Invalid "each" reference`, "each.key and each.value exist only inside a project, stage or action block that sets for_each.")
			return false
		}
		if name != "key" && name != "value" {
			l.errorf(rng, `Invalid "each" reference`, "each has only the attributes key and value.%s", suggest(name, []string{"key", "value"}))
			return false
		}
	}
	return true
}

// unknownArtifact reports name, which no action of the pipeline outputs.
func (l *loader) unknownArtifact(rng hcl.Range, name string, sc *scope) {
	l.errorf(rng, "Unknown artifact", "No action of this pipeline lists %q in its outputs.%s", name, suggest(name, sortedNames(sc.pipe.artifacts)))
}

// checkComputedKeys checks artifact[expr] and project[expr] whose key is
// computed (artifact["${each.key}_pkg"]): checkRef sees only the bare root,
// so the key is evaluated here and an unknown name is reported like a
// written-out one, with did-you-mean, instead of hcl's "Invalid index".
// A key that cannot be evaluated yet is left to the evaluation itself.
func (l *loader) checkComputedKeys(expr hcl.Expression, sc *scope) bool {
	syn, ok := expr.(hclsyntax.Node)
	if !ok {
		return true
	}
	good := true
	_ = hclsyntax.VisitAll(syn, func(n hclsyntax.Node) hcl.Diagnostics {
		ix, ok := n.(*hclsyntax.IndexExpr)
		if !ok {
			return nil
		}
		coll, ok := ix.Collection.(*hclsyntax.ScopeTraversalExpr)
		if !ok || len(coll.Traversal) > 2 {
			return nil
		}
		root := coll.Traversal.RootName()
		if len(coll.Traversal) == 2 {
			// project.svc[each.key]: an instance of a for_each project.
			attr, isAttr := coll.Traversal[1].(hcl.TraverseAttr)
			if root != "project" || !isAttr || !sc.projects {
				return nil
			}
			if key, ok := l.constKey(ix.Key, sc); ok && !l.checkProjectKey(attr.Name, key, hcl.RangeBetween(coll.SrcRange, ix.SrcRange)) {
				good = false
			}
			return nil
		}
		if root != "artifact" && root != "project" {
			return nil
		}
		name, ok := l.constKey(ix.Key, sc)
		if !ok {
			return nil
		}
		rng := hcl.RangeBetween(coll.SrcRange, ix.SrcRange)
		switch root {
		case "artifact":
			if sc.pipe != nil && sc.pipe.ready && !sc.pipe.artifacts[name] {
				l.unknownArtifact(rng, name, sc)
				good = false
			}
		case "project":
			if _, ok := l.projects[name]; sc.projects && !ok {
				l.errorf(rng, "Unknown project", "No project block is labelled %q.%s", name, suggest(name, sortedNames(l.projects)))
				good = false
			}
		}
		return nil
	})
	return good
}

// constKey evaluates an index key to a string, if it can be evaluated yet.
func (l *loader) constKey(expr hcl.Expression, sc *scope) (string, bool) {
	key, diags := expr.Value(sc.ctx)
	if diags.HasErrors() || !key.IsWhollyKnown() || key.IsNull() {
		return "", false
	}
	l.noteSensitive(key)
	key, _ = key.UnmarkDeep()
	key, err := convert.Convert(key, cty.String)
	if err != nil {
		return "", false
	}
	return key.AsString(), true
}

// checkProjectKey reports a key that names no instance of a for_each
// project (hcl would say only "Invalid index").
func (l *loader) checkProjectKey(name, key string, rng hcl.Range) bool {
	d := l.projects[name]
	if d == nil || !d.forEach || !d.forEachOK {
		return true
	}
	keys := map[string]bool{}
	for _, inst := range d.instances {
		keys[inst.keyString()] = true
	}
	if keys[key] {
		return true
	}
	if len(keys) == 0 {
		l.errorf(rng, "Invalid index", "Project %q has for_each over an empty collection, so it has no instance %q.", name, key)
		return false
	}
	l.errorf(rng, "Invalid index", "Project %q has no for_each instance with key %q; its keys are %s.%s",
		name, key, quoteList(sortedNames(keys)), suggest(key, sortedNames(keys)))
	return false
}

// eval checks expr's references and evaluates it. Any problem is reported
// and the result is cty.DynamicVal, which later steps pass over silently.
func (l *loader) eval(expr hcl.Expression, sc *scope) cty.Value {
	v, _ := l.evalPaths(expr, sc)
	return v
}

// evalPaths is eval that also returns the paths of the value's sensitive
// parts (an empty path: the whole value), for the few attributes whose
// model keeps which values were sensitive.
func (l *loader) evalPaths(expr hcl.Expression, sc *scope) (cty.Value, []cty.Path) {
	// Marks (the sensitive mark of variables, passed through by
	// operators and functions) would make the value accessors panic;
	// nothing in the model uses them. A sensitive value is remembered,
	// so no diagnostic shows it and generate can warn where it ends up.
	marked := l.evalMarked(expr, sc)
	v, pvm := marked.UnmarkDeepWithPaths()
	if len(pvm) > 0 && l.noteSensitive(marked) && sc.output {
		l.sensitiveUses = append(l.sensitiveUses, expr.Range())
	}
	var paths []cty.Path
	for _, pm := range pvm {
		if _, ok := pm.Marks[funcs.Sensitive]; ok {
			paths = append(paths, pm.Path)
		}
	}
	return v, paths
}

// noteSensitive remembers the text of v's sensitive parts, to be hidden
// in every diagnostic, and reports whether it had any.
func (l *loader) noteSensitive(v cty.Value) bool {
	texts, ok := funcs.SensitiveTexts(v)
	l.secrets = append(l.secrets, texts...)
	return ok
}

// evalMarked is eval that keeps marks, for values that go back into an
// evaluation context (locals), so a local computed from a sensitive
// variable is not printed in diagnostics either.
func (l *loader) evalMarked(expr hcl.Expression, sc *scope) cty.Value {
	// A nil context allows no references at all; hcl itself says so.
	if sc.ctx != nil && (!l.checkRefs(expr, sc) || !l.checkComputedKeys(expr, sc)) {
		return cty.DynamicVal
	}
	v, diags := expr.Value(sc.ctx)
	l.diags = append(l.diags, diags...)
	if diags.HasErrors() {
		return cty.DynamicVal
	}
	if limits.TooLong(v) {
		l.errorf(expr.Range(), "Value too long",
			"This expression produces more than %d MiB of text, the most one value may hold. Build the text outside pipeform, or read it at run time from a file with the build's own commands.",
			limits.MaxString>>20)
		return cty.DynamicVal
	}
	return v
}

// evalAs evaluates attr and converts it to ty. ok is false when the
// attribute is null, or it failed (already reported).
func (l *loader) evalAs(attr *hcl.Attribute, ty cty.Type, sc *scope) (cty.Value, bool) {
	v, _, ok := l.evalAsPaths(attr, ty, sc)
	return v, ok
}

// evalAsPaths is evalAs that also returns the paths of the value's
// sensitive parts, as evalPaths does.
func (l *loader) evalAsPaths(attr *hcl.Attribute, ty cty.Type, sc *scope) (cty.Value, []cty.Path, bool) {
	v, paths := l.evalPaths(attr.Expr, sc)
	if !v.IsWhollyKnown() || v.IsNull() {
		return cty.DynamicVal, nil, false
	}
	cv, err := convert.Convert(v, ty)
	if err != nil {
		l.typeError(attr, err.Error())
		return cty.DynamicVal, nil, false
	}
	return cv, paths, true
}

func (l *loader) typeError(attr *hcl.Attribute, msg string) {
	l.errorf(attr.Expr.Range(), "Incorrect attribute value type", "Inappropriate value for attribute %q: %s.", attr.Name, msg)
}

// The typed readers below return the zero value when the attribute is
// absent, null or wrong (wrong values are reported).

func (l *loader) str(attrs hcl.Attributes, name string, sc *scope) string {
	s, _ := l.strOK(attrs, name, sc)
	return s
}

func (l *loader) strOK(attrs hcl.Attributes, name string, sc *scope) (string, bool) {
	s, ok, _ := l.strSensitive(attrs, name, sc)
	return s, ok
}

// strSensitive is strOK that also reports whether the value is sensitive
// (computed from a sensitive variable; a sensitive bool included, which
// becomes "true" or "false").
func (l *loader) strSensitive(attrs hcl.Attributes, name string, sc *scope) (string, bool, bool) {
	a := attrs[name]
	if a == nil {
		return "", false, false
	}
	v, paths, ok := l.evalAsPaths(a, cty.String, sc)
	if !ok {
		return "", false, false
	}
	return v.AsString(), true, len(paths) > 0
}

func (l *loader) boolPtr(attrs hcl.Attributes, name string, sc *scope) *bool {
	a := attrs[name]
	if a == nil {
		return nil
	}
	v, ok := l.evalAs(a, cty.Bool, sc)
	if !ok {
		return nil
	}
	b := v.True()
	return &b
}

func (l *loader) boolean(attrs hcl.Attributes, name string, sc *scope) bool {
	b := l.boolPtr(attrs, name, sc)
	return b != nil && *b
}

var maxInt = big.NewFloat(1 << 31)

func (l *loader) integer(attrs hcl.Attributes, name string, sc *scope) int {
	a := attrs[name]
	if a == nil {
		return 0
	}
	v, ok := l.evalAs(a, cty.Number, sc)
	if !ok {
		return 0
	}
	bf := v.AsBigFloat()
	if !bf.IsInt() || bf.IsInf() || new(big.Float).Abs(bf).Cmp(maxInt) >= 0 {
		l.typeError(a, "a whole number is required")
		return 0
	}
	n, _ := bf.Int64()
	return int(n)
}

func (l *loader) strList(attrs hcl.Attributes, name string, sc *scope) []string {
	out, _ := l.strListOK(attrs, name, sc)
	return out
}

func (l *loader) strListOK(attrs hcl.Attributes, name string, sc *scope) ([]string, bool) {
	a := attrs[name]
	if a == nil {
		return nil, false
	}
	v, ok := l.evalAs(a, cty.List(cty.String), sc)
	if !ok {
		return nil, false
	}
	out := make([]string, 0, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		_, e := it.Element()
		if e.IsNull() {
			l.typeError(a, "the list must not contain null")
			return nil, false
		}
		out = append(out, e.AsString())
	}
	return out, true
}

func (l *loader) strMap(attrs hcl.Attributes, name string, sc *scope) map[string]string {
	m, _ := l.strMapSensitive(attrs, name, sc)
	return m
}

// strMapSensitive is strMap that also lists, sorted, the keys whose values
// are sensitive (all of them when the whole map is).
func (l *loader) strMapSensitive(attrs hcl.Attributes, name string, sc *scope) (map[string]string, []string) {
	a := attrs[name]
	if a == nil {
		return nil, nil
	}
	v, paths, ok := l.evalAsPaths(a, cty.Map(cty.String), sc)
	if !ok {
		return nil, nil
	}
	out := make(map[string]string, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsNull() {
			l.typeError(a, fmt.Sprintf("the value of %q must not be null", k.AsString()))
			return nil, nil
		}
		out[k.AsString()] = e.AsString()
	}
	return out, sensitiveKeys(paths, out)
}

// sensitiveKeys lists, sorted, the keys of the map m whose values the
// sensitive paths (from evalPaths) cover: all of them when the whole map is
// sensitive.
func sensitiveKeys(paths []cty.Path, m map[string]string) []string {
	sensitive := map[string]bool{}
	for _, p := range paths {
		if len(p) == 0 {
			for k := range m {
				sensitive[k] = true
			}
			continue
		}
		switch step := p[0].(type) {
		case cty.GetAttrStep:
			sensitive[step.Name] = true
		case cty.IndexStep:
			if step.Key.Type() == cty.String {
				sensitive[step.Key.AsString()] = true
			}
		}
	}
	var keys []string
	for k := range sensitive {
		if _, ok := m[k]; ok {
			keys = append(keys, k)
		}
	}
	sort.Strings(keys)
	return keys
}

// ranges records the source range of every attribute and nested block.
// varTexts lists the strings written in c's attributes that hold a
// CodePipeline variable reference, in source order: each template's literal
// text (HCL leaves #{...} as it is) with the template's own range.
func varTexts(c *hcl.BodyContent) []config.VarText {
	var out []config.VarText
	for _, name := range sortedNames(c.Attributes) {
		syn, ok := c.Attributes[name].Expr.(hclsyntax.Node)
		if !ok {
			continue
		}
		_ = hclsyntax.VisitAll(syn, func(n hclsyntax.Node) hcl.Diagnostics {
			t, ok := n.(*hclsyntax.TemplateExpr)
			if !ok {
				return nil
			}
			var sb strings.Builder
			for _, p := range t.Parts {
				if lit, ok := p.(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String && lit.Val.IsKnown() && !lit.Val.IsNull() {
					sb.WriteString(lit.Val.AsString())
				}
			}
			if text := sb.String(); strings.Contains(text, "#{") {
				out = append(out, config.VarText{Attr: name, Text: text, Range: t.SrcRange})
			}
			return nil
		})
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Range.Start.Byte < out[j].Range.Start.Byte })
	return out
}

func ranges(c *hcl.BodyContent) config.Ranges {
	r := make([]config.NamedRange, 0, len(c.Attributes)+len(c.Blocks))
	for _, b := range c.Blocks {
		if !slices.ContainsFunc(r, func(e config.NamedRange) bool { return e.Name == b.Type }) {
			r = append(r, config.NamedRange{Name: b.Type, Range: b.DefRange}) // the first block of a type
		}
	}
	for name, a := range c.Attributes {
		r = append(r, config.NamedRange{Name: name, Range: a.Expr.Range()})
		r = partRanges(r, name, a.Expr)
	}
	return config.NewRanges(r)
}

// partRanges appends the ranges of the elements of a literal list and of
// the keys and values of a literal map (config.ElemKey, KeyKey, ValueKey),
// so a problem with one of them points at it.
func partRanges(r []config.NamedRange, name string, expr hcl.Expression) []config.NamedRange {
	switch e := expr.(type) {
	case *hclsyntax.TupleConsExpr:
		for i, x := range e.Exprs {
			r = append(r, config.NamedRange{Name: config.ElemKey(name, i), Range: x.Range()})
		}
	case *hclsyntax.ObjectConsExpr:
		for _, item := range e.Items {
			k, diags := item.KeyExpr.Value(nil)
			if diags.HasErrors() || !k.IsKnown() || k.IsNull() || k.Type() != cty.String {
				continue
			}
			r = append(r, config.NamedRange{Name: config.KeyKey(name, k.AsString()), Range: item.KeyExpr.Range()},
				config.NamedRange{Name: config.ValueKey(name, k.AsString()), Range: item.ValueExpr.Range()})
		}
	}
	return r
}

// elementRanges returns the range of each element of a list expression
// written as a tuple literal, or nil.
func elementRanges(expr hcl.Expression) []hcl.Range {
	t, ok := expr.(*hclsyntax.TupleConsExpr)
	if !ok {
		return nil
	}
	out := make([]hcl.Range, len(t.Exprs))
	for i, e := range t.Exprs {
		out[i] = e.Range()
	}
	return out
}

// dupCheck remembers names declared in one namespace and reports repeats
// with the position of the first declaration.
type dupCheck struct {
	kind  string
	first map[string]hcl.Range
}

func newDupCheck(kind string) *dupCheck {
	return &dupCheck{kind: kind, first: map[string]hcl.Range{}}
}

// add returns false (and reports) if name was already declared.
func (d *dupCheck) add(l *loader, name string, rng hcl.Range) bool {
	if prev, ok := d.first[name]; ok {
		l.errorf(rng, "Duplicate "+d.kind, "%s %s named %q was already declared at %s. Names must be unique; rename or remove one of them.",
			article(d.kind), d.kind, name, shortPos(prev))
		return false
	}
	d.first[name] = rng
	return true
}

// article is "An" before a vowel, else "A".
func article(word string) string {
	if word != "" && strings.ContainsRune("aeiou", rune(word[0])) {
		return "An"
	}
	return "A"
}

func shortPos(r hcl.Range) string {
	return fmt.Sprintf("%s:%d,%d", r.Filename, r.Start.Line, r.Start.Column)
}

// quoteList formats names as "a", "b" and "c".
func quoteList(names []string) string {
	q := make([]string, len(names))
	for i, n := range names {
		q[i] = fmt.Sprintf("%q", n)
	}
	if len(q) <= 1 {
		return strings.Join(q, "")
	}
	return strings.Join(q[:len(q)-1], ", ") + " and " + q[len(q)-1]
}

// friendly names a value's type for messages ("null" for null).
func friendly(v cty.Value) string {
	if v.IsNull() {
		return "null"
	}
	return v.Type().FriendlyName()
}
