package cloudformation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// The template's pipeline stages say the same as the create-pipeline JSON:
// the same members in PascalCase, with references to the template's own
// projects and CodeDeploy resources in place of their names.
func TestTemplateStagesMatchCreatePipelineInput(t *testing.T) {
	g := codepipelinetest.Graph()
	cp, diags := codepipeline.New().Emit(g, targets.Options{Region: "eu-west-1"})
	if len(cp) == 0 {
		t.Fatal(diags)
	}
	var api struct {
		Pipeline struct{ Stages []any }
	}
	if err := json.Unmarshal(cp[0].Data, &api); err != nil {
		t.Fatal(err)
	}
	cfn, diags := cloudformation.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	var tpl struct {
		Resources map[string]struct {
			Properties map[string]any
		}
	}
	web := cfn[len(cfn)-1] // cloudformation/web.json
	if err := json.Unmarshal(web.Data, &tpl); err != nil {
		t.Fatal(err)
	}
	names := map[string]string{}
	for id, r := range tpl.Resources {
		for _, k := range []string{"Name", "ApplicationName", "DeploymentGroupName"} {
			if n, ok := r.Properties[k].(string); ok {
				names[id] = n
			}
		}
	}
	got := resolveRefs(tpl.Resources["Pipeline"].Properties["Stages"], names)
	want := pascal(api.Pipeline.Stages, false)
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("template stages differ from the create-pipeline input (-api +template):\n%s", diff)
	}
}

// pascal upper-cases the first letter of every member name, except inside
// configuration maps, whose keys are the providers' own.
func pascal(v any, keep bool) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, e := range v {
			nk := k
			if !keep {
				nk = strings.ToUpper(k[:1]) + k[1:]
			}
			out[nk] = pascal(e, k == "configuration")
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = pascal(e, false)
		}
		return out
	}
	return v
}

func resolveRefs(v any, names map[string]string) any {
	switch v := v.(type) {
	case map[string]any:
		if ref, ok := v["Ref"].(string); ok && len(v) == 1 {
			return names[ref]
		}
		out := map[string]any{}
		for k, e := range v {
			out[k] = resolveRefs(e, names)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, e := range v {
			out[i] = resolveRefs(e, names)
		}
		return out
	}
	return v
}
