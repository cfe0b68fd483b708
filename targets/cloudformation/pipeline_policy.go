package cloudformation

import (
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// pipelinePolicy is the CodePipeline service role policy: the artifact
// stores, then what each action needs (reference notes §9.1), each on the
// narrowest resource AWS allows.
func (b *builder) pipelinePolicy() *Object {
	var pol policy
	pol.allowIf([]string{"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"},
		Obj("StringEquals", Obj("aws:ResourceAccount", Ref("AWS::AccountId"))), b.bucketARNs...)
	pol.allowIf([]string{"s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:GetObjectVersionTagging",
		"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectTagging"},
		Obj("StringEquals", Obj("aws:ResourceAccount", Ref("AWS::AccountId"))), b.objectARNs...)
	b.kmsStatements(&pol)
	for _, a := range b.p.Actions() {
		// An action with its own role runs under that role: the pipeline
		// role only assumes it, and the action's permissions belong to it.
		if a.RoleARN != "" {
			pol.allow([]string{"sts:AssumeRole"}, a.RoleARN)
			continue
		}
		b.actionPermissions(&pol, a)
	}
	for _, s := range b.p.Stages {
		for _, r := range stageRules(s) {
			if r.RoleARN != "" {
				pol.allow([]string{"sts:AssumeRole"}, r.RoleARN)
				continue
			}
			b.rulePermissions(&pol, r)
		}
	}
	// role_statement blocks, as written (the compiler checked them).
	for _, st := range b.p.RoleStatements {
		var res any = st.Resources
		if len(st.Resources) == 1 {
			res = st.Resources[0]
		}
		pol.written = append(pol.written, Obj("Sid", st.Sid, "Effect", st.Effect, "Action", st.Actions, "Resource", res))
	}
	return pol.document()
}

// rulePermissions adds what the pipeline role needs to evaluate one
// stage-condition rule; DeploymentWindow and VariableCheck need nothing.
func (b *builder) rulePermissions(pol *policy, r *graph.Rule) {
	cfg := r.Configuration
	switch r.Provider {
	case "CodeBuild":
		if cfg["ProjectName"] != "" {
			pol.allow([]string{"codebuild:BatchGetBuilds", "codebuild:StartBuild"}, arn("codebuild", r.Region, "project/"+cfg["ProjectName"]))
		}
	case "CloudWatchAlarm":
		var alarms []any
		for _, name := range splitList(cfg["AlarmName"]) {
			alarms = append(alarms, literalOrARN(name, "cloudwatch", r.Region, "alarm:"))
		}
		pol.allow([]string{"cloudwatch:DescribeAlarms"}, alarms...)
	case "LambdaInvoke":
		if fn := cfg["FunctionName"]; fn != "" {
			pol.allow([]string{"lambda:InvokeFunction"}, literalOrARN(fn, "lambda", r.Region, "function:"))
		}
	case "Commands":
		group := "/aws/codepipeline/" + b.p.Name
		pol.allow([]string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
			arn("logs", r.Region, "log-group:"+group), arn("logs", r.Region, "log-group:"+group+":*"))
	}
}

func stageRules(s *graph.Stage) []*graph.Rule {
	var out []*graph.Rule
	var all []*graph.Condition
	if s.OnFailure != nil {
		all = append(all, s.OnFailure.Conditions.Conditions...)
	}
	if s.OnSuccess != nil {
		all = append(all, s.OnSuccess.Conditions...)
	}
	if s.BeforeEntry != nil {
		all = append(all, s.BeforeEntry.Conditions...)
	}
	for _, c := range all {
		out = append(out, c.Rules...)
	}
	return out
}

// actionPermissions adds what the pipeline role needs to run one action.
// Providers not listed need nothing from the pipeline role or run under
// their own action role.
func (b *builder) actionPermissions(pol *policy, a *graph.Action) {
	cfg := a.Configuration
	region := a.Region
	switch a.Type.Owner + "/" + a.Type.Provider {
	case "AWS/CodeBuild":
		var res any
		if a.Project != nil && region == "" && b.projectIDs[a.Project.Name] != "" {
			res = GetAtt(b.projectIDs[a.Project.Name], "Arn")
		} else {
			res = arn("codebuild", region, "project/"+cfg["ProjectName"])
		}
		acts := []string{"codebuild:BatchGetBuilds", "codebuild:StartBuild"}
		if cfg["BatchEnabled"] == "true" {
			acts = append(acts, "codebuild:BatchGetBuildBatches", "codebuild:StartBuildBatch")
		}
		pol.allow(acts, res)
	case "AWS/CodeCommit":
		pol.allow([]string{"codecommit:CancelUploadArchive", "codecommit:GetBranch", "codecommit:GetCommit",
			"codecommit:GetRepository", "codecommit:GetUploadArchiveStatus", "codecommit:UploadArchive"},
			arn("codecommit", region, cfg["RepositoryName"]))
	case "AWS/CodeStarSourceConnection":
		if c := cfg["ConnectionArn"]; c != "" {
			pol.allow([]string{connectionService(c) + ":UseConnection"}, c)
		}
	case "AWS/ECR":
		pol.allow([]string{"ecr:DescribeImages"}, arn("ecr", region, "repository/"+cfg["RepositoryName"]))
	case "AWS/S3":
		bucket := cfg["S3Bucket"]
		if a.Type.Category == graph.CategoryDeploy {
			bucket = cfg["BucketName"]
			pol.allow([]string{"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, s3ARN(bucket, ""))
			pol.allow([]string{"s3:PutObject", "s3:PutObjectAcl", "s3:PutObjectVersionAcl"}, s3ARN(bucket, "/*"))
			return
		}
		pol.allow([]string{"s3:GetBucketAcl", "s3:GetBucketLocation", "s3:GetBucketVersioning"}, s3ARN(bucket, ""))
		pol.allow([]string{"s3:GetObject", "s3:GetObjectTagging", "s3:GetObjectVersion", "s3:GetObjectVersionTagging"}, s3ARN(bucket, "/*"))
	case "AWS/CodeDeploy", "AWS/CodeDeployToECS", "AWS/ECS", "AWS/CloudFormation":
		deployPermissions(pol, a)
	case "AWS/Lambda":
		if a.Type.Category == graph.CategoryDeploy {
			lambdaDeployPermissions(pol, a)
			return
		}
		pol.allow([]string{"lambda:InvokeFunction"}, literalOrARN(cfg["FunctionName"], "lambda", region, "function:"))
	case "AWS/StepFunctions":
		sm := cfg["StateMachineArn"]
		pol.allow([]string{"states:DescribeStateMachine", "states:StartExecution"}, sm)
		if strings.Contains(sm, ":stateMachine:") {
			pol.allow([]string{"states:DescribeExecution"}, strings.Replace(sm, ":stateMachine:", ":execution:", 1)+":*")
		}
	case "AWS/Manual":
		if t := cfg["NotificationArn"]; t != "" {
			pol.allow([]string{"sns:Publish"}, t)
		}
	case "AWS/CodePipeline":
		pol.allow([]string{"codepipeline:StartPipelineExecution"}, literalOrARN(cfg["PipelineName"], "codepipeline", region, ""))
	case "AWS/Commands":
		b.commandsPermissions(pol, a)
	case "AWS/ECRBuildAndPublish":
		b.commandsPermissions(pol, a)
		pol.allow([]string{"ecr:GetAuthorizationToken"}, "*")
		pol.allow([]string{"ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:CompleteLayerUpload", "ecr:DescribeImages",
			"ecr:DescribeRepositories", "ecr:GetDownloadUrlForLayer", "ecr:InitiateLayerUpload", "ecr:PutImage", "ecr:UploadLayerPart"},
			arn("ecr", region, "repository/"+cfg["ECRRepositoryName"]))
	default:
		b.morePermissions(pol, a)
	}
}

// commandsPermissions covers actions that run on CodePipeline-managed
// compute: their log group and the secrets their environment names.
func (b *builder) commandsPermissions(pol *policy, a *graph.Action) {
	group := "/aws/codepipeline/" + b.p.Name
	pol.allow([]string{"logs:CreateLogGroup", "logs:CreateLogStream", "logs:PutLogEvents"},
		arn("logs", a.Region, "log-group:"+group), arn("logs", a.Region, "log-group:"+group+":*"))
	var secrets []any
	for _, e := range a.EnvironmentVariables {
		if e.Type == "SECRETS_MANAGER" {
			secrets = appendUnique(secrets, secretARN(e.Value))
		}
	}
	pol.allow([]string{"secretsmanager:GetSecretValue"}, secrets...)
}

// s3ARN is the ARN of a bucket (suffix "") or its objects (suffix "/*").
func s3ARN(bucket, suffix string) any {
	return Sub("arn:${AWS::Partition}:s3:::" + subLiteral(bucket) + suffix)
}

// deployPermissions covers the CodeDeploy, ECS and CloudFormation deploy
// providers.
func deployPermissions(pol *policy, a *graph.Action) {
	cfg := a.Configuration
	region := a.Region
	switch a.Type.Provider {
	case "CodeDeploy", "CodeDeployToECS":
		app, group := cfg["ApplicationName"], cfg["DeploymentGroupName"]
		pol.allow([]string{"codedeploy:CreateDeployment", "codedeploy:GetDeployment"},
			arn("codedeploy", region, "deploymentgroup:"+app+"/"+group))
		pol.allow([]string{"codedeploy:GetApplication", "codedeploy:GetApplicationRevision", "codedeploy:RegisterApplicationRevision"},
			arn("codedeploy", region, "application:"+app))
		pol.allow([]string{"codedeploy:GetDeploymentConfig"}, arn("codedeploy", region, "deploymentconfig:*"))
		if a.Type.Provider == "CodeDeployToECS" {
			pol.allow([]string{"ecs:RegisterTaskDefinition"}, "*")
			pol.allowIf([]string{"iam:PassRole"}, Obj("StringEquals", Obj("iam:PassedToService", []string{"ecs-tasks.amazonaws.com"})), "*")
		}
	case "ECS":
		pol.allow([]string{"ecs:DescribeServices", "ecs:UpdateService"},
			arn("ecs", region, "service/"+cfg["ClusterName"]+"/"+cfg["ServiceName"]))
		pol.allow([]string{"ecs:DescribeTaskDefinition", "ecs:RegisterTaskDefinition"}, "*")
		pol.allowIf([]string{"iam:PassRole"}, Obj("StringEquals", Obj("iam:PassedToService", []string{"ecs-tasks.amazonaws.com", "ecs.amazonaws.com"})), "*")
	case "CloudFormation":
		stack := cfg["StackName"]
		pol.allow([]string{"cloudformation:CreateChangeSet", "cloudformation:CreateStack", "cloudformation:DeleteChangeSet",
			"cloudformation:DeleteStack", "cloudformation:DescribeChangeSet", "cloudformation:DescribeStackEvents",
			"cloudformation:DescribeStacks", "cloudformation:ExecuteChangeSet", "cloudformation:GetStackPolicy",
			"cloudformation:GetTemplate", "cloudformation:GetTemplateSummary", "cloudformation:SetStackPolicy", "cloudformation:UpdateStack",
			"cloudformation:ValidateTemplate"}, arn("cloudformation", region, "stack/"+stack+"/*"))
		if r := cfg["RoleArn"]; r != "" {
			pol.allowIf([]string{"iam:PassRole"}, Obj("StringEquals", Obj("iam:PassedToService", "cloudformation.amazonaws.com")), r)
		}
	}
}
