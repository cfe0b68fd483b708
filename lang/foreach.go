package lang

import (
	"fmt"
	"regexp"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
)

// instance is one expansion of a block that may have for_each.
type instance struct {
	key     cty.Value // cty.NilVal without for_each
	sc      *scope    // the scope of the instance (with each bound)
	content *hcl.BodyContent
}

// keyString is the instance key as text ("" without for_each).
func (i *instance) keyString() string {
	if i.key == cty.NilVal {
		return ""
	}
	return i.key.AsString()
}

// expand decodes body against schema once per for_each instance (or once
// without for_each). The body's own dynamic blocks are expanded with the
// instance's scope, so they may use each.key and each.value. The returned
// instances are in key order; a bad for_each yields none.
func (l *loader) expand(body hcl.Body, schema *hcl.BodySchema, sc *scope) []*instance {
	pre, _, _ := body.PartialContent(forEachSchema)
	fe := pre.Attributes["for_each"]
	if fe == nil {
		return []*instance{l.instance(body, schema, sc, cty.NilVal)}
	}
	val := l.eval(fe.Expr, sc)
	if !val.IsWhollyKnown() {
		// Already reported; still check the body's schema once.
		l.instance(body, schema, sc.child(cty.DynamicVal), cty.NilVal)
		return nil
	}
	keys, ok := forEachKeys(val)
	if !ok && hasNullElement(val) {
		l.errorf(fe.Expr.Range(), "Invalid for_each argument",
			"The for_each set has a null element, and every element must be a string that names an instance. Remove the null, for example with compact(), which drops nulls and empty strings.")
		l.instance(body, schema, sc.child(cty.DynamicVal), cty.NilVal)
		return nil
	}
	if !ok {
		l.errorf(fe.Expr.Range(), "Invalid for_each argument",
			"The for_each argument must be a map, or a set of strings, and you have provided a value of type %s. Convert a list with toset().", friendly(val))
		l.instance(body, schema, sc.child(cty.DynamicVal), cty.NilVal)
		return nil
	}
	out := make([]*instance, 0, len(keys))
	for _, k := range keys {
		each := cty.ObjectVal(map[string]cty.Value{"key": k.key, "value": k.value})
		out = append(out, l.instance(body, schema, sc.child(each), k.key))
	}
	if len(out) == 0 {
		// No instances: the body is still checked for schema errors.
		l.instance(body, schema, sc.child(cty.DynamicVal), cty.NilVal)
	}
	return out
}

func (l *loader) instance(body hcl.Body, schema *hcl.BodySchema, sc *scope, key cty.Value) *instance {
	content, diags := l.expandDynamic(body, sc.ctx).Content(schema)
	l.diags = append(l.diags, dynamicDiags(diags, schema)...)
	return &instance{key: key, sc: sc, content: content}
}

var (
	unsupportedBlock = regexp.MustCompile(`^Blocks of type "([^"]+)" are not expected here\.$`)
	labelCount       = regexp.MustCompile(`^Blocks of type "([^"]+)" require (\d+) label\(s\)\.$`)
)

// dynamicDiags completes the diagnostics of hcl's dynamic block expansion,
// which are terser than those of a written-out block: a misspelt
// dynamic "TYPE" gets did-you-mean, a wrong number of labels says what to
// write, and a bad for_each says which values work.
func dynamicDiags(diags hcl.Diagnostics, schema *hcl.BodySchema) hcl.Diagnostics {
	if len(diags) == 0 {
		return diags // the usual case: nothing to reword, nothing to allocate
	}
	var types []string
	for _, b := range schema.Blocks {
		types = append(types, b.Type)
	}
	for i, d := range diags {
		var detail string
		switch {
		case d.Summary == "Unsupported block type" && unsupportedBlock.MatchString(d.Detail):
			typ := unsupportedBlock.FindStringSubmatch(d.Detail)[1]
			detail = d.Detail + suggest(typ, types)
		case d.Summary == "Extraneous dynamic block label" || d.Summary == "Insufficient dynamic block labels":
			m := labelCount.FindStringSubmatch(d.Detail)
			if m == nil {
				continue
			}
			detail = fmt.Sprintf("A %q block takes exactly %s label, so labels must be a list of %s expression, such as labels = [%s.key].", m[1], m[2], m[2], m[1])
		case d.Summary == "Unsupported argument" && d.Detail == `An argument named "labels" is not expected here.`:
			// No pipeform block has a labels attribute: this is a dynamic
			// block generating a block type that takes no labels.
			detail = "The block type this dynamic block generates takes no labels: remove labels."
		case d.Summary == "Invalid dynamic for_each value":
			detail = d.Detail + " Use a list, set, map or object, such as [\"a\", \"b\"] or { a = 1 }."
		default:
			continue
		}
		c := *d
		c.Detail = detail
		diags[i] = &c
	}
	return diags
}

type forEachKey struct{ key, value cty.Value }

// hasNullElement says whether val is a non-null set with a null element.
func hasNullElement(val cty.Value) bool {
	if val.IsNull() || !val.Type().IsSetType() {
		return false
	}
	for it := val.ElementIterator(); it.Next(); {
		if _, v := it.Element(); v.IsNull() {
			return true
		}
	}
	return false
}

