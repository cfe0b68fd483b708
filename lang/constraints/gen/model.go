package main

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

// member is one constrained value that a model describes: an API shape
// member, a CloudFormation schema property, or a list of words the
// reference notes give. Path names it uniquely: the file, a colon and the
// member's path from the root shape, with "[]" for list elements.
type member struct {
	Path     string
	Shape    string // the model's name for its type, e.g. "ExecutionMode"
	Service  string // "CodePipeline", "CodeBuild", "CloudFormation", "EventBridge"
	Enum     []string
	Pattern  string
	MinLen   int // -1: no bound
	MaxLen   int
	MinItems int
	MaxItems int
	MinValue int
	MaxValue int
	// Unique: the elements of the list are distinct (a CloudFormation
	// schema's uniqueItems).
	Unique bool
}

func newMember(path, shape, service string) member {
	return member{Path: path, Shape: shape, Service: service, MinLen: -1, MaxLen: -1, MinItems: -1, MaxItems: -1, MinValue: -1, MaxValue: -1}
}

func (m member) constrained() bool {
	return len(m.Enum) > 0 || m.Pattern != "" || m.MinLen >= 0 || m.MaxLen >= 0 || m.MinItems >= 0 ||
		m.MaxItems >= 0 || m.MinValue >= 0 || m.MaxValue >= 0 || m.Unique
}

// apiShape is a shape of an AWS API model (Smithy's JSON AST as the SDKs
// ship it).
type apiShape struct {
	Type    string              `json:"type"`
	Members map[string]shapeRef `json:"members"`
	Member  *shapeRef           `json:"member"`
	Key     *shapeRef           `json:"key"`
	Value   *shapeRef           `json:"value"`
	Enum    []string            `json:"enum"`
	Pattern string              `json:"pattern"`
	Min     *float64            `json:"min"`
	Max     *float64            `json:"max"`
}

type shapeRef struct {
	Shape string `json:"shape"`
}

// apiMembers lists every constrained member reachable from root in the API
// model file, depth first in member name order. A member whose path is
// pruned (see pruned) is listed but not descended into.
func apiMembers(dir, file, root, service string, pruned func(string) bool) ([]member, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	var model struct {
		Shapes map[string]*apiShape `json:"shapes"`
	}
	if err := json.Unmarshal(data, &model); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var out []member
	var walk func(path, name string, onPath map[string]bool)
	walk = func(path, name string, onPath map[string]bool) {
		s := model.Shapes[name]
		if s == nil || onPath[name] {
			return
		}
		onPath[name] = true
		defer delete(onPath, name)
		m := newMember(path, name, service)
		switch s.Type {
		case "string":
			m.Enum, m.Pattern = s.Enum, s.Pattern
			m.MinLen, m.MaxLen = bound(s.Min), bound(s.Max)
		case "integer", "long":
			m.MinValue, m.MaxValue = bound(s.Min), bound(s.Max)
		case "list", "map":
			m.MinItems, m.MaxItems = bound(s.Min), bound(s.Max)
		}
		if path != file+":"+root && m.constrained() {
			out = append(out, m)
		}
		if pruned(path) {
			return
		}
		switch s.Type {
		case "structure":
			for _, k := range sortedKeys(s.Members) {
				walk(path+"."+k, s.Members[k].Shape, onPath)
			}
		case "list":
			walk(path+"[]", s.Member.Shape, onPath)
		case "map":
			walk(path+"{key}", s.Key.Shape, onPath)
			walk(path+"{value}", s.Value.Shape, onPath)
		}
	}
	walk(file+":"+root, root, map[string]bool{})
	return out, nil
}

func bound(f *float64) int {
	if f == nil {
		return -1
	}
	return int(*f)
}

// cfnSchema is a CloudFormation registry schema (JSON Schema draft-07 with
// the registry's keywords).
type cfnSchema struct {
	TypeName    string              `json:"typeName"`
	Definitions map[string]*cfnProp `json:"definitions"`
	cfnProp
}

type cfnProp struct {
	Ref        string              `json:"$ref"`
	Type       any                 `json:"type"`
	Properties map[string]*cfnProp `json:"properties"`
	Items      *cfnProp            `json:"items"`
	Enum       []any               `json:"enum"`
	Pattern    string              `json:"pattern"`
	MinLength  *float64            `json:"minLength"`
	MaxLength  *float64            `json:"maxLength"`
	MinItems   *float64            `json:"minItems"`
	MaxItems   *float64            `json:"maxItems"`
	Minimum    *float64            `json:"minimum"`
	Maximum    *float64            `json:"maximum"`
	Unique     bool                `json:"uniqueItems"`
}

// cfnMembers lists every constrained property of a CloudFormation schema,
// as apiMembers does for an API model.
func cfnMembers(dir, file string, pruned func(string) bool) ([]member, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	var s cfnSchema
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, fmt.Errorf("%s: %v", file, err)
	}
	var out []member
	var walk func(path, shape string, p *cfnProp, onPath map[string]bool)
	walk = func(path, shape string, p *cfnProp, onPath map[string]bool) {
		if p.Ref != "" {
			def := strings.TrimPrefix(p.Ref, "#/definitions/")
			if onPath[def] || s.Definitions[def] == nil {
				return
			}
			onPath[def] = true
			defer delete(onPath, def)
			walk(path, def, s.Definitions[def], onPath)
			return
		}
		m := newMember(path, shape, "CloudFormation")
		for _, e := range p.Enum {
			m.Enum = append(m.Enum, fmt.Sprint(e))
		}
		m.Pattern = p.Pattern
		m.MinLen, m.MaxLen = bound(p.MinLength), bound(p.MaxLength)
		m.MinItems, m.MaxItems = bound(p.MinItems), bound(p.MaxItems)
		m.MinValue, m.MaxValue = bound(p.Minimum), bound(p.Maximum)
		m.Unique = p.Unique
		if m.constrained() {
			out = append(out, m)
		}
		if pruned(path) {
			return
		}
		for _, k := range sortedKeys(p.Properties) {
			walk(path+"."+k, k, p.Properties[k], onPath)
		}
		if p.Items != nil {
			walk(path+"[]", shape, p.Items, onPath)
		}
	}
	walk(file+":"+s.TypeName, s.TypeName, &s.cfnProp, map[string]bool{})
	return out, nil
}

// eventMembers reads the detail-type and state table of CODEPIPELINE.md §7.1:
// the words an EventBridge rule on CodePipeline's events can match.
func eventMembers(dir, file string) ([]member, error) {
	data, err := os.ReadFile(filepath.Join(dir, file))
	if err != nil {
		return nil, err
	}
	types := newMember(file+":detail-type", "CodePipeline event detail-type", "EventBridge")
	states := newMember(file+":detail.state", "CodePipeline event state", "EventBridge")
	seen := map[string]bool{}
	for _, line := range strings.Split(string(data), "\n") {
		// | `CodePipeline Pipeline Execution State Change` | STARTED, STOPPING, ... |
		cells := strings.Split(line, "|")
		if len(cells) != 4 || !strings.HasPrefix(strings.TrimSpace(cells[1]), "`CodePipeline ") {
			continue
		}
		types.Enum = append(types.Enum, strings.Trim(strings.TrimSpace(cells[1]), "`"))
		for _, st := range strings.Split(cells[2], ",") {
			if st = strings.TrimSpace(st); st != "" && !seen[st] {
				seen[st] = true
				states.Enum = append(states.Enum, st)
			}
		}
	}
	if len(types.Enum) == 0 {
		return nil, fmt.Errorf("%s: found no CodePipeline detail-type table", file)
	}
	return []member{types, states}, nil
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
