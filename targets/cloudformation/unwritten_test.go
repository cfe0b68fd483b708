package cloudformation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/constraints"
	"github.com/pipeform/pipeform/lang/langtest"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// neverWritten is the reason the constraint table gives for a member it
// leaves unchecked because pipeform does not write it
// (lang/constraints/gen/mapping.go).
const neverWritten = "pipeform never writes this member"

// TestUnwrittenMembersStayUnwritten: no member that the constraint table
// leaves unchecked as never written appears in what the targets write
// (the examples' CodePipeline JSON and templates, and the every-provider
// graph), so the table cannot silently miss a member pipeform starts to
// write. Template properties are matched to their API twin ignoring case.
func TestUnwrittenMembersStayUnwritten(t *testing.T) {
	var unwritten []string
	for _, s := range constraints.Unchecked {
		if s.Reason == neverWritten {
			unwritten = append(unwritten, strings.ToLower(s.Member))
		}
	}
	if len(unwritten) == 0 {
		t.Fatal("the table records no member as never written")
	}
	written := map[string]bool{}
	add := func(files []targets.File) {
		for _, f := range files {
			if !strings.HasSuffix(f.Path, ".json") {
				continue
			}
			var doc any
			if err := json.Unmarshal(f.Data, &doc); err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			switch {
			case strings.HasPrefix(f.Path, "codepipeline/"):
				walkJSON(doc, "api-codepipeline.json:CreatePipelineInput", written)
			case strings.HasPrefix(f.Path, "cloudformation/"):
				res, _ := doc.(map[string]any)["Resources"].(map[string]any)
				for _, r := range res {
					r := r.(map[string]any)
					switch r["Type"] {
					case "AWS::CodePipeline::Pipeline":
						walkJSON(r["Properties"], "cfn-codepipeline-pipeline.json:AWS::CodePipeline::Pipeline", written)
					case "AWS::CodeBuild::Project":
						walkJSON(r["Properties"], "api-codebuild.json:CreateProjectInput", written)
					}
				}
			}
		}
	}
	forEachExample(t, func(t *testing.T, _ string, files []targets.File) { add(files) })
	// The compiler's valid fixtures write every constrained attribute and
	// every kind of block (batch builds included).
	for _, path := range langtest.Fixtures(t, "../../compiler/testdata/valid") {
		res, diags := lang.Load(langtest.FixtureFS(t, path), lang.Options{})
		if diags.HasErrors() {
			t.Fatalf("%s: %v", path, diags)
		}
		g, diags := compiler.Compile(res.Config)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", path, diags)
		}
		files, _ := cloudformation.New().Emit(g, targets.Options{Region: exampleRegion})
		add(files)
	}
	g := codepipelinetest.Providers()
	files, diags := cloudformation.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	add(files)
	files, _ = codepipeline.New().Emit(g, targets.Options{})
	add(files)
	for _, known := range []string{
		"api-codepipeline.json:CreatePipelineInput.pipeline.stages[].actions[].actionTypeId.category",
		"cfn-codepipeline-pipeline.json:AWS::CodePipeline::Pipeline.Stages[].Actions[].RunOrder",
		"api-codebuild.json:CreateProjectInput.environment.computeType",
	} {
		if !written[strings.ToLower(known)] {
			t.Fatalf("%s is not among the written members: the walk is wrong", known)
		}
	}
	for w := range written {
		for _, u := range unwritten {
			if w == u || strings.HasPrefix(w, u+".") || strings.HasPrefix(w, u+"[") {
				t.Errorf("%s is written, but the constraint table leaves it unchecked as never written (%s); map it in lang/constraints/gen/mapping.go", w, u)
			}
		}
	}
}

// walkJSON records the member path of every value of doc, lower-cased.
func walkJSON(doc any, path string, out map[string]bool) {
	out[strings.ToLower(path)] = true
	switch v := doc.(type) {
	case map[string]any:
		for k, e := range v {
			walkJSON(e, path+"."+k, out)
		}
	case []any:
		for _, e := range v {
			walkJSON(e, path+"[]", out)
		}
	}
}
