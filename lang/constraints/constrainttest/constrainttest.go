// Package constrainttest makes values that break or satisfy a constraint
// of lang/constraints, for the tests that walk the table (its own and the
// compiler's, which writes each value into a configuration).
package constrainttest

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/providers"
)

// Kind is the HCL type of an attribute the table constrains.
type Kind int

const (
	String Kind = iota
	Number
	List
	Map
	// Objects is a list of objects, such as pipeline_invoke's
	// source_revisions; a constraint's Part names the field it limits.
	Objects
)

// lists and maps are the list- and map-typed constrained attributes.
var (
	lists = map[string]bool{"states": true, "detail_types": true, "events": true, "includes": true, "excludes": true,
		"capabilities": true, "alarms": true, "output_files": true, "output_variables": true, "commands": true,
		"compute_types_allowed": true}
	maps = map[string]bool{"environment_variables": true, "configuration": true}
)

// KindOf is the type of the attribute c constrains: the catalog's type for
// a provider block attribute, else by name.
func KindOf(c *constraints.Constraint) Kind {
	if kind, ok := strings.CutPrefix(c.Block, "pipeline.stage.action."); ok {
		if p := providers.Lookup(kind); p != nil {
			if a := p.Attr(c.Attr); a != nil {
				switch t := a.Type; {
				case t.IsListType() && t.ElementType().IsObjectType():
					return Objects
				case t.IsListType():
					return List
				case t.IsMapType():
					return Map
				case t == cty.Number:
					return Number
				}
				return String
			}
		}
	}
	switch {
	case maps[c.Attr]:
		return Map
	case lists[c.Attr], c.Block == "project.batch.matrix.values": // a matrix's values are lists
		return List
	case c.MinValue >= 0 || c.MaxValue >= 0:
		return Number
	}
	return String
}

// candidates are tried in order for a valid string: the first three
// repeated to the shortest length allowed, the others as they are.
var candidates = []string{"a", "1", "A", "AllAtOnce", "abc", "abcd1",
	"arn:aws:sns:us-east-1:123456789012:alerts",
	"arn:aws:states:us-east-1:123456789012:stateMachine:app",
	"arn:aws:codeconnections:us-east-1:123456789012:connection/abc",
	"arn:aws:iam::123456789012:role/deploy",
	"arn:aws:devicefarm:us-west-2:123456789012:devicepool:abc/def", "us-east-1", "https://example.com/review"}

// ValidString returns a string c accepts, or "" and false.
func ValidString(c *constraints.Constraint) (string, bool) {
	if len(c.Enum) > 0 {
		return c.Enum[0], c.CheckString(c.Enum[0]) == ""
	}
	n := max(c.MinLen, 1)
	for i, cand := range candidates {
		s := cand
		if i < 3 {
			s = strings.Repeat(cand, n)
		}
		if c.CheckString(s) == "" {
			return s, true
		}
	}
	return "", false
}

// BreakingString returns a string c rejects, or "" and false.
func BreakingString(c *constraints.Constraint) (string, bool) {
	var tries []string
	if len(c.Enum) > 0 {
		tries = append(tries, strings.ToLower(c.Enum[0])+"_x")
	}
	if c.MaxLen >= 0 {
		tries = append(tries, strings.Repeat("a", c.MaxLen+1))
	}
	if c.MinLen > 0 {
		tries = append(tries, "")
	}
	tries = append(tries, "!! no", "a\nb")
	for _, s := range tries {
		if c.CheckString(s) != "" {
			return s, true
		}
	}
	return "", false
}

// Valid returns a value of kind k that c accepts.
func Valid(c *constraints.Constraint, k Kind) (cty.Value, bool) {
	s, ok := ValidString(c)
	if !ok {
		return cty.NilVal, false
	}
	n := max(c.MinItems, 1)
	switch k {
	case Objects:
		return cty.ListVal(repeat(object(c, s), n)), true
	case Number:
		return cty.NumberIntVal(int64(max(c.MinValue, 0))), true
	case List:
		return cty.ListVal(repeat(cty.StringVal(s), n)), true
	case Map:
		return mapOf(n, func(i int) (string, cty.Value) {
			if c.Part == "key" {
				return s + suffix(i), cty.StringVal("v")
			}
			return "K" + suffix(i), cty.StringVal(s)
		}), true
	}
	return cty.StringVal(s), true
}

