package codepipelinetest

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// Graph returns a graph with two pipelines:
//
//   - "web" names its role and artifact bucket (with a cross-Region store)
//     and has a CodeCommit source, a parallel build and test, a manual
//     approval, a CodeDeploy deploy in two Regions, pipeline variables, tags,
//     a failure notification and projects that use Parameter Store and
//     Secrets Manager;
//   - "minimal" names neither role nor bucket (only the cloudformation target
//     can emit it).
func Graph() *graph.Graph {
	build := &graph.Project{
		Name: "web-build", Description: "Builds the web app",
		Image: "aws/codebuild/standard:7.0", ComputeType: "BUILD_GENERAL1_SMALL", EnvironmentType: "LINUX_CONTAINER",
		TimeoutInMinutes: 30, QueuedTimeoutInMinutes: 60,
		Tags: map[string]string{"team": "web"},
		Buildspec: &graph.Buildspec{
			Version: "0.2",
			Env: &graph.BuildEnv{
				Variables:         []graph.KeyValue{{Key: "NODE_ENV", Value: "production"}},
				ParameterStore:    []graph.KeyValue{{Key: "NPM_TOKEN", Value: "/ci/npm-token"}},
				SecretsManager:    []graph.KeyValue{{Key: "DB_PASSWORD", Value: "ci/db:password"}, {Key: "API_KEY", Value: "arn:aws:secretsmanager:eu-west-1:111122223333:secret:api-key-AbCdEf:key"}},
				ExportedVariables: []string{"VERSION"},
			},
			Phases: [4]*graph.Phase{
				{RuntimeVersions: []graph.KeyValue{{Key: "nodejs", Value: "20"}}, Commands: []string{"npm ci"}},
				nil,
				{Commands: []string{"npm run build", "export VERSION=$(cat VERSION)"}},
				nil,
			},
			Artifacts: &graph.Artifacts{Files: []string{"**/*"}, BaseDirectory: "dist"},
		},
	}
	test := &graph.Project{
		Name: "web-test", Image: "aws/codebuild/standard:7.0", ComputeType: "BUILD_GENERAL1_SMALL", EnvironmentType: "LINUX_CONTAINER",
		Privileged: true,
		Buildspec: &graph.Buildspec{
			Version: "0.2",
			Phases:  [4]*graph.Phase{nil, nil, {Commands: []string{"npm test"}, Finally: []string{"echo done"}}, nil},
			Reports: []*graph.Report{{Name: "unit", Files: []string{"junit.xml"}, BaseDirectory: "reports", FileFormat: "JUNITXML"}},
		},
	}
	g := &graph.Graph{Projects: []*graph.Project{build, test}}
	g.Pipelines = []*graph.Pipeline{webPipeline(build, test), minimalPipeline(test)}
	return g
}

