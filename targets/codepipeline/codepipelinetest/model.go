package codepipelinetest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"unicode/utf8"
)

// Model is a botocore service model (service-2.json), reduced to what
// validation needs: the shapes.
type Model struct {
	Shapes map[string]*Shape `json:"shapes"`

	patterns map[string]*regexp.Regexp
}

// Shape is one botocore shape.
type Shape struct {
	Type     string             `json:"type"`
	Required []string           `json:"required"`
	Members  map[string]*Member `json:"members"`
	Member   *Member            `json:"member"` // list element
	Key      *Member            `json:"key"`    // map key
	Value    *Member            `json:"value"`  // map value
	Min      *float64           `json:"min"`
	Max      *float64           `json:"max"`
	Pattern  string             `json:"pattern"`
	Enum     []string           `json:"enum"`
}

// Member refers to a shape by name.
type Member struct {
	Shape string `json:"shape"`
}

// ParseModel reads a botocore service model.
func ParseModel(data []byte) (*Model, error) {
	var m Model
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	m.patterns = map[string]*regexp.Regexp{}
	for name, s := range m.Shapes {
		if s.Pattern == "" {
			continue
		}
		// Botocore patterns are unanchored; the service matches whole values.
		re, err := regexp.Compile(`^(?:` + s.Pattern + `)$`)
		if err != nil {
			return nil, fmt.Errorf("shape %s: pattern %q: %v", name, s.Pattern, err)
		}
		m.patterns[name] = re
	}
	return &m, nil
}

// Validate checks a JSON document against the named shape and returns every
// problem found as "<path>: <message>", sorted.
func (m *Model) Validate(shape string, doc []byte) []string {
	dec := json.NewDecoder(bytes.NewReader(doc))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return []string{"$: not JSON: " + err.Error()}
	}
	var errs []string
	m.walk(shape, "$", v, &errs)
	sort.Strings(errs)
	return errs
}

func (m *Model) walk(name, path string, v any, errs *[]string) {
	s := m.Shapes[name]
	if s == nil {
		*errs = append(*errs, fmt.Sprintf("%s: model has no shape %q", path, name))
		return
	}
	fail := func(format string, args ...any) {
		*errs = append(*errs, path+": "+fmt.Sprintf(format, args...))
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			fail("want an object (%s)", name)
			return
		}
		for _, r := range s.Required {
			if _, ok := obj[r]; !ok {
				fail("missing required member %q of %s", r, name)
			}
		}
		for _, k := range sortedKeys(obj) {
			mem := s.Members[k]
			if mem == nil {
				fail("unknown member %q of %s", k, name)
				continue
			}
			m.walk(mem.Shape, path+"."+k, obj[k], errs)
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			fail("want a list (%s)", name)
			return
		}
		m.bounds(s, name, float64(len(arr)), "items", fail)
		for i, e := range arr {
			m.walk(s.Member.Shape, fmt.Sprintf("%s[%d]", path, i), e, errs)
		}
	case "map":
		obj, ok := v.(map[string]any)
		if !ok {
			fail("want a map (%s)", name)
			return
		}
		m.bounds(s, name, float64(len(obj)), "entries", fail)
		for _, k := range sortedKeys(obj) {
			m.walk(s.Key.Shape, path+"{key "+k+"}", k, errs)
			m.walk(s.Value.Shape, path+"."+k, obj[k], errs)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			fail("want a string (%s)", name)
			return
		}
		m.bounds(s, name, float64(utf8.RuneCountInString(str)), "characters", fail)
		if re := m.patterns[name]; re != nil && !re.MatchString(str) {
			fail("%q does not match %s pattern %s", str, name, s.Pattern)
		}
		if len(s.Enum) > 0 && !contains(s.Enum, str) {
			fail("%q is not one of %s (%s)", str, strings.Join(s.Enum, ", "), name)
		}
	case "integer", "long":
		n, ok := v.(json.Number)
		if !ok {
			fail("want an integer (%s)", name)
			return
		}
		i, err := n.Int64()
		if err != nil {
			fail("want an integer (%s), got %s", name, n)
			return
		}
		m.bounds(s, name, float64(i), "value", fail)
	case "boolean":
		if _, ok := v.(bool); !ok {
			fail("want a boolean (%s)", name)
		}
	default:
		fail("shape %s has type %s, which the validator does not check", name, s.Type)
	}
}

func (m *Model) bounds(s *Shape, name string, n float64, what string, fail func(string, ...any)) {
	if s.Min != nil && n < *s.Min {
		fail("%s %v is below the minimum %v of %s", what, n, *s.Min, name)
	}
	if s.Max != nil && n > *s.Max {
		fail("%s %v is above the maximum %v of %s", what, n, *s.Max, name)
	}
}

func contains(list []string, s string) bool {
	for _, e := range list {
		if e == s {
			return true
		}
	}
	return false
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
