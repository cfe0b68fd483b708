package funcs

import (
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// maxJSONDepth bounds how deep jsondecode's input may nest: cty's decoder
// recurses once per level and would exhaust the stack on a file of ten
// million brackets. It matches yamldecode's limit.
const maxJSONDepth = maxYAMLDepth

// JSONDecodeFunc is cty's jsondecode, refusing input nested deeper than
// maxJSONDepth before decoding it.
var JSONDecodeFunc = function.New(&function.Spec{
	Description: stdlib.JSONDecodeFunc.Description(),
	Params:      []function.Parameter{{Name: "str", Type: cty.String}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if args[0].IsKnown() && !args[0].IsNull() {
			if err := checkJSONDepth(args[0].AsString()); err != nil {
				return cty.NilType, err
			}
		}
		return stdlib.JSONDecodeFunc.ReturnTypeForValues(args)
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return stdlib.JSONDecodeFunc.Call(args)
	},
})

// checkJSONDepth reports JSON nested deeper than maxJSONDepth. Brackets
// inside strings do not count; malformed JSON is left to the decoder.
func checkJSONDepth(s string) error {
	depth, inString := 0, false
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case inString && c == '\\':
			i++
		case c == '"':
			inString = !inString
		case inString:
		case c == '[' || c == '{':
			depth++
			if depth > maxJSONDepth {
				return function.NewArgErrorf(0, "the JSON nests deeper than %d levels (at byte %d)", maxJSONDepth, i)
			}
		case c == ']' || c == '}':
			depth--
		}
	}
	return nil
}
