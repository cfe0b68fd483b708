package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// RunFormatVersion is the format_version of run.json.
const RunFormatVersion = "1.0"

// Statuses of runs, stages and actions in run.json. They follow
// CodePipeline's execution status enum (InProgress, Succeeded, Failed,
// Stopped) plus the local states a run record needs.
const (
	StatusPending     = "Pending"     // not reached yet
	StatusInProgress  = "InProgress"  // running
	StatusWaiting     = "Waiting"     // a manual approval waits for a decision
	StatusSucceeded   = "Succeeded"   // done
	StatusFailed      = "Failed"      // failed (a rejected approval too)
	StatusStopped     = "Stopped"     // interrupted (Ctrl-C, SIGTERM)
	StatusTimedOut    = "TimedOut"    // a CodeBuild project timeout
	StatusSkipped     = "Skipped"     // not run because an earlier stage failed
	StatusNotEmulated = "NotEmulated" // no local equivalent and no local block
)

// Run is the record of one pipeline execution, stored as run.json. It can be
// read back at any time, including after pipeform was killed mid-run.
type Run struct {
	FormatVersion string `json:"format_version"`
	ID            string `json:"id"`
	Pipeline      string `json:"pipeline"`
	Status        string `json:"status"`
	// Attempt is 1 for the first execution and grows with every resume.
	Attempt   int        `json:"attempt"`
	StartTime time.Time  `json:"start_time"`
	EndTime   *time.Time `json:"end_time,omitempty"`
	// Dir is the configuration directory the run was started from, as given.
	Dir string `json:"dir"`
	// PID is the process that runs (or last ran) this run.
	PID int `json:"pid"`
	// Variables are the pipeline-level variables (#{variables.X}) as resolved
	// at start; a sensitive one is *** (see MaskedVariables).
	Variables map[string]string `json:"variables"`
	// MaskedVariables names the Variables recorded as ***: their value is
	// their default, computed from a sensitive variable of the
	// configuration (a sensitive bool's "true" or "false" included, which
	// no text masking would hide). A resume takes them from the
	// configuration again.
	MaskedVariables []string `json:"masked_variables,omitempty"`
	// Sources maps a source action name to the folder it snapshots
	// (--source NAME=PATH), kept for resume.
	Sources map[string]string `json:"sources,omitempty"`
	// Trigger is the git event that started the run (apply --event); nil
	// for a run started by hand.
	Trigger *Trigger      `json:"trigger,omitempty"`
	Stages  []*StageState `json:"stages"`
	// Message says why the run ended the way it did, for failures.
	Message string `json:"message,omitempty"`
}

// MaskedValue is what a run record holds in place of a sensitive value.
const MaskedValue = runners.Mask

// Trigger is the git event that started a run, and what of the pipeline's
// triggers it matched: CodePipeline records such a start as a WebhookV2
// execution trigger.
type Trigger struct {
	Event   string `json:"event"` // "push" or "pull_request"
	PREvent string `json:"pr_event,omitempty"`
	Branch  string `json:"branch,omitempty"`
	Tag     string `json:"tag,omitempty"`
	// Base and Head are the commits the changed files were counted between.
	Base string `json:"base,omitempty"`
	Head string `json:"head,omitempty"`
	// SourceAction is the source action whose trigger (or default change
	// detection) matched; Filter says which filter ("push filter 1",
	// "default change detection").
	SourceAction string `json:"source_action"`
	Filter       string `json:"filter"`
	// Detail is one line for people: "push to branch main (push filter 1
	// of checkout)".
	Detail string `json:"detail"`
}

// StageState is one stage of a run.
type StageState struct {
	Name      string         `json:"name"`
	Status    string         `json:"status"`
	StartTime *time.Time     `json:"start_time,omitempty"`
	EndTime   *time.Time     `json:"end_time,omitempty"`
	Actions   []*ActionState `json:"actions"`
	// Log is the stage's own log (its conditions, retry and rollback),
	// relative to the run directory; empty when the stage has no rules.
	Log string `json:"log,omitempty"`
	// Conditions are the stage's evaluated conditions, in the order they
	// ran (before_entry, on_success, on_failure).
	Conditions []*ConditionState `json:"conditions,omitempty"`
	// RetryAttempt is 1 when on_failure RETRY ran the stage again.
	RetryAttempt int `json:"retry_attempt,omitempty"`
	// Rollback is the ROLLBACK of the stage, when one was asked for.
	Rollback *RollbackState `json:"rollback,omitempty"`
	// Message says why a rule failed or skipped the stage.
	Message string `json:"message,omitempty"`
}

