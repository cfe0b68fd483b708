// Package docdiff compares two versions of a generated document (a
// CodePipeline JSON, a CloudFormation template, a buildspec) structurally:
// per resource, stage, action, buildspec phase and command, the way `plan
// --target aws` lists what `generate` would change.
package docdiff

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Op is what happened to a file or a value: Add, Change or Delete. Its
// value is the character plan prints for it.
type Op byte

const (
	Add    Op = '+'
	Change Op = '~'
	Delete Op = '-'
)

// Detail is one change inside a document.
type Detail struct {
	Op    Op
	Path  string // e.g. pipeline.stages[Build].actions[test].runOrder
	Value string // "old -> new", a value, or a type; may be empty
}

// Docs compares two generated documents structurally. old is nil for a
// new file. Documents that do not parse are compared as text.
func Docs(name string, old, new []byte) []Detail {
	newV, err := decodeDoc(name, new)
	if err != nil {
		return nil
	}
	var oldV any = map[string]any{}
	if old != nil {
		if oldV, err = decodeDoc(name, old); err != nil {
			return []Detail{{Op: Change, Path: "(whole file)", Value: "not readable before"}}
		}
	}
	var out []Detail
	diffValue("", oldV, newV, &out)
	return out
}

func decodeDoc(name string, data []byte) (any, error) {
	var v any
	if strings.HasSuffix(name, ".json") {
		err := json.Unmarshal(data, &v)
		return v, err
	}
	err := yaml.Unmarshal(data, &v)
	return v, err
}

// expandable are the paths whose members are listed one by one when they
// are added or removed whole: template sections, pipeline stages and
// actions, buildspec phases and their commands. Elsewhere an added or removed
// value is one line.
var expandable = map[string]bool{
	"": true, "Resources": true, "Parameters": true, "Outputs": true,
	"pipeline": true, "pipeline.stages": true, "pipeline.stages[*]": true, "pipeline.stages[*].actions": true,
	"phases": true, "phases.*": true, "phases.*.commands": true, "phases.*.finally": true,
}

var (
	bracketRE = regexp.MustCompile(`\[[^\]]*\]`)
	phaseRE   = regexp.MustCompile(`^phases\.[a-z_]+`)
)

func isExpandable(p string) bool {
	p = bracketRE.ReplaceAllString(p, "[*]")
	p = phaseRE.ReplaceAllString(p, "phases.*")
	return expandable[p]
}

func join(p, key string) string {
	if p == "" {
		return key
	}
	return p + "." + key
}

// diffValue appends the differences between old and new at path p.
func diffValue(p string, old, new any, out *[]Detail) {
	switch o := old.(type) {
	case map[string]any:
		if n, ok := new.(map[string]any); ok {
			for _, k := range unionKeys(o, n) {
				ov, inOld := o[k]
				nv, inNew := n[k]
				switch {
				case !inOld:
					added(Add, join(p, k), nv, out)
				case !inNew:
					added(Delete, join(p, k), ov, out)
				default:
					diffValue(join(p, k), ov, nv, out)
				}
			}
			return
		}
	case []any:
		if n, ok := new.([]any); ok {
			diffList(p, o, n, out)
			return
		}
	}
	if !equalJSON(old, new) {
		diffScalar(p, old, new, out)
	}
}

func diffScalar(p string, old, new any, out *[]Detail) {
	os, ok1 := old.(string)
	ns, ok2 := new.(string)
	if ok1 && ok2 && strings.HasSuffix(p, ".BuildSpec") {
		// An inline buildspec: compared as the buildspec it is, so a
		// command shows under its phase as in buildspec/<project>.yml.
		var oy, ny map[string]any
		if yaml.Unmarshal([]byte(os), &oy) == nil && yaml.Unmarshal([]byte(ns), &ny) == nil && oy != nil && ny != nil {
			diffValue(p, oy, ny, out)
			return
		}
	}
	if ok1 && ok2 && (strings.Contains(os, "\n") || strings.Contains(ns, "\n")) {
		// Other multi-line text: line by line.
		*out = append(*out, Detail{Op: Change, Path: p})
		diffLines(p, trimmedLines(os), trimmedLines(ns), out)
		return
	}
	*out = append(*out, Detail{Op: Change, Path: p, Value: short(old) + " -> " + short(new)})
}

