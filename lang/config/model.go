package config

import (
	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"
)

// This file is the evaluated model: what lang.Load returns and the compiler
// reads. Every expression has been evaluated, every for_each and dynamic
// block expanded, every reference (var, local, project, artifact, each)
// checked. Nothing here has been checked against CodePipeline's structural
// rules: that is the compiler's job.
//
// Every block keeps its DeclRange (the block header; for a block that a
// dynamic block generated, the header of the dynamic block's content) and
// Ranges, the source range of each attribute's expression keyed by attribute
// name, so that later passes can point at the exact token. Use Rng to look
// one up.

// Ranges maps an attribute (or nested block) name to its source range.
type Ranges map[string]hcl.Range

// Rng returns the range of attribute name, or fallback if it was not written.
func (r Ranges) Rng(name string, fallback hcl.Range) hcl.Range {
	if rng, ok := r[name]; ok {
		return rng
	}
	return fallback
}

// Config is one directory of *.pf.hcl files.
type Config struct {
	Variables []*Variable // in name order
	Projects  []*Project  // in name order (after for_each expansion)
	Pipelines []*Pipeline // in name order
}

type Variable struct {
	Name        string
	Description string
	Type        cty.Type
	Value       cty.Value // the final value after defaults, pfvars, -var and PF_VAR_
	Sensitive   bool
	DeclRange   hcl.Range
}

// Project is a `project` block (one instance of it, when it has for_each).
type Project struct {
	// Name is the CodeBuild project name: the `name` attribute, else the
	// label, else (for_each instances) "<label>-<key>".
	Name string
	// Label and Key identify the block in HCL: project.<Label>[<Key>].
	Label string
	Key   cty.Value // cty.NilVal without for_each

	Description     string
	Image           string
	ComputeType     string
	EnvironmentType string
	Privileged      bool
	Timeout         int // minutes; 0 = not set
	QueuedTimeout   int // minutes; 0 = not set
	Tags            map[string]string

	RunAs     string
	Env       *Env
	Proxy     *Proxy
	Phases    []*Phase // in execution order, only those written
	Reports   []*Report
	Artifacts *Artifacts
	// SecondaryArtifacts are `secondary_artifacts "<id>"` blocks.
	SecondaryArtifacts []*Artifacts
	Cache              *Cache

	DeclRange hcl.Range
	Ranges    Ranges
}

type Env struct {
	Shell               string
	Variables           map[string]string
	ParameterStore      map[string]string
	SecretsManager      map[string]string
	Exported            []string
	GitCredentialHelper *bool
	DeclRange           hcl.Range
	Ranges              Ranges
}

type Proxy struct {
	UploadArtifacts *bool
	Logs            *bool
	DeclRange       hcl.Range
}

// Phase is a `phase "<name>"` block; Name is install, pre_build, build or
// post_build (the decoder rejects anything else).
type Phase struct {
	Name            string
	RunAs           string
	OnFailure       string
	RuntimeVersions map[string]string
	Commands        []string
	// CommandsSet distinguishes `commands = []` from no commands attribute.
	CommandsSet bool
	Finally     []string
	DeclRange   hcl.Range
	Ranges      Ranges
}

type Report struct {
	Name          string
	Files         []string
	BaseDirectory string
	DiscardPaths  *bool
	Format        string
	DeclRange     hcl.Range
	Ranges        Ranges
}

// Artifacts is an `artifacts` or `secondary_artifacts "<id>"` block.
type Artifacts struct {
	Identifier     string // secondary artifacts only
	Files          []string
	Name           string
	DiscardPaths   *bool
	BaseDirectory  string
	ExcludePaths   []string
	EnableSymlinks *bool
	S3Prefix       string
	DeclRange      hcl.Range
	Ranges         Ranges
}

type Cache struct {
	Key          string
	FallbackKeys []string
	Action       string
	Paths        []string
	DeclRange    hcl.Range
	Ranges       Ranges
}

