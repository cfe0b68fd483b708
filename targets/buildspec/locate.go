package buildspec

import (
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"
)

// EnvLocator returns a function that finds the key of an env entry in the
// buildspec src: env.<section>.<name> in version 0.2,
// environment_variables.<section>.<name> in version 0.1 (where variables
// are under plaintext). The runner calls it for its diagnostics about an
// entry found wrong only when the build runs (a parameter or secret that
// the secrets file does not hold), so they point at the line. It returns
// nil when src is not YAML, and the function it returns gives nil for an
// entry it does not find.
func EnvLocator(filename string, src []byte) func(section, name string) *hcl.Range {
	var doc yaml.Node
	if yaml.Unmarshal(src, &doc) != nil || len(doc.Content) == 0 {
		return nil
	}
	s := newSource(filename, src)
	return func(section, name string) *hcl.Range {
		env, legacy := yamlKey(doc.Content[0], "env"), section
		if env == nil {
			env = yamlKey(doc.Content[0], "environment_variables")
			if section == "variables" {
				legacy = "plaintext"
			}
		}
		if env == nil {
			return nil
		}
		key := yamlKeyNode(yamlKey(env, legacy), name)
		if key == nil {
			return nil
		}
		r := s.rng(key)
		return &r
	}
}

// yamlKey is the value of key in the mapping n, or nil.
func yamlKey(n *yaml.Node, key string) *yaml.Node {
	if k := yamlKeyNode(n, key); k != nil {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i] == k {
				return n.Content[i+1]
			}
		}
	}
	return nil
}

// yamlKeyNode is the key node named key in the mapping n, or nil.
func yamlKeyNode(n *yaml.Node, key string) *yaml.Node {
	if n == nil || n.Kind != yaml.MappingNode {
		return nil
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		if n.Content[i].Value == key {
			return n.Content[i]
		}
	}
	return nil
}
