package local

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
)

// varRef matches CodePipeline's variable syntax #{namespace.name}.
var varRef = regexp.MustCompile(`#\{([A-Za-z0-9@\-_]+)\.([A-Za-z0-9@\-_]+)\}`)

// Variables holds every namespace's values known at one point of a run:
// "codepipeline", "variables" and each finished action's namespace.
type Variables map[string]map[string]string

// Set records one value.
func (v Variables) Set(ns, name, value string) {
	if v[ns] == nil {
		v[ns] = map[string]string{}
	}
	v[ns][name] = value
}

// Resolve replaces every #{ns.name} in s. References that cannot be resolved
// are left as written and returned, so the caller can fail the action with
// all of them at once.
func (v Variables) Resolve(s string) (string, []string) {
	var missing []string
	out := varRef.ReplaceAllStringFunc(s, func(m string) string {
		sub := varRef.FindStringSubmatch(m)
		if val, ok := v[sub[1]][sub[2]]; ok {
			return val
		}
		missing = append(missing, sub[1]+"."+sub[2])
		return m
	})
	return out, missing
}

// ResolveMap resolves every value of a configuration map; missing references
// are collected, sorted and de-duplicated.
func (v Variables) ResolveMap(m map[string]string) (map[string]string, []string) {
	out := make(map[string]string, len(m))
	seen := map[string]bool{}
	var missing []string
	for k, val := range m {
		r, miss := v.Resolve(val)
		out[k] = r
		for _, x := range miss {
			if !seen[x] {
				seen[x] = true
				missing = append(missing, x)
			}
		}
	}
	sort.Strings(missing)
	return out, missing
}

// unresolvedError is the message for references without a value.
func unresolvedError(missing []string) string {
	refs := make([]string, len(missing))
	for i, m := range missing {
		refs[i] = "#{" + m + "}"
	}
	return fmt.Sprintf("Unable to resolve %s: the producing action did not set %s. Make sure the variable is exported (exported-variables of the project, or a source's documented variables) and that its action has a namespace.",
		strings.Join(refs, ", "), pluralIt(len(missing)))
}

func pluralIt(n int) string {
	if n == 1 {
		return "it"
	}
	return "them"
}
