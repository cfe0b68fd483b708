package cloudformation_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/cloudformation/cfntest"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"

	"github.com/pipeform/pipeform/lang/langtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func emit(t *testing.T, format string) []targets.File {
	t.Helper()
	files, diags := cloudformation.New().Emit(codepipelinetest.Graph(), targets.Options{Format: format})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	return files
}

func TestEmitGolden(t *testing.T) {
	for _, format := range []string{"json", "yaml"} {
		files := emit(t, format)
		want := []string{"cloudformation/minimal." + format, "cloudformation/web." + format}
		if diff := cmp.Diff(want, paths(files)); diff != "" {
			t.Fatalf("files (-want +got):\n%s", diff)
		}
		again := emit(t, format)
		for i, f := range files {
			checkGolden(t, filepath.Join("testdata", "golden", filepath.Base(f.Path)), f.Data)
			if !bytes.Equal(f.Data, again[i].Data) {
				t.Errorf("%s: a second Emit gave different bytes", f.Path)
			}
		}
	}
}

func TestTemplatesMatchRegistrySchemas(t *testing.T) {
	schemas := cfntest.LoadShared(t)
	for _, format := range []string{"json", "yaml"} {
		for _, f := range emit(t, format) {
			if errs := schemas.Check(f.Data); len(errs) > 0 {
				t.Errorf("%s:\n%s", f.Path, strings.Join(errs, "\n"))
			}
		}
	}
}

// The checker must be able to fail.
func TestSchemaCheckCatchesBadTemplates(t *testing.T) {
	schemas := cfntest.LoadShared(t)
	for name, tc := range map[string]struct{ tpl, want string }{
		"missing required": {`{"Resources":{"P":{"Type":"AWS::CodePipeline::Pipeline","Properties":{"Stages":[]}}}}`, "RoleArn"},
		"read-only":        {`{"Resources":{"P":{"Type":"AWS::CodePipeline::Pipeline","Properties":{"RoleArn":"arn:aws:iam::123456789012:role/r","Stages":[],"Version":"1"}}}}`, "read-only property /properties/Version"},
		"unknown ref":      {`{"Resources":{"B":{"Type":"AWS::S3::BucketPolicy","Properties":{"Bucket":{"Ref":"Nope"},"PolicyDocument":{}}}}}`, `Ref to unknown "Nope"`},
		"unknown attr":     {`{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"AssumeRolePolicyDocument":{}}},"B":{"Type":"AWS::CodeBuild::Project","Properties":{"Source":{"Type":"CODEPIPELINE"},"Artifacts":{"Type":"CODEPIPELINE"},"Environment":{"Type":"LINUX_CONTAINER","Image":"i","ComputeType":"BUILD_GENERAL1_SMALL"},"ServiceRole":{"Fn::GetAtt":["R","Nope"]}}}}}`, `has no attribute "Nope"`},
		"bad enum":         {`{"Resources":{"P":{"Type":"AWS::CodePipeline::Pipeline","Properties":{"RoleArn":"arn:aws:iam::123456789012:role/r","Stages":[],"PipelineType":"V9"}}}}`, "PipelineType"},
	} {
		errs := strings.Join(schemas.Check([]byte(tc.tpl)), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: want an error containing %q, got:\n%s", name, tc.want, errs)
		}
	}
}

func TestNoWildcardResources(t *testing.T) {
	for _, f := range emit(t, "json") {
		for _, msg := range WildcardStatements(t, f.Data) {
			t.Errorf("%s: %s", f.Path, msg)
		}
	}
}

// WildcardStatements lists Allow statements of IAM role policies that grant
// an action on "*" that AWS could scope more narrowly.
func WildcardStatements(t *testing.T, template []byte) []string {
	t.Helper()
	var tpl struct {
		Resources map[string]struct {
			Type       string
			Properties struct {
				Policies []struct {
					PolicyDocument struct {
						Statement []struct {
							Effect    string
							Action    any
							Resource  any
							Condition map[string]any
						}
					}
				}
			}
		}
	}
	if err := json.Unmarshal(template, &tpl); err != nil {
		t.Fatal(err)
	}
	var out []string
	for id, r := range tpl.Resources {
		for _, p := range r.Properties.Policies {
			for _, st := range p.PolicyDocument.Statement {
				if st.Effect != "Allow" || !hasStar(st.Resource) {
					continue
				}
				for _, a := range list(st.Action) {
					if !cloudformation.WildcardAllowed(a) {
						out = append(out, id+` grants `+a+` on "*"`)
					}
					if a == "iam:PassRole" && st.Condition == nil {
						out = append(out, id+` grants iam:PassRole on "*" without an iam:PassedToService condition`)
					}
				}
			}
		}
	}
	return out
}

func TestWildcardCheckCanFail(t *testing.T) {
	bad := `{"Resources":{"R":{"Type":"AWS::IAM::Role","Properties":{"Policies":[{"PolicyDocument":{"Statement":[
		{"Effect":"Allow","Action":"s3:GetObject","Resource":"*"},
		{"Effect":"Allow","Action":"iam:PassRole","Resource":"*"}]}}]}}}}`
	if got := WildcardStatements(t, []byte(bad)); len(got) != 2 {
		t.Errorf("want two findings, got %v", got)
	}
}

func hasStar(res any) bool {
	for _, r := range list(res) {
		if r == "*" {
			return true
		}
	}
	return false
}

func list(v any) []string {
	switch v := v.(type) {
	case string:
		return []string{v}
	case []any:
		var out []string
		for _, e := range v {
			if s, ok := e.(string); ok {
				out = append(out, s)
			}
		}
		return out
	}
	return nil
}

func paths(files []targets.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

// checkGolden compares got with the golden file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	langtest.Golden(t, path, got, *update)
}

func TestCrossRegionProjectIsNotCreated(t *testing.T) {
	g := codepipelinetest.Graph()
	g.Pipelines = g.Pipelines[1:]                            // minimal, which gets a pipeline role
	g.Pipelines[0].Stages[1].Actions[0].Region = "us-west-2" // Test.test runs web-test there
	files, diags := cloudformation.New().Emit(g, targets.Options{})
	if len(diags) != 1 || diags[0].Summary != "Cross-Region project not in template" || diags[0].Severity != hcl.DiagWarning {
		t.Fatalf("want one \"Cross-Region project not in template\" warning, got %v", diags)
	}
	tpl := string(files[0].Data)
	if strings.Contains(tpl, `"ProjectWebTest"`) {
		t.Error("the template creates the cross-Region project")
	}
	if !strings.Contains(tpl, `"ProjectName": "web-test"`) {
		t.Error("the cross-Region action does not name its project literally")
	}
	if !strings.Contains(tpl, `codebuild:us-west-2:${AWS::AccountId}:project/web-test`) {
		t.Error("the pipeline role is not allowed to start the cross-Region project")
	}
}