// ConditionState is one evaluated stage condition.
type ConditionState struct {
	Kind string `json:"kind"` // before_entry, on_success or on_failure
	// Result is what a failed condition does: FAIL, SKIP or ROLLBACK.
	Result string `json:"result"`
	// Status is Succeeded when every rule succeeded, else Failed.
	Status string       `json:"status"`
	Rules  []*RuleState `json:"rules"`
}

// RuleState is one evaluated rule of a condition.
type RuleState struct {
	Name     string `json:"name"`
	Provider string `json:"provider"`
	Status   string `json:"status"` // Succeeded or Failed
	// NotEmulated is true for a rule that needs AWS: its status came from
	// --rule-result or the default (Succeeded).
	NotEmulated bool   `json:"not_emulated,omitempty"`
	Summary     string `json:"summary"`
}

// RollbackState is a stage rollback: the stage ran again with the input
// artifacts of FromRun, the last run in which it succeeded.
type RollbackState struct {
	FromRun string `json:"from_run,omitempty"`
	// Status is Succeeded, Failed, or Failed without FromRun when there
	// was nothing to roll back to (Summary says why).
	Status  string `json:"status"`
	Summary string `json:"summary"`
}

// ActionState is one action of a run.
type ActionState struct {
	Stage       string     `json:"stage"`
	Name        string     `json:"name"`
	Provider    string     `json:"provider"`
	Status      string     `json:"status"`
	ExecutionID string     `json:"execution_id,omitempty"`
	StartTime   *time.Time `json:"start_time,omitempty"`
	EndTime     *time.Time `json:"end_time,omitempty"`
	// Summary is one line on the outcome ("Build succeeded", "Rejected by
	// ana: not today", "Not emulated locally: ...").
	Summary string `json:"summary,omitempty"`
	// Cached is true when the outcome was reused from an earlier identical run.
	Cached bool `json:"cached,omitempty"`
	// Variables are the action's output variables (under its namespace),
	// masked: secret values appear as ***.
	Variables map[string]string `json:"variables,omitempty"`
	// SecretVariables names the Variables whose value held a secret. Their
	// real values lived only in the memory of the run that produced them,
	// so a resume re-runs this action when a later action needs them.
	SecretVariables []string `json:"secret_variables,omitempty"`
	// Inputs and Outputs map artifact names to their store digests.
	Inputs  map[string]string `json:"inputs,omitempty"`
	Outputs map[string]string `json:"outputs,omitempty"`
	// Log is the action's log file, relative to the run directory.
	Log      string    `json:"log,omitempty"`
	Approval *Decision `json:"approval,omitempty"`
	// Reports are a build's report groups: test cases with status,
	// duration and message, coverage, and the store digest of the report
	// files (artifacts of the run).
	Reports []*reports.Group `json:"reports,omitempty"`
	// Batch are the builds of a batch build, in the batch's order.
	Batch []*BatchBuild `json:"batch,omitempty"`
}

// BatchBuild is one build of a batch build (a CodeBuild action whose
// project has a batch and whose BatchEnabled is true).
type BatchBuild struct {
	Identifier string `json:"identifier"`
	// Status is the build's CodeBuild status (SUCCEEDED, FAILED, STOPPED,
	// TIMED_OUT), or SKIPPED when a build it depends on did not succeed.
	Status        string   `json:"status"`
	BuildID       string   `json:"build_id,omitempty"`
	DependOn      []string `json:"depend_on,omitempty"`
	IgnoreFailure bool     `json:"ignore_failure,omitempty"`
	Image         string   `json:"image,omitempty"`
	ComputeType   string   `json:"compute_type,omitempty"`
	// Log is the build's own log, relative to the run directory.
	Log string `json:"log,omitempty"`
}

// ID is the action's "Stage.Action" address.
func (a *ActionState) ID() string { return a.Stage + "." + a.Name }

// Decision is a manual approval's outcome.
type Decision = runners.Decision

// Action finds an action by "Stage.Action", or nil.
func (r *Run) Action(id string) *ActionState {
	for _, s := range r.Stages {
		for _, a := range s.Actions {
			if a.ID() == id {
				return a
			}
		}
	}
	return nil
}

// ActionIDs lists every action address of the run in order.
func (r *Run) ActionIDs() []string {
	var ids []string
	for _, s := range r.Stages {
		for _, a := range s.Actions {
			ids = append(ids, a.ID())
		}
	}
	return ids
}

// Finished reports whether the run has ended.
func (r *Run) Finished() bool {
	switch r.Status {
	case StatusSucceeded, StatusFailed, StatusStopped:
		return true
	}
	return false
}

