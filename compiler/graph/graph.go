package graph

import (
	"github.com/hashicorp/hcl/v2"
)

// Graph is the compiled form of one configuration directory: every CodeBuild
// project and every pipeline, fully evaluated, for_each-expanded and checked.
// It is read-only after compiler.Compile returns it.
type Graph struct {
	// Projects in name order.
	Projects []*Project
	// Pipelines in name order.
	Pipelines []*Pipeline
}

// Project finds a project by name, or nil.
func (g *Graph) Project(name string) *Project {
	for _, p := range g.Projects {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Pipeline finds a pipeline by name, or nil.
func (g *Graph) Pipeline(name string) *Pipeline {
	for _, p := range g.Pipelines {
		if p.Name == name {
			return p
		}
	}
	return nil
}

// Project is a CodeBuild project: the settings AWS::CodeBuild::Project needs
// plus the buildspec that pipeform generates for it.
type Project struct {
	Name        string
	Description string
	// Environment settings (AWS::CodeBuild::Project Environment).
	Image           string // e.g. "aws/codebuild/standard:7.0"
	ComputeType     string // e.g. "BUILD_GENERAL1_SMALL"
	EnvironmentType string // e.g. "LINUX_CONTAINER"
	Privileged      bool
	// TimeoutInMinutes is 5–2160; QueuedTimeoutInMinutes 5–480. Zero means
	// "not set" (AWS default: 60 and 480).
	TimeoutInMinutes       int
	QueuedTimeoutInMinutes int
	Tags                   map[string]string

	Buildspec *Buildspec
	// Batch is the project's BuildBatchConfig; nil when the project has
	// no batch block.
	Batch *BatchConfig

	DeclRange hcl.Range
}

// Pipeline is one CodePipeline.
type Pipeline struct {
	Name          string
	Type          string // "V1" or "V2"; always set after Compile
	ExecutionMode string // "SUPERSEDED" (default), "QUEUED" or "PARALLEL"
	RoleARN       string // empty: the CloudFormation target creates the role
	// Region is the pipeline's own AWS Region when the configuration says
	// it (the `region` attribute), else "". Actions in this Region have an
	// empty Action.Region: they are not cross-Region.
	Region string
	// ArtifactStore is nil when the pipeline names none: the CloudFormation
	// target then creates a bucket.
	ArtifactStore *ArtifactStore
	// ArtifactStores holds extra per-Region stores for cross-Region actions,
	// keyed by Region (sorted on output).
	ArtifactStores map[string]*ArtifactStore
	Variables      []*PipelineVariable
	Triggers       []*Trigger
	Tags           map[string]string
	// Notifications asks the CloudFormation target for EventBridge rules.
	Notifications []*Notification
	// RoleStatements are added to the pipeline role the CloudFormation
	// target generates, after the statements it derives itself.
	RoleStatements []*PolicyStatement
	Stages         []*Stage

	DeclRange hcl.Range
}

// Actions lists every action of the pipeline in execution order (stage
// order, then run order, then declaration order).
func (p *Pipeline) Actions() []*Action {
	var out []*Action
	for _, s := range p.Stages {
		out = append(out, s.Actions...)
	}
	return out
}

type ArtifactStore struct {
	Type          string // "S3"
	Location      string // bucket name
	EncryptionKey string // KMS key id/ARN; empty = S3 default key
}

type PipelineVariable struct {
	Name         string
	DefaultValue string
	HasDefault   bool
	// Sensitive is set when DefaultValue is computed from a sensitive
	// variable: the local executor records it masked.
	Sensitive   bool
	Description string
	DeclRange   hcl.Range
}

// Trigger is a V2 pipeline trigger (git push / pull request filters).
type Trigger struct {
	ProviderType     string // "CodeStarSourceConnection"
	SourceActionName string
	Push             []*GitFilter
	PullRequest      []*GitFilter
	DeclRange        hcl.Range
}

// GitFilter is a push or pull-request filter. Events is only for pull requests.
type GitFilter struct {
	Branches  *IncludeExclude
	Tags      *IncludeExclude
	FilePaths *IncludeExclude
	Events    []string
}

type IncludeExclude struct {
	Includes []string
	Excludes []string
}

// Notification asks for an EventBridge rule on the pipeline's state-change
// events, sent to an SNS topic or another target ARN.
type Notification struct {
	Name        string
	DetailTypes []string // e.g. "CodePipeline Pipeline Execution State Change"
	States      []string // e.g. "FAILED", "SUCCEEDED"; empty = all
	TargetARN   string
	DeclRange   hcl.Range
}

// PolicyStatement is an IAM policy statement written in the configuration.
type PolicyStatement struct {
	Sid       string
	Effect    string // "Allow" or "Deny"
	Actions   []string
	Resources []string
	DeclRange hcl.Range
}

// Stage is one pipeline stage. Its actions are sorted by run order, then by
// declaration order.
type Stage struct {
	Name        string
	Index       int // 0-based position in the pipeline
	Actions     []*Action
	OnFailure   *FailureConditions
	OnSuccess   *Conditions
	BeforeEntry *Conditions
	DeclRange   hcl.Range
}

// RunGroups splits the stage's actions by run order: the actions of one group
// run in parallel; a group starts when every earlier group succeeded.
func (s *Stage) RunGroups() [][]*Action {
	var groups [][]*Action
	for i, a := range s.Actions {
		if i == 0 || a.RunOrder != s.Actions[i-1].RunOrder {
			groups = append(groups, nil)
		}
		groups[len(groups)-1] = append(groups[len(groups)-1], a)
	}
	return groups
}

type FailureConditions struct {
	Result    string // "ROLLBACK", "RETRY", "FAIL", "SKIP"
	RetryMode string // "FAILED_ACTIONS" or "ALL_ACTIONS" (with RETRY)
	Conditions
}

// Conditions holds at most one condition (the service allows exactly one).
type Conditions struct {
	Conditions []*Condition
}

type Condition struct {
	Result string
	Rules  []*Rule
}

type Rule struct {
	Name           string
	Provider       string // CloudWatchAlarm, CodeBuild, Commands, DeploymentWindow, LambdaInvoke, VariableCheck
	Version        string // "1"
	Configuration  map[string]string
	Commands       []string
	InputArtifacts []string
	RoleARN        string
	Region         string
	DeclRange      hcl.Range
}

// Category values of ActionTypeId.
const (
	CategorySource   = "Source"
	CategoryBuild    = "Build"
	CategoryTest     = "Test"
	CategoryDeploy   = "Deploy"
	CategoryInvoke   = "Invoke"
	CategoryApproval = "Approval"
	CategoryCompute  = "Compute"
)

// ActionType is CodePipeline's ActionTypeId.
type ActionType struct {
	Category string
	Owner    string // "AWS", "ThirdParty", "Custom"
	Provider string
	Version  string
}

// Action is one node of the execution graph.
type Action struct {
	// Pipeline and Stage are back-references to the enclosing nodes.
	Pipeline *Pipeline
	Stage    *Stage

	Name string
	// Block is the provider block kind the action was written with in HCL
	// ("codebuild", "codecommit", "approval", "custom", ...).
	Block string
	Type  ActionType
	// Configuration is the CodePipeline action configuration: every value a
	// string, exactly as it goes on the wire, `#{ns.VAR}` references kept.
	Configuration map[string]string
	// Project is the CodeBuild project for CodeBuild actions, else nil.
	Project *Project

	Inputs  []*ArtifactRef
	Outputs []*ArtifactRef

	Namespace string
	RunOrder  int // 1–999
	Region    string
	RoleARN   string
	// TimeoutInMinutes is only for manual approval; zero = not set.
	TimeoutInMinutes int

	// Commands, OutputVariables and EnvironmentVariables are for the
	// Compute/Commands action (and environment variables for EKS).
	Commands             []string
	OutputVariables      []string
	EnvironmentVariables []*EnvironmentVariable
	// SensitiveEnvironment lists, sorted, the names of the action's own
	// environment variables (its EnvironmentVariables configuration, or
	// EnvironmentVariables above) whose values come from a sensitive
	// variable of the configuration. No output holds it; the local
	// executor masks an exported variable of that name that still holds
	// its value.
	SensitiveEnvironment []string `json:",omitempty"`
	// OutputFiles are the `files` of the Commands action's output artifact.
	OutputFiles []string

	// Variables are the names this action exports under its namespace: a
	// provider's documented output variables, a CodeBuild project's
	// exported variables, or Commands' output variables.
	Variables []string

	// References are the `#{ns.VAR}` references found in this action's
	// configuration and environment, resolved to their producers.
	References []*VariableRef

	// Local is what the local executor runs in place of an action that has
	// no local equivalent; nil if the action has no local block.
	Local *Local

	// Upstream lists the actions this one must wait for: every action of
	// earlier run groups of its stage and of earlier stages. Data edges
	// (artifacts, variables) are a subset of these.
	Upstream []*Action

	DeclRange hcl.Range
}

// ID is the action's address within its pipeline: "Stage.Action".
func (a *Action) ID() string { return a.Stage.Name + "." + a.Name }

// ArtifactRef names an artifact and the action that produces it.
type ArtifactRef struct {
	Name string
	// Producer is the action that outputs the artifact (set on inputs and
	// outputs alike).
	Producer *Action
	Range    hcl.Range
}

// VariableRef is one `#{Namespace.Name}` reference.
type VariableRef struct {
	Namespace string // an action namespace, "variables" or "codepipeline"
	Name      string
	// Producer is the action owning Namespace; nil for "variables" and
	// "codepipeline".
	Producer *Action
}

type EnvironmentVariable struct {
	Name  string
	Value string
	Type  string // "PLAINTEXT" (default), "PARAMETER_STORE", "SECRETS_MANAGER"
}

// Local is an action's `local` block.
type Local struct {
	Commands []string
	Shell    string
}
