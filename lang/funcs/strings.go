package funcs

import (
	"path"
	"regexp"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// StartsWithFunc reports whether a string begins with a prefix.
var StartsWithFunc = stringPredicate("str", "prefix",
	"Reports whether str begins with prefix.", strings.HasPrefix)

// EndsWithFunc reports whether a string ends with a suffix.
var EndsWithFunc = stringPredicate("str", "suffix",
	"Reports whether str ends with suffix.", strings.HasSuffix)

// StrContainsFunc reports whether a string contains a substring.
var StrContainsFunc = stringPredicate("str", "substr",
	"Reports whether str contains substr.", strings.Contains)

// stringPredicate builds a function of two strings returning a bool.
func stringPredicate(a, b, desc string, f func(string, string) bool) function.Function {
	return function.New(&function.Spec{
		Description: desc,
		Params: []function.Parameter{
			{Name: a, Type: cty.String},
			{Name: b, Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return cty.BoolVal(f(args[0].AsString(), args[1].AsString())), nil
		},
	})
}

// ReplaceFunc replaces every occurrence of substr in str. As in Terraform, a
// substr wrapped in forward slashes ("/v(\\d+)/") is a regular expression
// (RE2 syntax) and the replacement may refer to its groups as $1 or ${name}.
var ReplaceFunc = function.New(&function.Spec{
	Description: "Replaces every occurrence of substr in str with replace; a /slash-wrapped/ substr is a regular expression.",
	Params: []function.Parameter{
		{Name: "str", Type: cty.String},
		{Name: "substr", Type: cty.String},
		{Name: "replace", Type: cty.String},
	},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		str, substr, repl := args[0].AsString(), args[1].AsString(), args[2].AsString()
		if len(substr) > 1 && strings.HasPrefix(substr, "/") && strings.HasSuffix(substr, "/") {
			re, err := regexp.Compile(substr[1 : len(substr)-1])
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(1, "invalid regular expression %s: %s", substr, err)
			}
			return cty.StringVal(re.ReplaceAllString(str, repl)), nil
		}
		return cty.StringVal(strings.ReplaceAll(str, substr, repl)), nil
	},
})

// LengthFunc returns the number of elements of a collection or structural
// value, or the number of characters (grapheme clusters) of a string.
var LengthFunc = function.New(&function.Spec{
	Description: "Returns the number of elements in a list, set, tuple, map or object, or the number of characters in a string.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowUnknown:     true,
		AllowMarked:      true,
	}},
	Type: func(args []cty.Value) (cty.Type, error) {
		ty := args[0].Type()
		switch {
		case ty == cty.String, ty == cty.DynamicPseudoType:
			return cty.Number, nil
		case ty.IsCollectionType(), ty.IsTupleType(), ty.IsObjectType():
			return cty.Number, nil
		}
		return cty.NilType, function.NewArgErrorf(0, "value must be a string, list, set, tuple, map or object, not %s", ty.FriendlyName())
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		switch {
		case v.Type() == cty.DynamicPseudoType:
			return cty.UnknownVal(cty.Number), nil
		case v.Type() == cty.String:
			u, marks := v.Unmark()
			if !u.IsKnown() {
				return cty.UnknownVal(cty.Number).WithMarks(marks), nil
			}
			n, err := stdlib.Strlen(u)
			return n.WithMarks(marks), err
		case v.Type().IsObjectType():
			_, marks := v.Unmark()
			return cty.NumberIntVal(int64(len(v.Type().AttributeTypes()))).WithMarks(marks), nil
		}
		return stdlib.Length(v)
	},
})

// BasenameFunc returns the last element of a slash-separated path.
var BasenameFunc = stringToString("Returns the last element of a slash-separated path.",
	func(s string) (string, error) {
		if s == "" {
			return "", function.NewArgErrorf(0, "the path is empty")
		}
		return path.Base(s), nil
	})

// DirnameFunc returns all but the last element of a slash-separated path.
var DirnameFunc = stringToString("Returns all but the last element of a slash-separated path.",
	func(s string) (string, error) {
		if s == "" {
			return "", function.NewArgErrorf(0, "the path is empty")
		}
		return path.Dir(s), nil
	})
