package local

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Options are everything one run needs besides the graph: the executor reads
// no flag, environment variable or clock of its own.
type Options struct {
	Pipeline *graph.Pipeline
	// Layout is the .pipeform state directory.
	Layout Layout
	// ConfigDir is the configuration directory as the user gave it; source
	// actions snapshot it unless Sources maps them elsewhere.
	ConfigDir string
	// RunID names a new run (ignored by Resume).
	RunID string
	Now   func() time.Time
	// NewID returns a fresh unique id (action executions, event ids, builds).
	NewID func() string
	// PID is the running process's id, recorded in the lock and the run.
	PID int
	// Parallelism bounds the actions that run at once (default 4).
	Parallelism int
	// Sources maps a source action name to a folder (--source NAME=PATH).
	Sources map[string]string
	// Variables override pipeline variable defaults (--variable NAME=VALUE).
	Variables map[string]string
	// Approve lists "all" or "Stage.Action" addresses approved up front.
	Approve []string
	// Prompt asks a person at a terminal to approve; nil when there is none.
	Prompt func(ctx context.Context, actionID, question string) (approved bool, comment string, err error)
	// User is who approves through Prompt or Approve.
	User string
	// Secrets are the --secrets-file values; nil means none.
	Secrets *runners.Secrets
	// Sensitive are the texts of the configuration's sensitive values
	// (variables declared sensitive and what is computed from them): they
	// are masked like secrets wherever the run shows or records output.
	Sensitive []string
	// SecretsFile is the --secrets-file itself: source actions never
	// snapshot it, wherever it lies.
	SecretsFile string
	// Env is the environment child processes start from, as KEY=VALUE.
	Env []string
	// Region and Account appear in ARNs and events (defaults us-east-1 and
	// 000000000000).
	Region, Account string
	// NoCache runs every action even when an identical earlier run
	// succeeded.
	NoCache bool
	// Minute is how long one minute of a timeout lasts (a project timeout,
	// an approval's timeout_in_minutes); tests shorten it (default
	// time.Minute).
	Minute time.Duration
	// SourceEntries bounds the files and folders one source snapshot
	// takes (0: 1,048,576); tests lower it.
	SourceEntries int
	// ParseBuildspec parses a buildspec (a CodeBuild action's
	// BuildspecOverride); nil leaves overrides unapplied with a note in the
	// action log. The CLI passes targets/buildspec.Parse (targets do not
	// import each other).
	ParseBuildspec func(filename string, src []byte) (*graph.Buildspec, hcl.Diagnostics)
	// ApprovalPoll is how often a waiting approval looks for a decision,
	// and a running run for a stop request (default 200ms).
	ApprovalPoll time.Duration
	// RuleResults give stage-condition rules their status by "Stage.Rule":
	// StatusSucceeded or StatusFailed (--rule-result); the rules that need
	// AWS otherwise count as succeeded.
	RuleResults map[string]string
	// RuleTime is the time DeploymentWindow rules check (--now); zero
	// means Now().
	RuleTime time.Time
	// Trigger is the git event that started the run (apply --event), kept
	// in the run record; nil for a start by hand.
	Trigger *Trigger
	// Actor is who starts or retries the run and from where, for the
	// audit trail.
	Actor Actor
	// RetryMode is how Resume retries the first stage that did not
	// succeed: RetryAllActions (the default) runs all its actions again,
	// RetryFailedActions only those that did not succeed.
	RetryMode string
	Hooks     Hooks
}

// Resume's retry modes, RetryStageExecution's retryMode values.
const (
	RetryAllActions    = "ALL_ACTIONS"
	RetryFailedActions = "FAILED_ACTIONS"
)

