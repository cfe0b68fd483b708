// Package providers is the catalog of CodePipeline action providers that
// pipeform has a typed block for: their ActionTypeId, the attributes of the
// block and the configuration key each becomes, artifact counts, output
// variables and V2-only status.
//
// The facts come from the CodePipeline action-type reference (section 5 of the
// project's CodePipeline reference notes, which cite the AWS User Guide's
// per-action pages and aws-cdk-lib's artifactBounds). The decoder uses the
// catalog as the schema of each provider block; the compiler uses it for
// artifact counts, required keys and variable checks; targets never read it.
//
// This package imports only the standard library and cty.
package providers

import (
	"sort"

	"github.com/zclconf/go-cty/cty"
)

// Encoding says how an attribute value becomes a configuration string.
type Encoding int

const (
	// String: the value as written.
	String Encoding = iota
	// Bool: "true" or "false".
	Bool
	// Number: the decimal form, e.g. "15".
	Number
	// CommaList: a list of strings joined with ",".
	CommaList
	// JSON: the value as compact JSON (maps as objects, lists as arrays).
	JSON
	// NameValueJSON: a map of strings written as CodePipeline's JSON array
	// [{"name":…,"value":…,"type":"PLAINTEXT"}] (CodeBuild's type member is
	// only written where the provider takes one), names sorted.
	NameValueJSON
	// Special: not a configuration key; the decoder or compiler handles it
	// (for example codebuild's project and category).
	Special
)

// Attr is one attribute of a provider block.
type Attr struct {
	Name     string   // HCL attribute name, e.g. "repository"
	Key      string   // configuration key, e.g. "RepositoryName"; "" for Special
	Type     cty.Type // the type constraint the decoder converts to
	Encoding Encoding
	Required bool
	Doc      string

	// The documented limits of the value (CODEPIPELINE.md §5, else the
	// AWS page cited at the attribute), checked by the compiler and offered
	// by the language server through lang/constraints:
	// Enum is the values it takes (each element, for a list);
	Enum []string
	// Pattern is a regular expression the whole value matches;
	Pattern string
	// MaxItems is the most elements a list takes (0: no limit);
	MaxItems int
	// Range is the smallest and largest number it takes (nil: no limit).
	Range *[2]int
	// Fractional says a number may have a fractional part (a latitude);
	// every other number attribute takes whole numbers only.
	Fractional bool
	// Length is the fewest and most characters it takes (nil: no limit).
	Length *[2]int
	// KeyPattern is a regular expression each key of a map matches, and
	// KeyLength the fewest and most characters of a key. A map attribute
	// limits its keys only.
	KeyPattern string
	KeyLength  *[2]int
}

// Limited says whether the attribute has a documented limit.
func (a *Attr) Limited() bool {
	return len(a.Enum) > 0 || a.Pattern != "" || a.MaxItems > 0 || a.Range != nil || a.Length != nil || a.KeyPattern != "" ||
		a.Type == cty.Number && !a.Fractional
}

func (a Attr) oneOf(values ...string) Attr { a.Enum = values; return a }
func (a Attr) matching(re string) Attr     { a.Pattern = re; return a }
func (a Attr) atMost(n int) Attr           { a.MaxItems = n; return a }
func (a Attr) between(lo, hi int) Attr     { a.Range = &[2]int{lo, hi}; return a }
func (a Attr) sized(lo, hi int) Attr       { a.Length = &[2]int{lo, hi}; return a }
func (a Attr) fraction() Attr              { a.Fractional = true; return a }
func (a Attr) keysMatching(re string, lo, hi int) Attr {
	a.KeyPattern, a.KeyLength = re, &[2]int{lo, hi}
	return a
}

// Provider describes one typed provider block.
type Provider struct {
	Block    string // HCL block name, e.g. "codecommit"
	Category string
	Owner    string
	Provider string
	Version  string
	Attrs    []Attr
	// Artifact counts (inclusive bounds).
	MinInputs, MaxInputs   int
	MinOutputs, MaxOutputs int
	// Variables are the output variables the provider documents. When
	// AnyVariables is true the provider exports user-defined names (stack
	// outputs, Lambda output variables) and any name is accepted.
	Variables    []string
	AnyVariables bool
	// V2Only providers need pipeline type V2.
	V2Only bool
	Doc    string
}

// Attr returns the named attribute, or nil.
func (p *Provider) Attr(name string) *Attr {
	for i := range p.Attrs {
		if p.Attrs[i].Name == name {
			return &p.Attrs[i]
		}
	}
	return nil
}

// IsSource reports whether actions of this provider belong in the first stage.
func (p *Provider) IsSource() bool { return p.Category == "Source" }

// Lookup returns the provider with the given block name, or nil.
func Lookup(block string) *Provider {
	for _, p := range All {
		if p.Block == block {
			return p
		}
	}
	return nil
}

