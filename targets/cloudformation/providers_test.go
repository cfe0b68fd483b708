package cloudformation_test

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/cloudformation/cfntest"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// Every provider the pipeline role has permissions for: the template is
// valid, scoped, and grants what each action needs on its own resource.
func TestProvidersTemplate(t *testing.T) {
	schemas, err := cfntest.Load(filepath.Join(cfntest.SharedDir(), "reference"))
	if err != nil {
		t.Fatal(err)
	}
	files, diags := cloudformation.New().Emit(codepipelinetest.Providers(), targets.Options{})
	if diags.HasErrors() || len(files) != 1 {
		t.Fatalf("files %v, diagnostics %v", paths(files), diags)
	}
	data := files[0].Data
	checkGolden(t, filepath.Join("testdata", "golden", "providers.json"), data)
	if errs := schemas.Check(data); len(errs) > 0 {
		t.Errorf("registry schemas:\n%s", strings.Join(errs, "\n"))
	}
	for _, msg := range WildcardStatements(t, data) {
		t.Error(msg)
	}
	tpl := string(data)
	for _, want := range []string{
		`"codeconnections:UseConnection"`,
		`"Resource": "arn:aws:codeconnections:eu-west-1:111122223333:connection/abcd"`,
		`"Fn::Sub": "arn:${AWS::Partition}:s3:::acme-sources/*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/base-image"`,
		`"Fn::Sub": "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:/aws/codepipeline/providers:*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:secretsmanager:${AWS::Region}:${AWS::AccountId}:secret:ci/token-??????"`,
		`"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/app"`,
		`"Fn::Sub": "arn:${AWS::Partition}:s3:::acme-site/*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stack/app/*"`,
		`"Resource": "arn:aws:iam::111122223333:role/cfn-deploy"`,
		`"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/prod/app"`,
		`"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:app-ecs/app-ecs-bg"`,
		`"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:notify"`,
		`"Resource": "arn:aws:iam::444455556666:role/notify-invoker"`,
		`"Resource": "arn:aws:states:eu-west-1:111122223333:execution:release:*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:downstream"`,
		`"kms:ResourceAliases": "alias/pipeline-key"`,
		`"Id": "alias/pipeline-key"`,
	} {
		if !strings.Contains(tpl, want) {
			t.Errorf("the template lacks %s", want)
		}
	}
}