// scheduler runs one pipeline execution.
type scheduler struct {
	opts   Options
	store  Store
	events *eventLog
	lock   *Lock
	// journal records every change between two snapshots (journal.go).
	journal *journal

	// mu guards run, vars, masked, carried and diags, and serialises Hooks
	// calls.
	mu    sync.Mutex
	run   *Run
	vars  Variables
	diags hcl.Diagnostics
	// inputsFrom, during a rollback, maps an action to the input digests
	// of the run rolled back to.
	inputsFrom map[string]map[string]string
	// carried are the real values of earlier actions' output variables
	// that held a secret (a JSON secret's field, a value built from a
	// secret): later actions get them for real, so every later action's
	// log masks them too.
	carried []string
	// masked are the variables ("ns.NAME") the run records as ***: pipeline
	// variables whose default is sensitive, output variables that held a
	// secret or a sensitive value. An action's environment variable that
	// refers to one is itself sensitive (sensitiveEnv).
	masked map[string]bool
	sem    chan struct{}
	// stopReq is the stop request the run saw (RequestStop), nil until then.
	stopReq *StopRequest
	// kept are the actions of the resumed stage that a FAILED_ACTIONS
	// retry keeps from the previous attempt.
	kept map[*ActionState]bool
	// tagPrefix is the pipeline's tag prefix (pipelineTag), worked out
	// once: it resolves the state folder's symbolic links.
	tagPrefix     string
	tagPrefixOnce sync.Once
}

func (o *Options) defaults() {
	if o.Now == nil {
		o.Now = time.Now
	}
	if o.Parallelism <= 0 {
		o.Parallelism = 4
	}
	if o.Region == "" {
		o.Region = "us-east-1"
	}
	if o.Account == "" {
		o.Account = "000000000000"
	}
	if o.Minute <= 0 {
		o.Minute = time.Minute
	}
	if o.Hooks == nil {
		o.Hooks = NopHooks{}
	}
	if o.ConfigDir == "" {
		o.ConfigDir = "."
	}
	if o.ApprovalPoll <= 0 {
		o.ApprovalPoll = 200 * time.Millisecond
	}
}