// ByActionType returns the provider for an ActionTypeId, or nil.
func ByActionType(category, owner, provider string) *Provider {
	for _, p := range All {
		if p.Category == category && p.Owner == owner && p.Provider == provider {
			return p
		}
	}
	return nil
}

// Blocks lists every provider block name in sorted order (for "did you mean"
// and documentation).
func Blocks() []string {
	var out []string
	for _, p := range All {
		out = append(out, p.Block)
	}
	sort.Strings(out)
	return out
}

var (
	str  = cty.String
	boo  = cty.Bool
	num  = cty.Number
	strs = cty.List(cty.String)
	smap = cty.Map(cty.String)
	dyn  = cty.DynamicPseudoType
)

func req(name, key string, t cty.Type, enc Encoding, doc string) Attr {
	return Attr{Name: name, Key: key, Type: t, Encoding: enc, Required: true, Doc: doc}
}

func opt(name, key string, t cty.Type, enc Encoding, doc string) Attr {
	return Attr{Name: name, Key: key, Type: t, Encoding: enc, Doc: doc}
}

// Name patterns of the resources provider blocks name, from the services'
// API references: CodeConnections ConnectionArn (reference
// cfn-codeconnections-connection.json), the S3 bucket naming rules (3 to 63
// lowercase letters, digits, '.' and '-', starting and ending with a letter
// or digit), ECR RepositoryName, CloudFormation StackName and StackSetName,
// AppConfig resource IDs, Lambda FunctionName (name, partial or full ARN,
// with an optional qualifier), Docker image tags, IAM role ARNs (the
// CodePipeline model's RoleArn), IAM role names, Kubernetes namespaces
// (RFC 1123 labels), AWS Region names and EC2 deploy instance counts (a
// whole number of at least 1, or 1% to 100%).
const (
	reConnectionARN = `arn:aws(-[\w]+)*:.+:.+:[0-9]{12}:.+`
	reBucket        = `[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]`
	reECRRepository = `(?:[a-z0-9]+(?:[._-][a-z0-9]+)*/)*[a-z0-9]+(?:[._-][a-z0-9]+)*`
	reStackName     = `[a-zA-Z][-a-zA-Z0-9]*`
	reAppConfigID   = `[a-z0-9]{4,7}`
	reImageTag      = `[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}`
	reRoleARN       = `arn:aws(-[\w]+)*:iam::[0-9]{12}:role/.*`
	reRegion        = `[a-z]{2}(-[a-z]+)+-[0-9]+`
	reInstanceCount = `[1-9][0-9]*|([1-9][0-9]?|100)%`
	reFunctionName  = `(arn:(aws[a-zA-Z-]*)?:lambda:)?([a-z]{2}(-gov)?-[a-z]+-[0-9]:)?([0-9]{12}:)?(function:)?[a-zA-Z0-9_.-]+(:(\$LATEST|[a-zA-Z0-9_-]+))?`
)

// capabilities are the CloudFormation capabilities an action can grant.
var capabilities = []string{"CAPABILITY_IAM", "CAPABILITY_NAMED_IAM", "CAPABILITY_AUTO_EXPAND"}

// CustomBlock is the block name of the generic provider block, whose
// attributes are category, owner, provider, version and configuration.
const CustomBlock = "custom"

