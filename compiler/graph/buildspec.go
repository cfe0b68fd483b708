package graph

// Buildspec is a CodeBuild buildspec (version 0.2), the model shared by the
// buildspec emitter, the buildspec parser and the local executor. Field order
// follows AWS's documented key order, which is also the order of emitted YAML.
//
// Lists and maps keep what was written: nil means "key absent", an empty
// non-nil value means "key present and empty".
type Buildspec struct {
	Version string // "0.2" (or "0.1" for parsed legacy files)
	RunAs   string
	Env     *BuildEnv
	Proxy   *Proxy
	Batch   map[string]any // kept verbatim; not emulated locally
	// Phases in the fixed order install, pre_build, build, post_build; a
	// phase that is not present is nil.
	Phases    [4]*Phase
	Reports   []*Report
	Artifacts *Artifacts
	Cache     *Cache
}

// PhaseNames are the buildspec phase keys in execution order.
var PhaseNames = [4]string{"install", "pre_build", "build", "post_build"}

// PhaseTypes are the CodeBuild API phase types matching PhaseNames.
var PhaseTypes = [4]string{"INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD"}

type BuildEnv struct {
	Shell               string
	Variables           []KeyValue // order as written
	ParameterStore      []KeyValue // NAME -> parameter name
	SecretsManager      []KeyValue // NAME -> secret-id[:json-key[:version-stage[:version-id]]]
	ExportedVariables   []string
	GitCredentialHelper *bool
	// SensitiveVariables lists, sorted, the Variables whose values come
	// from a sensitive variable of the configuration. No buildspec holds
	// it; the local executor masks an exported variable of that name that
	// still holds its value.
	SensitiveVariables []string `json:",omitempty"`
}

// KeyValue is one entry of an ordered string map.
type KeyValue struct {
	Key   string
	Value string
}

type Proxy struct {
	UploadArtifacts *bool
	Logs            *bool
}

type Phase struct {
	RunAs           string
	OnFailure       string     // ABORT, CONTINUE, RETRY, RETRY-<n>, ...
	RuntimeVersions []KeyValue // install only
	Commands        []string
	Finally         []string
}

type Report struct {
	Name          string // report group name or ARN
	Files         []string
	BaseDirectory string
	DiscardPaths  *bool
	FileFormat    string
}

// Artifacts is the top-level `artifacts` section; Secondary holds
// `secondary-artifacts` by identifier, in order.
type Artifacts struct {
	Files          []string
	Name           string
	DiscardPaths   *bool
	BaseDirectory  string
	ExcludePaths   []string
	EnableSymlinks *bool
	S3Prefix       string
	// Type is version 0.1's artifact packaging ("zip"); deprecated in 0.2
	// but still found in real files, so it is kept for round-tripping.
	Type      string
	Secondary []*SecondaryArtifact
}

type SecondaryArtifact struct {
	Identifier string
	Artifacts
}

type Cache struct {
	Key          string
	FallbackKeys []string
	Action       string // "restore" | "save"
	Paths        []string
}
