package cloudformation_test

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/cloudformation/cfntest"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// TestBatchProject: a project with a batch gets a BuildBatchConfig that
// the registry schema of AWS::CodeBuild::Project accepts, run by its own
// role, which may start, stop and retry the project's builds; the pipeline
// role may start the batch.
func TestBatchProject(t *testing.T) {
	g := codepipelinetest.Graph()
	yes := true
	for _, p := range g.Projects {
		if p.Name == "web-test" {
			p.Batch = &graph.BatchConfig{CombineArtifacts: &yes, TimeoutInMins: 120, ReportMode: "REPORT_AGGREGATED_BATCH",
				MaximumBuilds: 10, ComputeTypesAllowed: []string{"BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM"}}
			p.Buildspec.Batch = map[string]any{"build-list": []any{map[string]any{"identifier": "linux"}}}
		}
	}
	for _, p := range g.Pipelines {
		for _, a := range p.Actions() {
			if a.Project != nil && a.Project.Name == "web-test" {
				a.Configuration["BatchEnabled"] = "true"
			}
		}
	}
	files, diags := cloudformation.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	schemas := cfntest.LoadShared(t)
	checked := 0
	for _, f := range files {
		if errs := schemas.Check(f.Data); len(errs) > 0 {
			t.Errorf("%s:\n%s", f.Path, strings.Join(errs, "\n"))
		}
		var tpl struct {
			Resources map[string]struct {
				Type       string
				Properties map[string]any
			}
		}
		if err := json.Unmarshal(f.Data, &tpl); err != nil {
			t.Fatal(err)
		}
		if _, ok := tpl.Resources["ProjectWebTest"]; !ok {
			continue // the shared project is created by one template only
		}
		checked++
		got, _ := json.Marshal(tpl.Resources["ProjectWebTest"].Properties["BuildBatchConfig"])
		want := `{"BatchReportMode":"REPORT_AGGREGATED_BATCH","CombineArtifacts":true,"Restrictions":{"ComputeTypesAllowed":["BUILD_GENERAL1_SMALL","BUILD_GENERAL1_MEDIUM"],"MaximumBuildsAllowed":10},"ServiceRole":{"Fn::GetAtt":["ProjectWebTestRole","Arn"]},"TimeoutInMins":120}`
		if string(got) != want {
			t.Errorf("%s: BuildBatchConfig\n got %s\nwant %s", f.Path, got, want)
		}
		checkAPIShape(t, tpl.Resources["ProjectWebTest"].Properties["BuildBatchConfig"])
		role, _ := json.Marshal(tpl.Resources["ProjectWebTestRole"].Properties)
		if !strings.Contains(string(role), `"codebuild:RetryBuild","codebuild:StartBuild","codebuild:StopBuild"`) {
			t.Errorf("%s: the project role may not start the batch's builds: %s", f.Path, role)
		}
		pipe, _ := json.Marshal(tpl.Resources["PipelineRole"].Properties)
		if !strings.Contains(string(pipe), "codebuild:StartBuildBatch") {
			t.Errorf("%s: the pipeline role may not start the batch", f.Path)
		}
	}
	if checked == 0 {
		t.Fatal("no template creates the batch project")
	}
}

// checkAPIShape validates a BuildBatchConfig against the CodeBuild API's
// ProjectBuildBatchConfig (member names in camel case; the role's GetAtt as
// the ARN it resolves to).
func checkAPIShape(t *testing.T, cfg any) {
	t.Helper()
	data, err := os.ReadFile(codepipelinetest.RequireShared(t, "reference", "api-codebuild.json"))
	if err != nil {
		t.Fatal(err)
	}
	model, err := codepipelinetest.ParseModel(data)
	if err != nil {
		t.Fatal(err)
	}
	var lower func(v any) any
	lower = func(v any) any {
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		out := map[string]any{}
		for k, x := range m {
			out[strings.ToLower(k[:1])+k[1:]] = lower(x)
		}
		return out
	}
	api := lower(cfg).(map[string]any)
	api["serviceRole"] = "arn:aws:iam::123456789012:role/web-test"
	doc, _ := json.Marshal(api)
	if errs := model.Validate("ProjectBuildBatchConfig", doc); len(errs) > 0 {
		t.Errorf("BuildBatchConfig against the API model:\n%s", strings.Join(errs, "\n"))
	}
}
