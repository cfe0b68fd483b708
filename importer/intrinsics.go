package importer

import (
	"fmt"
	"strings"
)

// The intrinsic functions of this file are evaluated the way Ref of a
// parameter is: with the parameters' defaults, since pipeform has no stack
// to read the real values from. Each says so in a warning.

// known resolves v to a string or number without leaving diagnostics; ok
// is false when v needs something only CloudFormation knows.
func (t *template) known(v any, key string) (string, bool) {
	mark := len(t.diags)
	r := t.resolve(v, key)
	unresolved := t.unresolvedSince(mark)
	t.diags = t.diags[:mark]
	switch r := r.(type) {
	case string:
		return r, !unresolved
	case float64, bool:
		return fmt.Sprint(r), !unresolved
	}
	return "", false
}

// findInMap evaluates Fn::FindInMap [MapName, TopLevelKey, SecondLevelKey]
// against the template's Mappings.
func (t *template) findInMap(arg any, key string) (any, bool) {
	l := listOf(arg)
	if len(l) != 3 {
		return nil, false
	}
	var keys []string
	for _, x := range l {
		s, ok := t.known(x, key)
		if !ok {
			return nil, false
		}
		keys = append(keys, s)
	}
	v, ok := mapOf(mapOf(t.mappings[keys[0]])[keys[1]])[keys[2]]
	if !ok {
		return nil, false
	}
	if usesParameter(l[1:]) {
		t.warn(key, "Parameter imported as its default",
			fmt.Sprintf("%s is looked up in mapping %s with a template parameter, which pipeform has no equivalent of; the entry for its default (%s.%s) was written. Use a variable or a pipeline variable for it.", key, keys[0], keys[1], keys[2]))
	}
	return t.resolve(v, key), true
}

// usesParameter reports whether v refers to a template parameter.
func usesParameter(v any) bool {
	switch v := v.(type) {
	case map[string]any:
		for fn, x := range v {
			if s, ok := x.(string); fn == "Ref" && ok && !strings.HasPrefix(s, "AWS::") {
				return true
			}
			if usesParameter(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if usesParameter(x) {
				return true
			}
		}
	}
	return false
}

// ifValue evaluates Fn::If [Condition, ValueIfTrue, ValueIfFalse].
func (t *template) ifValue(arg any, key string) (any, bool) {
	l := listOf(arg)
	name, isStr := ifLen(l, 3, 0).(string)
	if !isStr {
		return nil, false
	}
	holds, ok := t.condition(t.conditions[name], 0)
	if !ok {
		return nil, false
	}
	t.warn(key, "Condition imported as its value",
		fmt.Sprintf("%s depends on the template condition %s, which is %t with the parameters' defaults; the value for that case was written. pipeform has no conditions: use a variable and a conditional expression where both cases are needed.", key, name, holds))
	if holds {
		return t.resolve(l[1], key), true
	}
	return t.resolve(l[2], key), true
}

// condition evaluates a condition of the template's Conditions section:
// Fn::Equals, Fn::Not, Fn::And, Fn::Or and Condition. depth stops a cycle,
// which CloudFormation refuses too.
func (t *template) condition(c any, depth int) (holds, ok bool) {
	m := mapOf(c)
	if len(m) != 1 || depth > len(t.conditions) {
		return false, false
	}
	for fn, arg := range m {
		l := listOf(arg)
		switch fn {
		case "Fn::Equals":
			if len(l) != 2 {
				return false, false
			}
			a, ok1 := t.known(l[0], "Condition")
			b, ok2 := t.known(l[1], "Condition")
			return a == b, ok1 && ok2
		case "Fn::Not":
			if len(l) != 1 {
				return false, false
			}
			h, ok := t.condition(l[0], depth+1)
			return !h, ok
		case "Fn::And", "Fn::Or":
			and := fn == "Fn::And"
			holds = and
			for _, x := range l {
				h, ok := t.condition(x, depth+1)
				if !ok {
					return false, false
				}
				if and {
					holds = holds && h
				} else {
					holds = holds || h
				}
			}
			return holds, len(l) > 0
		case "Condition":
			name, _ := arg.(string)
			return t.condition(t.conditions[name], depth+1)
		}
	}
	return false, false
}

// resourceCondition warns that resource id, which CloudFormation creates
// only when its Condition holds, is imported whatever the condition.
func (t *template) resourceCondition(id string) {
	name, ok := t.resources[id]["Condition"].(string)
	if !ok {
		return
	}
	value := "which cannot be worked out outside CloudFormation"
	if holds, ok := t.condition(t.conditions[name], 0); ok {
		value = fmt.Sprintf("which is %t with the parameters' defaults", holds)
	}
	t.warn(id, "Condition not imported",
		fmt.Sprintf("Resource %s is created only when the template condition %s holds, %s; pipeform has no conditions, so it was imported as if it always held.", id, name, value))
}
