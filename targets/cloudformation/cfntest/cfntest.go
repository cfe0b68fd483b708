package cfntest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"go.yaml.in/yaml/v3"
)

// noSchema lists resource types pipeform generates that have no saved
// registry schema; their properties are only checked for resolvable
// references.
var noSchema = map[string]bool{
	"AWS::CodeDeploy::Application":     true,
	"AWS::CodeDeploy::DeploymentGroup": true,
}

// Schemas holds the compiled registry schemas by type name.
type Schemas struct {
	byType   map[string]*jsonschema.Schema
	readOnly map[string][]string // type -> JSON pointers
	attrs    map[string]map[string]bool
}

// SharedDir is the shared reference folder next to the repository.
func SharedDir() string {
	_, file, _, _ := runtime.Caller(0)
	// file is <repo>/targets/cloudformation/cfntest/cfntest.go
	return filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared")
}

// LoadShared compiles the registry schemas of the shared reference folder.
// When the folder is absent (a fresh clone without ../shared) the test is
// skipped with a message saying so, unless the CI environment variable is
// set: CI always has the folder, so there its absence fails the test.
func LoadShared(t testing.TB) *Schemas {
	t.Helper()
	dir := filepath.Join(SharedDir(), "reference")
	if paths, _ := filepath.Glob(filepath.Join(dir, "cfn-*.json")); len(paths) == 0 {
		msg := "the shared reference schemas (cfn-*.json) are not in " + dir + " (clone the shared folder next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	s, err := Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// Load compiles every cfn-*.json schema in dir.
func Load(dir string) (*Schemas, error) {
	paths, err := filepath.Glob(filepath.Join(dir, "cfn-*.json"))
	if err != nil || len(paths) == 0 {
		return nil, fmt.Errorf("no cfn-*.json schemas in %s", dir)
	}
	s := &Schemas{byType: map[string]*jsonschema.Schema{}, readOnly: map[string][]string{}, attrs: map[string]map[string]bool{}}
	c := jsonschema.NewCompiler()
	c.DefaultDraft(jsonschema.Draft7)
	for _, p := range paths {
		raw, err := os.ReadFile(p)
		if err != nil {
			return nil, err
		}
		// RE2 has no \Z; \z means the same at the end of input.
		raw = bytes.ReplaceAll(raw, []byte(`\\Z`), []byte(`\\z`))
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		m := doc.(map[string]any)
		delete(m, "$schema") // would make the compiler fetch the meta-schema
		typ, _ := m["typeName"].(string)
		url := "file:///" + filepath.Base(p)
		if err := c.AddResource(url, m); err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		sch, err := c.Compile(url)
		if err != nil {
			return nil, fmt.Errorf("%s: %v", p, err)
		}
		s.byType[typ] = sch
		s.attrs[typ] = map[string]bool{}
		if ro, ok := m["readOnlyProperties"].([]any); ok {
			for _, r := range ro {
				ptr := r.(string)
				s.readOnly[typ] = append(s.readOnly[typ], ptr)
				s.attrs[typ][strings.ReplaceAll(strings.TrimPrefix(ptr, "/properties/"), "/", ".")] = true
			}
		}
	}
	return s, nil
}

// Check validates a JSON or YAML template and returns every problem as
// "<logical id>: <message>", sorted.
func (s *Schemas) Check(template []byte) []string {
	var tpl map[string]any
	if err := yaml.Unmarshal(template, &tpl); err != nil {
		return []string{"template: " + err.Error()}
	}
	tpl = normalise(tpl).(map[string]any)
	res, _ := tpl["Resources"].(map[string]any)
	params, _ := tpl["Parameters"].(map[string]any)
	types := map[string]string{}
	for id, r := range res {
		types[id], _ = r.(map[string]any)["Type"].(string)
	}
	var errs []string
	fail := func(id, format string, args ...any) { errs = append(errs, id+": "+fmt.Sprintf(format, args...)) }
	for id, r := range res {
		typ := types[id]
		props, _ := r.(map[string]any)["Properties"].(map[string]any)
		for _, msg := range s.refs(props, types, params) {
			fail(id, "%s", msg)
		}
		sch := s.byType[typ]
		if sch == nil {
			if !noSchema[typ] {
				fail(id, "no registry schema for type %s", typ)
			}
			continue
		}
		for _, ptr := range s.readOnly[typ] {
			if hasPointer(props, ptr) {
				fail(id, "sets read-only property %s", ptr)
			}
		}
		masked := mask(props, types)
		if masked == nil {
			masked = map[string]any{}
		}
		if err := sch.Validate(masked); err != nil {
			for _, line := range strings.Split(strings.TrimSpace(err.Error()), "\n") {
				fail(id, "%s", strings.TrimSpace(line))
			}
		}
	}
	for _, msg := range s.refs(tpl["Outputs"], types, params) {
		fail("Outputs", "%s", msg)
	}
	sort.Strings(errs)
	return errs
}

// normalise turns YAML-decoded values into what JSON decoding would give
// (json.Number for numbers), which the validator expects.
func normalise(v any) any {
	data, _ := json.Marshal(v)
	out, _ := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	return out
}

var subRef = regexp.MustCompile(`\$\{([^!}][^}]*)\}`)

// refs lists the references under v that do not resolve.
func (s *Schemas) refs(v any, types map[string]string, params map[string]any) []string {
	var out []string
	known := func(name string) bool {
		_, isParam := params[name]
		return types[name] != "" || isParam || strings.HasPrefix(name, "AWS::")
	}
	getAtt := func(id, attr string) {
		if types[id] == "" {
			out = append(out, fmt.Sprintf("Fn::GetAtt names unknown resource %q", id))
		} else if a := s.attrs[types[id]]; a != nil && !a[attr] {
			out = append(out, fmt.Sprintf("Fn::GetAtt %s.%s: %s has no attribute %q", id, attr, types[id], attr))
		}
	}
	var walk func(v any)
	walk = func(v any) {
		switch v := v.(type) {
		case map[string]any:
			if len(v) == 1 {
				if r, ok := v["Ref"].(string); ok && !known(r) {
					out = append(out, fmt.Sprintf("Ref to unknown %q", r))
				}
				if ga, ok := v["Fn::GetAtt"].([]any); ok && len(ga) == 2 {
					getAtt(fmt.Sprint(ga[0]), fmt.Sprint(ga[1]))
				}
				if sub, ok := v["Fn::Sub"].(string); ok {
					for _, m := range subRef.FindAllStringSubmatch(sub, -1) {
						if id, attr, ok := strings.Cut(m[1], "."); ok {
							getAtt(id, attr)
						} else if !known(m[1]) {
							out = append(out, fmt.Sprintf("Fn::Sub refers to unknown %q", m[1]))
						}
					}
				}
			}
			for _, e := range v {
				walk(e)
			}
		case []any:
			for _, e := range v {
				walk(e)
			}
		}
	}
	walk(v)
	return out
}

// mask replaces intrinsic functions with realistic placeholder strings.
func mask(v any, types map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for k, arg := range v {
				if k == "Ref" || strings.HasPrefix(k, "Fn::") {
					return placeholder(k, arg, types)
				}
			}
		}
		out := map[string]any{}
		for k, e := range v {
			out[k] = mask(e, types)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = mask(e, types)
		}
		return out
	}
	return v
}