// trimmedLines splits text into lines without their indentation.
func trimmedLines(s string) []string {
	lines := strings.Split(s, "\n")
	for i, l := range lines {
		lines[i] = strings.TrimSpace(l)
	}
	return lines
}

// added lists an added (or removed) value; an added one member by member
// where the path is expandable.
func added(op Op, p string, v any, out *[]Detail) {
	if op == Add && isExpandable(p) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range unionKeys(v, nil) {
				if k == "name" || k == "Name" {
					continue
				}
				added(op, join(p, k), v[k], out)
			}
			return
		case []any:
			if names, ok := listNames(v); ok {
				for i, e := range v {
					added(op, p+"["+names[i]+"]", e, out)
				}
				return
			}
			for _, e := range v {
				*out = append(*out, Detail{Op: op, Path: p, Value: short(e)})
			}
			return
		}
	}
	d := Detail{Op: op, Path: p}
	switch v := v.(type) {
	case map[string]any:
		if t, ok := v["Type"].(string); ok {
			d.Value = t
		}
	default:
		d.Value = short(v)
	}
	*out = append(*out, d)
}

// diffList matches named elements (stages, actions, ...) by name, and
// compares lists of scalars (commands) element by element.
func diffList(p string, old, new []any, out *[]Detail) {
	oldNames, ok1 := listNames(old)
	newNames, ok2 := listNames(new)
	if ok1 && ok2 {
		oi := map[string]int{}
		for i, n := range oldNames {
			oi[n] = i
		}
		ni := map[string]int{}
		for i, n := range newNames {
			ni[n] = i
		}
		for i, n := range oldNames {
			if _, ok := ni[n]; !ok {
				added(Delete, p+"["+n+"]", old[i], out)
			}
		}
		var kept []string
		for i, n := range newNames {
			j, ok := oi[n]
			if !ok {
				added(Add, p+"["+n+"]", new[i], out)
				continue
			}
			kept = append(kept, n)
			diffValue(p+"["+n+"]", old[j], new[i], out)
		}
		var oldKept []string
		for _, n := range oldNames {
			if _, ok := ni[n]; ok {
				oldKept = append(oldKept, n)
			}
		}
		if strings.Join(kept, "\x00") != strings.Join(oldKept, "\x00") {
			*out = append(*out, Detail{Op: Change, Path: p, Value: "order " + strings.Join(oldKept, ", ") + " -> " + strings.Join(kept, ", ")})
		}
		return
	}
	if allScalars(old) && allScalars(new) {
		diffLines(p, shortAll(old), shortAll(new), out)
		return
	}
	diffObjects(p, old, new, out)
}

// diffObjects compares lists of unnamed objects (policy statements, ...):
// elements kept whole are matched with an LCS; a run of removed elements
// followed by added ones is compared pairwise, so a statement that gained a
// resource shows as that one change (whichever order the edit script
// gives them in); the rest are listed as added or
// removed at their index.
func diffObjects(p string, old, new []any, out *[]Detail) {
	a, b := canonicalAll(old), canonicalAll(new)
	var ops []Op
	edits(a, b, func(op Op) { ops = append(ops, op) })
	i, j := 0, 0
	for k := 0; k < len(ops); {
		if ops[k] == 0 {
			i, j, k = i+1, j+1, k+1
			continue
		}
		var dels, adds int
		for ; k < len(ops) && ops[k] != 0; k++ {
			if ops[k] == Delete {
				dels++
			} else {
				adds++
			}
		}
		for n := 0; n < dels || n < adds; n++ {
			switch {
			case n < dels && n < adds:
				diffValue(fmt.Sprintf("%s[%d]", p, j+n), old[i+n], new[j+n], out)
			case n < dels:
				*out = append(*out, Detail{Op: Delete, Path: fmt.Sprintf("%s[%d]", p, i+n), Value: short(old[i+n])})
			default:
				*out = append(*out, Detail{Op: Add, Path: fmt.Sprintf("%s[%d]", p, j+n), Value: short(new[j+n])})
			}
		}
		i, j = i+dels, j+adds
	}
}