// All is the catalog, in the order of the reference tables.
var All = []*Provider{
	// Source: first stage only; no inputs, exactly one output.
	{
		Block: "codecommit", Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1",
		Attrs: []Attr{
			req("repository", "RepositoryName", str, String, "CodeCommit repository name."),
			req("branch", "BranchName", str, String, "Branch to build."),
			opt("poll_for_source_changes", "PollForSourceChanges", boo, Bool, "Poll for changes (AWS default true; set false when an EventBridge rule starts the pipeline)."),
			opt("output_artifact_format", "OutputArtifactFormat", str, String, "CODE_ZIP (default) or CODEBUILD_CLONE_REF.").oneOf("CODE_ZIP", "CODEBUILD_CLONE_REF"),
		},
		MinOutputs: 1, MaxOutputs: 1,
		Variables: []string{"AuthorDate", "BranchName", "CommitId", "CommitMessage", "CommitterDate", "RepositoryName"},
		Doc:       "AWS CodeCommit source.",
	},
	{
		Block: "codestar_connection", Category: "Source", Owner: "AWS", Provider: "CodeStarSourceConnection", Version: "1",
		Attrs: []Attr{
			req("connection_arn", "ConnectionArn", str, String, "ARN of the CodeStar/CodeConnections connection.").matching(reConnectionARN).sized(0, 256),
			req("repository", "FullRepositoryId", str, String, "owner/repo, case-sensitive.").matching(`[^/\s]+/\S+`),
			req("branch", "BranchName", str, String, "Branch to build."),
			opt("output_artifact_format", "OutputArtifactFormat", str, String, "CODE_ZIP (default) or CODEBUILD_CLONE_REF.").oneOf("CODE_ZIP", "CODEBUILD_CLONE_REF"),
			opt("detect_changes", "DetectChanges", boo, Bool, "Start the pipeline on new commits (AWS default true)."),
		},
		MinOutputs: 1, MaxOutputs: 1,
		Variables: []string{"AuthorDate", "BranchName", "CommitId", "CommitMessage", "ConnectionArn", "FullRepositoryName"},
		Doc:       "GitHub, GitHub Enterprise Server, Bitbucket Cloud or GitLab source through a connection.",
	},
	{
		Block: "s3_source", Category: "Source", Owner: "AWS", Provider: "S3", Version: "1",
		Attrs: []Attr{
			req("bucket", "S3Bucket", str, String, "Versioned source bucket.").matching(reBucket),
			req("object_key", "S3ObjectKey", str, String, "Object key of the source ZIP."),
			opt("poll_for_source_changes", "PollForSourceChanges", boo, Bool, "Poll for changes (AWS default true)."),
			opt("allow_override_for_s3_object_key", "AllowOverrideForS3ObjectKey", boo, Bool, "Allow the object key to be overridden at start."),
		},
		MinOutputs: 1, MaxOutputs: 1,
		Variables: []string{"BucketName", "ETag", "ObjectKey", "VersionId"},
		Doc:       "Amazon S3 source.",
	},
	{
		Block: "ecr_source", Category: "Source", Owner: "AWS", Provider: "ECR", Version: "1",
		Attrs: []Attr{
			req("repository", "RepositoryName", str, String, "ECR repository name.").matching(reECRRepository).sized(2, 256),
			opt("image_tag", "ImageTag", str, String, "Image tag (AWS default latest).").matching(reImageTag),
		},
		MinOutputs: 1, MaxOutputs: 1,
		Variables: []string{"ImageDigest", "ImageTag", "ImageURI", "RegistryId", "RepositoryName"},
		Doc:       "Amazon ECR image source; the output artifact is imageDetail.json.",
	},

	// Build / Test / Compute.
	{
		Block: "codebuild", Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1",
		Attrs: []Attr{
			req("project", "ProjectName", dyn, Special, "The project to run: a reference such as project.test."),
			opt("category", "", str, Special, "Build (default) or Test.").oneOf("Build", "Test"),
			opt("primary_source", "PrimarySource", str, String, "Input artifact unpacked into CODEBUILD_SRC_DIR; required with more than one input."),
			opt("batch_enabled", "BatchEnabled", boo, Bool, "Run the project as a batch build."),
			opt("combine_artifacts", "CombineArtifacts", boo, Bool, "Combine batch artifacts into one output (needs batch_enabled)."),
			// CodeBuild runs each name as a shell variable: letters, digits
			// and '_', not starting with a digit (the CodeBuild User Guide,
			// "Environment variables in build environments").
			opt("environment_variables", "EnvironmentVariables", smap, NameValueJSON, "Extra PLAINTEXT variables for this action, as a map (names: letters, digits and _, not starting with a digit); written as CodePipeline's JSON array.").keysMatching(`[A-Za-z_][A-Za-z0-9_]*`, 1, 255),
			opt("buildspec_override", "BuildspecOverride", str, String, "Inline buildspec, path or S3 ARN that replaces the project's."),
		},
		MinInputs: 1, MaxInputs: 5, MinOutputs: 0, MaxOutputs: 5,
		Doc: "AWS CodeBuild; exports the project's env.exported variables.",
	},
	{
		Block: "commands", Category: "Compute", Owner: "AWS", Provider: "Commands", Version: "1",
		Attrs: []Attr{
			opt("environment_type", "EnvironmentType", str, String, "LINUX_CONTAINER (default) or WINDOWS_SERVER_2022_CONTAINER.").oneOf("LINUX_CONTAINER", "WINDOWS_SERVER_2022_CONTAINER"),
			opt("compute_type", "ComputeType", str, String, "BUILD_GENERAL1_SMALL (default), _MEDIUM or _LARGE.").oneOf("BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"),
			opt("vpc_id", "VpcId", str, String, "VPC to run in."),
			opt("subnets", "Subnets", strs, CommaList, "Subnet IDs."),
			opt("security_group_ids", "SecurityGroupIds", strs, CommaList, "Security group IDs."),
		},
		MinInputs: 1, MaxInputs: 10, MinOutputs: 0, MaxOutputs: 1,
		V2Only: true,
		Doc:    "The Commands action: the action's commands run on managed CodeBuild compute.",
	},
	{
		Block: "ecr_build_and_publish", Category: "Build", Owner: "AWS", Provider: "ECRBuildAndPublish", Version: "1",
		Attrs: []Attr{
			req("repository", "ECRRepositoryName", str, String, "Target ECR repository.").matching(reECRRepository).sized(2, 256),
			opt("dockerfile_path", "DockerFilePath", str, String, "Folder of the Dockerfile (default: repository root)."),
			opt("image_tags", "ImageTags", strs, CommaList, "Tags to push (default latest).").matching(reImageTag),
			opt("registry_type", "RegistryType", str, String, "private (default) or public.").oneOf("private", "public"),
		},
		MinInputs: 1, MaxInputs: 1,
		Variables: []string{"ECRImageDigestId", "ECRRepositoryName"},
		V2Only:    true,
		Doc:       "Build a Docker image and push it to ECR.",
	},
	{
		Block: "inspector_scan", Category: "Invoke", Owner: "AWS", Provider: "InspectorScan", Version: "1",
		Attrs: []Attr{
			req("run_mode", "InspectorRunMode", str, String, "SourceCodeScan or ECRImageScan.").oneOf("SourceCodeScan", "ECRImageScan"),
			opt("repository", "ECRRepositoryName", str, String, "ECR repository (ECRImageScan).").matching(reECRRepository).sized(2, 256),
			opt("image_tag", "ImageTag", str, String, "Image tag (ECRImageScan).").matching(reImageTag),
			// A count of findings: a whole number, 0 or more.
			opt("critical_threshold", "CriticalThreshold", num, Number, "Fail above this many critical findings: a whole number, at least 0.").between(0, -1),
			opt("high_threshold", "HighThreshold", num, Number, "Fail above this many high findings: a whole number, at least 0.").between(0, -1),
			opt("medium_threshold", "MediumThreshold", num, Number, "Fail above this many medium findings: a whole number, at least 0.").between(0, -1),
			opt("low_threshold", "LowThreshold", num, Number, "Fail above this many low findings: a whole number, at least 0.").between(0, -1),
		},
		MinInputs: 0, MaxInputs: 1, MinOutputs: 1, MaxOutputs: 1,
		Variables: []string{"HighestScannedSeverity"},
		V2Only:    true,
		Doc:       "Amazon Inspector scan of source code or an ECR image.",
	},
	{
		Block: "device_farm", Category: "Test", Owner: "AWS", Provider: "DeviceFarm", Version: "1",
		Attrs: []Attr{
			req("app_type", "AppType", str, String, "iOS, Android or Web.").oneOf("iOS", "Android", "Web"),
			req("project_id", "ProjectId", str, String, "Device Farm project ID."),
			req("app", "App", str, String, "App file in the input artifact."),
			req("appium_version", "AppiumVersion", str, String, "Appium version."),
			// Device Farm API reference, DevicePool: arn.
			req("device_pool_arn", "DevicePoolArn", str, String, "Device pool ARN (arn:aws:devicefarm:<region>:<account>:devicepool:...).").matching(`arn:aws(-[\w]+)*:devicefarm:[a-z0-9-]+:[0-9]{12}:devicepool:\S+`).sized(32, 1011),
			req("test_type", "TestType", str, String, "Test framework type."),
			opt("test", "Test", str, String, "Test package in the input artifact."),
			opt("record_video", "RecordVideo", boo, Bool, "Record video."),
			opt("record_app_performance_data", "RecordAppPerformanceData", boo, Bool, "Record device performance data."),
			opt("radio_wifi_enabled", "RadioWifiEnabled", boo, Bool, "Wi-Fi on during the run."),
			opt("radio_bluetooth_enabled", "RadioBluetoothEnabled", boo, Bool, "Bluetooth on during the run."),
			opt("radio_nfc_enabled", "RadioNfcEnabled", boo, Bool, "NFC on during the run."),
			opt("radio_gps_enabled", "RadioGpsEnabled", boo, Bool, "GPS on during the run."),
			opt("fuzz_event_count", "FuzzEventCount", num, Number, "Built-in fuzz test: number of UI events, a whole number, at least 1.").between(1, -1),
			opt("fuzz_event_throttle", "FuzzEventThrottle", num, Number, "Built-in fuzz test: milliseconds between events, a whole number, at least 0.").between(0, -1),
			opt("fuzz_randomizer_seed", "FuzzRandomizerSeed", num, Number, "Built-in fuzz test: randomizer seed, a whole number."),
			// Device Farm API reference, Location: degrees, fractions allowed.
			opt("latitude", "Latitude", num, Number, "Simulated device latitude: -90 to 90 degrees.").between(-90, 90).fraction(),
			opt("longitude", "Longitude", num, Number, "Simulated device longitude: -180 to 180 degrees.").between(-180, 180).fraction(),
			opt("job_timeout_minutes", "JobTimeoutMinutes", num, Number, "Job timeout in minutes, a whole number, at least 1.").between(1, -1),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "AWS Device Farm test run.",
	},

	// Deploy.
	{
		Block: "s3_deploy", Category: "Deploy", Owner: "AWS", Provider: "S3", Version: "1",
		Attrs: []Attr{
			req("bucket", "BucketName", str, String, "Target bucket.").matching(reBucket),
			req("extract", "Extract", boo, Bool, "Extract the artifact before upload."),
			opt("object_key", "ObjectKey", str, String, "Object key; required when extract is false."),
			opt("kms_encryption_key_arn", "KMSEncryptionKeyARN", str, String, "KMS key for the uploaded objects."),
			// The S3 deploy action reference points at S3's canned ACLs
			// (Amazon S3 User Guide, "Canned ACL").
			opt("canned_acl", "CannedACL", str, String, "Canned ACL for the uploaded objects.").oneOf("private", "public-read", "public-read-write",
				"aws-exec-read", "authenticated-read", "bucket-owner-read", "bucket-owner-full-control", "log-delivery-write"),
			opt("cache_control", "CacheControl", str, String, "Cache-Control header."),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "Deploy an artifact to Amazon S3.",
	},
	{
		Block: "cloudformation", Category: "Deploy", Owner: "AWS", Provider: "CloudFormation", Version: "1",
		Attrs: []Attr{
			req("action_mode", "ActionMode", str, String, "CREATE_UPDATE, DELETE_ONLY, REPLACE_ON_FAILURE, CHANGE_SET_REPLACE or CHANGE_SET_EXECUTE.").oneOf("CREATE_UPDATE", "DELETE_ONLY", "REPLACE_ON_FAILURE", "CHANGE_SET_REPLACE", "CHANGE_SET_EXECUTE"),
			req("stack_name", "StackName", str, String, "Stack name.").matching(reStackName).sized(1, 128),
			opt("template_path", "TemplatePath", str, String, "Artifact::path of the template."),
			opt("role_arn", "RoleArn", str, String, "Role CloudFormation uses for the stack.").matching(reRoleARN),
			// CloudFormation API reference, CreateChangeSet: ChangeSetName.
			opt("change_set_name", "ChangeSetName", str, String, "Change set name.").matching(reStackName).sized(1, 128),
			opt("capabilities", "Capabilities", strs, CommaList, "CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.").oneOf(capabilities...),
			opt("parameter_overrides", "ParameterOverrides", smap, JSON, "Stack parameters."),
			opt("template_configuration", "TemplateConfiguration", str, String, "Artifact::path of a template configuration file."),
			opt("output_file_name", "OutputFileName", str, String, "Write stack outputs to this file in the output artifact."),
		},
		MinInputs: 0, MaxInputs: 10, MinOutputs: 0, MaxOutputs: 1,
		AnyVariables: true,
		Doc:          "AWS CloudFormation stack or change set; exports the stack's outputs.",
	},
	{
		Block: "cloudformation_stackset", Category: "Deploy", Owner: "AWS", Provider: "CloudFormationStackSet", Version: "1",
		Attrs: []Attr{
			req("stack_set_name", "StackSetName", str, String, "Stack set name.").matching(reStackName).sized(1, 128),
			req("template_path", "TemplatePath", str, String, "Artifact::path of the template."),
			opt("description", "Description", str, String, "Description."),
			opt("parameters", "Parameters", str, String, "Artifact::path or shorthand parameter list."),
			opt("capabilities", "Capabilities", strs, CommaList, "CAPABILITY_IAM, CAPABILITY_NAMED_IAM, CAPABILITY_AUTO_EXPAND.").oneOf(capabilities...),
			opt("permission_model", "PermissionModel", str, String, "SELF_MANAGED (default) or SERVICE_MANAGED.").oneOf("SELF_MANAGED", "SERVICE_MANAGED"),
			opt("administration_role_arn", "AdministrationRoleArn", str, String, "Administration role.").matching(reRoleARN),
			opt("execution_role_name", "ExecutionRoleName", str, String, "Execution role name.").matching(`[\w+=,.@-]+`).sized(1, 64),
			opt("organizations_auto_deployment", "OrganizationsAutoDeployment", str, String, "Enabled, Disabled or EnabledWithStackRetention.").oneOf("Enabled", "Disabled", "EnabledWithStackRetention"),
			opt("deployment_targets", "DeploymentTargets", str, String, "Accounts or OUs."),
			opt("regions", "Regions", strs, CommaList, "Regions.").matching(reRegion),
			// CloudFormation API reference, StackSetOperationPreferences.
			opt("failure_tolerance_percentage", "FailureTolerancePercentage", num, Number, "Failure tolerance: a whole number, 0 to 100.").between(0, 100),
			opt("max_concurrent_percentage", "MaxConcurrentPercentage", num, Number, "Maximum concurrency: a whole number, 1 to 100.").between(1, 100),
		},
		MinInputs: 1, MaxInputs: 3,
		Variables: []string{"OperationId", "StackSetId"},
		Doc:       "AWS CloudFormation StackSets.",
	},
	{
		Block: "cloudformation_stack_instances", Category: "Deploy", Owner: "AWS", Provider: "CloudFormationStackInstances", Version: "1",
		Attrs: []Attr{
			req("stack_set_name", "StackSetName", str, String, "Stack set name.").matching(reStackName).sized(1, 128),
			req("regions", "Regions", strs, CommaList, "Regions.").matching(reRegion),
			opt("deployment_targets", "DeploymentTargets", str, String, "Accounts or OUs."),
			opt("parameter_overrides", "ParameterOverrides", str, String, "Artifact::path or shorthand parameter list."),
			// CloudFormation API reference, StackSetOperationPreferences.
			opt("failure_tolerance_percentage", "FailureTolerancePercentage", num, Number, "Failure tolerance: a whole number, 0 to 100.").between(0, 100),
			opt("max_concurrent_percentage", "MaxConcurrentPercentage", num, Number, "Maximum concurrency: a whole number, 1 to 100.").between(1, 100),
		},
		MinInputs: 0, MaxInputs: 3,
		Variables: []string{"OperationId", "StackSetId"},
		Doc:       "AWS CloudFormation stack instances.",
	},
	{
		Block: "codedeploy", Category: "Deploy", Owner: "AWS", Provider: "CodeDeploy", Version: "1",
		Attrs: []Attr{
			req("application", "ApplicationName", str, String, "CodeDeploy application.").sized(1, 100),
			req("deployment_group", "DeploymentGroupName", str, String, "Deployment group.").sized(1, 100),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "AWS CodeDeploy (EC2/on-premises) deployment of an appspec.yml bundle.",
	},
	{
		Block: "ecs", Category: "Deploy", Owner: "AWS", Provider: "ECS", Version: "1",
		Attrs: []Attr{
			req("cluster", "ClusterName", str, String, "ECS cluster."),
			req("service", "ServiceName", str, String, "ECS service."),
			opt("file_name", "FileName", str, String, "Image definitions file (default imagedefinitions.json)."),
			opt("deployment_timeout", "DeploymentTimeout", num, Number, "Minutes: a whole number, 1 to 60.").between(1, 60),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "Amazon ECS rolling deployment.",
	},
	{
		Block: "codedeploy_to_ecs", Category: "Deploy", Owner: "AWS", Provider: "CodeDeployToECS", Version: "1",
		Attrs: []Attr{
			req("application", "ApplicationName", str, String, "CodeDeploy application.").sized(1, 100),
			req("deployment_group", "DeploymentGroupName", str, String, "Deployment group.").sized(1, 100),
			req("task_definition_template_artifact", "TaskDefinitionTemplateArtifact", str, String, "Input artifact holding the task definition."),
			req("appspec_template_artifact", "AppSpecTemplateArtifact", str, String, "Input artifact holding the AppSpec."),
			opt("task_definition_template_path", "TaskDefinitionTemplatePath", str, String, "Default taskdef.json."),
			opt("appspec_template_path", "AppSpecTemplatePath", str, String, "Default appspec.yaml."),
			opt("image1_artifact_name", "Image1ArtifactName", str, String, ""),
			opt("image1_container_name", "Image1ContainerName", str, String, ""),
			opt("image2_artifact_name", "Image2ArtifactName", str, String, ""),
			opt("image2_container_name", "Image2ContainerName", str, String, ""),
			opt("image3_artifact_name", "Image3ArtifactName", str, String, ""),
			opt("image3_container_name", "Image3ContainerName", str, String, ""),
			opt("image4_artifact_name", "Image4ArtifactName", str, String, ""),
			opt("image4_container_name", "Image4ContainerName", str, String, ""),
		},
		MinInputs: 1, MaxInputs: 5,
		Doc: "Amazon ECS blue/green deployment through CodeDeploy.",
	},
	{
		Block: "elastic_beanstalk", Category: "Deploy", Owner: "AWS", Provider: "ElasticBeanstalk", Version: "1",
		Attrs: []Attr{
			req("application", "ApplicationName", str, String, "Application.").sized(1, 100),
			// Elastic Beanstalk environment names: letters, digits and
			// hyphens, not starting or ending with a hyphen.
			req("environment", "EnvironmentName", str, String, "Environment.").matching(`[A-Za-z0-9]([A-Za-z0-9-]*[A-Za-z0-9])?`).sized(4, 40),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "AWS Elastic Beanstalk deployment.",
	},
	{
		Block: "appconfig", Category: "Deploy", Owner: "AWS", Provider: "AppConfig", Version: "1",
		Attrs: []Attr{
			req("application", "Application", str, String, "Application ID.").matching(reAppConfigID),
			req("environment", "Environment", str, String, "Environment ID.").matching(reAppConfigID),
			req("configuration_profile", "ConfigurationProfile", str, String, "Configuration profile ID.").matching(reAppConfigID),
			req("input_artifact_configuration_path", "InputArtifactConfigurationPath", str, String, "File in the input artifact."),
			opt("deployment_strategy", "DeploymentStrategy", str, String, "Deployment strategy ID."),
		},
		MinInputs: 1, MaxInputs: 1,
		Doc: "AWS AppConfig deployment.",
	},
	{
		Block: "ec2_deploy", Category: "Deploy", Owner: "AWS", Provider: "EC2", Version: "1",
		Attrs: []Attr{
			req("instance_tag_key", "InstanceTagKey", str, String, "Tag key of the target instances."),
			req("instance_type", "InstanceType", str, String, "EC2 or SSM_MANAGED_NODE.").oneOf("EC2", "SSM_MANAGED_NODE"),
			opt("instance_tag_value", "InstanceTagValue", str, String, "Tag value of the target instances."),
			opt("target_directory", "TargetDirectory", str, String, "Directory on the instances."),
			opt("pre_script", "PreScript", str, String, "Script run before deployment."),
			opt("post_script", "PostScript", str, String, "Script run after deployment."),
			opt("deploy_spec", "DeploySpec", str, String, "Deploy spec file."),
			// A number of instances (at least 1) or a percentage of them
			// (1 to 100): the EC2 deploy action reference,
			// https://docs.aws.amazon.com/codepipeline/latest/userguide/action-reference-EC2Deploy.html,
			// whose ranges the CDK's Ec2MaxInstances states and enforces.
			opt("max_batch", "MaxBatch", str, String, "Instances per batch: a whole number of at least 1, or a percentage from 1% to 100% such as \"10%\".").matching(reInstanceCount),
			opt("max_error", "MaxError", str, String, "Errors tolerated: a whole number of at least 1, or a percentage from 1% to 100% such as \"10%\".").matching(reInstanceCount),
			opt("target_group_name_list", "TargetGroupNameList", strs, CommaList, "Target groups."),
		},
		MinInputs: 1, MaxInputs: 1,
		V2Only: true,
		Doc:    "Deploy to EC2 instances.",
	},
	{
		Block: "eks", Category: "Deploy", Owner: "AWS", Provider: "EKS", Version: "1",
		Attrs: []Attr{
			req("cluster", "ClusterName", str, String, "EKS cluster.").matching(`[0-9A-Za-z][A-Za-z0-9_-]*`).sized(1, 100),
			opt("helm_release_name", "HelmReleaseName", str, String, "Helm release."),
			opt("helm_chart_location", "HelmChartLocation", str, String, "Helm chart."),
			opt("helm_values_files", "HelmValuesFiles", strs, CommaList, "Helm values files."),
			opt("manifest_files", "ManifestFiles", strs, CommaList, "kubectl manifest files."),
			opt("namespace", "Namespace", str, String, "Kubernetes namespace.").matching(`[a-z0-9]([-a-z0-9]*[a-z0-9])?`).sized(1, 63),
			opt("subnets", "Subnets", strs, CommaList, "Subnets."),
			opt("security_group_ids", "SecurityGroupIds", strs, CommaList, "Security groups."),
		},
		MinInputs: 1, MaxInputs: 1,
		Variables: []string{"EKSClusterName"},
		V2Only:    true,
		Doc:       "Deploy to Amazon EKS with Helm or kubectl.",
	},
	{
		Block: "lambda_deploy", Category: "Deploy", Owner: "AWS", Provider: "Lambda", Version: "1",
		Attrs: []Attr{
			req("function_name", "FunctionName", str, String, "Function.").matching(reFunctionName).sized(1, 140),
			// Lambda API reference, CreateAlias: Name.
			opt("function_alias", "FunctionAlias", str, String, "Alias to shift.").matching(`[a-zA-Z0-9_-]+`).sized(1, 128),
			opt("published_target_version", "PublishedTargetVersion", str, String, "Version to deploy instead of an artifact."),
			opt("deploy_strategy", "DeployStrategy", str, String, "AllAtOnce, Canary<P>Percent<M>Minutes or Linear<P>PercentEvery<M>Minute(s), P 1 to 99 and M at least 1.").matching(`AllAtOnce|Canary[1-9][0-9]?Percent[1-9][0-9]*Minutes?|Linear[1-9][0-9]?PercentEvery[1-9][0-9]*Minutes?`),
			opt("alarms", "Alarms", strs, CommaList, "At most 10 CloudWatch alarms.").atMost(10),
		},
		MinInputs: 0, MaxInputs: 1,
		Variables: []string{"FunctionVersion"},
		V2Only:    true,
		Doc:       "Deploy a Lambda function version.",
	},

	// Approval and Invoke.
	{
		Block: "approval", Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1",
		Attrs: []Attr{
			opt("message", "CustomData", str, String, "Text shown to the approver."),
			opt("notification_arn", "NotificationArn", str, String, "SNS topic to notify.").matching(`arn:aws(-[\w]+)*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}(\.fifo)?`),
			opt("external_entity_link", "ExternalEntityLink", str, String, "URL for the approver to review.").matching(`https?://\S+`),
		},
		Doc: "Manual approval.",
	},
	{
		Block: "lambda", Category: "Invoke", Owner: "AWS", Provider: "Lambda", Version: "1",
		Attrs: []Attr{
			req("function_name", "FunctionName", str, String, "Function to invoke.").matching(reFunctionName).sized(1, 140),
			opt("user_parameters", "UserParameters", str, String, "Free-form string passed to the function."),
		},
		MinInputs: 0, MaxInputs: 5, MinOutputs: 0, MaxOutputs: 5,
		AnyVariables: true,
		Doc:          "Invoke an AWS Lambda function.",
	},
	{
		Block: "step_functions", Category: "Invoke", Owner: "AWS", Provider: "StepFunctions", Version: "1",
		Attrs: []Attr{
			req("state_machine_arn", "StateMachineArn", str, String, "State machine.").matching(`arn:aws(-[\w]+)*:states:[a-z0-9-]+:[0-9]{12}:stateMachine:.+`).sized(1, 256),
			opt("execution_name_prefix", "ExecutionNamePrefix", str, String, "Execution name prefix."),
			opt("input_type", "InputType", str, String, "Literal (default) or FilePath.").oneOf("Literal", "FilePath"),
			opt("input", "Input", str, String, "Input literal or file path (required with FilePath)."),
		},
		MinInputs: 0, MaxInputs: 1, MinOutputs: 0, MaxOutputs: 1,
		Variables: []string{"ExecutionArn", "StateMachineArn"},
		Doc:       "Start an AWS Step Functions execution.",
	},
	{
		Block: "pipeline_invoke", Category: "Invoke", Owner: "AWS", Provider: "CodePipeline", Version: "1",
		Attrs: []Attr{
			req("pipeline_name", "PipelineName", str, String, "Pipeline to start.").matching(`[A-Za-z0-9.@_-]+`).sized(1, 100),
			opt("source_revisions", "SourceRevisions", cty.List(cty.Object(map[string]cty.Type{"actionName": str, "revisionType": str, "revisionValue": str})), JSON, "Source revision overrides, at most 50: actionName (a source action of the started pipeline), revisionType (COMMIT_ID, IMAGE_DIGEST, S3_OBJECT_VERSION_ID or S3_OBJECT_KEY), revisionValue (1 to 1500 characters)."),
			// source_revisions and variables are checked against the
			// StartPipelineExecution request of the CodePipeline API model
			// (the constraint table), not here.
			opt("variables", "Variables", smap, NameValueJSON, "Pipeline variables for the started run; written as CodePipeline's JSON array. At most 50; names are 1 to 128 letters, digits, @, - and _, values 1 to 1000 characters."),
		},
		V2Only: true,
		Doc:    "Start another pipeline.",
	},
}

// UntypedServiceRoleActions are the IAM actions the CodePipeline service
// role needs for AWS-owned action types that have no typed block, so that
// only a custom block can use them and the cloudformation target grants
// them nothing. From the AWS CodePipeline User Guide, "CodePipeline service
// role policy" (the servicecatalog and opsworks statements of the default
// policy). Custom and ThirdParty action types need nothing from the role:
// their job workers or connections hold their own credentials.
var UntypedServiceRoleActions = map[string][]string{
	"ServiceCatalog": {"servicecatalog:CreateProvisioningArtifact", "servicecatalog:DeleteProvisioningArtifact",
		"servicecatalog:DescribeProvisioningArtifact", "servicecatalog:ListProvisioningArtifacts", "servicecatalog:UpdateProduct",
		"cloudformation:ValidateTemplate"},
	"OpsWorks": {"opsworks:CreateDeployment", "opsworks:DescribeApps", "opsworks:DescribeCommands", "opsworks:DescribeDeployments",
		"opsworks:DescribeInstances", "opsworks:DescribeStacks", "opsworks:UpdateApp", "opsworks:UpdateStack"},
}
