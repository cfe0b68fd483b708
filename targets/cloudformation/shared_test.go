package cloudformation_test

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// Pipelines web and minimal both run project web-test. Every template is
// deployed as a stack in the same account and Region, so no two may create
// a resource with the same name: minimal's template (first in file order)
// creates the project, its role and log group and exports the role name;
// web's refers to the project by name and grants the imported role access
// to its own artifact stores.
func TestSharedProjectCreatedOnce(t *testing.T) {
	g := codepipelinetest.Graph()
	for _, p := range g.Pipelines {
		p.RoleARN = "" // a generated pipeline role, to check its StartBuild
	}
	files, diags := cloudformation.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	type resource struct {
		Type       string
		Properties map[string]any
	}
	names := map[string]string{} // "type name" -> file
	tpls := map[string]string{}
	for _, f := range files {
		tpls[f.Path] = string(f.Data)
		var tpl struct{ Resources map[string]resource }
		if err := json.Unmarshal(f.Data, &tpl); err != nil {
			t.Fatal(err)
		}
		for id, r := range tpl.Resources {
			for _, prop := range []string{"Name", "LogGroupName", "RoleName", "BucketName"} {
				name, ok := r.Properties[prop].(string)
				if !ok {
					continue
				}
				key := r.Type + " " + name
				if first, dup := names[key]; dup {
					t.Errorf("%s (%s) and %s both create %s", f.Path, id, first, key)
				}
				names[key] = f.Path
			}
		}
	}
	if names["AWS::CodeBuild::Project web-test"] != "cloudformation/minimal.json" {
		t.Errorf("project web-test is created by %q, want cloudformation/minimal.json", names["AWS::CodeBuild::Project web-test"])
	}
	for _, want := range []string{`"Name": "pipeform:codebuild-role:web-test"`} {
		if !strings.Contains(tpls["cloudformation/minimal.json"], want) {
			t.Errorf("minimal.json lacks %s", want)
		}
	}
	for _, want := range []string{
		`"Fn::ImportValue": "pipeform:codebuild-role:web-test"`,
		`"ProjectName": "web-test"`,
		`"Fn::Sub": "arn:${AWS::Partition}:codebuild:${AWS::Region}:${AWS::AccountId}:project/web-test"`,
	} {
		if !strings.Contains(tpls["cloudformation/web.json"], want) {
			t.Errorf("web.json lacks %s", want)
		}
	}
}