func webPipeline(build, test *graph.Project) *graph.Pipeline {
	p := &graph.Pipeline{
		Name: "web", Type: "V2", ExecutionMode: "QUEUED", DeclRange: rng("web"),
		RoleARN:        "arn:aws:iam::111122223333:role/web-pipeline",
		ArtifactStore:  &graph.ArtifactStore{Type: "S3", Location: "web-artifacts-eu-west-1", EncryptionKey: "arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab"},
		ArtifactStores: map[string]*graph.ArtifactStore{"us-west-2": {Type: "S3", Location: "web-artifacts-us-west-2"}},
		Variables: []*graph.PipelineVariable{
			{Name: "release", DefaultValue: "latest", HasDefault: true, Description: "Release label"},
		},
		Tags: map[string]string{"team": "web", "cost-center": "42"},
		Notifications: []*graph.Notification{{
			Name:        "failures",
			DetailTypes: []string{"CodePipeline Pipeline Execution State Change"},
			States:      []string{"FAILED", "STOPPED"},
			TargetARN:   "arn:aws:sns:eu-west-1:111122223333:web-alerts",
		}},
	}
	src := action(p, "checkout", graph.ActionType{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}, "codecommit")
	src.Configuration = map[string]string{"RepositoryName": "web", "BranchName": "main", "PollForSourceChanges": "false"}
	src.Namespace = "SourceVariables"
	src.Variables = []string{"CommitId", "BranchName"}
	out(src, "src")

	b := action(p, "build", graph.ActionType{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"}, "codebuild")
	b.Project = build
	b.Configuration = map[string]string{"ProjectName": build.Name, "EnvironmentVariables": `[{"name":"RELEASE","value":"#{variables.release}","type":"PLAINTEXT"}]`}
	b.Namespace = "Build"
	b.Variables = []string{"VERSION"}
	in(b, src.Outputs[0])
	out(b, "dist")

	t := action(p, "test", graph.ActionType{Category: "Test", Owner: "AWS", Provider: "CodeBuild", Version: "1"}, "codebuild")
	t.Project = test
	t.Configuration = map[string]string{"ProjectName": test.Name}
	in(t, src.Outputs[0])

	ap := action(p, "ship", graph.ActionType{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"}, "approval")
	ap.Configuration = map[string]string{"CustomData": "Ship #{Build.VERSION}?", "NotificationArn": "arn:aws:sns:eu-west-1:111122223333:web-approvals"}
	ap.TimeoutInMinutes = 60

	d := action(p, "deploy", graph.ActionType{Category: "Deploy", Owner: "AWS", Provider: "CodeDeploy", Version: "1"}, "codedeploy")
	d.Configuration = map[string]string{"ApplicationName": "web", "DeploymentGroupName": "staging"}
	in(d, b.Outputs[0])
	dw := action(p, "deploy-west", graph.ActionType{Category: "Deploy", Owner: "AWS", Provider: "CodeDeploy", Version: "1"}, "codedeploy")
	dw.Configuration = map[string]string{"ApplicationName": "web", "DeploymentGroupName": "staging-west"}
	dw.Region = "us-west-2"
	in(dw, b.Outputs[0])

	stages(p, [][]*graph.Action{{src}, {b, t}, {ap}, {d, dw}}, []string{"Source", "Build", "Approve", "Deploy"})
	p.Stages[3].OnFailure = &graph.FailureConditions{Result: "ROLLBACK"}
	return p
}

func minimalPipeline(test *graph.Project) *graph.Pipeline {
	p := &graph.Pipeline{Name: "minimal", Type: "V2", ExecutionMode: "SUPERSEDED", DeclRange: rng("minimal")}
	src := action(p, "checkout", graph.ActionType{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"}, "codecommit")
	src.Configuration = map[string]string{"RepositoryName": "web", "BranchName": "main"}
	out(src, "src")
	t := action(p, "test", graph.ActionType{Category: "Test", Owner: "AWS", Provider: "CodeBuild", Version: "1"}, "codebuild")
	t.Project = test
	t.Configuration = map[string]string{"ProjectName": test.Name}
	in(t, src.Outputs[0])
	stages(p, [][]*graph.Action{{src}, {t}}, []string{"Source", "Test"})
	return p
}

func action(p *graph.Pipeline, name string, typ graph.ActionType, block string) *graph.Action {
	return &graph.Action{Pipeline: p, Name: name, Type: typ, Block: block, RunOrder: 1, DeclRange: rng(name)}
}

func out(a *graph.Action, name string) {
	a.Outputs = append(a.Outputs, &graph.ArtifactRef{Name: name, Producer: a})
}

func in(a *graph.Action, ref *graph.ArtifactRef) {
	a.Inputs = append(a.Inputs, &graph.ArtifactRef{Name: ref.Name, Producer: ref.Producer})
}

// stages wires actions into stages and fills Upstream.
func stages(p *graph.Pipeline, actions [][]*graph.Action, names []string) {
	var before []*graph.Action
	for i, as := range actions {
		s := &graph.Stage{Name: names[i], Index: i, Actions: as, DeclRange: rng(names[i])}
		for _, a := range as {
			a.Stage = s
			a.Upstream = append([]*graph.Action(nil), before...)
		}
		before = append(before, as...)
		p.Stages = append(p.Stages, s)
	}
}

func rng(name string) hcl.Range {
	return hcl.Range{Filename: "main.pf.hcl", Start: hcl.Pos{Line: 1, Column: 1}, End: hcl.Pos{Line: 1, Column: 1 + len(name)}}
}