// Layout names the files under a .pipeform state directory.
type Layout struct {
	// Root is the .pipeform directory.
	Root string
}

// gitignore keeps run state out of git: logs, artifacts and deploy folders
// are this machine's, never something to commit.
const gitignore = "# Written by pipeform: run state is never committed.\n*\n"

// Create makes the state directory. When it makes it (not when it already
// exists), it also writes a .gitignore holding "*" in it.
func (l Layout) Create() error {
	if err := os.MkdirAll(filepath.Dir(l.Root), 0o755); err != nil {
		return err
	}
	err := os.Mkdir(l.Root, 0o755)
	if errors.Is(err, fs.ErrExist) {
		return nil
	}
	if err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(l.Root, ".gitignore"), []byte(gitignore), 0o644)
}

// RunsDir holds one directory per run.
func (l Layout) RunsDir() string { return filepath.Join(l.Root, "runs") }

// RunDir is one run's directory.
func (l Layout) RunDir(id string) string { return filepath.Join(l.Root, "runs", id) }

// ArtifactsDir is the content-addressed artifact store.
func (l Layout) ArtifactsDir() string { return filepath.Join(l.Root, "artifacts") }

// LocksDir holds one lock file per running pipeline.
func (l Layout) LocksDir() string { return filepath.Join(l.Root, "locks") }

// CacheDir holds the action cache entries.
func (l Layout) CacheDir() string { return filepath.Join(l.Root, "cache") }

// BuildCacheDir holds the CodeBuild build cache (buildspec cache.paths),
// one folder per project, one entry per cache key.
func (l Layout) BuildCacheDir() string { return filepath.Join(l.Root, "build-cache") }

// DeployDir is where CodeDeploy and S3 deploy actions write.
func (l Layout) DeployDir() string { return filepath.Join(l.Root, "deploy") }

// ApprovalFile is where `pipeform approve` drops a decision for an action.
func (l Layout) ApprovalFile(runID, actionID string) string {
	return filepath.Join(l.RunDir(runID), "approvals", actionID+".json")
}

// LogFile is one action's log, relative to the run directory.
func LogFile(actionID string) string { return filepath.Join("logs", actionID+".log") }

// SaveRun writes a snapshot of the run, run.json, atomically (temp file,
// fsync, rename), so a reader or a crash never sees half a file. The
// scheduler writes one when a run (or a resume) starts, when an approval
// starts waiting and when the run ends; between them every change goes to
// the run's journal (see journal.go), which LoadRun replays.
func (l Layout) SaveRun(r *Run) error {
	data, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	return WriteFileAtomic(filepath.Join(l.RunDir(r.ID), "run.json"), append(data, '\n'))
}

// LoadRun reads one run: its run.json snapshot with the changes of its
// journal applied, so a run in progress (or one whose process was killed)
// reads as it stands. A record that cannot be read (truncated, empty, null,
// of the wrong shape) is an error naming the run, never a zero Run.
func (l Layout) LoadRun(id string) (*Run, error) {
	if !validRunID(id) {
		return nil, fmt.Errorf("%q is not a run id", id)
	}
	data, err := os.ReadFile(filepath.Join(l.RunDir(id), "run.json"))
	if err != nil {
		return nil, fmt.Errorf("run %s: run.json cannot be read: %w", id, err)
	}
	r, err := decodeRun(id, data)
	if err != nil {
		return nil, err
	}
	replayJournal(r, filepath.Join(l.RunDir(id), journalFile))
	if err := r.checkLogPaths(); err != nil {
		return nil, fmt.Errorf("run %s: run.json is not valid: %v", id, err)
	}
	return r, nil
}

