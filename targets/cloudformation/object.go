package cloudformation

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Object is a JSON object that keeps its keys in insertion order. Values are
// string, bool, int, []any, []string or *Object.
type Object struct {
	keys []string
	vals map[string]any
}

// Obj builds an object from alternating keys and values; a nil value (or an
// empty string, list or object) leaves the key out.
func Obj(kv ...any) *Object {
	o := &Object{vals: map[string]any{}}
	for i := 0; i+1 < len(kv); i += 2 {
		o.Set(kv[i].(string), kv[i+1])
	}
	return o
}

// Set adds or replaces a key, keeping first-insertion order. Empty values
// (nil, "", empty list, nil object) are skipped.
func (o *Object) Set(k string, v any) *Object {
	if isEmpty(v) {
		return o
	}
	if _, ok := o.vals[k]; !ok {
		o.keys = append(o.keys, k)
	}
	o.vals[k] = v
	return o
}

// Get returns a key's value, or nil.
func (o *Object) Get(k string) any { return o.vals[k] }

// Keys lists the keys in order.
func (o *Object) Keys() []string { return o.keys }

// Len is the number of keys.
func (o *Object) Len() int {
	if o == nil {
		return 0
	}
	return len(o.keys)
}

func isEmpty(v any) bool {
	switch v := v.(type) {
	case nil:
		return true
	case string:
		return v == ""
	case []any:
		return len(v) == 0
	case []string:
		return len(v) == 0
	case *Object:
		return v == nil
	}
	return false
}

// Intrinsic functions, in long form.

// Ref refers to a resource or parameter.
func Ref(id string) *Object { return Obj("Ref", id) }

// GetAtt reads an attribute of a resource.
func GetAtt(id, attr string) *Object { return Obj("Fn::GetAtt", []any{id, attr}) }

// Sub substitutes ${...} references in s.
func Sub(s string) *Object { return Obj("Fn::Sub", s) }

// subLiteral escapes a literal for use inside Fn::Sub.
func subLiteral(s string) string { return strings.ReplaceAll(s, "${", "${!") }

// MarshalJSON writes compact JSON in key order.
func (o *Object) MarshalJSON() ([]byte, error) {
	var buf bytes.Buffer
	writeJSON(&buf, o, "", "")
	return buf.Bytes(), nil
}

// EncodeJSON writes v as 2-space indented JSON with a final newline.
func EncodeJSON(v any) []byte {
	var buf bytes.Buffer
	writeJSON(&buf, v, "\n", "  ")
	buf.WriteByte('\n')
	return buf.Bytes()
}

func writeJSON(buf *bytes.Buffer, v any, nl, indent string) {
	inner := nl
	if nl != "" {
		inner = nl + indent
	}
	switch v := v.(type) {
	case *Object:
		if v.Len() == 0 {
			buf.WriteString("{}")
			return
		}
		buf.WriteByte('{')
		for i, k := range v.keys {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(inner)
			writeString(buf, k)
			buf.WriteByte(':')
			if nl != "" {
				buf.WriteByte(' ')
			}
			writeJSON(buf, v.vals[k], inner, indent)
		}
		buf.WriteString(nl)
		buf.WriteByte('}')
	case []string:
		list := make([]any, len(v))
		for i, s := range v {
			list[i] = s
		}
		writeJSON(buf, list, nl, indent)
	case []any:
		if len(v) == 0 {
			buf.WriteString("[]")
			return
		}
		buf.WriteByte('[')
		for i, e := range v {
			if i > 0 {
				buf.WriteByte(',')
			}
			buf.WriteString(inner)
			writeJSON(buf, e, inner, indent)
		}
		buf.WriteString(nl)
		buf.WriteByte(']')
	case string:
		writeString(buf, v)
	case bool:
		buf.WriteString(strconv.FormatBool(v))
	case int:
		buf.WriteString(strconv.Itoa(v))
	default:
		panic(fmt.Sprintf("cloudformation: unsupported template value %T", v))
	}
}

// writeString writes a JSON string without HTML escaping.
func writeString(buf *bytes.Buffer, s string) {
	if plainJSON(s) {
		buf.WriteByte('"')
		buf.WriteString(s)
		buf.WriteByte('"')
		return
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(s)
	buf.Write(bytes.TrimRight(b.Bytes(), "\n"))
}

// plainJSON reports whether s needs no escaping inside JSON quotes.
func plainJSON(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c == '"' || c == '\\' || c >= 0x7f {
			return false
		}
	}
	return true
}

// EncodeYAML writes v as block-style YAML with 2-space indentation.
func EncodeYAML(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(yamlNode(v)); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func yamlNode(v any) *yaml.Node {
	switch v := v.(type) {
	case *Object:
		n := &yaml.Node{Kind: yaml.MappingNode}
		for _, k := range v.keys {
			n.Content = append(n.Content, yamlNode(k), yamlNode(v.vals[k]))
		}
		return n
	case []string:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range v {
			n.Content = append(n.Content, yamlNode(s))
		}
		return n
	case []any:
		n := &yaml.Node{Kind: yaml.SequenceNode}
		for _, e := range v {
			n.Content = append(n.Content, yamlNode(e))
		}
		return n
	case string:
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: v}
		if strings.Contains(v, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	case bool:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!bool", Value: strconv.FormatBool(v)}
	case int:
		return &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!int", Value: strconv.Itoa(v)}
	}
	panic(fmt.Sprintf("cloudformation: unsupported template value %T", v))
}
