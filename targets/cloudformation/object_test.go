package cloudformation_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// Awkward strings survive both encodings unchanged.
func TestEncodingsRoundTrip(t *testing.T) {
	tricky := []string{
		"", "true", "no", "on", "1.10", "0x1F", "~", "null", "- item", "key: value", "#comment",
		"*", "&anchor", "!tag", "@at", "`tick", "'single'", "\"double\"", "${AWS::Region}",
		"line one\nline two\n", "  leading spaces\nsecond\n", "trailing spaces  \nnext", "no final newline\nx",
		"\ttab", "tab\tinside", "unicode ✓ é", "<html> & more", "a\\b", "2010-09-09", "12:30",
	}
	var list []any
	for _, s := range tricky {
		list = append(list, s)
	}
	obj := cloudformation.Obj("Strings", list, "Yes", true, "Num", 42, "Nested", cloudformation.Obj("Ref", "X"))

	var fromJSON map[string]any
	if err := json.Unmarshal(cloudformation.EncodeJSON(obj), &fromJSON); err != nil {
		t.Fatal(err)
	}
	data, err := cloudformation.EncodeYAML(obj)
	if err != nil {
		t.Fatal(err)
	}
	var fromYAML map[string]any
	if err := yaml.Unmarshal(data, &fromYAML); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	want := map[string]any{"Strings": list, "Yes": true, "Num": float64(42), "Nested": map[string]any{"Ref": "X"}}
	if diff := cmp.Diff(want, fromJSON); diff != "" {
		t.Errorf("JSON round trip (-want +got):\n%s", diff)
	}
	want["Num"] = 42
	if diff := cmp.Diff(want, fromYAML); diff != "" {
		t.Errorf("YAML round trip (-want +got):\n%s\n%s", diff, data)
	}
}

// The YAML template is the JSON template in another syntax.
func TestYAMLTemplateEqualsJSON(t *testing.T) {
	js, _ := cloudformation.New().Emit(codepipelinetest.Graph(), targets.Options{Format: "json"})
	ys, _ := cloudformation.New().Emit(codepipelinetest.Graph(), targets.Options{Format: "yaml"})
	for i := range js {
		var a, b any
		if err := json.Unmarshal(js[i].Data, &a); err != nil {
			t.Fatal(err)
		}
		if err := yaml.Unmarshal(ys[i].Data, &b); err != nil {
			t.Fatal(err)
		}
		// YAML decodes integers as int, JSON as float64: compare via JSON.
		bj, _ := json.Marshal(b)
		var b2 any
		_ = json.Unmarshal(bj, &b2)
		if diff := cmp.Diff(a, b2); diff != "" {
			t.Errorf("%s and %s differ (-json +yaml):\n%s", js[i].Path, ys[i].Path, diff)
		}
	}
}

func BenchmarkEmitJSON(b *testing.B) {
	g := codepipelinetest.Graph()
	for b.Loop() {
		cloudformation.New().Emit(g, targets.Options{Format: "json"})
	}
}

func BenchmarkEmitYAML(b *testing.B) {
	g := codepipelinetest.Graph()
	for b.Loop() {
		cloudformation.New().Emit(g, targets.Options{Format: "yaml"})
	}
}
