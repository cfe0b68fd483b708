package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
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
	content, diags := dynblock.Expand(body, sc.ctx).Content(schema)
	l.diags = append(l.diags, diags...)
	return &instance{key: key, sc: sc, content: content}
}

type forEachKey struct{ key, value cty.Value }

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
func syntaxBodies(raw hcl.Body) map[hcl.Range]hcl.Body {
	sb, ok := raw.(*hclsyntax.Body)
	if !ok {
		return nil
	}
	out := make(map[hcl.Range]hcl.Body, len(sb.Blocks))
	for _, b := range sb.Blocks {
		out[b.DefRange()] = b.Body
	}
	return out
}

// rawBody returns the raw body of b if known, else b.Body.
func rawBody(index map[hcl.Range]hcl.Body, b *hcl.Block) hcl.Body {
	if body, ok := index[b.DefRange]; ok {
		return body
	}
	return b.Body
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
