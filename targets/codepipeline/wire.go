package codepipeline

// The wire structs mirror the CodePipeline API shapes (botocore
// service-2.json, CreatePipelineInput and below). Field order is the order
// of the emitted JSON; omitempty drops what the declaration does not set.

// CreatePipelineInput is the document `create-pipeline --cli-input-json` reads.
type CreatePipelineInput struct {
	Pipeline *PipelineDeclaration `json:"pipeline"`
	Tags     []*Tag               `json:"tags,omitempty"`
}

// Tag is one pipeline tag.
type Tag struct {
	Key   string `json:"key"`
	Value string `json:"value"`
}

// PipelineDeclaration is the API's PipelineDeclaration.
type PipelineDeclaration struct {
	Name           string                    `json:"name"`
	PipelineType   string                    `json:"pipelineType,omitempty"`
	ExecutionMode  string                    `json:"executionMode,omitempty"`
	RoleArn        string                    `json:"roleArn"`
	ArtifactStore  *ArtifactStore            `json:"artifactStore,omitempty"`
	ArtifactStores map[string]*ArtifactStore `json:"artifactStores,omitempty"`
	Variables      []*PipelineVariable       `json:"variables,omitempty"`
	Triggers       []*Trigger                `json:"triggers,omitempty"`
	Stages         []*StageDeclaration       `json:"stages"`
}

// ArtifactStore is an S3 artifact store.
type ArtifactStore struct {
	Type          string         `json:"type"`
	Location      string         `json:"location"`
	EncryptionKey *EncryptionKey `json:"encryptionKey,omitempty"`
}

// EncryptionKey is a KMS key for an artifact store.
type EncryptionKey struct {
	ID   string `json:"id"`
	Type string `json:"type"`
}

// PipelineVariable is a PipelineVariableDeclaration.
type PipelineVariable struct {
	Name         string `json:"name"`
	DefaultValue string `json:"defaultValue,omitempty"`
	Description  string `json:"description,omitempty"`
}

// Trigger is a PipelineTriggerDeclaration.
type Trigger struct {
	ProviderType     string            `json:"providerType"`
	GitConfiguration *GitConfiguration `json:"gitConfiguration"`
}

// GitConfiguration holds a trigger's filters.
type GitConfiguration struct {
	SourceActionName string       `json:"sourceActionName"`
	Push             []*GitFilter `json:"push,omitempty"`
	PullRequest      []*GitFilter `json:"pullRequest,omitempty"`
}

// GitFilter is a GitPushFilter or a GitPullRequestFilter (Events only for
// pull requests, Tags only for pushes).
type GitFilter struct {
	Events    []string  `json:"events,omitempty"`
	Tags      *Criteria `json:"tags,omitempty"`
	Branches  *Criteria `json:"branches,omitempty"`
	FilePaths *Criteria `json:"filePaths,omitempty"`
}

// Criteria is an include/exclude pattern list.
type Criteria struct {
	Includes []string `json:"includes,omitempty"`
	Excludes []string `json:"excludes,omitempty"`
}

// StageDeclaration is one stage.
type StageDeclaration struct {
	Name        string               `json:"name"`
	Actions     []*ActionDeclaration `json:"actions"`
	OnFailure   *FailureConditions   `json:"onFailure,omitempty"`
	OnSuccess   *Conditions          `json:"onSuccess,omitempty"`
	BeforeEntry *Conditions          `json:"beforeEntry,omitempty"`
}

// FailureConditions is a stage's onFailure.
type FailureConditions struct {
	Result             string              `json:"result,omitempty"`
	RetryConfiguration *RetryConfiguration `json:"retryConfiguration,omitempty"`
	Conditions         []*Condition        `json:"conditions,omitempty"`
}

// RetryConfiguration goes with result RETRY.
type RetryConfiguration struct {
	RetryMode string `json:"retryMode,omitempty"`
}

// Conditions is onSuccess or beforeEntry.
type Conditions struct {
	Conditions []*Condition `json:"conditions"`
}

// Condition is one stage condition.
type Condition struct {
	Result string             `json:"result,omitempty"`
	Rules  []*RuleDeclaration `json:"rules,omitempty"`
}

// RuleDeclaration is one condition rule.
type RuleDeclaration struct {
	Name           string            `json:"name"`
	RuleTypeID     *RuleTypeID       `json:"ruleTypeId"`
	Configuration  map[string]string `json:"configuration,omitempty"`
	Commands       []string          `json:"commands,omitempty"`
	InputArtifacts []*InputArtifact  `json:"inputArtifacts,omitempty"`
	RoleArn        string            `json:"roleArn,omitempty"`
	Region         string            `json:"region,omitempty"`
}

// RuleTypeID identifies a rule provider.
type RuleTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner,omitempty"`
	Provider string `json:"provider"`
	Version  string `json:"version,omitempty"`
}

// ActionDeclaration is one action.
type ActionDeclaration struct {
	Name                 string                 `json:"name"`
	ActionTypeID         *ActionTypeID          `json:"actionTypeId"`
	RunOrder             int                    `json:"runOrder,omitempty"`
	Configuration        map[string]string      `json:"configuration,omitempty"`
	Commands             []string               `json:"commands,omitempty"`
	InputArtifacts       []*InputArtifact       `json:"inputArtifacts,omitempty"`
	OutputArtifacts      []*OutputArtifact      `json:"outputArtifacts,omitempty"`
	OutputVariables      []string               `json:"outputVariables,omitempty"`
	RoleArn              string                 `json:"roleArn,omitempty"`
	Region               string                 `json:"region,omitempty"`
	Namespace            string                 `json:"namespace,omitempty"`
	TimeoutInMinutes     int                    `json:"timeoutInMinutes,omitempty"`
	EnvironmentVariables []*EnvironmentVariable `json:"environmentVariables,omitempty"`
}

// ActionTypeID identifies an action provider.
type ActionTypeID struct {
	Category string `json:"category"`
	Owner    string `json:"owner"`
	Provider string `json:"provider"`
	Version  string `json:"version"`
}

// InputArtifact names an input artifact.
type InputArtifact struct {
	Name string `json:"name"`
}

// OutputArtifact names an output artifact (Files for the Commands action).
type OutputArtifact struct {
	Name  string   `json:"name"`
	Files []string `json:"files,omitempty"`
}

// EnvironmentVariable is an action environment variable.
type EnvironmentVariable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Type  string `json:"type,omitempty"`
}
