package codepipelinetest

import "github.com/pipeform/pipeform/compiler/graph"

// Providers returns a graph with one pipeline, "providers", that uses every
// kind of AWS action the targets give permissions for (CodeStar connection,
// S3 and ECR sources, Commands, ECRBuildAndPublish, S3, CloudFormation, ECS,
// CodeDeployToECS, Lambda, Step Functions, pipeline invoke), a Git trigger,
// stage conditions with rules, an action role, and an artifact store with a
// KMS key alias. It names no role: set RoleARN on a copy for the
// codepipeline target.
func Providers() *graph.Graph {
	p := &graph.Pipeline{
		Name: "providers", Type: "V2", ExecutionMode: "QUEUED", DeclRange: rng("providers"),
		ArtifactStore: &graph.ArtifactStore{Type: "S3", Location: "providers-artifacts", EncryptionKey: "alias/pipeline-key"},
	}
	typ := func(cat, prov string) graph.ActionType {
		return graph.ActionType{Category: cat, Owner: "AWS", Provider: prov, Version: "1"}
	}
	gh := action(p, "gh", typ("Source", "CodeStarSourceConnection"), "codestar")
	gh.Configuration = map[string]string{"ConnectionArn": "arn:aws:codeconnections:eu-west-1:111122223333:connection/abcd", "FullRepositoryId": "acme/app", "BranchName": "main"}
	gh.Namespace = "GH"
	out(gh, "gh_src")
	s3src := action(p, "s3src", typ("Source", "S3"), "s3")
	s3src.Configuration = map[string]string{"S3Bucket": "acme-sources", "S3ObjectKey": "app.zip", "PollForSourceChanges": "false"}
	out(s3src, "s3_src")
	img := action(p, "img", typ("Source", "ECR"), "ecr")
	img.Configuration = map[string]string{"RepositoryName": "base-image"}
	out(img, "img")

	cmds := action(p, "cmds", typ("Compute", "Commands"), "commands")
	cmds.Commands = []string{"make dist"}
	cmds.OutputVariables = []string{"V"}
	cmds.OutputFiles = []string{"dist/**/*"}
	cmds.EnvironmentVariables = []*graph.EnvironmentVariable{{Name: "TOKEN", Value: "ci/token", Type: "SECRETS_MANAGER"}}
	cmds.Namespace = "Cmds"
	in(cmds, gh.Outputs[0])
	out(cmds, "dist")
	image := action(p, "image", typ("Build", "ECRBuildAndPublish"), "ecr_build_and_publish")
	image.Configuration = map[string]string{"ECRRepositoryName": "app"}
	in(image, gh.Outputs[0])

	site := action(p, "site", typ("Deploy", "S3"), "s3_deploy")
	site.Configuration = map[string]string{"BucketName": "acme-site", "Extract": "true"}
	in(site, cmds.Outputs[0])
	stack := action(p, "stack", typ("Deploy", "CloudFormation"), "cloudformation")
	stack.Configuration = map[string]string{"ActionMode": "CREATE_UPDATE", "StackName": "app", "TemplatePath": "dist::template.yml",
		"RoleArn": "arn:aws:iam::111122223333:role/cfn-deploy", "Capabilities": "CAPABILITY_IAM"}
	in(stack, cmds.Outputs[0])
	svc := action(p, "svc", typ("Deploy", "ECS"), "ecs")
	svc.Configuration = map[string]string{"ClusterName": "prod", "ServiceName": "app"}
	svc.RunOrder = 2
	in(svc, cmds.Outputs[0])
	bg := action(p, "bg", typ("Deploy", "CodeDeployToECS"), "codedeploy_ecs")
	bg.Configuration = map[string]string{"ApplicationName": "app-ecs", "DeploymentGroupName": "app-ecs-bg",
		"TaskDefinitionTemplateArtifact": "dist", "AppSpecTemplateArtifact": "dist"}
	bg.RunOrder = 2
	in(bg, cmds.Outputs[0])
	notify := action(p, "notify", typ("Invoke", "Lambda"), "lambda")
	notify.Configuration = map[string]string{"FunctionName": "notify", "UserParameters": `{"v":"#{Cmds.V}"}`}
	notify.RoleARN = "arn:aws:iam::444455556666:role/notify-invoker"
	notify.RunOrder = 3
	sfn := action(p, "sfn", typ("Invoke", "StepFunctions"), "step_functions")
	sfn.Configuration = map[string]string{"StateMachineArn": "arn:aws:states:eu-west-1:111122223333:stateMachine:release"}
	sfn.RunOrder = 3
	next := action(p, "next", typ("Invoke", "CodePipeline"), "pipeline")
	next.Configuration = map[string]string{"PipelineName": "downstream"}
	next.RunOrder = 3

	stages(p, [][]*graph.Action{{gh, s3src, img}, {cmds, image}, {site, stack, svc, bg, notify, sfn, next}}, []string{"Source", "Build", "Deploy"})
	p.Triggers = []*graph.Trigger{{
		ProviderType: "CodeStarSourceConnection", SourceActionName: "gh",
		Push:        []*graph.GitFilter{{Branches: &graph.IncludeExclude{Includes: []string{"main"}}, FilePaths: &graph.IncludeExclude{Includes: []string{"src/**"}}}},
		PullRequest: []*graph.GitFilter{{Events: []string{"OPEN", "UPDATED"}, Branches: &graph.IncludeExclude{Includes: []string{"main"}, Excludes: []string{"wip/*"}}}},
	}}
	p.Stages[1].BeforeEntry = &graph.Conditions{Conditions: []*graph.Condition{{Result: "FAIL", Rules: []*graph.Rule{{
		Name: "on-main", Provider: "VariableCheck", Version: "1",
		Configuration: map[string]string{"Variable": "#{GH.BranchName}", "Value": "main", "Operator": "EQ"},
	}}}}}
	p.Stages[2].OnFailure = &graph.FailureConditions{Result: "RETRY", RetryMode: "FAILED_ACTIONS"}
	p.Stages[2].OnSuccess = &graph.Conditions{Conditions: []*graph.Condition{{Result: "ROLLBACK", Rules: []*graph.Rule{{
		Name: "no-alarm", Provider: "CloudWatchAlarm", Version: "1", Configuration: map[string]string{"AlarmName": "app-errors"},
	}}}}}
	return &graph.Graph{Pipelines: []*graph.Pipeline{p}}
}
