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
	schemas := cfntest.LoadShared(t)
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
		`"cloudformation:GetTemplateSummary"`, // GetTemplate* of §9.1
		`"Fn::Sub": "arn:${AWS::Partition}:ecs:${AWS::Region}:${AWS::AccountId}:service/prod/app"`,
		`"Fn::Sub": "arn:${AWS::Partition}:codedeploy:${AWS::Region}:${AWS::AccountId}:deploymentgroup:app-ecs/app-ecs-bg"`,
		`"Resource": "arn:aws:iam::444455556666:role/notify-invoker"`,
		`"Resource": "arn:aws:states:eu-west-1:111122223333:execution:release:*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:codepipeline:${AWS::Region}:${AWS::AccountId}:downstream"`,
		`"kms:ResourceAliases": "alias/pipeline-key"`,
		// The Deploy stage's on_success CloudWatchAlarm rule reads its alarm.
		`"Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:app-errors"`,
		`"Id": "alias/pipeline-key"`,
	} {
		if !strings.Contains(tpl, want) {
			t.Errorf("the template lacks %s", want)
		}
	}
	// notify runs under its own role (another account): the pipeline role
	// may assume that role, and gets none of the action's own permissions.
	if strings.Contains(tpl, `"lambda:InvokeFunction"`) {
		t.Error("the pipeline role is granted lambda:InvokeFunction for an action that has its own role")
	}
}

// The rest of the catalog: each deploy, invoke and test provider gets its
// own actions on its own resources, and nothing else runs on "*".
func TestDeployProvidersTemplate(t *testing.T) {
	schemas := cfntest.LoadShared(t)
	files, diags := cloudformation.New().Emit(codepipelinetest.DeployProviders(), targets.Options{})
	if diags.HasErrors() || len(files) != 1 {
		t.Fatalf("files %v, diagnostics %v", paths(files), diags)
	}
	data := files[0].Data
	checkGolden(t, filepath.Join("testdata", "golden", "deploys.json"), data)
	if errs := schemas.Check(data); len(errs) > 0 {
		t.Errorf("registry schemas:\n%s", strings.Join(errs, "\n"))
	}
	for _, msg := range WildcardStatements(t, data) {
		t.Error(msg)
	}
	tpl := string(data)
	for _, want := range []string{
		`"cloudformation:UpdateStackSet"`,
		`"Fn::Sub": "arn:${AWS::Partition}:cloudformation:${AWS::Region}:${AWS::AccountId}:stackset/baseline:*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:iam::${AWS::AccountId}:role/AWSCloudFormationStackSetAdministrationRole"`,
		`"Fn::Sub": "arn:${AWS::Partition}:elasticbeanstalk:${AWS::Region}:${AWS::AccountId}:environment/web/web-prod"`,
		`"Fn::Sub": "arn:${AWS::Partition}:appconfig:${AWS::Region}:${AWS::AccountId}:application/abc1234/environment/env5678"`,
		`"aws:ResourceTag/app": "web"`,
		`"Fn::Sub": "arn:${AWS::Partition}:elasticloadbalancing:${AWS::Region}:${AWS::AccountId}:targetgroup/web-tg/*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:eks:${AWS::Region}:${AWS::AccountId}:cluster/prod"`,
		`"Fn::Sub": "arn:${AWS::Partition}:ec2:${AWS::Region}:${AWS::AccountId}:subnet/subnet-2"`,
		`"lambda:UpdateAlias"`,
		`"Fn::Sub": "arn:${AWS::Partition}:lambda:${AWS::Region}:${AWS::AccountId}:function:api:*"`,
		`"Fn::Sub": "arn:${AWS::Partition}:cloudwatch:${AWS::Region}:${AWS::AccountId}:alarm:api-latency"`,
		`"inspector-scan:ScanSbom"`,
		`"Fn::Sub": "arn:${AWS::Partition}:ecr:${AWS::Region}:${AWS::AccountId}:repository/app-image"`,
		`"Fn::Sub": "arn:${AWS::Partition}:devicefarm:us-west-2:${AWS::AccountId}:project:proj-1"`,
		`"Resource": "arn:aws:devicefarm:us-west-2:111122223333:devicepool:proj-1/pool-1"`,
	} {
		if !strings.Contains(tpl, want) {
			t.Errorf("the template lacks %s", want)
		}
	}
	// A Lambda deploy publishes versions and moves aliases; it never
	// invokes the function.
	if strings.Contains(tpl, `"lambda:InvokeFunction"`) {
		t.Error("a Lambda deploy action must not be granted lambda:InvokeFunction")
	}
}

// A project whose input is a CODEBUILD_CLONE_REF source clones the
// repository itself, with its own role: it needs codecommit:GitPull on that
// repository (reference notes §9.2), and only then.
func TestCloneRefSourceGrantsGitPull(t *testing.T) {
	for _, format := range []string{"", "CODEBUILD_CLONE_REF"} {
		g := codepipelinetest.Graph()
		src := g.Pipeline("web").Stages[0].Actions[0]
		if format != "" {
			src.Configuration["OutputArtifactFormat"] = format
		}
		files, diags := cloudformation.New().Emit(g, targets.Options{})
		if diags.HasErrors() {
			t.Fatal(diags)
		}
		var tpl string
		for _, f := range files {
			if strings.HasSuffix(f.Path, "/web.json") {
				tpl = string(f.Data)
			}
		}
		want := 0
		if format != "" {
			want = 2 // the build and the test project both read src
		}
		if got := strings.Count(tpl, `"codecommit:GitPull"`); got != want {
			t.Errorf("OutputArtifactFormat %q: codecommit:GitPull granted %d times, want %d", format, got, want)
		}
		if want > 0 && !strings.Contains(tpl, `"Fn::Sub": "arn:${AWS::Partition}:codecommit:${AWS::Region}:${AWS::AccountId}:web"`) {
			t.Errorf("GitPull is not scoped to the web repository:\n%s", tpl)
		}
	}
}