func canonicalAll(list []any) []string {
	out := make([]string, len(list))
	for i, e := range list {
		b, _ := json.Marshal(e)
		out[i] = string(b)
	}
	return out
}

// diffLines writes a minimal +/- edit script between two lists (LCS).
func diffLines(p string, a, b []string, out *[]Detail) {
	i, j := 0, 0
	edits(a, b, func(op Op) {
		switch op {
		case Add:
			*out = append(*out, Detail{Op: Add, Path: p, Value: b[j]})
			j++
		case Delete:
			*out = append(*out, Detail{Op: Delete, Path: p, Value: a[i]})
			i++
		default:
			i, j = i+1, j+1
		}
	})
}

// edits calls step with the LCS edit script from a to b: 0 for a kept
// element, Delete for one of a removed, Add for one of b added.
func edits(a, b []string, step func(Op)) {
	n, m := len(a), len(b)
	lcs := make([][]int, n+1)
	for i := range lcs {
		lcs[i] = make([]int, m+1)
	}
	for i := n - 1; i >= 0; i-- {
		for j := m - 1; j >= 0; j-- {
			if a[i] == b[j] {
				lcs[i][j] = lcs[i+1][j+1] + 1
			} else {
				lcs[i][j] = max(lcs[i+1][j], lcs[i][j+1])
			}
		}
	}
	i, j := 0, 0
	for i < n || j < m {
		switch {
		case i < n && j < m && a[i] == b[j]:
			step(0)
			i, j = i+1, j+1
		case j < m && (i == n || lcs[i][j+1] >= lcs[i+1][j]):
			step(Add)
			j++
		default:
			step(Delete)
			i++
		}
	}
}

// listNames returns the "name"/"Name" of every element, if all have one and
// they are unique.
func listNames(list []any) ([]string, bool) {
	if len(list) == 0 {
		return nil, false
	}
	names := make([]string, len(list))
	seen := map[string]bool{}
	for i, e := range list {
		m, ok := e.(map[string]any)
		if !ok {
			return nil, false
		}
		n, ok := m["name"].(string)
		if !ok {
			n, ok = m["Name"].(string)
		}
		if !ok || seen[n] {
			return nil, false
		}
		seen[n] = true
		names[i] = n
	}
	return names, true
}

func allScalars(list []any) bool {
	for _, e := range list {
		switch e.(type) {
		case map[string]any, []any:
			return false
		}
	}
	return true
}

func shortAll(list []any) []string {
	out := make([]string, len(list))
	for i, e := range list {
		out[i] = short(e)
	}
	return out
}

// short renders a value as compact JSON, cut to 100 characters.
func short(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return fmt.Sprint(v)
	}
	s := strings.TrimSpace(buf.String())
	if r := []rune(s); len(r) > 100 {
		s = string(r[:99]) + "…"
	}
	return s
}

func equalJSON(a, b any) bool {
	x, _ := json.Marshal(a)
	y, _ := json.Marshal(b)
	return bytes.Equal(x, y)
}

func unionKeys(a, b map[string]any) []string {
	seen := map[string]bool{}
	var keys []string
	for _, m := range []map[string]any{a, b} {
		for k := range m {
			if !seen[k] {
				seen[k] = true
				keys = append(keys, k)
			}
		}
	}
	sort.Strings(keys)
	return keys
}