// checkLogPaths refuses a record whose log paths pipeform did not write:
// each is a file of the run's logs folder, so an edited record can never
// make pipeform read (logs) or write (resume) a file elsewhere.
func (r *Run) checkLogPaths() error {
	check := func(p string) error {
		if p == "" {
			return nil
		}
		slash := filepath.ToSlash(p)
		if !filepath.IsLocal(p) || !strings.HasPrefix(slash, "logs/") || strings.Count(slash, "/") != 1 {
			return fmt.Errorf("the log path %q is not a file of the run's logs folder", p)
		}
		return nil
	}
	for _, st := range r.Stages {
		if err := check(st.Log); err != nil {
			return err
		}
		for _, a := range st.Actions {
			if err := check(a.Log); err != nil {
				return err
			}
			for _, b := range a.Batch {
				if b == nil {
					return fmt.Errorf("a batch build entry of %s is null", a.ID())
				}
				if err := check(b.Log); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// decodeRun parses a run.json and checks the shape its readers rely on.
func decodeRun(id string, data []byte) (*Run, error) {
	var r *Run
	if err := json.Unmarshal(data, &r); err != nil {
		return nil, fmt.Errorf("run %s: run.json is not valid: %v", id, err)
	}
	if r == nil {
		return nil, fmt.Errorf("run %s: run.json is not valid: it holds null, not a run", id)
	}
	// pipeform never writes null stages or actions; a hand-edited record
	// that has them is refused here rather than crashing its readers.
	for _, st := range r.Stages {
		if st == nil || slices.Contains(st.Actions, nil) {
			return nil, fmt.Errorf("run %s: run.json is not valid: a stage or action entry is null", id)
		}
	}
	switch {
	case r.ID != id:
		return nil, fmt.Errorf("run %s: run.json is not valid: it names run %q, not the run of its folder", id, r.ID)
	case r.Pipeline == "" || r.Status == "" || r.StartTime.IsZero():
		return nil, fmt.Errorf("run %s: run.json is not valid: its pipeline, status or start_time is missing", id)
	}
	return r, nil
}

// ListRuns reads every run, oldest first, through the index of runs.
// Unreadable runs are skipped; RunInfos lists them too.
func (l Layout) ListRuns() ([]*Run, error) {
	infos, err := l.RunInfos()
	if err != nil {
		return nil, err
	}
	var runs []*Run
	for _, info := range infos {
		if r, err := l.LoadRun(info.ID); err == nil {
			runs = append(runs, r)
		}
	}
	return runs, nil
}

// FindRun resolves what a user typed: a full run id, a unique prefix of one,
// or "last" for the run started last. The run is read whole; a run that
// cannot be read is an *UnreadableRunError, never a reason to pick another.
func (l Layout) FindRun(ref string) (*Run, error) {
	id, err := l.resolveRun(ref)
	if err != nil {
		return nil, err
	}
	r, err := l.LoadRun(id)
	if err != nil {
		return nil, &UnreadableRunError{ID: id, Err: err}
	}
	return r, nil
}

// resolveRun turns a run reference into a run id, reading the index only.
func (l Layout) resolveRun(ref string) (string, error) {
	if ref == "last" || ref == "latest" {
		id, err := l.lastRun()
		if err != nil {
			return "", err
		}
		if id == "" {
			return "", &RunRefError{fmt.Sprintf("there are no runs under %s; start one with pipeform apply", l.Root)}
		}
		return id, nil
	}
	if validRunID(ref) {
		if _, err := os.Stat(filepath.Join(l.RunDir(ref), "run.json")); err == nil {
			return ref, nil
		}
	}
	infos, err := l.readIndex()
	if err != nil {
		return "", err
	}
	if len(infos) == 0 {
		return "", &RunRefError{fmt.Sprintf("there are no runs under %s; start one with pipeform apply", l.Root)}
	}
	var found []string
	for _, info := range infos {
		if strings.HasPrefix(info.ID, ref) {
			found = append(found, info.ID)
		}
	}
	switch len(found) {
	case 0:
		return "", &RunRefError{fmt.Sprintf("no run %q under %s; pipeform runs lists them", ref, l.Root)}
	case 1:
		return found[0], nil
	}
	return "", &RunRefError{fmt.Sprintf("%q matches %d runs; give more of the run id", ref, len(found))}
}

// UnreadableRunError says that the run a reference names exists but its
// record cannot be read (truncated, emptied, edited into another shape).
type UnreadableRunError struct {
	ID  string
	Err error
}

func (e *UnreadableRunError) Error() string { return e.Err.Error() }

func (e *UnreadableRunError) Unwrap() error { return e.Err }

// RunRefError says that a run reference names no run, or several: the
// user's mistake, unlike a run record that cannot be read.
type RunRefError struct{ msg string }

func (e *RunRefError) Error() string { return e.msg }

// WriteFileAtomic writes data to a temporary file next to path, syncs it and
// renames it over path.
func WriteFileAtomic(path string, data []byte) error { return writeFileRenamed(path, data, true) }

// writeFileRenamed writes data to a temporary file next to path and renames
// it over path, syncing it first when sync is set.
func writeFileRenamed(path string, data []byte, sync bool) error {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".tmp*")
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil && sync {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Chmod(tmp, 0o644)
	}
	if err == nil {
		err = os.Rename(tmp, path)
	}
	if err != nil {
		os.Remove(tmp)
	}
	return err
}
