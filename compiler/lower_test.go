package compiler

import (
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/providers"
)

// handConfig is a small valid configuration built without lang.Load.
func handConfig() *config.Config {
	src := &config.Action{Name: "checkout", Namespace: "Src",
		Provider: &config.Provider{Kind: "codecommit", Attrs: map[string]cty.Value{
			"repository": cty.StringVal("web"), "branch": cty.StringVal("main"),
			"poll_for_source_changes": cty.False,
		}},
		Outputs: []*config.ArtifactName{{Name: "src"}},
	}
	lint := &config.Action{Name: "lint", RunOrder: 2,
		Provider: &config.Provider{Kind: "codebuild", Project: "test", Attrs: map[string]cty.Value{
			"category": cty.StringVal("Test"),
			"environment_variables": cty.MapVal(map[string]cty.Value{
				"Z": cty.StringVal("z"), "COMMIT": cty.StringVal("#{Src.CommitId}"),
			}),
		}},
		Inputs: []*config.ArtifactName{{Name: "src"}},
	}
	unit := &config.Action{Name: "unit", Namespace: "Test",
		Provider: &config.Provider{Kind: "codebuild", Project: "test", Attrs: map[string]cty.Value{}},
		Inputs:   []*config.ArtifactName{{Name: "src"}},
		Outputs:  []*config.ArtifactName{{Name: "dist"}},
	}
	ship := &config.Action{Name: "ship",
		Provider: &config.Provider{Kind: "approval", Attrs: map[string]cty.Value{
			"message": cty.StringVal("Ship #{Test.VERSION} (#{codepipeline.PipelineExecutionId})?"),
		}},
	}
	return &config.Config{
		Projects: []*config.Project{{
			Name: "test", Image: "aws/codebuild/standard:7.0",
			ComputeType: "BUILD_GENERAL1_SMALL", EnvironmentType: "LINUX_CONTAINER",
			Env: &config.Env{Variables: map[string]string{"B": "2", "A": "1"}, Exported: []string{"VERSION"}},
			Phases: []*config.Phase{
				{Name: "build", Commands: []string{"make"}, CommandsSet: true},
				{Name: "install", RuntimeVersions: map[string]string{"golang": "1.22"}},
			},
			SecondaryArtifacts: []*config.Artifacts{{Identifier: "docs", Files: []string{"docs/**/*"}}},
		}},
		Pipelines: []*config.Pipeline{{
			Name: "web",
			Stages: []*config.Stage{
				{Name: "Source", Actions: []*config.Action{src}},
				{Name: "Test", Actions: []*config.Action{lint, unit}},
				{Name: "Approve", Actions: []*config.Action{ship}},
			},
		}},
	}
}

