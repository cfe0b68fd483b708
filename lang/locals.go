package lang

import (
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// localDecl is one attribute of a locals block.
type localDecl struct {
	name   string
	attr   *hcl.Attribute
	deps   []string // other locals it references, in source order
	value  cty.Value
	cyclic bool
}

// decodeLocals collects every locals block, evaluates the values in
// dependency order (from each expression's references, never by retrying)
// and publishes local.* in the root context. Variable validations run here,
// once locals exist, because conditions may use them.
func (l *loader) decodeLocals(blocks hcl.Blocks) {
	dups := newDupCheck("local value")
	var order []*localDecl
	for _, b := range blocks {
		attrs, diags := b.Body.JustAttributes()
		l.diags = append(l.diags, diags...)
		for _, a := range sortedAttrs(attrs) {
			if !dups.add(l, a.Name, a.NameRange) {
				continue
			}
			d := &localDecl{name: a.Name, attr: a, value: cty.DynamicVal}
			l.locals[a.Name] = d
			order = append(order, d)
		}
	}
	for _, d := range order {
		seen := map[string]bool{}
		for _, tr := range d.attr.Expr.Variables() {
			if tr.RootName() != "local" || len(tr) < 2 {
				continue
			}
			if a, ok := tr[1].(hcl.TraverseAttr); ok && l.locals[a.Name] != nil && !seen[a.Name] {
				seen[a.Name] = true
				d.deps = append(d.deps, a.Name)
			}
		}
	}
	for _, d := range l.topoLocals(order) {
		if d.cyclic {
			continue
		}
		vals := make(map[string]cty.Value, len(d.deps))
		for _, dep := range d.deps {
			vals[dep] = l.locals[dep].value
		}
		ctx := l.root.NewChild()
		ctx.Variables = map[string]cty.Value{"local": cty.ObjectVal(vals)}
		d.value = l.evalMarked(d.attr.Expr, &scope{ctx: ctx})
	}
	vals := make(map[string]cty.Value, len(order))
	for _, d := range order {
		vals[d.name] = d.value
	}
	l.root.Variables["local"] = cty.ObjectVal(vals)
	l.checkValidations()
}

// sortedAttrs returns attributes in source order.
func sortedAttrs(attrs hcl.Attributes) []*hcl.Attribute {
	out := make([]*hcl.Attribute, 0, len(attrs))
	for _, a := range attrs {
		out = append(out, a)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].NameRange.Start.Byte < out[j].NameRange.Start.Byte })
	return out
}

// topoLocals orders locals so every one comes after its dependencies,
// reporting each cycle once as the whole chain, starting from its member
// declared first.
func (l *loader) topoLocals(order []*localDecl) []*localDecl {
	pos := map[string]int{}
	for i, d := range order {
		pos[d.name] = i
	}
	state := map[string]int{} // 0 new, 1 on the stack, 2 done
	var stack, sorted []*localDecl
	reported := map[string]bool{}
	var visit func(d *localDecl)
	visit = func(d *localDecl) {
		state[d.name] = 1
		stack = append(stack, d)
		for _, name := range d.deps {
			dep := l.locals[name]
			switch state[name] {
			case 0:
				visit(dep)
			case 1:
				i := len(stack) - 1
				for stack[i] != dep {
					i--
				}
				l.reportLocalCycle(append([]*localDecl(nil), stack[i:]...), pos, reported)
			}
		}
		stack = stack[:len(stack)-1]
		state[d.name] = 2
		sorted = append(sorted, d)
	}
	for _, d := range order {
		if state[d.name] == 0 {
			visit(d)
		}
	}
	return sorted
}

func (l *loader) reportLocalCycle(cycle []*localDecl, pos map[string]int, reported map[string]bool) {
	first := 0
	for i, d := range cycle {
		d.cyclic = true
		if pos[d.name] < pos[cycle[first].name] {
			first = i
		}
	}
	cycle = append(cycle[first:], cycle[:first]...)
	names := make([]string, 0, len(cycle)+1)
	for _, d := range cycle {
		names = append(names, "local."+d.name)
	}
	names = append(names, names[0])
	chain := strings.Join(names, " -> ")
	if reported[chain] {
		return
	}
	reported[chain] = true
	l.errorf(cycle[0].attr.NameRange, "Cycle in local values",
		"These local values refer to each other in a loop, so none of them can be evaluated: %s. Break the loop by making one of them independent of the others.", chain)
}
