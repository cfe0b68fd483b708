package config

import (
	"sort"
	"strconv"
	"strings"

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

// Ranges holds the source range of each attribute (or nested block) by
// name, sorted by name. A configuration has tens of thousands of them, most
// with two or three entries: a sorted list is a fraction of the size of a
// map and as quick to search at that size. Build one with NewRanges.
type Ranges []NamedRange

// NamedRange is one entry of Ranges.
type NamedRange struct {
	Name  string
	Range hcl.Range
}

// NewRanges sorts entries by name into Ranges; of entries with the same
// name, the last wins.
func NewRanges(entries []NamedRange) Ranges {
	sort.SliceStable(entries, func(i, j int) bool { return entries[i].Name < entries[j].Name })
	out := entries[:0]
	for _, e := range entries {
		if n := len(out); n > 0 && out[n-1].Name == e.Name {
			out[n-1] = e
			continue
		}
		out = append(out, e)
	}
	return Ranges(out)
}

// Get returns the range of attribute name, and whether it was written.
func (r Ranges) Get(name string) (hcl.Range, bool) {
	i := sort.Search(len(r), func(i int) bool { return r[i].Name >= name })
	if i < len(r) && r[i].Name == name {
		return r[i].Range, true
	}
	return hcl.Range{}, false
}

// Has reports whether attribute name was written.
func (r Ranges) Has(name string) bool {
	_, ok := r.Get(name)
	return ok
}

// The ranges of the parts of a list or map attribute written out as a
// literal are in Ranges too, under these keys: element i of a list, and the
// key and the value of entry k of a map.
func ElemKey(attr string, i int) string { return attr + "[" + strconv.Itoa(i) + "]" }
func KeyKey(attr, k string) string      { return attr + "{" + k + "}" }
func ValueKey(attr, k string) string    { return attr + "[" + strconv.Quote(k) + "]" }

// VarText is a string written in an attribute that holds a CodePipeline
// variable reference (#{ns.VAR}): its literal text and its own range, so a
// problem with the reference points at the string, not the whole attribute.
type VarText struct {
	Attr  string
	Text  string
	Range hcl.Range
}

// VarTextRange returns the range of the first string of attribute attr
// whose text contains ref, or false.
func VarTextRange(texts []VarText, attr, ref string) (hcl.Range, bool) {
	for _, t := range texts {
		if t.Attr == attr && strings.Contains(t.Text, ref) {
			return t.Range, true
		}
	}
	return hcl.Range{}, false
}

// Rng returns the range of attribute name, or fallback if it was not written.
func (r Ranges) Rng(name string, fallback hcl.Range) hcl.Range {
	if rng, ok := r.Get(name); ok {
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
	Batch              *Batch

	DeclRange hcl.Range
	Ranges    Ranges
}

type Env struct {
	Shell     string
	Variables map[string]string
	// SensitiveVariables lists, sorted, the Variables whose values are
	// computed from a sensitive variable.
	SensitiveVariables  []string
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

// Batch is a project's `batch` block: the buildspec's batch section
// (build-list, build-graph, build-matrix or build-fanout) and the
// project's BuildBatchConfig.
type Batch struct {
	// Kind is "build-list", "build-graph", "build-matrix" or
	// "build-fanout"; "" when not written (derived by the compiler).
	Kind     string
	FastFail *bool
	Builds   []*BatchBuild
	Matrix   *BatchMatrix
	Fanout   *BatchFanout
	// BuildBatchConfig of the project.
	CombineArtifacts    *bool
	Timeout             int // timeoutInMins; 0 = not set
	ReportMode          string
	MaximumBuilds       int // restrictions.maximumBuildsAllowed; 0 = not set
	ComputeTypesAllowed []string
	DeclRange           hcl.Range
	Ranges              Ranges
}

// BatchBuild is a `build "<identifier>"` block: a task of a build list or
// build graph.
type BatchBuild struct {
	Identifier    string
	Buildspec     string
	DependOn      []string
	IgnoreFailure *bool
	DebugSession  *bool
	Env           *BatchEnv
	DeclRange     hcl.Range
	Ranges        Ranges
}

// BatchEnv is a task's `env` block, or a matrix's static or dynamic one
// (dynamic lists several values of each).
type BatchEnv struct {
	ComputeType    string
	Image          string
	Type           string
	Fleet          string
	PrivilegedMode *bool
	Variables      map[string]string
	// Dynamic matrix values.
	ComputeTypes    []string
	Images          []string
	MatrixVariables map[string][]string
	DeclRange       hcl.Range
	Ranges          Ranges
}

// BatchMatrix is a `matrix` block: static settings for every build and
// the dynamic lists whose product makes the builds.
type BatchMatrix struct {
	IgnoreFailure *bool
	DebugSession  *bool
	StaticEnv     *BatchEnv
	Buildspecs    []string
	DynamicEnv    *BatchEnv
	DeclRange     hcl.Range
	Ranges        Ranges
}

// BatchFanout is a `fanout` block.
type BatchFanout struct {
	Parallelism   int
	IgnoreFailure *bool
	DeclRange     hcl.Range
	Ranges        Ranges
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
	// RoleStatements are role_statement blocks: policy statements added to
	// the pipeline role the cloudformation target generates.
	RoleStatements []*RoleStatement
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
	Name       string
	Default    string
	HasDefault bool
	// Sensitive is set when the default is computed from a sensitive
	// variable (a sensitive bool's "true" included).
	Sensitive   bool
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

// RoleStatement is a role_statement block: one IAM policy statement.
type RoleStatement struct {
	Sid       string
	Effect    string // "Allow" or "Deny"; "" means Allow
	Actions   []string
	Resources []string
	DeclRange hcl.Range
	Ranges    Ranges
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
	// SensitiveEnvironment lists, sorted, the names of the action's own
	// environment variables (its environment_variables, or its codebuild
	// block's) whose values are computed from a sensitive variable (a
	// sensitive bool's "true" included).
	SensitiveEnvironment []string
	Local                *Local

	DeclRange hcl.Range
	NameRange hcl.Range // as Stage.NameRange
	Ranges    Ranges
	// VarTexts are the strings of its attributes holding #{...}.
	VarTexts []VarText
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
	// VarTexts are the strings of its attributes holding #{...}.
	VarTexts []VarText
	// SensitiveEnv lists, sorted, the keys of its environment_variables (a
	// codebuild block's) whose values are computed from a sensitive
	// variable.
	SensitiveEnv []string
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
