package funcs

import (
	"errors"
	"fmt"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/convert"
	"github.com/zclconf/go-cty/cty/function"
)

// CoalesceFunc returns the first argument that is neither null nor an
// empty string, as Terraform's coalesce does (cty's skips only nulls).
var CoalesceFunc = function.New(&function.Spec{
	Description: "Returns the first argument that is neither null nor an empty string.",
	VarParam: &function.Parameter{
		Name:             "vals",
		Type:             cty.DynamicPseudoType,
		AllowNull:        true,
		AllowDynamicType: true,
	},
	Type: func(args []cty.Value) (cty.Type, error) {
		if len(args) == 0 {
			return cty.NilType, errors.New("at least one argument is required")
		}
		types := make([]cty.Type, len(args))
		for i, a := range args {
			types[i] = a.Type()
		}
		ty, _ := convert.UnifyUnsafe(types)
		if ty == cty.NilType {
			return cty.NilType, errors.New("all arguments must have the same type (or be convertible to one)")
		}
		return ty, nil
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		for _, a := range args {
			if a.IsNull() {
				continue
			}
			v, err := convert.Convert(a, retType)
			if err != nil {
				return cty.NilVal, err
			}
			if retType == cty.String && v.RawEquals(cty.StringVal("")) {
				continue
			}
			return v, nil
		}
		return cty.NilVal, errors.New("every argument is null or an empty string; give at least one that is not")
	},
})

// IndexFunc returns the position of the first element of a list or tuple
// equal to a value (Terraform's index, not the index operator).
var IndexFunc = function.New(&function.Spec{
	Description: "Returns the index of the first element of list equal to value.",
	Params: []function.Parameter{
		{Name: "list", Type: cty.DynamicPseudoType},
		{Name: "value", Type: cty.DynamicPseudoType},
	},
	Type: function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list, value := args[0], args[1]
		ty := list.Type()
		if !ty.IsListType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "index wants a list or tuple, not %s", ty.FriendlyName())
		}
		i := 0
		for it := list.ElementIterator(); it.Next(); i++ {
			_, el := it.Element()
			eq := el.Equals(value)
			if !eq.IsKnown() {
				return cty.UnknownVal(cty.Number), nil
			}
			if eq.True() {
				return cty.NumberIntVal(int64(i)), nil
			}
		}
		return cty.NilVal, function.NewArgErrorf(1, "the value is not in the list")
	},
})

// OneFunc returns the only element of a list, set or tuple, or null if it is
// empty; more than one element is an error.
var OneFunc = function.New(&function.Spec{
	Description: "Returns the only element of a list, set or tuple of zero or one elements, or null if it is empty.",
	Params: []function.Parameter{{
		Name:             "list",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.DynamicPseudoType:
			return cty.DynamicPseudoType, nil
		case ty.IsListType(), ty.IsSetType():
			return ty.ElementType(), nil
		case ty.IsTupleType():
			switch n := len(ty.TupleElementTypes()); n {
			case 0:
				return cty.DynamicPseudoType, nil
			case 1:
				return ty.TupleElementType(0), nil
			default:
				return cty.NilType, function.NewArgErrorf(0, "the tuple has %d elements; one wants at most one", n)
			}
		}
		return cty.NilType, function.NewArgErrorf(0, "one wants a list, set or tuple, not %s", ty.FriendlyName())
	},
	Impl: func(args []cty.Value, retType cty.Type) (cty.Value, error) {
		v := args[0]
		if v.Type().IsSetType() && !v.IsWhollyKnown() {
			// Unknown elements may stand for several values or none.
			return cty.UnknownVal(retType), nil
		}
		if v.LengthInt() == 0 {
			return cty.NullVal(retType), nil
		}
		if n := v.LengthInt(); n > 1 {
			return cty.NilVal, function.NewArgErrorf(0, "the collection has %d elements; one wants at most one", n)
		}
		it := v.ElementIterator()
		it.Next()
		_, el := it.Element()
		return el, nil
	},
})