func placeholder(fn string, arg any, types map[string]string) any {
	switch fn {
	case "Ref":
		if arg == "AWS::Region" {
			return "us-east-1"
		}
		return "masked-ref"
	case "Fn::GetAtt":
		ga, _ := arg.([]any)
		if len(ga) == 2 {
			return fakeARN(types[fmt.Sprint(ga[0])])
		}
	case "Fn::Sub":
		if s, ok := arg.(string); ok {
			return subRef.ReplaceAllStringFunc(s, func(m string) string {
				name := m[2 : len(m)-1]
				switch name {
				case "AWS::Partition":
					return "aws"
				case "AWS::Region":
					return "us-east-1"
				case "AWS::AccountId":
					return "123456789012"
				}
				if id, _, ok := strings.Cut(name, "."); ok {
					return fakeARN(types[id])
				}
				return "masked-ref"
			})
		}
	}
	return "masked"
}

func fakeARN(typ string) string {
	switch typ {
	case "AWS::IAM::Role":
		return "arn:aws:iam::123456789012:role/masked"
	case "AWS::S3::Bucket":
		return "arn:aws:s3:::masked"
	}
	return "arn:aws:masked:us-east-1:123456789012:masked"
}

func hasPointer(v any, ptr string) bool {
	for _, part := range strings.Split(strings.TrimPrefix(ptr, "/properties/"), "/") {
		m, ok := v.(map[string]any)
		if !ok {
			return false
		}
		if v, ok = m[part]; !ok {
			return false
		}
	}
	return true
}
