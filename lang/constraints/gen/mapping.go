package main

// entry maps one model member to the HCL attributes that write it, or says
// why the table does not check it. A site is "<block path> <attribute>",
// the block path being the dot-joined HCL block types from the file root;
// the attribute may end in {key} or {value} for the keys or values of a
// map, or in {field} for a field of each object of a list of objects. A
// skipAll on a structure or list covers everything below it.
type entry struct {
	sites []string
	skip  string
	// all: the skip covers every member below this one too.
	all bool
}

func at(sites ...string) entry    { return entry{sites: sites} }
func skip(reason string) entry    { return entry{skip: reason} }
func skipAll(reason string) entry { return entry{skip: reason, all: true} }

// Reasons shared by many members.
const (
	fixed       = "pipeform writes a fixed value here, never one from HCL"
	notWritten  = "pipeform never writes this member"
	byName      = "checked by the name-format check, whose message names the kind of name"
	byRoleARN   = "checked by the role-arn check, whose message explains what an IAM role ARN looks like"
	byRegion    = "checked by the region-name check, which also requires the <area>-<direction>-<n> form"
	byLimits    = "checked by the list-limits check (\"Too many entries\")"
	byArtifact  = "an input names an output artifact, whose name the name-format check checks; unknown names are reference errors"
	byStore     = "checked by the artifact-store check, whose message says to give a bucket name or key, not an ARN or URL"
	byTags      = "checked by the tags check, which reports each bad tag by key"
	byCfnTwin   = "the same member as in the API model, mapped there"
	fromProject = "the template writes the project's own settings, mapped in api-codebuild.json"
	ruleFixed   = "pipeform writes category Rule, owner AWS and version 1 for every rule"
	noRuleTime  = "the language has no rule timeout, so pipeform never writes it"
	// uniqueItems of lists that pipeform writes from blocks or names.
	byUniqueName = "written from blocks whose names are unique (the Duplicate ... errors), so no two items are equal"
	byInputs     = "an artifact listed twice in inputs is refused by the input-count check"
	byBlocks     = "written from repeatable blocks; two identical blocks are not checked (CodePipeline would treat them as one)"
	// byTriggerRules: a trigger's identical filters are the trigger-rules
	// check's Duplicate trigger filter error.
	byTriggerRules = "two identical filters of a trigger are refused by the trigger-rules check (Duplicate trigger filter)"
)

// Prefixes of the model paths, to keep the table readable.
const (
	cp  = "api-codepipeline.json:CreatePipelineInput."
	pl  = cp + "pipeline."
	act = pl + "stages[].actions[]."
	// cond matches the conditions of before_entry, on_success and on_failure.
	cond   = pl + "stages[].*.conditions[]"
	cb     = "api-codebuild.json:CreateProjectInput."
	cfp    = "cfn-codepipeline-pipeline.json:AWS::CodePipeline::Pipeline."
	sp     = "api-codepipeline.json:StartPipelineExecutionInput."
	invoke = "pipeline.stage.action.pipeline_invoke "
)

