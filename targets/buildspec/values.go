package buildspec

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/compiler/graph"
)

// mapping returns the entries of a mapping node in order, with aliases
// followed and merge keys (`<<: *base`) expanded. A null node is an empty
// mapping. Anything else is reported and yields no entries.
func (p *parser) mapping(n *yaml.Node, path string) []field {
	n = deref(n)
	if isNull(n) {
		return nil
	}
	if n.Kind != yaml.MappingNode {
		p.errorf(n, "Invalid value type", "%s must be a mapping of keys to values; got %s.", path, kindName(n))
		return nil
	}
	explicit := map[string]*yaml.Node{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k := deref(n.Content[i])
		if k.Kind != yaml.ScalarNode || isMerge(k) {
			continue
		}
		if first, dup := explicit[k.Value]; dup {
			p.errorf(k, "Duplicate key", "%q is already set in %s at line %d. YAML readers disagree on which value wins; keep one.",
				k.Value, path, first.Line)
			continue
		}
		explicit[k.Value] = k
	}
	var out []field
	seen := map[string]bool{}
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, v := deref(n.Content[i]), n.Content[i+1]
		switch {
		case isMerge(k):
			for _, f := range p.merged(v, path) {
				if explicit[f.name] == nil && !seen[f.name] {
					seen[f.name] = true
					out = append(out, f)
				}
			}
		case k.Kind != yaml.ScalarNode:
			p.errorf(k, "Invalid key", "Keys of %s must be strings; got %s.", path, kindName(k))
		case explicit[k.Value] == k:
			seen[k.Value] = true
			out = append(out, field{name: k.Value, key: k, val: v})
		}
	}
	return out
}

func isMerge(k *yaml.Node) bool {
	return k.Kind == yaml.ScalarNode && k.ShortTag() == "!!merge"
}

// merged returns the entries a merge key brings in: one mapping or a list of
// mappings, earlier ones winning.
func (p *parser) merged(v *yaml.Node, path string) []field {
	if p.mergeDepth >= maxMergeDepth {
		p.errorf(v, "Invalid value type", "Merge keys in %s are nested too deeply.", path)
		return nil
	}
	p.mergeDepth++
	defer func() { p.mergeDepth-- }()
	v = deref(v)
	if v.Kind != yaml.SequenceNode {
		return p.mapping(v, path)
	}
	var out []field
	for _, item := range v.Content {
		out = append(out, p.mapping(item, path)...)
	}
	return out
}

// str reads a scalar exactly as written; null is "".
func (p *parser) str(n *yaml.Node, path string) string {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		if isNull(n) {
			return ""
		}
		return n.Value
	}
	hint := ""
	if n.Kind == yaml.MappingNode {
		hint = ` In YAML, ": " (colon and space) starts a mapping: quote a value that contains it, for example - 'echo "a: b"'.`
	}
	p.errorf(n, "Invalid value type", "%s must be a string; got %s.%s", path, kindName(n), hint)
	return ""
}

// boolean reads a YAML 1.1 boolean, in any case.
func (p *parser) boolean(n *yaml.Node, path string) *bool {
	n = deref(n)
	if n.Kind == yaml.ScalarNode {
		switch strings.ToLower(n.Value) {
		case "yes", "true", "on", "y":
			t := true
			return &t
		case "no", "false", "off", "n":
			f := false
			return &f
		}
	}
	p.errorf(n, "Invalid value type", "%s must be yes or no (true/false and on/off also work); got %s.", path, kindName(n))
	return nil
}

// strList reads a list of strings; null is an empty list. With scalarOK a
// single string stands for a list of one, as CodeBuild accepts for files
// and exclude-paths.
func (p *parser) strList(n *yaml.Node, path string, scalarOK bool) []string {
	n = deref(n)
	switch {
	case isNull(n):
		return []string{}
	case n.Kind == yaml.ScalarNode && scalarOK:
		return []string{n.Value}
	case n.Kind != yaml.SequenceNode:
		p.errorf(n, "Invalid value type", "%s must be a list of strings; got %s.", path, kindName(n))
		return nil
	}
	out := make([]string, 0, len(n.Content))
	for _, item := range n.Content {
		out = append(out, p.str(item, "Each entry of "+path))
	}
	return out
}

// kvList reads a mapping of names to scalars, in order; null is empty.
func (p *parser) kvList(n *yaml.Node, path string) []graph.KeyValue {
	kvs := []graph.KeyValue{}
	for _, f := range p.mapping(n, path) {
		kvs = append(kvs, graph.KeyValue{Key: f.name, Value: p.str(f.val, path+"."+f.name)})
	}
	return kvs
}

// batch keeps the batch section verbatim as Go values: mappings become
// map[string]any, lists []any, and scalars what the yaml library resolves
// them to (string, bool, int, float64 or nil).
func (p *parser) batch(n *yaml.Node) map[string]any {
	if isNull(deref(n)) {
		return map[string]any{}
	}
	m, ok := p.anyValue(n, "batch", 0).(map[string]any)
	if !ok {
		if deref(n).Kind != yaml.MappingNode {
			p.errorf(deref(n), "Invalid value type", "batch must be a mapping (build-list, build-graph, build-matrix or build-fanout); got %s.", kindName(deref(n)))
		}
		return nil
	}
	return m
}

const maxBatchDepth = 64

func (p *parser) anyValue(n *yaml.Node, path string, depth int) any {
	n = deref(n)
	p.budget--
	if p.budget < 0 || depth >= maxBatchDepth {
		if !p.batchTooBig {
			p.batchTooBig = true
			p.errorf(n, "Invalid value type", "%s is nested too deeply or expands (through aliases) to too many values.", path)
		}
		return nil
	}
	switch n.Kind {
	case yaml.MappingNode:
		m := map[string]any{}
		for _, f := range p.mapping(n, path) {
			m[f.name] = p.anyValue(f.val, path+"."+f.name, depth+1)
		}
		return m
	case yaml.SequenceNode:
		s := make([]any, 0, len(n.Content))
		for _, item := range n.Content {
			s = append(s, p.anyValue(item, path+" entries", depth+1))
		}
		return s
	case yaml.ScalarNode:
		var v any
		if err := n.Decode(&v); err != nil {
			return n.Value
		}
		if !numberKeepsText(v, n.Value) {
			// 3.10 as a float is 3.1: CodeBuild reads a batch's values as
			// text (variables, images), as it does runtime-versions'
			// golang: 1.20, so the text as written is kept.
			return n.Value
		}
		return v
	}
	return nil
}

// numberKeepsText reports whether v, a decoded scalar, is not a number, or
// is one whose shortest form is the text it was decoded from (10, 1.5, but
// not 3.10, 2.0 or 0x1F).
func numberKeepsText(v any, text string) bool {
	switch v := v.(type) {
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64) == text
	case int:
		return strconv.Itoa(v) == text
	}
	return true
}
