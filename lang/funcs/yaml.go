package funcs

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math"
	"math/big"
	"strings"

	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"go.yaml.in/yaml/v3"
)

// YAMLEncodeFunc encodes a value as a YAML document. Objects and maps are
// written with sorted keys, so the output is deterministic; strings that
// would read back as another type are quoted.
var YAMLEncodeFunc = function.New(&function.Spec{
	Description: "Encodes value as a YAML document with sorted keys.",
	Params: []function.Parameter{{
		Name:             "value",
		Type:             cty.DynamicPseudoType,
		AllowDynamicType: true,
		AllowNull:        true,
	}},
	Type: function.StaticReturnType(cty.String),
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		v := args[0]
		if !v.IsWhollyKnown() {
			return cty.UnknownVal(cty.String), nil
		}
		var buf bytes.Buffer
		enc := yaml.NewEncoder(&buf)
		enc.SetIndent(2)
		if err := enc.Encode(yamlNode(v)); err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "cannot encode the value as YAML: %s", err)
		}
		if err := enc.Close(); err != nil {
			return cty.NilVal, function.NewArgErrorf(0, "cannot encode the value as YAML: %s", err)
		}
		return cty.StringVal(buf.String()), nil
	},
})

// yaml11Bools are the plain scalars YAML 1.1 reads as bools; yamlencode
// quotes them so every YAML reader sees a string.
var yaml11Bools = map[string]bool{
	"y": true, "yes": true, "n": true, "no": true, "on": true, "off": true,
}

// yamlNode converts a wholly known value to a YAML node.
func yamlNode(v cty.Value) *yaml.Node {
	v, _ = v.UnmarkDeep()
	ty := v.Type()
	switch {
	case v.IsNull():
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Value: "null"}
	case ty == cty.String:
		n := &yaml.Node{}
		n.SetString(v.AsString())
		if yaml11Bools[strings.ToLower(n.Value)] {
			// YAML 1.1 readers take these for bools.
			n.Style = yaml.DoubleQuotedStyle
		}
		return n
	case ty == cty.Bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: fmt.Sprint(v.True())}
	case ty == cty.Number:
		f := v.AsBigFloat()
		tag := "!!float"
		if f.IsInt() {
			tag = "!!int"
		}
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: f.Text('f', -1)}
	case ty.IsMapType() || ty.IsObjectType():
		n := &yaml.Node{Kind: yaml.MappingNode, Tag: "!!map"}
		// cty iterates maps and objects in key order.
		for it := v.ElementIterator(); it.Next(); {
			k, el := it.Element()
			key := &yaml.Node{}
			key.SetString(k.AsString())
			n.Content = append(n.Content, key, yamlNode(el))
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	default: // list, set, tuple
		n := &yaml.Node{Kind: yaml.SequenceNode, Tag: "!!seq"}
		for it := v.ElementIterator(); it.Next(); {
			_, el := it.Element()
			n.Content = append(n.Content, yamlNode(el))
		}
		if len(n.Content) == 0 {
			n.Style = yaml.FlowStyle
		}
		return n
	}
}

// YAMLDecodeFunc parses one YAML document into a value: mappings become
// objects, sequences tuples, scalars strings, numbers, bools or null.
var YAMLDecodeFunc = function.New(&function.Spec{
	Description: "Parses a YAML document into a value (mappings become objects, sequences tuples).",
	Params:      []function.Parameter{{Name: "src", Type: cty.String}},
	Type: func(args []cty.Value) (cty.Type, error) {
		if !args[0].IsKnown() {
			return cty.DynamicPseudoType, nil
		}
		v, err := yamlDecode(args[0].AsString())
		if err != nil {
			return cty.NilType, err
		}
		return v.Type(), nil
	},
	Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
		return yamlDecode(args[0].AsString())
	},
})