func TestLowerHandConfig(t *testing.T) {
	g, diags := Compile(handConfig())
	if diags.HasErrors() {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	p := g.Pipeline("web")
	if p.Type != "V2" || p.ExecutionMode != "SUPERSEDED" {
		t.Errorf("type/mode = %q/%q, want V2/SUPERSEDED", p.Type, p.ExecutionMode)
	}
	var ids []string
	for _, a := range p.Actions() {
		ids = append(ids, a.ID())
	}
	if diff := cmp.Diff([]string{"Source.checkout", "Test.unit", "Test.lint", "Approve.ship"}, ids); diff != "" {
		t.Errorf("execution order (-want +got):\n%s", diff)
	}
	checkout, unit, lint, ship := p.Stages[0].Actions[0], p.Stages[1].Actions[0], p.Stages[1].Actions[1], p.Stages[2].Actions[0]
	if diff := cmp.Diff(map[string]string{"RepositoryName": "web", "BranchName": "main", "PollForSourceChanges": "false"}, checkout.Configuration); diff != "" {
		t.Errorf("codecommit configuration (-want +got):\n%s", diff)
	}
	wantLint := map[string]string{
		"ProjectName":          "test",
		"EnvironmentVariables": `[{"name":"COMMIT","value":"#{Src.CommitId}","type":"PLAINTEXT"},{"name":"Z","value":"z","type":"PLAINTEXT"}]`,
	}
	if diff := cmp.Diff(wantLint, lint.Configuration); diff != "" {
		t.Errorf("codebuild configuration (-want +got):\n%s", diff)
	}
	if lint.Type.Category != "Test" || unit.Type.Category != "Build" {
		t.Errorf("categories = %q, %q", lint.Type.Category, unit.Type.Category)
	}
	if unit.Project == nil || unit.Project.Name != "test" || !cmp.Equal(unit.Variables, []string{"VERSION"}) {
		t.Errorf("unit project/variables = %v, %v", unit.Project, unit.Variables)
	}
	if unit.Inputs[0].Producer != checkout || ship.RunOrder != 1 {
		t.Errorf("input producer or run order wrong")
	}
	if len(lint.Upstream) != 2 || lint.Upstream[1] != unit || len(ship.Upstream) != 3 {
		t.Errorf("upstream wrong: lint %d, ship %d", len(lint.Upstream), len(ship.Upstream))
	}
	refs := map[string]*graph.Action{}
	for _, r := range ship.References {
		refs[r.Namespace+"."+r.Name] = r.Producer
	}
	if diff := cmp.Diff(map[string]*graph.Action{"Test.VERSION": unit, "codepipeline.PipelineExecutionId": nil}, refs); diff != "" {
		t.Errorf("references (-want +got):\n%s", diff)
	}
	bs := g.Project("test").Buildspec
	if bs.Phases[0] == nil || bs.Phases[2] == nil || bs.Phases[1] != nil {
		t.Errorf("phases not in fixed order: %+v", bs.Phases)
	}
	if diff := cmp.Diff([]graph.KeyValue{{Key: "A", Value: "1"}, {Key: "B", Value: "2"}}, bs.Env.Variables); diff != "" {
		t.Errorf("env variables (-want +got):\n%s", diff)
	}
	if bs.Artifacts == nil || len(bs.Artifacts.Secondary) != 1 || bs.Artifacts.Files[0] != "**/*" {
		t.Errorf("artifacts = %+v", bs.Artifacts)
	}
	if st, _ := ship.LocalMode(); st != graph.LocalApproval {
		t.Errorf("ship local mode = %q", st)
	}
}

// TestPassesAlone runs the passes one at a time: lowering builds nodes
// without edges, link adds the edges, and a check can run on its own.
func TestPassesAlone(t *testing.T) {
	if diff := cmp.Diff([]string{"lower-projects", "lower-pipelines", "link", "check", "lint"}, Passes()); diff != "" {
		t.Fatalf("passes (-want +got):\n%s", diff)
	}
	s := newState(handConfig())
	passes[0].run(s)
	passes[1].run(s)
	unit := s.g.Pipelines[0].Stages[1].Actions[0]
	if unit.Inputs[0].Producer != nil || unit.Upstream != nil || unit.References != nil {
		t.Fatal("lowering alone set edges")
	}
	link(s)
	if unit.Inputs[0].Producer == nil || len(unit.Upstream) != 1 {
		t.Fatal("link did not set edges")
	}
	checkStageCount(s, "stage-count")
	if len(s.d.list) != 0 {
		t.Fatalf("stage-count on a 3-stage pipeline: %v", s.d.list)
	}
	s.g.Pipelines[0].Stages = s.g.Pipelines[0].Stages[:1]
	checkStageCount(s, "stage-count")
	if len(s.d.list) != 1 || DiagnosticCode(s.d.list[0]) != "stage-count" {
		t.Fatalf("stage-count on a 1-stage pipeline: %v", s.d.list)
	}
}

func TestEncodeValue(t *testing.T) {
	for _, c := range []struct {
		v        cty.Value
		enc      providers.Encoding
		withType bool
		want     string
	}{
		{cty.NumberIntVal(15), providers.Number, false, "15"},
		{cty.NumberFloatVal(2.5), providers.Number, false, "2.5"},
		{cty.True, providers.Bool, false, "true"},
		{cty.ListVal([]cty.Value{cty.StringVal("CAPABILITY_IAM"), cty.StringVal("CAPABILITY_AUTO_EXPAND")}), providers.CommaList, false, "CAPABILITY_IAM,CAPABILITY_AUTO_EXPAND"},
		{cty.MapVal(map[string]cty.Value{"b": cty.StringVal("x<y&z"), "a": cty.StringVal("1")}), providers.JSON, false, `{"a":"1","b":"x<y&z"}`},
		{cty.MapVal(map[string]cty.Value{"K": cty.StringVal("v")}), providers.NameValueJSON, false, `[{"name":"K","value":"v"}]`},
		{cty.MapValEmpty(cty.String), providers.NameValueJSON, true, `[]`},
		{cty.ListVal([]cty.Value{cty.ObjectVal(map[string]cty.Value{
			"revisionValue": cty.StringVal("abc"), "actionName": cty.StringVal("src"), "revisionType": cty.StringVal("COMMIT_ID"),
		})}), providers.JSON, false, `[{"actionName":"src","revisionType":"COMMIT_ID","revisionValue":"abc"}]`},
	} {
		if got := encodeValue(c.v, c.enc, c.withType); got != c.want {
			t.Errorf("encodeValue(%#v) = %s, want %s", c.v, got, c.want)
		}
	}
}