// AllTrueFunc reports whether every element of a list of bools is true
// (true for an empty list).
var AllTrueFunc = boolFold("Reports whether every element of list is true; true for an empty list.", true)

// AnyTrueFunc reports whether some element of a list of bools is true
// (false for an empty list).
var AnyTrueFunc = boolFold("Reports whether at least one element of list is true; false for an empty list.", false)

// boolFold builds alltrue (all=true) or anytrue (all=false). Null elements
// count as false.
func boolFold(desc string, all bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params:      []function.Parameter{{Name: "list", Type: cty.List(cty.Bool)}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			for it := args[0].ElementIterator(); it.Next(); {
				_, el := it.Element()
				if !el.IsKnown() {
					return cty.UnknownVal(cty.Bool), nil
				}
				b := !el.IsNull() && el.True()
				if b != all {
					return cty.BoolVal(!all), nil
				}
			}
			return cty.BoolVal(all), nil
		},
	})
}

// TransposeFunc swaps the keys and values of a map of lists of strings:
// each string becomes a key whose list holds the keys it appeared under.
var TransposeFunc = function.New(&function.Spec{
	Description: "Swaps the keys and list values of a map of lists of strings.",
	Params:      []function.Parameter{{Name: "map", Type: cty.Map(cty.List(cty.String))}},
	Type:        function.StaticReturnType(cty.Map(cty.List(cty.String))),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		if !args[0].IsWhollyKnown() {
			return cty.UnknownVal(cty.Map(cty.List(cty.String))), nil
		}
		out := map[string][]cty.Value{}
		// cty iterates maps in key order, so each output list is sorted.
		for it := args[0].ElementIterator(); it.Next(); {
			k, list := it.Element()
			if list.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "the list under key %q is null", k.AsString())
			}
			for lit := list.ElementIterator(); lit.Next(); {
				_, v := lit.Element()
				if v.IsNull() {
					return cty.NilVal, function.NewArgErrorf(0, "the list under key %q holds a null", k.AsString())
				}
				out[v.AsString()] = append(out[v.AsString()], k)
			}
		}
		if len(out) == 0 {
			return cty.MapValEmpty(cty.List(cty.String)), nil
		}
		m := make(map[string]cty.Value, len(out))
		for k, vs := range out {
			m[k] = cty.ListVal(vs)
		}
		return cty.MapVal(m), nil
	},
})

// SumFunc adds up a list, set or tuple of numbers.
var SumFunc = function.New(&function.Spec{
	Description: "Returns the sum of a list, set or tuple of numbers.",
	Params:      []function.Parameter{{Name: "list", Type: cty.DynamicPseudoType}},
	Type:        function.StaticReturnType(cty.Number),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		list := args[0]
		ty := list.Type()
		if !ty.IsListType() && !ty.IsSetType() && !ty.IsTupleType() {
			return cty.NilVal, function.NewArgErrorf(0, "sum wants a list, set or tuple of numbers, not %s", ty.FriendlyName())
		}
		if !list.IsWhollyKnown() {
			return cty.UnknownVal(cty.Number), nil
		}
		if list.LengthInt() == 0 {
			return cty.NilVal, function.NewArgErrorf(0, "cannot sum an empty list")
		}
		total := cty.Zero
		for it := list.ElementIterator(); it.Next(); {
			_, el := it.Element()
			n, err := convert.Convert(el, cty.Number)
			if err != nil || n.IsNull() {
				return cty.NilVal, function.NewArgErrorf(0, "every element must be a number; %s", describeElem(el, err))
			}
			total = total.Add(n)
		}
		return total, nil
	},
})

func describeElem(v cty.Value, err error) string {
	if v.IsNull() {
		return "found a null"
	}
	return fmt.Sprintf("found %s (%s)", v.Type().FriendlyName(), err)
}