// Pipeline is a `pipeline` block.
type Pipeline struct {
	Name          string
	Type          string // as written; "" if not set
	ExecutionMode string
	RoleARN       string
	// Region is the `region` attribute: the AWS Region the pipeline is
	// created in, "" when not written.
	Region         string
	ArtifactStores []*ArtifactStore
	Variables      []*PipelineVariable
	Triggers       []*Trigger
	Notifications  []*Notification
	Tags           map[string]string
	Stages         []*Stage // in order, after for_each expansion
	DeclRange      hcl.Range
	Ranges         Ranges
}

// ArtifactStore is an `artifact_store` block; Region is "" for the
// pipeline's own Region.
type ArtifactStore struct {
	Region        string
	Location      string
	EncryptionKey string
	DeclRange     hcl.Range
	Ranges        Ranges
}

type PipelineVariable struct {
	Name        string
	Default     string
	HasDefault  bool
	Description string
	DeclRange   hcl.Range
	Ranges      Ranges
}

type Trigger struct {
	ProviderType     string
	SourceActionName string
	Push             []*GitFilter
	PullRequest      []*GitFilter
	DeclRange        hcl.Range
	Ranges           Ranges
}

type GitFilter struct {
	Branches  *IncludeExclude
	Tags      *IncludeExclude
	FilePaths *IncludeExclude
	Events    []string
	DeclRange hcl.Range
	Ranges    Ranges
}

type IncludeExclude struct {
	Includes  []string
	Excludes  []string
	DeclRange hcl.Range
	Ranges    Ranges
}

type Notification struct {
	Name        string
	DetailTypes []string
	States      []string
	TargetARN   string
	DeclRange   hcl.Range
	Ranges      Ranges
}

type Stage struct {
	Name        string
	Label       string
	Key         cty.Value
	Actions     []*Action // in declaration order
	OnFailure   *FailureConditions
	OnSuccess   *Conditions
	BeforeEntry *Conditions
	DeclRange   hcl.Range
	// NameRange is where the name comes from: the name attribute, else the
	// label (for a block a dynamic block generated, its labels element).
	NameRange hcl.Range
	Ranges    Ranges
}

type FailureConditions struct {
	Result    string
	RetryMode string
	Conditions
	// Ranges are those of result and retry_mode.
	Ranges Ranges
}

type Conditions struct {
	Conditions []*Condition
	DeclRange  hcl.Range
}

type Condition struct {
	Result    string
	Rules     []*Rule
	DeclRange hcl.Range
	Ranges    Ranges
}

type Rule struct {
	Name           string
	Provider       string
	Configuration  map[string]string
	Commands       []string
	InputArtifacts []string
	RoleARN        string
	Region         string
	DeclRange      hcl.Range
	Ranges         Ranges
}

// Action is an `action` block.
type Action struct {
	Name  string
	Label string
	Key   cty.Value

	// Provider is the one typed provider block (or the `codebuild = project.x`
	// shorthand, or `custom`) of the action. The decoder guarantees exactly one.
	Provider *Provider

	Inputs               []*ArtifactName
	Outputs              []*ArtifactName
	OutputFiles          []string
	Namespace            string
	RunOrder             int // 0 = not set (default 1)
	Region               string
	RoleARN              string
	TimeoutInMinutes     int
	Commands             []string
	OutputVariables      []string
	EnvironmentVariables []*EnvironmentVariable
	Local                *Local

	DeclRange hcl.Range
	NameRange hcl.Range // as Stage.NameRange
	Ranges    Ranges
}

// Provider is a typed provider block such as `codecommit { ... }`. Attrs holds
// the evaluated attributes by HCL name (e.g. "repository"), each a known,
// non-null value conforming to the attribute's type in the provider catalog.
// For `custom`, Category/Owner/Provider/Version are set and Attrs holds
// "configuration" as a map of strings.
type Provider struct {
	Kind  string // block name: "codecommit", "codebuild", "approval", "custom", ...
	Attrs map[string]cty.Value
	// Project is the CodeBuild project name for `codebuild` actions.
	Project string
	// ActionType for `custom` blocks.
	Category, Owner, ProviderName, Version string
	DeclRange                              hcl.Range
	Ranges                                 Ranges
}

type ArtifactName struct {
	Name  string
	Range hcl.Range
}

type EnvironmentVariable struct {
	Name  string
	Value string
	Type  string
}

type Local struct {
	Commands  []string
	Shell     string
	DeclRange hcl.Range
}