var mapping = map[string]entry{
	// The pipeline declaration.
	pl + "name":                     skip(byName),
	pl + "roleArn":                  skip(byRoleARN),
	pl + "pipelineType":             at("pipeline type"),
	pl + "executionMode":            at("pipeline execution_mode"),
	pl + "version":                  skip(notWritten),
	pl + "variables":                skip(byLimits),
	pl + "variables[].name":         skip(byName),
	pl + "variables[].defaultValue": skip("checked by the pipeline-variable check"),
	pl + "variables[].description":  skip("checked by the pipeline-variable check"),
	cp + "tags":                     skipAll(byTags),

	pl + "artifactStore.type":                       skip(fixed),
	pl + "artifactStore.encryptionKey.type":         skip(fixed),
	pl + "artifactStore.location":                   skip(byStore),
	pl + "artifactStore.encryptionKey.id":           skip(byStore),
	pl + "artifactStores{key}":                      skip(byRegion),
	pl + "artifactStores{value}.type":               skip(fixed),
	pl + "artifactStores{value}.encryptionKey.type": skip(fixed),
	pl + "artifactStores{value}.location":           skip(byStore),
	pl + "artifactStores{value}.encryptionKey.id":   skip(byStore),

	// Triggers.
	pl + "triggers":                                                       skip(byLimits),
	pl + "triggers[].providerType":                                        at("pipeline.trigger provider_type"),
	pl + "triggers[].gitConfiguration.sourceActionName":                   skip("must name a CodeStarSourceConnection action of the first stage; checked by the trigger-rules check"),
	pl + "triggers[].gitConfiguration.push":                               skip("checked by the trigger-rules check with the other filter rules"),
	pl + "triggers[].gitConfiguration.pullRequest":                        skip("checked by the trigger-rules check with the other filter rules"),
	pl + "triggers[].gitConfiguration.push[].branches.includes":           at("pipeline.trigger.push.branches includes"),
	pl + "triggers[].gitConfiguration.push[].branches.includes[]":         at("pipeline.trigger.push.branches includes"),
	pl + "triggers[].gitConfiguration.push[].branches.excludes":           at("pipeline.trigger.push.branches excludes"),
	pl + "triggers[].gitConfiguration.push[].branches.excludes[]":         at("pipeline.trigger.push.branches excludes"),
	pl + "triggers[].gitConfiguration.push[].tags.includes":               at("pipeline.trigger.push.tags includes"),
	pl + "triggers[].gitConfiguration.push[].tags.includes[]":             at("pipeline.trigger.push.tags includes"),
	pl + "triggers[].gitConfiguration.push[].tags.excludes":               at("pipeline.trigger.push.tags excludes"),
	pl + "triggers[].gitConfiguration.push[].tags.excludes[]":             at("pipeline.trigger.push.tags excludes"),
	pl + "triggers[].gitConfiguration.push[].filePaths.includes":          at("pipeline.trigger.push.file_paths includes"),
	pl + "triggers[].gitConfiguration.push[].filePaths.includes[]":        at("pipeline.trigger.push.file_paths includes"),
	pl + "triggers[].gitConfiguration.push[].filePaths.excludes":          at("pipeline.trigger.push.file_paths excludes"),
	pl + "triggers[].gitConfiguration.push[].filePaths.excludes[]":        at("pipeline.trigger.push.file_paths excludes"),
	pl + "triggers[].gitConfiguration.pullRequest[].branches.includes":    at("pipeline.trigger.pull_request.branches includes"),
	pl + "triggers[].gitConfiguration.pullRequest[].branches.includes[]":  at("pipeline.trigger.pull_request.branches includes"),
	pl + "triggers[].gitConfiguration.pullRequest[].branches.excludes":    at("pipeline.trigger.pull_request.branches excludes"),
	pl + "triggers[].gitConfiguration.pullRequest[].branches.excludes[]":  at("pipeline.trigger.pull_request.branches excludes"),
	pl + "triggers[].gitConfiguration.pullRequest[].filePaths.includes":   at("pipeline.trigger.pull_request.file_paths includes"),
	pl + "triggers[].gitConfiguration.pullRequest[].filePaths.includes[]": at("pipeline.trigger.pull_request.file_paths includes"),
	pl + "triggers[].gitConfiguration.pullRequest[].filePaths.excludes":   at("pipeline.trigger.pull_request.file_paths excludes"),
	pl + "triggers[].gitConfiguration.pullRequest[].filePaths.excludes[]": at("pipeline.trigger.pull_request.file_paths excludes"),
	pl + "triggers[].gitConfiguration.pullRequest[].events":               at("pipeline.trigger.pull_request events"),
	pl + "triggers[].gitConfiguration.pullRequest[].events[]":             at("pipeline.trigger.pull_request events"),

	// Stages and their conditions.
	pl + "stages[].name":                                   skip(byName),
	pl + "stages[].blockers":                               skipAll(notWritten),
	pl + "stages[].onFailure.result":                       at("pipeline.stage.on_failure result"),
	pl + "stages[].onFailure.retryConfiguration.retryMode": at("pipeline.stage.on_failure retry_mode"),
	pl + "stages[].*.conditions":                           skip("the decoder takes one condition block per slot"),
	cond + ".result":                                       at("pipeline.stage.before_entry.condition result", "pipeline.stage.on_success.condition result", "pipeline.stage.on_failure.condition result"),
	cond + ".rules":                                        skip("checked by the stage-conditions check, which counts the rules of each condition"),
	cond + ".rules[].name":                                 skip(byName),
	cond + ".rules[].ruleTypeId.category":                  skip(ruleFixed),
	cond + ".rules[].ruleTypeId.owner":                     skip(ruleFixed),
	cond + ".rules[].ruleTypeId.version":                   skip(ruleFixed),
	cond + ".rules[].ruleTypeId.provider":                  skip("the rule-config check accepts only the rule providers it knows, each of which fits the pattern"),
	cond + ".rules[].commands":                             at(ruleSites("commands")...),
	cond + ".rules[].commands[]":                           at(ruleSites("commands")...),
	cond + ".rules[].configuration":                        at(ruleSites("configuration")...),
	cond + ".rules[].configuration{key}":                   at(ruleSites("configuration{key}")...),
	cond + ".rules[].configuration{value}":                 at(ruleSites("configuration{value}")...),
	cond + ".rules[].inputArtifacts[].name":                skip(byArtifact),
	cond + ".rules[].roleArn":                              skip(byRoleARN),
	cond + ".rules[].region":                               skip(byRegion),
	cond + ".rules[].timeoutInMinutes":                     skip(noRuleTime),

	// Actions.
	act + "name":                         skip(byName),
	act + "actionTypeId.category":        at("pipeline.stage.action.custom category"),
	act + "actionTypeId.owner":           at("pipeline.stage.action.custom owner"),
	act + "actionTypeId.provider":        at("pipeline.stage.action.custom provider"),
	act + "actionTypeId.version":         at("pipeline.stage.action.custom version"),
	act + "runOrder":                     skip("checked by the run-order check, whose message explains parallel run orders"),
	act + "commands":                     skip("checked by the action-commands check, which also says which actions take commands"),
	act + "commands[]":                   skip("checked by the action-commands check, which also rejects multi-line commands"),
	act + "configuration{key}":           at("pipeline.stage.action.custom configuration{key}"),
	act + "configuration{value}":         skip("checked by the config-length check, which counts a value as CodePipeline does before variables resolve"),
	act + "environmentVariables":         at("pipeline.stage.action environment_variables"),
	act + "environmentVariables[].name":  skip(byName),
	act + "environmentVariables[].value": at("pipeline.stage.action environment_variables{value}"),
	act + "environmentVariables[].type":  skip("pipeform writes PLAINTEXT"),
	act + "inputArtifacts[].name":        skip(byArtifact),
	act + "outputArtifacts[].name":       skip(byName),
	act + "outputArtifacts[].files":      at("pipeline.stage.action output_files"),
	act + "outputArtifacts[].files[]":    at("pipeline.stage.action output_files"),
	act + "outputVariables":              at("pipeline.stage.action output_variables"),
	act + "outputVariables[]":            at("pipeline.stage.action output_variables"),
	act + "region":                       skip(byRegion),
	act + "roleArn":                      skip(byRoleARN),
	act + "namespace":                    skip(byName),
	act + "timeoutInMinutes":             skip("checked by the action-timeout check, which knows which providers take a timeout"),

	// The CodeBuild project.
	cb + "name":        skip("checked by the project-name check, which suggests a valid name"),
	cb + "description": skip("checked by the project-settings check"),
	// A batch's build environments (buildspec batch env compute-type and
	// type) and its allowed compute types take the same values as the
	// project's own environment.
	cb + "environment.computeType": at("project compute_type", "project.batch.build.env compute_type",
		"project.batch.matrix.static.env compute_type", "project.batch.matrix.values compute_type",
		"project.batch compute_types_allowed"),
	cb + "environment.type": at("project environment_type", "project.batch.build.env type",
		"project.batch.matrix.static.env type"),
	cb + "environment.image":                skip("checked by the project-settings check, which also rejects a blank image"),
	cb + "timeoutInMinutes":                 skip("checked by the project-timeout check"),
	cb + "queuedTimeoutInMinutes":           skip("checked by the project-timeout check"),
	cb + "tags":                             skipAll(byTags),
	cb + "encryptionKey":                    skip("the artifact store's encryption_key, written only when set; checked by the artifact-store check"),
	cb + "serviceRole":                      skip("the generated service role's ARN"),
	cb + "source":                           skipAll("pipeform writes source type CODEPIPELINE with the inline buildspec"),
	cb + "artifacts":                        skipAll("pipeform writes artifacts type CODEPIPELINE"),
	cb + "logsConfig":                       skipAll("pipeform writes CloudWatch Logs ENABLED to the generated log group"),
	cb + "secondaryArtifacts":               skipAll("secondary_artifacts become buildspec entries; the template writes none"),
	cb + "secondarySources":                 skipAll(notWritten),
	cb + "secondarySourceVersions":          skip(notWritten),
	cb + "cache":                            skipAll("the cache block becomes a buildspec entry; the template writes no project cache"),
	cb + "vpcConfig":                        skipAll(notWritten),
	cb + "fileSystemLocations":              skipAll(notWritten),
	cb + "buildBatchConfig.batchReportMode": at("project.batch report_mode"),
	cb + "buildBatchConfig.restrictions.computeTypesAllowed[]": at("project.batch compute_types_allowed"),
	cb + "buildBatchConfig.restrictions.fleetsAllowed":         skipAll(notWritten),
	cb + "buildBatchConfig.serviceRole":                        skip("the project's generated service role"),
	cb + "environment.computeConfiguration":                    skipAll(notWritten),
	cb + "environment.dockerServer":                            skipAll(notWritten),
	cb + "environment.environmentVariables":                    skipAll("environment variables go into the buildspec, not the project"),
	cb + "environment.hostKernel":                              skip(notWritten),
	cb + "environment.imagePullCredentialsType":                skip(notWritten),
	cb + "environment.registryCredential":                      skipAll(notWritten),

	// A pipeline_invoke action's configuration: the StartPipelineExecution
	// request CodePipeline makes for it.
	sp + "name":                            skip("the pipeline_invoke pipeline_name, checked by the provider catalog"),
	sp + "clientRequestToken":              skip(notWritten),
	sp + "variables":                       at(invoke + "variables"),
	sp + "variables[].name":                at(invoke + "variables{key}"),
	sp + "variables[].value":               at(invoke + "variables{value}"),
	sp + "sourceRevisions":                 at(invoke + "source_revisions"),
	sp + "sourceRevisions[].actionName":    at(invoke + "source_revisions{actionName}"),
	sp + "sourceRevisions[].revisionType":  at(invoke + "source_revisions{revisionType}"),
	sp + "sourceRevisions[].revisionValue": at(invoke + "source_revisions{revisionValue}"),

	// The CloudFormation template.
	cfp + "Arn":                skip("read-only attribute, never written"),
	cfp + "ArtifactStore.Type": skip(fixed),
	cfp + "ArtifactStores[].ArtifactStore.Type":             skip(fixed),
	cfp + "ExecutionMode":                                   at("pipeline execution_mode"),
	cfp + "PipelineType":                                    at("pipeline type"),
	cfp + "RoleArn":                                         skip(byRoleARN),
	cfp + "Stages[].Actions[].ActionTypeId.Category":        at("pipeline.stage.action.custom category"),
	cfp + "Stages[].Actions[].EnvironmentVariables[].Type":  skip("pipeform writes PLAINTEXT"),
	cfp + "Stages[].Actions[].RoleArn":                      skip(byRoleARN),
	cfp + "Stages[].*.Conditions[].Rules[].RoleArn":         skip(byRoleARN),
	cfp + "Stages[].Blockers":                               skipAll(notWritten),
	cfp + "Stages[].OnFailure.Result":                       at("pipeline.stage.on_failure result"),
	cfp + "Stages[].OnFailure.RetryConfiguration.RetryMode": at("pipeline.stage.on_failure retry_mode"),
	cfp + "Triggers[].ProviderType":                         at("pipeline.trigger provider_type"),

	// Lists whose items CloudFormation wants distinct (uniqueItems).
	cfp + "ArtifactStores":                                               skip("one store per Region, checked by the region-store check"),
	cfp + "DisableInboundStageTransitions":                               skip(notWritten),
	cfp + "Stages":                                                       skip(byUniqueName),
	cfp + "Stages[].Actions":                                             skip(byUniqueName),
	cfp + "Stages[].Actions[].EnvironmentVariables":                      skip("written from a map, whose names are distinct"),
	cfp + "Stages[].Actions[].InputArtifacts":                            skip(byInputs),
	cfp + "Stages[].Actions[].OutputArtifacts":                           skip("checked by the duplicate-artifact check"),
	cfp + "Stages[].Actions[].OutputArtifacts[].Files":                   at("pipeline.stage.action output_files"),
	cfp + "Stages[].Actions[].OutputVariables":                           at("pipeline.stage.action output_variables"),
	cfp + "Stages[].*.Conditions":                                        skip(byBlocks),
	cfp + "Stages[].*.Conditions[].Rules":                                skip(byUniqueName),
	cfp + "Stages[].*.Conditions[].Rules[].InputArtifacts":               skip(byInputs),
	cfp + "Triggers":                                                     skip("one trigger per source action, checked by the trigger-rules check"),
	cfp + "Triggers[].GitConfiguration.Push":                             skip(byTriggerRules),
	cfp + "Triggers[].GitConfiguration.PullRequest":                      skip(byTriggerRules),
	cfp + "Triggers[].GitConfiguration.Push[].Branches.Includes":         at("pipeline.trigger.push.branches includes"),
	cfp + "Triggers[].GitConfiguration.Push[].Branches.Excludes":         at("pipeline.trigger.push.branches excludes"),
	cfp + "Triggers[].GitConfiguration.Push[].Tags.Includes":             at("pipeline.trigger.push.tags includes"),
	cfp + "Triggers[].GitConfiguration.Push[].Tags.Excludes":             at("pipeline.trigger.push.tags excludes"),
	cfp + "Triggers[].GitConfiguration.Push[].FilePaths.Includes":        at("pipeline.trigger.push.file_paths includes"),
	cfp + "Triggers[].GitConfiguration.Push[].FilePaths.Excludes":        at("pipeline.trigger.push.file_paths excludes"),
	cfp + "Triggers[].GitConfiguration.PullRequest[].Branches.Includes":  at("pipeline.trigger.pull_request.branches includes"),
	cfp + "Triggers[].GitConfiguration.PullRequest[].Branches.Excludes":  at("pipeline.trigger.pull_request.branches excludes"),
	cfp + "Triggers[].GitConfiguration.PullRequest[].FilePaths.Includes": at("pipeline.trigger.pull_request.file_paths includes"),
	cfp + "Triggers[].GitConfiguration.PullRequest[].FilePaths.Excludes": at("pipeline.trigger.pull_request.file_paths excludes"),
	cfp + "Triggers[].GitConfiguration.PullRequest[].Events":             at("pipeline.trigger.pull_request events"),
	cfp + "Variables": skip(byUniqueName),
	"cfn-events-rule.json:AWS::Events::Rule.Targets":                               skip("pipeform writes one target per rule"),
	"cfn-events-rule.json:AWS::Events::Rule.Targets[].EcsParameters":               skipAll(notWritten),
	"cfn-events-rule.json:AWS::Events::Rule.Targets[].HttpParameters":              skipAll(notWritten),
	"cfn-events-rule.json:AWS::Events::Rule.Targets[].RunCommandParameters":        skipAll(notWritten),
	"cfn-events-rule.json:AWS::Events::Rule.Targets[].SageMakerPipelineParameters": skipAll(notWritten),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.FieldIndexPolicies":                skip(notWritten),
	"cfn-iam-role.json:AWS::IAM::Role.ManagedPolicyArns":                           skip("pipeform writes one fixed managed policy ARN"),

	"cfn-events-rule.json:AWS::Events::Rule.State":               skip("pipeform writes ENABLED"),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.LogGroupName":    skip("/aws/codebuild/<project name>; the project-name pattern is narrower than this one"),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.RetentionInDays": skip("pipeform writes 30"),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.KmsKeyId":        skip(notWritten),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.LogGroupClass":   skip(notWritten),
	"cfn-logs-loggroup.json:AWS::Logs::LogGroup.Tags":            skipAll(notWritten),
	"cfn-iam-policy.json:AWS::IAM::Policy":                       skipAll("pipeform writes the policy name and generates the document"),
	"cfn-s3-bucket.json:AWS::S3::Bucket":                         skipAll("the artifact bucket's properties are fixed by the cloudformation target"),

	// EventBridge rules of notification blocks (CODEPIPELINE.md §7.1).
	"CODEPIPELINE.md:detail-type":  at("pipeline.notification detail_types"),
	"CODEPIPELINE.md:detail.state": at("pipeline.notification states"),
}

// ruleSites is attr of a rule in each of the three condition slots.
func ruleSites(attr string) []string {
	return []string{
		"pipeline.stage.before_entry.condition.rule " + attr,
		"pipeline.stage.on_success.condition.rule " + attr,
		"pipeline.stage.on_failure.condition.rule " + attr,
	}
}