// Start runs the pipeline from its first stage as a new run. It returns the
// final run record (nil when the run could not start) and the diagnostics of
// everything that went wrong; a failed action is recorded in the run, and
// diagnostics explain failures that are not a command's own exit status.
func Start(ctx context.Context, o Options) (*Run, hcl.Diagnostics) {
	o.defaults()
	diags := o.check()
	vars, vdiags := o.pipelineVariables()
	diags = append(diags, vdiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	now := o.Now()
	recorded, masked := o.recordedVariables(vars)
	run := &Run{
		FormatVersion: RunFormatVersion, ID: o.RunID, Pipeline: o.Pipeline.Name,
		Status: StatusInProgress, Attempt: 1, StartTime: now, Dir: o.ConfigDir, PID: o.PID,
		Variables: recorded, MaskedVariables: masked, Sources: o.Sources, Trigger: o.Trigger,
	}
	for _, st := range o.Pipeline.Stages {
		run.Stages = append(run.Stages, newStageState(st))
	}
	s, d := o.open(run, vars)
	diags = append(diags, d...)
	if d.HasErrors() {
		return nil, diags
	}
	defer s.close()
	s.mu.Lock()
	det := pipelineDetail(run, "STARTED")
	det.ExecutionTrigger = &ExecutionTrigger{TriggerType: "StartPipelineExecution", TriggerDetail: orUnknown(o.User)}
	if o.Trigger != nil {
		det.ExecutionTrigger = &ExecutionTrigger{TriggerType: "WebhookV2", TriggerDetail: o.Trigger.Detail}
	}
	s.events.emit(DetailPipeline, "aws.codepipeline", s.events.pipelineARN(run.Pipeline), det)
	if !s.startRecord(indexStart) {
		s.mu.Unlock()
		return run, append(diags, s.diags...)
	}
	var given []map[string]any
	for _, k := range sortedKeys(o.Variables) {
		given = append(given, map[string]any{"name": k, "value": o.Variables[k]})
	}
	s.audit(AuditStart, map[string]any{"name": run.Pipeline, "variables": given},
		map[string]any{"pipelineExecutionId": run.ID})
	o.Hooks.RunStarted(run)
	s.mu.Unlock()
	ctx, done := s.watchStop(ctx)
	defer done()
	s.walk(ctx, 0, false)
	return run, append(diags, s.diags...)
}

// Resume retries a failed or stopped run from its first stage that did not
// succeed, like the console's Retry: earlier stages keep their results,
// artifacts and variables.
func Resume(ctx context.Context, o Options, prev *Run) (*Run, hcl.Diagnostics) {
	o.defaults()
	if prev.Pipeline != o.Pipeline.Name {
		return nil, hcl.Diagnostics{execDiag("Run belongs to another pipeline",
			fmt.Sprintf("Run %s ran pipeline %q, not %q.", prev.ID, prev.Pipeline, o.Pipeline.Name), nil)}
	}
	from := -1
	for i, st := range o.Pipeline.Stages {
		if i >= len(prev.Stages) || prev.Stages[i].Name != st.Name ||
			prev.Stages[i].Status != StatusSucceeded || !sameActions(prev.Stages[i], st) {
			from = i
			break
		}
	}
	if from < 0 {
		return nil, hcl.Diagnostics{execDiag("Nothing to resume",
			fmt.Sprintf("Every stage of run %s succeeded; start a new run with pipeform apply.", prev.ID), nil)}
	}
	failedOnly := o.RetryMode == RetryFailedActions
	if f := secretProducersFrom(o.Pipeline, prev, from); f != from {
		from, failedOnly = f, false // the producers' stage runs in full
	}
	run := *prev
	kept := map[*ActionState]bool{}
	run.Stages = retryStages(o.Pipeline, prev, from, failedOnly, kept)
	diags := o.check()
	if o.RetryMode != "" && o.RetryMode != RetryAllActions && o.RetryMode != RetryFailedActions {
		diags = append(diags, execDiag("Unknown retry mode",
			fmt.Sprintf("Retry mode %q is not one of %s or %s.", o.RetryMode, RetryFailedActions, RetryAllActions), nil))
	}
	if diags.HasErrors() {
		return nil, diags
	}
	run.Attempt++
	run.Status = StatusInProgress
	run.EndTime = nil
	run.Message = ""
	run.PID = o.PID
	vars, d := o.resumedVariables(prev)
	if d.HasErrors() {
		return nil, append(diags, d...)
	}
	s, d := o.open(&run, vars)
	diags = append(diags, d...)
	if d.HasErrors() {
		return nil, diags
	}
	defer s.close()
	// prev was read before the lock was taken: another resume (a second
	// Retry in the console, another shell) may have run an attempt since.
	// Building on the old record would write over that attempt's.
	if now, err := o.Layout.LoadRun(prev.ID); err == nil && (now.Attempt != prev.Attempt || now.Status != prev.Status) {
		return nil, append(diags, execDiag("Run changed while resuming",
			fmt.Sprintf("Run %s was at attempt %d (%s) when read, and is now at attempt %d (%s): something else resumed it meanwhile. Look at it with 'pipeform runs', then resume it again if it still needs it.",
				prev.ID, prev.Attempt, prev.Status, now.Attempt, now.Status), nil))
	}
	s.mu.Lock()
	s.kept = kept
	s.restoreVariables(run.Stages[:from+1], func(a *ActionState) bool { return a.Stage != run.Stages[from].Name || kept[a] })
	s.events.emit(DetailPipeline, "aws.codepipeline", s.events.pipelineARN(run.Pipeline), pipelineDetail(&run, "RESUMED"))
	if !s.startRecord(indexResume) {
		s.mu.Unlock()
		return &run, append(diags, s.diags...)
	}
	mode := RetryAllActions
	if failedOnly {
		mode = RetryFailedActions
	}
	s.audit(AuditRetry, map[string]any{"pipelineName": run.Pipeline, "stageName": run.Stages[from].Name,
		"pipelineExecutionId": run.ID, "retryMode": mode}, map[string]any{"pipelineExecutionId": run.ID})
	o.Hooks.RunStarted(&run)
	s.mu.Unlock()
	ctx, done := s.watchStop(ctx)
	defer done()
	s.walk(ctx, from, true)
	return &run, append(diags, s.diags...)
}

// secretProducersFrom moves a resume's first stage back to the earliest
// stage with an action whose output variables held secrets and that an
// action about to run (in stage from or later) references. run.json keeps
// such values masked, their real values lived only in the memory of the
// run that produced them, and the consumer must get the real value, as on
// CodePipeline: so the producer's stage runs again. Re-running a stage may
// bring in earlier producers, hence the loop.
func secretProducersFrom(p *graph.Pipeline, prev *Run, from int) int {
	for {
		earliest := from
		for _, st := range p.Stages[from:] {
			for _, a := range st.Actions {
				for _, ref := range a.References {
					pa := ref.Producer
					if pa == nil || pa.Stage.Index >= earliest {
						continue
					}
					if rec := prev.Action(pa.ID()); rec != nil && slices.Contains(rec.SecretVariables, ref.Name) {
						earliest = pa.Stage.Index
					}
				}
			}
		}
		if earliest == from {
			return from
		}
		from = earliest
	}
}

// retryStages are the stage records a resume starts from: prev's up to
// stage from, then fresh ones (for a FAILED_ACTIONS retry, stage from keeps
// the actions that succeeded, which are added to kept).
func retryStages(p *graph.Pipeline, prev *Run, from int, failedOnly bool, kept map[*ActionState]bool) []*StageState {
	var stages []*StageState
	for i, st := range p.Stages {
		switch {
		case i < from:
			stages = append(stages, prev.Stages[i])
		case i == from && failedOnly:
			stages = append(stages, keepSucceeded(prev, st, kept))
		default:
			stages = append(stages, newStageState(st))
		}
	}
	return stages
}

// restoreVariables makes the recorded output variables of the actions of
// stages that done accepts resolvable again (#{ns.VAR}); the caller holds
// mu.
func (s *scheduler) restoreVariables(stages []*StageState, done func(*ActionState) bool) {
	for _, st := range stages {
		for _, a := range st.Actions {
			if !done(a) {
				continue
			}
			if ga := s.opts.action(a.ID()); ga != nil && ga.Namespace != "" {
				for k, v := range a.Variables {
					s.vars.Set(ga.Namespace, k, v)
				}
			}
		}
	}
}

// keepSucceeded is the record of the stage st for a FAILED_ACTIONS retry:
// the actions that succeeded in prev keep their record (and so their
// outputs and variables) and are added to kept; the others start afresh.
// An action whose variables held secrets runs again, since their real
// values are gone.
func keepSucceeded(prev *Run, st *graph.Stage, kept map[*ActionState]bool) *StageState {
	ss := newStageState(st)
	for i, a := range ss.Actions {
		old := prev.Action(a.ID())
		if old == nil || len(old.SecretVariables) > 0 || old.Status != StatusSucceeded && old.Status != StatusNotEmulated {
			continue
		}
		cp := *old
		ss.Actions[i] = &cp
		kept[&cp] = true
	}
	return ss
}

func newStageState(st *graph.Stage) *StageState {
	ss := &StageState{Name: st.Name, Status: StatusPending}
	for _, a := range st.Actions {
		ss.Actions = append(ss.Actions, &ActionState{Stage: st.Name, Name: a.Name, Provider: a.Type.Provider, Status: StatusPending})
	}
	return ss
}

// sameActions reports whether a recorded stage still has the graph's actions.
func sameActions(old *StageState, st *graph.Stage) bool {
	if len(old.Actions) != len(st.Actions) {
		return false
	}
	for i, a := range st.Actions {
		if old.Actions[i].Name != a.Name {
			return false
		}
	}
	return true
}

// open takes the lock, creates the run directory and the event log; vars
// are the real values of the pipeline variables (run.Variables may mask
// some).
func (o *Options) open(run *Run, vars map[string]string) (*scheduler, hcl.Diagnostics) {
	if err := o.Layout.Create(); err != nil {
		return nil, hcl.Diagnostics{execDiag("Cannot write the run record",
			fmt.Sprintf("The state folder %s cannot be created: %s. Check that its parent folder is writable.", o.Layout.Root, runners.IOReason(err)), nil)}
	}
	lock, err := o.Layout.AcquireLock(run.Pipeline, run.ID, o.PID)
	if err != nil {
		var le *LockedError
		if errors.As(err, &le) {
			return nil, hcl.Diagnostics{execDiag("Pipeline already running",
				fmt.Sprintf("Pipeline %q is already running as run %s (process %d). Wait for it to finish, or stop it with Ctrl-C, then try again.", le.Pipeline, le.RunID, le.PID), &o.Pipeline.DeclRange)}
		}
		return nil, hcl.Diagnostics{execDiag("Cannot lock the pipeline", err.Error()+".", nil)}
	}
	// Only a run that did not end (marked live, or whose lock file its
	// pipeform never removed) can have left scratch folders or processes
	// behind: the sweep of every process of the machine is for those.
	var leftBehind hcl.Diagnostics
	if live := o.Layout.liveRuns(run.Pipeline); len(live) > 0 || lock.Abandoned {
		o.sweepScratch(live)
		leftBehind = o.stopLeftBehind(run.Pipeline)
	}
	dir := o.Layout.RunDir(run.ID)
	if err := os.MkdirAll(filepath.Join(dir, "logs"), 0o755); err != nil {
		lock.Release()
		return nil, hcl.Diagnostics{execDiag("Cannot write the run record", err.Error()+".", nil)}
	}
	ev, err := openEventLog(dir, o.NewID, o.Now, o.Region, o.Account)
	if err != nil {
		lock.Release()
		return nil, hcl.Diagnostics{execDiag("Cannot write the run record", err.Error()+".", nil)}
	}
	s := &scheduler{
		opts: *o, store: Store{Dir: o.Layout.ArtifactsDir()}, events: ev, run: run,
		vars: Variables{}, masked: map[string]bool{}, sem: make(chan struct{}, o.Parallelism),
	}
	s.vars.Set("codepipeline", "PipelineExecutionId", run.ID)
	for k, v := range vars {
		s.vars.Set("variables", k, v)
	}
	for _, k := range run.MaskedVariables {
		s.masked["variables."+k] = true
	}
	s.lock = lock
	return s, leftBehind
}

// sweepScratch removes the runners' scratch folders left in the work
// folders of this pipeline's runs by a pipeform that was killed with
// kill -9 (an action removes its own when it ends): they may hold a
// build's saved shell state, secrets included. The caller holds the
// pipeline's lock, so none of those runs is running. Only runs that did
// not end (live, as liveRuns lists them) can have such folders, so no
// earlier run is read and the cost does not grow with the runs kept.
func (o *Options) sweepScratch(live []string) {
	for _, id := range live {
		works, _ := filepath.Glob(filepath.Join(o.Layout.RunDir(id), "work", "*"))
		for _, w := range works {
			removeScratch(w)
		}
	}
}

func (s *scheduler) close() {
	s.events.close()
	s.journal.close(false)
	s.lock.Release()
}

// save writes the run.json snapshot; the caller holds mu. A failed write is
// reported once at the end rather than stopping the run.
// A snapshot holds every change so far, so the journal starts afresh
// after it: older lines replayed over it could undo changes made since
// without a line of their own.
func (s *scheduler) save() bool {
	if err := s.opts.Layout.SaveRun(s.run); err != nil {
		s.recordError(err)
		return false
	}
	s.journal.reset()
	return true
}

func (s *scheduler) recordError(err error) {
	if !s.diags.HasErrors() {
		s.diags = append(s.diags, execDiag("Cannot write the run record", err.Error()+".", nil))
	}
}

// startRecord begins an attempt's record: its snapshot, an empty journal
// and a line in the index of runs. The caller holds mu. When the first
// snapshot cannot be written (a full disk), it returns false and nothing
// may run: a run without a record could be neither shown nor resumed.
func (s *scheduler) startRecord(kind string) bool {
	if !s.save() {
		return false
	}
	j, err := openJournal(s.opts.Layout.RunDir(s.run.ID), s.run.Attempt)
	if err != nil {
		s.recordError(err)
	}
	s.journal = j
	if err := s.opts.Layout.indexRun(kind, s.run); err != nil {
		s.recordError(err)
	}
	if err := s.opts.Layout.markLive(s.run); err != nil {
		s.recordError(err)
	}
	return true
}

// endRecord writes the final snapshot, removes the journal it supersedes
// and indexes the outcome. The caller holds mu.
func (s *scheduler) endRecord() {
	s.save()
	if err := s.journal.close(true); err != nil {
		s.recordError(err)
	}
	s.journal = nil
	if err := s.opts.Layout.indexRun(indexEnd, s.run); err != nil {
		s.recordError(err)
	}
	s.opts.Layout.unmarkLive(s.run)
}

// recordAction journals an action's record; the caller holds mu.
func (s *scheduler) recordAction(a *graph.Action) {
	s.journal.action(s.run, a.Stage.Index, indexOf(a))
}

// walk runs the stages from index from on, in order.
func (s *scheduler) walk(ctx context.Context, from int, resumed bool) {
	run := s.run
	status := StatusSucceeded
	for i := from; i < len(s.opts.Pipeline.Stages); i++ {
		if s.halted(ctx) {
			status = StatusStopped
			break
		}
		status = s.runStage(ctx, i, resumed && i == from)
		s.kept = nil                 // only the resumed stage's first pass keeps them
		if status == StatusSkipped { // a before_entry condition skipped it
			status = StatusSucceeded
		}
		if status != StatusSucceeded {
			break
		}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ctx.Err() != nil {
		status = StatusStopped
	}
	for _, st := range run.Stages {
		if st.Status == StatusPending {
			st.Status = StatusSkipped
			for _, a := range st.Actions {
				a.Status = StatusSkipped
			}
		}
	}
	now := s.opts.Now()
	run.Status = status
	run.EndTime = &now
	if status == StatusStopped {
		run.Message = "stopped by a signal"
		if s.stopReq != nil {
			run.Message = "stopped by " + s.stopReq.By
			if s.stopReq.Reason != "" {
				run.Message += ": " + s.stopReq.Reason
			}
		}
		det := pipelineDetail(run, "STOPPING")
		det.StopExecutionComments = run.Message
		s.events.emit(DetailPipeline, "aws.codepipeline", s.events.pipelineARN(run.Pipeline), det)
	}
	state := map[string]string{StatusSucceeded: "SUCCEEDED", StatusFailed: "FAILED", StatusStopped: "STOPPED"}[status]
	s.events.emit(DetailPipeline, "aws.codepipeline", s.events.pipelineARN(run.Pipeline), pipelineDetail(run, state))
	s.endRecord()
	s.opts.Hooks.RunFinished(run)
}

// runStage runs one stage (its rules, then its run groups in order, see
// stagerules.go) and returns its status.
func (s *scheduler) runStage(ctx context.Context, i int, resumed bool) string {
	s.startStage(i, resumed)
	return s.endStage(ctx, i, s.stageRules(ctx, i))
}

// startStage marks stage i in progress.
func (s *scheduler) startStage(i int, resumed bool) {
	gs := s.opts.Pipeline.Stages[i]
	st := s.run.Stages[i]
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	st.Status = StatusInProgress
	st.StartTime = &now
	det := pipelineDetail(s.run, "STARTED")
	if resumed {
		det.State = "RESUMED"
		det.StageLastRetryAttemptTime = now.UTC().Format(isoMillis)
	}
	det.Stage = gs.Name
	s.events.emit(DetailStage, "aws.codepipeline", s.events.pipelineARN(s.run.Pipeline), det)
	s.journal.stage(s.run, i)
	s.opts.Hooks.StageStarted(s.run, st)
}

// runGroups runs the stage's run groups in order and returns the stage's
// status; only, when not nil, limits the run to those actions (a retry of
// the failed ones): the others keep their outcome.
func (s *scheduler) runGroups(ctx context.Context, gs *graph.Stage, only map[*graph.Action]bool) string {
	status := StatusSucceeded
	for _, group := range gs.RunGroups() {
		if s.halted(ctx) {
			status = StatusStopped
			break
		}
		var wg sync.WaitGroup
		for _, a := range group {
			if only != nil && !only[a] {
				continue
			}
			as := s.state(a)
			if s.kept[as] {
				continue // kept by a FAILED_ACTIONS resume
			}
			wg.Add(1)
			go func() {
				defer wg.Done()
				select {
				case s.sem <- struct{}{}:
					defer func() { <-s.sem }()
					s.runAction(ctx, a, as)
				case <-ctx.Done():
					s.mu.Lock()
					as.Status = StatusStopped
					s.recordAction(a)
					s.mu.Unlock()
				}
			}()
		}
		wg.Wait()
		for _, a := range group {
			switch s.state(a).Status {
			case StatusSucceeded, StatusNotEmulated:
			case StatusStopped:
				status = StatusStopped
			default:
				if status == StatusSucceeded {
					status = StatusFailed
				}
			}
		}
		if status != StatusSucceeded {
			break
		}
	}
	if ctx.Err() != nil {
		status = StatusStopped
	}
	return status
}

// endStage records the stage's final status.
func (s *scheduler) endStage(ctx context.Context, i int, status string) string {
	gs := s.opts.Pipeline.Stages[i]
	st := s.run.Stages[i]
	if ctx.Err() != nil {
		status = StatusStopped
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for k, a := range st.Actions {
		if a.Status == StatusPending {
			a.Status = StatusSkipped
			s.journal.action(s.run, i, k)
		}
	}
	end := s.opts.Now()
	st.Status = status
	st.EndTime = &end
	state := map[string]string{StatusSucceeded: "SUCCEEDED", StatusFailed: "FAILED", StatusStopped: "STOPPED", StatusSkipped: "SKIPPED"}[status]
	det := pipelineDetail(s.run, state)
	det.Stage = gs.Name
	s.events.emit(DetailStage, "aws.codepipeline", s.events.pipelineARN(s.run.Pipeline), det)
	s.journal.stage(s.run, i)
	s.opts.Hooks.StageFinished(s.run, st)
	return status
}

// state finds the record of a graph action.
func (s *scheduler) state(a *graph.Action) *ActionState {
	return s.run.Stages[a.Stage.Index].Actions[indexOf(a)]
}

func indexOf(a *graph.Action) int {
	for i, x := range a.Stage.Actions {
		if x == a {
			return i
		}
	}
	return -1
}

// action finds a graph action by "Stage.Action".
func (o *Options) action(id string) *graph.Action {
	for _, a := range o.Pipeline.Actions() {
		if a.ID() == id {
			return a
		}
	}
	return nil
}

// check validates the options against the pipeline: every --source names a
// source action, every --approve an approval action.
func (o *Options) check() hcl.Diagnostics {
	var diags hcl.Diagnostics
	var sources, approvals []string
	for _, a := range o.Pipeline.Actions() {
		if a.Type.Category == graph.CategorySource {
			sources = append(sources, a.Name)
		}
		if mode, _ := a.LocalMode(); mode == graph.LocalApproval {
			approvals = append(approvals, a.ID())
		}
	}
	for _, name := range sortedKeys(o.Sources) {
		if !has(sources, name) {
			diags = append(diags, execDiag("Unknown source action",
				fmt.Sprintf("--source %s=... names no source action of pipeline %q. Source actions: %s.%s", name, o.Pipeline.Name, listOrNone(sources), didYouMean(name, sources)), nil))
		}
	}
	diags = append(diags, o.checkRuleResults()...)
	for _, id := range o.Approve {
		if id != "all" && !has(approvals, id) {
			diags = append(diags, execDiag("Unknown approval action",
				fmt.Sprintf("--approve %s names no manual approval action of pipeline %q. Give \"all\" or one of: %s.%s", id, o.Pipeline.Name, listOrNone(approvals), didYouMean(id, approvals)), nil))
		}
	}
	return diags
}

// recordedVariables are the pipeline variables as the run record and its
// events hold them: a variable whose value is a default computed from a
// sensitive variable is *** (a structured field can be masked exactly,
// a sensitive bool included, which the masking of text leaves alone).
// masked names them, sorted. A value given with --variable is the
// caller's own and is recorded as given.
func (o *Options) recordedVariables(vars map[string]string) (map[string]string, []string) {
	recorded := maps.Clone(vars)
	var masked []string
	for _, v := range o.Pipeline.Variables {
		if _, given := o.Variables[v.Name]; given || !v.Sensitive {
			continue
		}
		if _, ok := recorded[v.Name]; ok {
			recorded[v.Name] = runners.Mask
			masked = append(masked, v.Name)
		}
	}
	sort.Strings(masked)
	return recorded, masked
}

// resumedVariables are the real values of a resumed run's pipeline
// variables: as recorded, and the masked ones from their defaults in the
// configuration again. A masked variable whose default the configuration
// no longer has cannot be restored: resuming with "***" as its value would
// run the later actions with the wrong value, so it is an error.
func (o *Options) resumedVariables(prev *Run) (map[string]string, hcl.Diagnostics) {
	vars := maps.Clone(prev.Variables)
	var diags hcl.Diagnostics
	for _, name := range prev.MaskedVariables {
		i := slices.IndexFunc(o.Pipeline.Variables, func(v *graph.PipelineVariable) bool { return v.Name == name })
		if i < 0 || !o.Pipeline.Variables[i].HasDefault {
			diags = append(diags, execDiag("Sensitive variable lost",
				fmt.Sprintf("Run %s recorded pipeline variable %q as *** (its default came from a sensitive value), and the configuration no longer gives it a default to take the value from again. Put the variable and its default back to resume this run, or start a new run with pipeform apply.", prev.ID, name), nil))
			continue
		}
		vars[name] = o.Pipeline.Variables[i].DefaultValue
	}
	return vars, diags
}

// pipelineVariables resolves #{variables.X}: defaults, overridden by
// Options.Variables.
func (o *Options) pipelineVariables() (map[string]string, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	vars := map[string]string{}
	var names []string
	for _, v := range o.Pipeline.Variables {
		names = append(names, v.Name)
		if val, ok := o.Variables[v.Name]; ok {
			vars[v.Name] = val
		} else if v.HasDefault {
			vars[v.Name] = v.DefaultValue
		} else {
			r := v.DeclRange
			diags = append(diags, execDiag("Missing pipeline variable",
				fmt.Sprintf("Pipeline variable %q has no default, so the run needs a value: add --variable %s=VALUE.", v.Name, v.Name), &r))
		}
	}
	for _, k := range sortedKeys(o.Variables) {
		if !has(names, k) {
			diags = append(diags, execDiag("Unknown pipeline variable",
				fmt.Sprintf("--variable %s=... names no variable of pipeline %q. Its variables: %s.%s", k, o.Pipeline.Name, listOrNone(names), didYouMean(k, names)), nil))
		}
	}
	return vars, diags
}

// maskValues are the values every action's output is masked for: the
// secrets file's and the configuration's sensitive values.
func (s *scheduler) maskValues() []string {
	return slices.Concat(s.opts.Secrets.Values(), s.opts.Sensitive)
}

func execDiag(summary, detail string, subject *hcl.Range) *hcl.Diagnostic {
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: subject}
}

func has(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func listOrNone(list []string) string {
	if len(list) == 0 {
		return "none"
	}
	return strings.Join(list, ", ")
}

// didYouMean suggests the closest name, if one is close.
func didYouMean(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein.Distance(strings.ToLower(name), strings.ToLower(c), nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(" Did you mean %q?", best)
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

func orUnknown(s string) string {
	if s == "" {
		return "unknown"
	}
	return s
}

// audit records a request in the audit trail; the caller holds mu. A failed
// write is reported at the end, like a failed save.
func (s *scheduler) audit(name string, params, response map[string]any) {
	rec := auditRecorder{layout: s.opts.Layout, now: s.opts.Now, newID: s.opts.NewID, region: s.opts.Region, account: s.opts.Account}
	if err := rec.record(s.opts.Actor, name, s.run.Pipeline, params, response); err != nil {
		s.diags = append(s.diags, execDiag("Cannot write the audit trail", err.Error()+".", nil))
	}
}

// watchStop polls for a stop request (Control.RequestStop) until the run
// ends. An abandoning stop cancels the run's context, which stops the
// actions in progress as Ctrl-C does; otherwise they finish and no further
// action starts (halted). A request left from an earlier attempt does not
// count.
func (s *scheduler) watchStop(ctx context.Context) (context.Context, func()) {
	_ = s.opts.Layout.clearStop(s.run.ID)
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		t := time.NewTicker(s.opts.ApprovalPoll)
		defer t.Stop()
		for {
			select {
			case <-done:
				return
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if req := s.opts.Layout.StopRequested(s.run.ID); req != nil {
				s.mu.Lock()
				s.stopReq = req
				s.mu.Unlock()
				if req.Abandon {
					cancel()
				}
				return
			}
		}
	}()
	return ctx, func() { close(done); cancel() }
}

// halted reports whether no further action may start: the run was
// cancelled or asked to stop. It looks for a stop request itself rather
// than wait for watchStop's next poll, so a request made before a stage or
// run order starts always holds it back.
func (s *scheduler) halted(ctx context.Context) bool {
	if ctx.Err() != nil {
		return true
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.stopReq == nil {
		s.stopReq = s.opts.Layout.StopRequested(s.run.ID)
	}
	return s.stopReq != nil
}
