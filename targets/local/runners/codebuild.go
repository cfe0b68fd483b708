package runners

import (
	"context"
	"encoding/json"
	"io"
	"strconv"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
)

// CodeBuild runs one buildspec like the CodeBuild agent does: the phases
// INSTALL, PRE_BUILD, BUILD and POST_BUILD in the build shell with state
// carried across commands, then UPLOAD_ARTIFACTS. Fill the fields and call
// Run once.
type CodeBuild struct {
	Buildspec *graph.Buildspec
	// BuildspecPath is shown in the log ("YAML location is ..."); optional.
	BuildspecPath string
	// SrcDir is CODEBUILD_SRC_DIR: the primary source, a writable copy that
	// the build may change.
	SrcDir string
	// SecondarySrc maps a source identifier (under CodePipeline: the input
	// artifact name) to its directory, exposed as CODEBUILD_SRC_DIR_<id>.
	SecondarySrc map[string]string
	// Env are extra variables with the highest precedence, like StartBuild
	// environment overrides or a CodePipeline action's EnvironmentVariables.
	Env []graph.KeyValue
	// Secrets holds the Parameter Store and Secrets Manager values; nil
	// means none are known, so any reference to one is an error.
	Secrets *Secrets
	// Mask are more values to hide in the log besides the secrets file's
	// and those the build retrieves (under apply: secrets an action's
	// EnvironmentVariables took, secret-holding variables of earlier
	// actions).
	Mask []string
	// ArtifactsDir receives the primary artifact in ArtifactsDir/primary,
	// secondary ones in ArtifactsDir/secondary/<identifier> and report files
	// in ArtifactsDir/reports/<group>. Empty means artifacts are not written.
	ArtifactsDir string
	// CacheDir holds this project's build cache (cache.paths), one folder
	// per cache key; empty means the cache is neither restored nor saved.
	CacheDir string
	// NoCacheRestore skips restoring the cache (--no-cache); it is still
	// saved.
	NoCacheRestore bool
	// WorkDir is where the agent makes its private scratch folder (mode
	// 0700) for its own files: the per-command script and the shell state
	// saved between commands, which holds every variable, secrets
	// included, in files only the owner can read (0600). The folder is
	// removed when the build ends, whatever its status (succeeded, failed,
	// stopped, timed out). Empty means the system temp dir.
	WorkDir string

	ProjectName string // CodeBuild project name; default "local"
	BuildID     string // "<project>:<uuid>"; CODEBUILD_BUILD_ID
	BuildNumber int64  // CODEBUILD_BUILD_NUMBER; default 1
	Region      string // AWS_REGION / AWS_DEFAULT_REGION and ARNs; default "us-east-1"
	Account     string // account id in ARNs; default "000000000000"
	Image       string // CODEBUILD_BUILD_IMAGE; default "aws/codebuild/standard:7.0"
	// Initiator is CODEBUILD_INITIATOR, e.g. "codepipeline/<pipeline>".
	Initiator string
	// BatchIdentifier is CODEBUILD_BATCH_BUILD_IDENTIFIER, the identifier of
	// a build of a batch; empty for a build on its own.
	BatchIdentifier string
	// ResolvedSourceVersion is CODEBUILD_RESOLVED_SOURCE_VERSION (a commit
	// id); empty leaves the variable unset, as CodeBuild does when it cannot
	// resolve one.
	ResolvedSourceVersion string
	// Action names the pipeline action in diagnostics ("action Build.unit");
	// empty for a stand-alone build.
	Action string
	// Locate finds the key of an env entry in the buildspec's source, so a
	// diagnostic about it (an unknown parameter or secret, a reserved name)
	// points at the line: section is variables, parameter-store or
	// secrets-manager. Nil, or a nil result, leaves the diagnostic without
	// a position (the caller may add one).
	Locate func(section, name string) *hcl.Range

	// Timeout is the build timeout; 0 means none. When it expires the
	// running phase and the build end TIMED_OUT.
	Timeout time.Duration
	// Log receives the agent's log lines and the commands' output, with
	// every secret value masked. Nil discards it.
	Log io.Writer
	// Now is the clock; nil means time.Now.
	Now func() time.Time
	// Shell overrides the build shell (env.shell, default /bin/sh).
	Shell string
	// BaseEnv is the environment the build starts from (PATH, HOME, ...),
	// as KEY=VALUE; the image's environment in CodeBuild terms.
	BaseEnv []string
	// Failure, when set, receives the shell state right after the command
	// that failed the build, once the build has ended (nothing when it
	// succeeded, or failed without a failing command).
	Failure func(FailureState)
}

