package runners

import (
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

// apiShapes loads the CodeBuild API model from the shared reference.
func apiShapes(t *testing.T) map[string]apiShape {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	path := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "reference", "api-codebuild.json")
	data, err := os.ReadFile(path)
	if err != nil {
		// A fresh clone has no ../shared; CI always has it, so there a
		// missing model is a failure, not a reason to skip.
		msg := "the CodeBuild API model is not at " + path + " (clone the shared folder next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	var model struct {
		Shapes map[string]apiShape `json:"shapes"`
	}
	if err := json.Unmarshal(data, &model); err != nil {
		t.Fatal(err)
	}
	return model.Shapes
}

type apiShape struct {
	Type    string `json:"type"`
	Members map[string]struct {
		Shape string `json:"shape"`
	} `json:"members"`
	Member *struct {
		Shape string `json:"shape"`
	} `json:"member"`
	Enum []string `json:"enum"`
}

// TestBuildMatchesAPI: every member the Build JSON carries exists in the
// CodeBuild API's Build shape (recursively), with a value of the right
// kind and enum values from the model.
func TestBuildMatchesAPI(t *testing.T) {
	shapes := apiShapes(t)
	var p [4]*graph.Phase
	p[2] = &graph.Phase{Commands: []string{"mkdir -p d/s && echo x > d/a && echo y > d/s/b", "export V=1", "false"}}
	bs := &graph.Buildspec{Version: "0.2", Phases: p,
		Env: &graph.BuildEnv{ExportedVariables: []string{"V"}},
		Artifacts: &graph.Artifacts{Files: []string{"d/a"}, Secondary: []*graph.SecondaryArtifact{
			{Identifier: "s", Artifacts: graph.Artifacts{Files: []string{"d/s/*"}}}}}}
	r := runBuild(t, bs, func(cb *CodeBuild) { cb.Timeout = time.Hour; cb.Initiator = "me"; cb.ResolvedSourceVersion = "abc" })
	data, err := json.Marshal(r.build)
	if err != nil {
		t.Fatal(err)
	}
	var doc any
	json.Unmarshal(data, &doc)
	checkShape(t, shapes, "Build", "Build", doc)
}

func checkShape(t *testing.T, shapes map[string]apiShape, name, path string, v any) {
	t.Helper()
	s, ok := shapes[name]
	if !ok {
		t.Fatalf("%s: no shape %s", path, name)
	}
	switch s.Type {
	case "structure":
		obj, ok := v.(map[string]any)
		if !ok {
			t.Errorf("%s: want an object, got %T", path, v)
			return
		}
		for k, sub := range obj {
			m, ok := s.Members[k]
			if !ok {
				t.Errorf("%s.%s: not a member of %s", path, k, name)
				continue
			}
			checkShape(t, shapes, m.Shape, path+"."+k, sub)
		}
	case "list":
		arr, ok := v.([]any)
		if !ok {
			t.Errorf("%s: want a list, got %T", path, v)
			return
		}
		for _, e := range arr {
			checkShape(t, shapes, s.Member.Shape, path+"[]", e)
		}
	case "string":
		str, ok := v.(string)
		if !ok {
			t.Errorf("%s: want a string, got %T", path, v)
		} else if len(s.Enum) > 0 && !slices.Contains(s.Enum, str) {
			t.Errorf("%s: %q is not one of %v", path, str, s.Enum)
		}
	case "timestamp", "long", "integer":
		if _, ok := v.(float64); !ok {
			t.Errorf("%s: want a number, got %T", path, v)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			t.Errorf("%s: want a boolean, got %T", path, v)
		}
	}
}