// Breaking returns a value of kind k that c rejects.
func Breaking(c *constraints.Constraint, k Kind) (cty.Value, bool) {
	valid, _ := ValidString(c)
	if valid == "" {
		valid = "a"
	}
	switch {
	case k == Number:
		switch {
		case c.MaxValue != -1:
			return cty.NumberIntVal(int64(c.MaxValue + 1)), true
		case c.MinValue != -1:
			return cty.NumberIntVal(int64(c.MinValue - 1)), true
		case !c.Fractional:
			return cty.NumberFloatVal(1.5), true
		}
		return cty.NilVal, false
	case k == Objects && c.Part == "" && c.MaxItems >= 0:
		return cty.ListVal(repeat(object(c, valid), c.MaxItems+1)), true
	case c.Part == "" && (k == List || k == Map) && c.MaxItems >= 0:
		return collection(k, c.MaxItems+1, valid), true
	case c.Part == "" && (k == List || k == Map) && c.MinItems > 0:
		return collection(k, 0, valid), true
	}
	bad, ok := BreakingString(c)
	if !ok {
		return cty.NilVal, false
	}
	switch {
	case k == Objects:
		return cty.ListVal([]cty.Value{object(c, bad)}), true
	case k == List:
		return cty.ListVal([]cty.Value{cty.StringVal(bad)}), true
	case k == Map && c.Part == "key":
		return cty.MapVal(map[string]cty.Value{bad: cty.StringVal("v")}), true
	case k == Map:
		return cty.MapVal(map[string]cty.Value{"K": cty.StringVal(bad)}), true
	}
	return cty.StringVal(bad), true
}

// sourceRevision is a valid source_revisions element; object sets c's
// field in a copy to v.
var sourceRevision = map[string]string{"actionName": "checkout", "revisionType": "COMMIT_ID", "revisionValue": "abc123"}

func object(c *constraints.Constraint, v string) cty.Value {
	m := map[string]cty.Value{}
	for k, x := range sourceRevision {
		m[k] = cty.StringVal(x)
	}
	if _, ok := m[c.Part]; ok {
		m[c.Part] = cty.StringVal(v)
	}
	return cty.ObjectVal(m)
}

func collection(k Kind, n int, elem string) cty.Value {
	if k == Map {
		if n == 0 {
			return cty.MapValEmpty(cty.String)
		}
		return mapOf(n, func(i int) (string, cty.Value) { return "K" + suffix(i), cty.StringVal(elem) })
	}
	if n == 0 {
		return cty.ListValEmpty(cty.String)
	}
	return cty.ListVal(repeat(cty.StringVal(elem), n))
}

func repeat(v cty.Value, n int) []cty.Value {
	out := make([]cty.Value, n)
	for i := range out {
		out[i] = v
	}
	return out
}

func mapOf(n int, entry func(i int) (string, cty.Value)) cty.Value {
	m := map[string]cty.Value{}
	for i := 0; i < n; i++ {
		k, v := entry(i)
		m[k] = v
	}
	return cty.MapVal(m)
}

// suffix makes distinct key endings: "", "1", "2", ...
func suffix(i int) string {
	if i == 0 {
		return ""
	}
	return strings.Repeat("1", i)
}

// All returns the generated constraints and, for every provider block
// attribute with documented limits, the catalog's.
func All() []*constraints.Constraint {
	var out []*constraints.Constraint
	for i := range constraints.Table() {
		out = append(out, &constraints.Table()[i])
	}
	for _, p := range providers.All {
		for _, a := range p.Attrs {
			out = append(out, Catalog(p, &a)...)
		}
	}
	return out
}

// Catalog returns the constraints of provider attribute a that come from
// the catalog (Lookup also returns the table's, for an attribute a model
// describes, such as pipeline_invoke's source_revisions).
func Catalog(p *providers.Provider, a *providers.Attr) []*constraints.Constraint {
	var out []*constraints.Constraint
	for _, c := range constraints.Lookup("pipeline.stage.action."+p.Block, a.Name) {
		if len(c.Sources) > 0 && strings.HasPrefix(c.Sources[0], "lang/providers") {
			out = append(out, c)
		}
	}
	return out
}

// Name names a constraint for a subtest: "<block> <attr>[{part}]".
func Name(c *constraints.Constraint) string {
	name := c.Block + " " + c.Attr
	if c.Part != "" {
		name += "{" + c.Part + "}"
	}
	return name
}

// Examples returns a value of c's attribute type breaking c and one
// satisfying it, failing t when either cannot be found.
func Examples(t testing.TB, c *constraints.Constraint) (bad, good cty.Value) {
	t.Helper()
	k := KindOf(c)
	bad, ok := Breaking(c, k)
	if !ok {
		t.Fatal("found no value breaking the constraint")
	}
	good, ok = Valid(c, k)
	if !ok {
		t.Fatal("found no valid value")
	}
	return bad, good
}