// forEachKeys lists the instances of a for_each value in key order: the
// elements of a map or object, or of a set of strings.
func forEachKeys(val cty.Value) ([]forEachKey, bool) {
	ty := val.Type()
	if val.IsNull() {
		return nil, false
	}
	var out []forEachKey
	switch {
	case ty.IsMapType() || ty.IsObjectType():
		for it := val.ElementIterator(); it.Next(); {
			k, v := it.Element()
			out = append(out, forEachKey{k, v})
		}
	case ty.IsSetType() && ty.ElementType() == cty.String:
		for it := val.ElementIterator(); it.Next(); {
			_, v := it.Element()
			if v.IsNull() {
				return nil, false
			}
			out = append(out, forEachKey{v, v})
		}
	default:
		return nil, false
	}
	return out, true
}

// syntaxBodies indexes the native-syntax bodies of the blocks of raw by the
// block's definition range. Child blocks from an expanded body carry the
// parent's dynamic-block context; a child that has its own for_each is
// re-expanded from its raw body instead, so its dynamic blocks see each.
//
// Blocks generated by a dynamic block are not in the index (they carry the
// dynamic block's range, and need its iterator), so they keep their
// expanded body.
func syntaxBodies(raw hcl.Body) map[hcl.Range]hcl.Body {
	sb, ok := raw.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	out := make(map[hcl.Range]hcl.Body, len(sb.Blocks))
	for _, b := range sb.Blocks {
		if b.Type != "dynamic" {
			out[b.DefRange()] = b.Body
		}
	}
	return out
}

// instanceName is `name` if set, else the label, with "-<key>" for
// for_each instances.
func (l *loader) instanceName(label string, inst *instance) string {
	if name, ok := l.strOK(inst.content.Attributes, "name", inst.sc); ok {
		return name
	}
	if inst.key != cty.NilVal {
		return fmt.Sprintf("%s-%s", label, inst.key.AsString())
	}
	return label
}

// dynamicIndex finds the dynamic blocks of a native-syntax body by their
// definition range (which the blocks they generate carry), and counts the
// generated blocks seen so far, so the n-th one can be matched to the n-th
// element of the dynamic block's for_each.
type dynamicIndex struct {
	blocks map[hcl.Range]*hclsyntax.Block
	seen   map[hcl.Range]int
}

func newDynamicIndex(raw hcl.Body) *dynamicIndex {
	d := &dynamicIndex{blocks: map[hcl.Range]*hclsyntax.Block{}, seen: map[hcl.Range]int{}}
	if sb, ok := raw.(*hclsyntax.Body); ok {
		for _, b := range sb.Blocks {
			if b.Type == "dynamic" {
				d.blocks[b.DefRange()] = b
			}
		}
	}
	return d
}

// rawOrDynamic returns the body to expand for block b and the scope to do it
// in. A block that a dynamic block generated is re-read from the raw content
// body with the dynamic block's iterator bound, so that each (bound later by
// expand, for the block's own for_each or a nested action's) reaches the
// nested dynamic blocks; hcl's own expansion evaluates those with only the
// enclosing context. Every other block is handled as by rawBody.
//
// The range returned is what the block's DeclRange should be: its header,
// or for a generated block the header of the dynamic block's content (hcl
// gives generated blocks the dynamic block's header, so a diagnostic with an
// attribute as subject and the block as context would print the whole
// dynamic block, for_each and labels included).
func (l *loader) rawOrDynamic(index map[hcl.Range]hcl.Body, dyn *dynamicIndex, b *hcl.Block, sc *scope) (hcl.Body, *scope, hcl.Range) {
	if body, ok := index[b.DefRange]; ok {
		return body, sc, b.DefRange
	}
	d := dyn.blocks[b.DefRange]
	if d == nil {
		return b.Body, sc, b.DefRange
	}
	n := dyn.seen[b.DefRange]
	dyn.seen[b.DefRange]++
	var content *hclsyntax.Block
	for _, cb := range d.Body.Blocks {
		if cb.Type == "content" {
			content = cb
		}
	}
	if content == nil {
		return b.Body, sc, b.DefRange
	}
	decl := content.DefRange()
	if d.Body.Attributes["for_each"] == nil {
		return b.Body, sc, decl
	}
	iter := b.Type
	if it := d.Body.Attributes["iterator"]; it != nil {
		if name := hcl.ExprAsKeyword(it.Expr); name != "" {
			iter = name
		}
	}
	// Errors here were already reported when hcl expanded the block.
	val, diags := d.Body.Attributes["for_each"].Expr.Value(sc.ctx)
	val, _ = val.UnmarkDeep()
	if diags.HasErrors() || !val.IsWhollyKnown() || val.IsNull() || !val.CanIterateElements() || n >= val.LengthInt() {
		return b.Body, sc, decl
	}
	it := val.ElementIterator()
	for i := 0; i <= n; i++ {
		it.Next()
	}
	k, v := it.Element()
	c := *sc
	c.ctx = sc.ctx.NewChild()
	c.ctx.Variables = map[string]cty.Value{iter: cty.ObjectVal(map[string]cty.Value{"key": k, "value": v})}
	c.iters = map[string]bool{iter: true}
	for name := range sc.iters {
		c.iters[name] = true
	}
	return content.Body, &c, decl
}
