package lsp

import (
	"context"
	"fmt"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"
	"go.lsp.dev/protocol"

	"github.com/pipeform/pipeform/lang/providers"
)

func (s *server) Hover(ctx context.Context, p *protocol.HoverParams) (*protocol.Hover, error) {
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return nil, nil
	}
	t := snap.texts[name]
	text, rng := hover(snap, name, t.offset(p.Position))
	if text == "" {
		return nil, nil
	}
	r := t.rng(rng)
	return &protocol.Hover{Contents: &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: text}, Range: &r}, nil
}

// hover is the text shown for byte offset off of file, and the range it is
// about: a name's meaning and value, else the documentation of the
// attribute or block under the cursor, else the value of the expression.
func hover(snap *snapshot, file string, off int) (string, hcl.Range) {
	ix := snap.index()
	if o, ok := ix.at(file, off); ok {
		if text := symbolHover(snap, ix, o.sym); text != "" {
			return text, o.rng
		}
	}
	f := snap.res.Files[file]
	if f == nil {
		return "", hcl.Range{}
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return "", hcl.Range{}
	}
	return syntaxHover(snap, body, nil, off)
}

// syntaxHover finds the attribute or block header at off.
func syntaxHover(snap *snapshot, body *hclsyntax.Body, path []string, off int) (string, hcl.Range) {
	for _, a := range body.Attributes {
		if contains(a.NameRange, off) {
			typ, doc := attrDoc(path, a.Name)
			if prov := providers.Lookup(lastOf(path)); prov != nil && len(path) == 4 {
				if pa := prov.Attr(a.Name); pa != nil && pa.Required {
					typ += ", required"
				}
			}
			if doc == "" {
				return "", hcl.Range{}
			}
			head := "`" + a.Name + "`"
			if typ != "" {
				head += " (" + typ + ")"
			}
			return head + "\n\n" + doc, a.NameRange
		}
		if contains(a.Expr.Range(), off) {
			return exprHover(snap, a.Expr, off)
		}
	}
	for _, b := range body.Blocks {
		typ := b.Type
		if typ == "dynamic" && len(b.Labels) > 0 {
			typ = b.Labels[0]
		}
		sub := append(append([]string(nil), path...), typ)
		if b.Type == "content" && len(path) > 0 {
			sub = path
		}
		if contains(b.TypeRange, off) {
			return blockDoc(sub), b.TypeRange
		}
		if contains(b.Body.SrcRange, off) {
			return syntaxHover(snap, b.Body, sub, off)
		}
	}
	return "", hcl.Range{}
}

func contains(r hcl.Range, off int) bool { return r.Start.Byte <= off && off <= r.End.Byte }

// exprHover shows the value and type of the smallest expression at off
// that can be evaluated at the top level (no each.* or artifact.*).
func exprHover(snap *snapshot, e hclsyntax.Expression, off int) (string, hcl.Range) {
	if snap.res.Scope == nil {
		return "", hcl.Range{}
	}
	var best hclsyntax.Expression
	hclsyntax.VisitAll(e, func(n hclsyntax.Node) hcl.Diagnostics {
		if x, ok := n.(hclsyntax.Expression); ok && contains(x.Range(), off) {
			if best == nil || width(x.Range()) <= width(best.Range()) {
				best = x
			}
		}
		return nil
	})
	for _, x := range []hclsyntax.Expression{best, e} {
		if x == nil {
			continue
		}
		if _, lit := x.(*hclsyntax.LiteralValueExpr); lit {
			continue
		}
		v, diags := x.Value(snap.res.Scope)
		if diags.HasErrors() {
			continue
		}
		return "```hcl\n" + valueText(v) + "\n```\n\n" + v.Type().FriendlyName(), x.Range()
	}
	return "", hcl.Range{}
}

func width(r hcl.Range) int { return r.End.Byte - r.Start.Byte }

// valueText renders a value in HCL syntax, hiding what comes from a
// sensitive variable.
func valueText(v cty.Value) string {
	switch {
	case v.ContainsMarked():
		return "(sensitive)"
	case !v.IsWhollyKnown():
		return "(known only at run time)"
	}
	s := strings.TrimSpace(string(hclwrite.TokensForValue(v).Bytes()))
	if len(s) > 600 {
		s = s[:600] + " …"
	}
	return s
}

// symbolHover describes a name: a variable's or local's value, a
// project, an artifact's producer, a namespace's action.
func symbolHover(snap *snapshot, ix *index, sym symbol) string {
	switch sym.kind {
	case symVariable, symLocal:
		root := "var"
		if sym.kind == symLocal {
			root = "local"
		}
		return fmt.Sprintf("%s `%s.%s`\n\n%s", kindNames[sym.kind], root, sym.name, valueDetail(snap, sym))
	case symArtifact:
		if a := ix.producer(sym.scope, sym.name); a != nil {
			return fmt.Sprintf("artifact `%s`: output of action %q (stage %q)", sym.name, a.name, a.stage)
		}
		return fmt.Sprintf("artifact `%s`: no action of pipeline %q lists it in its outputs", sym.name, sym.scope)
	case symNamespace:
		if a := ix.namespaceAction(sym.scope, sym.name); a != nil {
			return fmt.Sprintf("namespace `%s` of action %q (stage %q); it exports %s", sym.name, a.name, a.stage, exportList(ix.exports(a)))
		}
	case symNamespaceVar:
		ns, v, _ := strings.Cut(sym.name, ".")
		if a := ix.namespaceAction(sym.scope, ns); a != nil {
			return fmt.Sprintf("`#{%s}`: variable %s produced by action %q (stage %q, %s), run before this one", sym.name, v, a.name, a.stage, a.provider)
		}
	case symProject:
		return "project `" + sym.name + "`"
	case symPipelineVar:
		return fmt.Sprintf("pipeline variable `%s` of pipeline %q, read as `#{variables.%s}`", sym.name, sym.scope, sym.name)
	}
	return ""
}

func exportList(vars []string) string {
	if len(vars) == 0 {
		return "no variables pipeform knows of"
	}
	return "`" + strings.Join(vars, "`, `") + "`"
}

// valueDetail is the evaluated value and type of var.x or local.x.
func valueDetail(snap *snapshot, sym symbol) string {
	if snap.res.Scope == nil {
		return ""
	}
	root := map[symKind]string{symVariable: "var", symLocal: "local", symProject: "project"}[sym.kind]
	obj, ok := snap.res.Scope.Variables[root]
	if !ok || !obj.Type().IsObjectType() || !obj.Type().HasAttribute(sym.name) {
		return ""
	}
	v := obj.GetAttr(sym.name)
	if sym.kind == symProject {
		return "project"
	}
	return valueText(v) + " (" + v.Type().FriendlyName() + ")"
}

// producer is the action of a pipeline that lists artifact in its outputs.
func (ix *index) producer(pipeline, artifact string) *actionInfo {
	if p := ix.pipelines[pipeline]; p != nil {
		for _, a := range p.actions {
			for _, o := range a.outputs {
				if o == artifact {
					return a
				}
			}
		}
	}
	return nil
}

// namespaceAction is the action of a pipeline with namespace ns.
func (ix *index) namespaceAction(pipeline, ns string) *actionInfo {
	if p := ix.pipelines[pipeline]; p != nil {
		for _, a := range p.actions {
			if a.namespace == ns {
				return a
			}
		}
	}
	return nil
}