func yamlDecode(src string) (cty.Value, error) {
	dec := yaml.NewDecoder(strings.NewReader(src))
	var doc yaml.Node
	if err := dec.Decode(&doc); err != nil {
		if errors.Is(err, io.EOF) {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return cty.NilVal, function.NewArgErrorf(0, "invalid YAML: %s", err)
	}
	var extra yaml.Node
	if err := dec.Decode(&extra); !errors.Is(err, io.EOF) {
		return cty.NilVal, function.NewArgErrorf(0, "the string holds more than one YAML document; yamldecode reads exactly one")
	}
	v, err := yamlValue(&doc, 0)
	if err != nil {
		return cty.NilVal, function.NewArgErrorf(0, "%s", err)
	}
	return v, nil
}

// maxYAMLDepth bounds alias expansion, so a self-referencing document
// is an error rather than a stack overflow.
const maxYAMLDepth = 1000

func yamlValue(n *yaml.Node, depth int) (cty.Value, error) {
	if depth > maxYAMLDepth {
		return cty.NilVal, fmt.Errorf("the YAML nests deeper than %d levels (a recursive alias?)", maxYAMLDepth)
	}
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) == 0 {
			return cty.NullVal(cty.DynamicPseudoType), nil
		}
		return yamlValue(n.Content[0], depth+1)
	case yaml.AliasNode:
		return yamlValue(n.Alias, depth+1)
	case yaml.SequenceNode:
		if len(n.Content) == 0 {
			return cty.EmptyTupleVal, nil
		}
		vals := make([]cty.Value, len(n.Content))
		for i, c := range n.Content {
			v, err := yamlValue(c, depth+1)
			if err != nil {
				return cty.NilVal, err
			}
			vals[i] = v
		}
		return cty.TupleVal(vals), nil
	case yaml.MappingNode:
		attrs := map[string]cty.Value{}
		if err := yamlMapping(n, attrs, depth); err != nil {
			return cty.NilVal, err
		}
		return cty.ObjectVal(attrs), nil
	}
	return yamlScalar(n)
}

// yamlMapping adds n's pairs to attrs. Merge keys (<<) add only the keys
// not set in the mapping itself, as YAML 1.1 specifies.
func yamlMapping(n *yaml.Node, attrs map[string]cty.Value, depth int) error {
	var merges []*yaml.Node
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		if k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge" {
			merges = append(merges, val)
			continue
		}
		if k.Kind != yaml.ScalarNode {
			return fmt.Errorf("line %d: a mapping key must be a scalar, not a %s", k.Line, kindName(k.Kind))
		}
		v, err := yamlValue(val, depth+1)
		if err != nil {
			return err
		}
		attrs[k.Value] = v
	}
	for _, m := range merges {
		for m.Kind == yaml.AliasNode {
			m = m.Alias
		}
		srcs := []*yaml.Node{m}
		if m.Kind == yaml.SequenceNode {
			srcs = m.Content
		}
		for _, s := range srcs {
			for s.Kind == yaml.AliasNode {
				s = s.Alias
			}
			if s.Kind != yaml.MappingNode {
				return fmt.Errorf("line %d: a merge key (<<) must refer to a mapping", m.Line)
			}
			merged := map[string]cty.Value{}
			if err := yamlMapping(s, merged, depth+1); err != nil {
				return err
			}
			for k, v := range merged {
				if _, ok := attrs[k]; !ok {
					attrs[k] = v
				}
			}
		}
	}
	return nil
}

func yamlScalar(n *yaml.Node) (cty.Value, error) {
	switch n.ShortTag() {
	case "!!null":
		return cty.NullVal(cty.DynamicPseudoType), nil
	case "!!bool":
		var b bool
		if err := n.Decode(&b); err != nil {
			return cty.NilVal, fmt.Errorf("line %d: %s", n.Line, err)
		}
		return cty.BoolVal(b), nil
	case "!!int":
		// Parse the text, so integers beyond 64 bits stay exact.
		if i, ok := new(big.Int).SetString(strings.TrimPrefix(n.Value, "+"), 0); ok {
			return cty.NumberVal(new(big.Float).SetInt(i)), nil
		}
		fallthrough
	case "!!float":
		// Decimal text parses exactly; other spellings (.inf, 1_000)
		// go through the YAML decoder.
		if v, err := cty.ParseNumberVal(n.Value); err == nil {
			return v, nil
		}
		var x any
		if err := n.Decode(&x); err != nil {
			return cty.NilVal, fmt.Errorf("line %d: %s", n.Line, err)
		}
		return yamlNumber(n, x)
	}
	// Strings, timestamps and anything else keep their text.
	return cty.StringVal(n.Value), nil
}

func yamlNumber(n *yaml.Node, x any) (cty.Value, error) {
	switch x := x.(type) {
	case int:
		return cty.NumberIntVal(int64(x)), nil
	case int64:
		return cty.NumberIntVal(x), nil
	case uint64:
		return cty.NumberUIntVal(x), nil
	case float64:
		if math.IsInf(x, 0) || math.IsNaN(x) {
			return cty.NilVal, fmt.Errorf("line %d: %s is not a finite number", n.Line, n.Value)
		}
		return cty.NumberFloatVal(x), nil
	}
	// Integers too large for 64 bits.
	if f, ok := new(big.Float).SetString(strings.ReplaceAll(n.Value, "_", "")); ok {
		return cty.NumberVal(f), nil
	}
	return cty.StringVal(n.Value), nil
}

func kindName(k yaml.Kind) string {
	switch k {
	case yaml.SequenceNode:
		return "sequence"
	case yaml.MappingNode:
		return "mapping"
	}
	return "node"
}
