package cloudformation_test

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/cloudformation/cfntest"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// role_statement blocks end up, as written and in order, after the derived
// statements of the generated pipeline role; the template still matches
// the registry schemas.
func TestRoleStatements(t *testing.T) {
	schemas := cfntest.LoadShared(t)
	g := codepipelinetest.Providers()
	g.Pipelines[0].RoleStatements = []*graph.PolicyStatement{
		{Sid: "Catalog", Effect: "Allow", Actions: []string{"servicecatalog:UpdateProduct", "servicecatalog:*ProvisioningArtifact*"},
			Resources: []string{"arn:aws:catalog:eu-west-1:111122223333:product/prod-abc"}},
		{Effect: "Deny", Actions: []string{"s3:DeleteObject"}, Resources: []string{"arn:aws:s3:::acme-site/*", "arn:aws:s3:::acme-sources/*"}},
	}
	files, diags := cloudformation.New().Emit(g, targets.Options{})
	if diags.HasErrors() || len(files) != 1 {
		t.Fatalf("files %v, diagnostics %v", paths(files), diags)
	}
	if errs := schemas.Check(files[0].Data); len(errs) > 0 {
		t.Errorf("registry schemas:\n%s", strings.Join(errs, "\n"))
	}
	var tpl struct {
		Resources map[string]struct {
			Properties struct {
				Policies []struct {
					PolicyDocument struct {
						Statement []map[string]any
					}
				}
			}
		}
	}
	if err := json.Unmarshal(files[0].Data, &tpl); err != nil {
		t.Fatal(err)
	}
	role := tpl.Resources["PipelineRole"].Properties.Policies
	if len(role) != 1 {
		t.Fatalf("PipelineRole has %d policies", len(role))
	}
	stmts := role[0].PolicyDocument.Statement
	if len(stmts) < 3 {
		t.Fatalf("only %d statements", len(stmts))
	}
	want := []map[string]any{
		{"Sid": "Catalog", "Effect": "Allow", "Action": []any{"servicecatalog:UpdateProduct", "servicecatalog:*ProvisioningArtifact*"},
			"Resource": "arn:aws:catalog:eu-west-1:111122223333:product/prod-abc"},
		{"Effect": "Deny", "Action": []any{"s3:DeleteObject"}, "Resource": []any{"arn:aws:s3:::acme-site/*", "arn:aws:s3:::acme-sources/*"}},
	}
	if got := stmts[len(stmts)-2:]; !reflect.DeepEqual(got, want) {
		t.Errorf("last statements = %v, want %v", got, want)
	}
}