// Build mirrors the CodeBuild API Build object (the fields that make sense
// locally), with the API's JSON member names.
type Build struct {
	ID                    string        `json:"id"`
	Arn                   string        `json:"arn"`
	BuildNumber           int64         `json:"buildNumber"`
	StartTime             Timestamp     `json:"startTime"`
	EndTime               *Timestamp    `json:"endTime,omitempty"`
	CurrentPhase          string        `json:"currentPhase"`
	BuildStatus           string        `json:"buildStatus"`
	ResolvedSourceVersion string        `json:"resolvedSourceVersion,omitempty"`
	ProjectName           string        `json:"projectName"`
	Phases                []*BuildPhase `json:"phases"`
	// Artifacts is the primary artifact; nil when the buildspec has none.
	Artifacts          *BuildArtifacts   `json:"artifacts,omitempty"`
	SecondaryArtifacts []*BuildArtifacts `json:"secondaryArtifacts,omitempty"`
	TimeoutInMinutes   int64             `json:"timeoutInMinutes,omitempty"`
	BuildComplete      bool              `json:"buildComplete"`
	Initiator          string            `json:"initiator,omitempty"`
	// ExportedEnvironmentVariables are the buildspec's exported-variables
	// as they stood at the end of POST_BUILD (or when the build ended),
	// with secret values masked: this is what is shown and stored.
	ExportedEnvironmentVariables []ExportedEnvironmentVariable `json:"exportedEnvironmentVariables,omitempty"`
	// Reports are the report groups read in UPLOAD_ARTIFACTS: test cases
	// and coverage, with the problems of files that could not be read.
	Reports []*reports.Group `json:"reports,omitempty"`
	// ReportLocations is, for each of Reports, the folder its files were
	// copied to ("" when they were not written).
	ReportLocations []string `json:"-"`

	// exported are the same variables with their real values, which
	// CodePipeline hands to later actions (BUILDSPEC.md §13). Unexported,
	// so they are never marshalled with the record.
	exported map[string]string
}

// ExportedValues returns the exported variables with their real values,
// secrets unmasked, for passing on to later actions of the same run. They
// must stay in memory: write ExportedEnvironmentVariables instead.
func (b *Build) ExportedValues() map[string]string {
	out := make(map[string]string, len(b.exported))
	for k, v := range b.exported {
		out[k] = v
	}
	return out
}

// BuildPhase is one entry of Build.phases. COMPLETED carries only its type
// and start time, as in the API.
type BuildPhase struct {
	PhaseType         string         `json:"phaseType"`
	PhaseStatus       string         `json:"phaseStatus,omitempty"`
	StartTime         Timestamp      `json:"startTime"`
	EndTime           *Timestamp     `json:"endTime,omitempty"`
	DurationInSeconds *int64         `json:"durationInSeconds,omitempty"`
	Contexts          []PhaseContext `json:"contexts,omitempty"`
}

// PhaseContext explains a phase's status (statusCode and message are empty
// for a successful phase).
type PhaseContext struct {
	StatusCode string `json:"statusCode"`
	Message    string `json:"message"`
}

// BuildArtifacts is where one artifact was written. Location is a local
// directory here, an S3 ARN in CodeBuild.
type BuildArtifacts struct {
	Location           string `json:"location"`
	ArtifactIdentifier string `json:"artifactIdentifier,omitempty"`
}

// ExportedEnvironmentVariable is one exported-variables entry.
type ExportedEnvironmentVariable struct {
	Name  string `json:"name"`
	Value string `json:"value"`
}

// Build and phase statuses (the API's StatusType).
const (
	StatusSucceeded  = "SUCCEEDED"
	StatusFailed     = "FAILED"
	StatusFault      = "FAULT"
	StatusTimedOut   = "TIMED_OUT"
	StatusInProgress = "IN_PROGRESS"
	StatusStopped    = "STOPPED"
)

// Timestamp is a time that marshals the way the CodeBuild API sends it:
// Unix epoch seconds with a fractional part.
type Timestamp time.Time

// MarshalJSON writes epoch seconds with millisecond precision.
func (t Timestamp) MarshalJSON() ([]byte, error) {
	ms := time.Time(t).UnixMilli()
	return []byte(strconv.FormatFloat(float64(ms)/1000, 'f', 3, 64)), nil
}

// UnmarshalJSON reads epoch seconds.
func (t *Timestamp) UnmarshalJSON(b []byte) error {
	var f float64
	if err := json.Unmarshal(b, &f); err != nil {
		return err
	}
	*t = Timestamp(time.UnixMilli(int64(f*1000 + 0.5)).UTC())
	return nil
}

// Run runs the build to the end and returns its record. Diagnostics are
// problems with the build's definition or environment found before or
// while it ran (an unknown secret, an unsupported shell, a reserved
// variable name); a failing command is not a diagnostic but a FAILED
// build. Cancelling ctx kills every process the build started and ends the
// build STOPPED. The returned Build is nil only when the build could not
// start at all (then diags has errors).
func (cb *CodeBuild) Run(ctx context.Context) (*Build, hcl.Diagnostics) {
	return cb.run(ctx)
}
