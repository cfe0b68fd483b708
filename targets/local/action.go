package local

import (
	"context"
	"errors"
	"fmt"
	"io"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// job is everything a runner call needs for one action, prepared by the
// scheduler.
type job struct {
	a  *graph.Action
	st *ActionState
	// cfg is the action configuration with #{...} resolved.
	cfg map[string]string
	// env is a CodeBuild action's EnvironmentVariables, resolved.
	env []graph.KeyValue
	// sensitiveEnv names the entries of env whose values come from a
	// sensitive value (sensitiveEnv).
	sensitiveEnv []string
	// secrets are the values env took from Parameter Store and Secrets
	// Manager (a JSON secret's field too), masked in the action's log
	// besides every value of the secrets file.
	secrets []string
	// localCommands are the local block's commands with #{...} resolved.
	localCommands []string
	// sourceVersion is the commit id of the primary input's source, if any.
	sourceVersion string
	// log masks what the action's runner writes; sink is the action's
	// log itself, for a runner that masks on its own (a CodeBuild build
	// masks its output but not the agent's words) with mask, every value
	// log hides.
	log  *runners.Masker
	sink io.Writer
	mask []string
	// base is the environment the action's processes start from: the
	// run's, with the action's process tag (contain.go).
	base    []string
	work    string
	inputs  map[string]string // artifact name -> fresh copy
	outputs map[string]string // artifact name -> folder to fill
}

// outcome is what running an action came to.
type outcome struct {
	status  string
	summary string
	// vars are the output variables with their real values: later actions
	// of this run get them, as CodePipeline passes them (BUILDSPEC.md §13).
	// They stay in memory; run.json, events and the cache get them masked.
	vars map[string]string
	// shown are vars as the runner masked them (a CodeBuild build also
	// masks the JSON fields it retrieved); nil: vars masked with the
	// action's Masker.
	shown map[string]string
	// fieldOnly names the shown variables masked only as fields
	// (maskSensitiveExports): their values, a sensitive bool's "true", are
	// not masked in the text of later actions' logs.
	fieldOnly  []string
	errorCode  string
	externalID string
	diags      hcl.Diagnostics
	// cachedOutputs are the stored outputs of a cache hit.
	cached        bool
	cachedOutputs map[string]string
	// reports are a build's report groups (test cases, coverage).
	reports []*reports.Group
	// batch are the builds of a batch build.
	batch []*BatchBuild
}

func failed(summary string, diags ...*hcl.Diagnostic) *outcome {
	return &outcome{status: StatusFailed, summary: summary, errorCode: "JobFailed", diags: diags}
}

// runAction runs one action and records everything about it.
func (s *scheduler) runAction(ctx context.Context, a *graph.Action, st *ActionState) {
	runDir := s.opts.Layout.RunDir(s.run.ID)
	j, early := s.begin(a, st)
	logf, err := os.Create(filepath.Join(runDir, st.Log))
	if err != nil {
		s.finish(a, st, failed("cannot write the action log", execDiag("Cannot write the run record", err.Error()+".", nil)), nil, nil)
		return
	}
	sink := &lineSink{s: s, st: st, w: logf}
	s.mu.Lock()
	carried := slices.Clone(s.carried)
	s.mu.Unlock()
	j.mask = slices.Concat(s.maskValues(), j.secrets, carried)
	masker := runners.NewMasker(sink, j.mask)
	j.log, j.sink = masker, sink
	tag := s.actionTag(a)
	j.base = runners.Tagged(s.opts.Env, tag)
	out := early
	if out == nil {
		out = s.execute(ctx, j)
	}
	// A cache hit started no process and made no work folder: there is
	// nothing to stop or remove.
	ran := !out.cached
	if ran {
		stopAction(j, tag)
	}
	out = checkVariablesSize(a, out)
	for _, d := range out.diags {
		masker.Own("Error: %s", runners.Masked(d.Summary))
		if d.Detail != "" {
			masker.Own("%s", d.Detail)
		}
	}
	masker.Flush()
	logf.Close()
	// The runners' scratch folders (the CodeBuild agent's shell state, a
	// local block's exported values) may hold secrets: they never outlive
	// the action, whatever its status. The rest of a failed action's work
	// folder is kept to look into.
	if ran {
		removeScratch(j.work)
	}
	shown := maskVariables(out, masker)
	var digests map[string]string
	if out.status == StatusSucceeded || out.status == StatusNotEmulated {
		if out.cached {
			digests = out.cachedOutputs
		} else {
			var d *hcl.Diagnostic
			digests, d = s.storeOutputs(j)
			if d != nil {
				out = failed("cannot store the output artifacts", d)
			}
		}
	}
	// A cache entry holds what run.json holds, masked values: reused, they
	// would hand *** on, so an action whose variables held secrets is not
	// cached.
	if out.status == StatusSucceeded && !out.cached && len(secretNames(out.vars, shown)) == 0 {
		s.saveCache(j, out, digests)
	}
	if out.status == StatusSucceeded && ran {
		os.RemoveAll(j.work)
	}
	s.finish(a, st, out, shown, digests)
}

// maxVariablesSize is CodePipeline's bound on all the output variables of
// one action together, names and values (CODEPIPELINE.md §6, limits).
const maxVariablesSize = 122880

// checkVariablesSize fails a succeeded action whose output variables hold
// more than maxVariablesSize bytes, as CodePipeline fails it.
func checkVariablesSize(a *graph.Action, out *outcome) *outcome {
	if out.status != StatusSucceeded {
		return out
	}
	size := 0
	for k, v := range out.vars {
		size += len(k) + len(v)
	}
	if size <= maxVariablesSize {
		return out
	}
	return failed("output variables too large", execDiag("Output variables too large",
		fmt.Sprintf("The output variables of %s hold %d bytes together (names and values); CodePipeline accepts at most %d bytes for one action. Export less: write large values into an output artifact and pass its name or path instead.", a.ID(), size, maxVariablesSize),
		&a.DeclRange))
}

// scratchDirs are the folders of a work folder that runners use for their
// own files (build.go's "agent", execute.go's "local").
var scratchDirs = []string{"agent", "local"}

func removeScratch(work string) {
	for _, d := range scratchDirs {
		os.RemoveAll(filepath.Join(work, d))
	}
}

// maskVariables returns the output variables as they may be shown and
// stored: the runner's masked values, masked again with the action's
// Masker (which knows the secrets of its EnvironmentVariables).
func maskVariables(out *outcome, masker *runners.Masker) map[string]string {
	if out.vars == nil {
		return nil
	}
	shown := make(map[string]string, len(out.vars))
	for k, v := range out.vars {
		if m, ok := out.shown[k]; ok {
			v = m
		}
		shown[k] = masker.String(v)
	}
	return shown
}

// secretNames lists, sorted, the variables whose shown value differs from
// the real one: those that held a secret.
func secretNames(vars, shown map[string]string) []string {
	var names []string
	for k, v := range vars {
		if shown[k] != v {
			names = append(names, k)
		}
	}
	sort.Strings(names)
	return names
}

// begin marks the action started and prepares its job: resolved
// configuration and environment, input digests. A non-nil outcome means the
// action fails before it runs (an unresolved variable, a missing secret).
func (s *scheduler) begin(a *graph.Action, st *ActionState) (*job, *outcome) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	st.Status = StatusInProgress
	st.StartTime, st.EndTime = &now, nil
	st.ExecutionID = s.opts.NewID()
	st.Summary, st.Variables, st.SecretVariables, st.Outputs, st.Cached, st.Approval = "", nil, nil, nil, false, nil
	st.Reports, st.Batch = nil, nil
	st.Log = LogFile(a.ID())
	st.Inputs = map[string]string{}
	for _, in := range a.Inputs {
		if in.Producer != nil {
			st.Inputs[in.Name] = s.state(in.Producer).Outputs[in.Name]
		}
	}
	if from, ok := s.inputsFrom[a.ID()]; ok { // a rollback (stagerules.go)
		st.Inputs = maps.Clone(from)
	}
	j, early := s.resolve(a, st)
	det := s.actionDetail(a, st, "STARTED")
	s.events.emit(DetailAction, "aws.codepipeline", s.events.pipelineARN(s.run.Pipeline), det)
	s.recordAction(a)
	s.opts.Hooks.ActionStarted(s.run, st)
	return j, early
}

// batchProducers names, after an unresolved-variable message, the actions
// among the producers of the missing references that ran as a batch build:
// the builds of a batch export no variables here, as CodeBuild's batch
// record (BuildBatch, unlike Build) has no exportedEnvironmentVariables.
// Whether CodePipeline resolves such a reference in AWS is not documented,
// so validate lets it through and this says why it fails locally. (The
// graph says it, not the producer's record: a cache hit records no builds.)
func batchProducers(a *graph.Action, missing []string) string {
	var ids []string
	for _, r := range a.References {
		p := r.Producer
		if p == nil || !slices.Contains(missing, r.Namespace+"."+r.Name) || slices.Contains(ids, p.ID()) {
			continue
		}
		if p.RunsAsBatch() {
			ids = append(ids, p.ID())
		}
	}
	if len(ids) == 0 {
		return ""
	}
	sort.Strings(ids)
	return fmt.Sprintf(" %s ran as a batch build (batch_enabled), and the builds of a batch export no variables in a local run: CodeBuild's record of a batch has no exported variables. Export the value from an action that runs a single build.",
		strings.Join(ids, ", "))
}

// resolve prepares an action's job from its record (st.Inputs set): the
// configuration, local commands and environment with #{...} resolved
// against the variables known so far. A non-nil outcome is a failure before
// the action runs. The caller holds mu.
func (s *scheduler) resolve(a *graph.Action, st *ActionState) (*job, *outcome) {
	j := &job{a: a, st: st, work: filepath.Join(s.opts.Layout.RunDir(s.run.ID), "work", a.ID())}
	var early *outcome
	cfg, missing := s.vars.ResolveMap(a.Configuration)
	j.cfg = cfg
	// A local block stands in for an action whose configuration AWS would
	// resolve, so #{...} in its commands is resolved the same way, just
	// before the action runs (the compiler checks the references).
	if a.Local != nil {
		j.localCommands = make([]string, len(a.Local.Commands))
		for i, c := range a.Local.Commands {
			var miss []string
			j.localCommands[i], miss = s.vars.Resolve(c)
			for _, m := range miss {
				if !slices.Contains(missing, m) {
					missing = append(missing, m)
				}
			}
		}
		sort.Strings(missing)
	}
	if len(missing) > 0 {
		early = failed("unresolved variables", execDiag("Unresolved variable", unresolvedError(missing)+batchProducers(a, missing), &a.DeclRange))
	}
	if early == nil {
		var d *hcl.Diagnostic
		j.env, j.secrets, d = s.actionEnv(a)
		if d != nil {
			early = failed("missing secret", d)
		}
		j.sensitiveEnv = s.sensitiveEnv(a)
	}
	if len(a.Inputs) > 0 && a.Inputs[0].Producer != nil {
		j.sourceVersion = s.state(a.Inputs[0].Producer).Variables["CommitId"]
		if p := cfg["PrimarySource"]; p != "" {
			for _, in := range a.Inputs {
				if in.Name == p && in.Producer != nil {
					j.sourceVersion = s.state(in.Producer).Variables["CommitId"]
				}
			}
		}
	}
	return j, early
}

// finish records the outcome; shown are the output variables masked,
// digests the stored outputs. The real values of the variables go to the
// run's in-memory Variables only.
func (s *scheduler) finish(a *graph.Action, st *ActionState, out *outcome, shown, digests map[string]string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.opts.Now()
	st.Status = out.status
	st.EndTime = &now
	st.Summary = out.summary
	st.Cached = out.cached
	st.Reports = out.reports
	st.Batch = out.batch
	st.Outputs = digests
	if out.status == StatusSucceeded {
		st.Variables = shown
		st.SecretVariables = secretNames(out.vars, shown)
		for _, k := range st.SecretVariables {
			if !slices.Contains(out.fieldOnly, k) {
				s.carried = append(s.carried, out.vars[k])
			}
			if a.Namespace != "" {
				if s.masked == nil {
					s.masked = map[string]bool{}
				}
				s.masked[a.Namespace+"."+k] = true
			}
		}
		if a.Namespace != "" {
			for k, v := range out.vars {
				s.vars.Set(a.Namespace, k, v)
			}
		}
	}
	for _, d := range out.diags {
		if d.Subject == nil {
			r := a.DeclRange
			d.Subject = &r
		}
		s.diags = append(s.diags, d)
	}
	if (out.status == StatusFailed || out.status == StatusTimedOut) && s.run.Message == "" {
		s.run.Message = fmt.Sprintf("%s: %s", a.ID(), out.summary)
		s.journal.run(s.run)
	}
	state := map[string]string{
		StatusSucceeded: "SUCCEEDED", StatusNotEmulated: "SUCCEEDED", StatusFailed: "FAILED",
		StatusTimedOut: "FAILED", StatusStopped: "ABANDONED",
	}[out.status]
	det := s.actionDetail(a, st, state)
	if state != "ABANDONED" {
		ext := out.externalID
		if ext == "" {
			ext = st.ExecutionID
		}
		det.ExecutionResult = &ExecutionResult{
			ExternalExecutionURL:     "file://" + filepath.ToSlash(filepath.Join(s.opts.Layout.RunDir(s.run.ID), st.Log)),
			ExternalExecutionSummary: out.summary, ExternalExecutionID: ext, ErrorCode: out.errorCode,
		}
	}
	s.events.emit(DetailAction, "aws.codepipeline", s.events.pipelineARN(s.run.Pipeline), det)
	s.recordAction(a)
	s.opts.Hooks.ActionFinished(s.run, st)
}

func (s *scheduler) actionDetail(a *graph.Action, st *ActionState, state string) *PipelineDetail {
	det := pipelineDetail(s.run, state)
	det.Stage, det.Action, det.ActionExecutionID = a.Stage.Name, a.Name, st.ExecutionID
	det.Region = a.Region
	if det.Region == "" {
		det.Region = s.opts.Region
	}
	det.Type = actionEventType(a)
	det.InputArtifacts = eventArtifacts(a.Inputs, st.Inputs)
	if st.Outputs != nil {
		det.OutputArtifacts = eventArtifacts(a.Outputs, st.Outputs)
	}
	return det
}

// actionEnv resolves an action's environment variables (a CodeBuild
// action's EnvironmentVariables configuration, a Commands action's
// environment_variables): #{...} in the values, Parameter Store and Secrets
// Manager names through the secrets file. It also returns the values taken
// from the secrets file, to mask. The caller holds mu.
func (s *scheduler) actionEnv(a *graph.Action) ([]graph.KeyValue, []string, *hcl.Diagnostic) {
	vars, err := actionEnvVars(a)
	if err != nil {
		return nil, nil, execDiag("Invalid EnvironmentVariables", fmt.Sprintf("The EnvironmentVariables configuration of %s is not a JSON array of {name, value, type}: %v.", a.ID(), err), &a.DeclRange)
	}
	var out []graph.KeyValue
	var secrets []string
	for _, v := range vars {
		val, _ := s.vars.Resolve(v.Value)
		var err error
		switch strings.ToUpper(v.Type) {
		case "PARAMETER_STORE":
			val, err = s.opts.Secrets.Parameter(val)
			secrets = append(secrets, val)
		case "SECRETS_MANAGER":
			val, err = s.opts.Secrets.Secret(val)
			secrets = append(secrets, val)
		}
		if err != nil {
			return nil, nil, execDiag("Missing secret", fmt.Sprintf("Action %s needs %s for %s: %v. Pass a --secrets-file that has it.", a.ID(), v.Value, v.Name, err), &a.DeclRange)
		}
		out = append(out, graph.KeyValue{Key: v.Name, Value: val})
	}
	return out, secrets, nil
}

// sensitiveEnv names the action's environment variables whose values come
// from a sensitive value: computed from a sensitive variable of the
// configuration (graph.Action.SensitiveEnvironment), or referring to a
// variable the run records as *** (a #{variables.x} whose default is
// sensitive, an earlier action's output variable that held a secret or a
// sensitive value). The caller holds mu.
func (s *scheduler) sensitiveEnv(a *graph.Action) []string {
	names := slices.Clone(a.SensitiveEnvironment)
	vars, _ := actionEnvVars(a)
	for _, v := range vars {
		for _, m := range varRef.FindAllStringSubmatch(v.Value, -1) {
			if s.masked[m[1]+"."+m[2]] {
				names = append(names, v.Name)
			}
		}
	}
	return names
}

// actionEnvVars lists an action's environment variables as written: a
// CodeBuild action's EnvironmentVariables configuration, then a Commands
// action's environment_variables.
func actionEnvVars(a *graph.Action) ([]envVar, error) {
	var vars []envVar
	if raw := a.Configuration["EnvironmentVariables"]; raw != "" {
		var err error
		if vars, err = parseEnvironmentVariables(raw); err != nil {
			return nil, err
		}
	}
	for _, ev := range a.EnvironmentVariables {
		vars = append(vars, envVar{Name: ev.Name, Value: ev.Value, Type: ev.Type})
	}
	return vars, nil
}

// prepare makes the work folder with fresh copies of the inputs and empty
// output folders.
func (s *scheduler) prepare(j *job) *hcl.Diagnostic {
	os.RemoveAll(j.work)
	j.inputs, j.outputs = map[string]string{}, map[string]string{}
	for _, in := range j.a.Inputs {
		dir := filepath.Join(j.work, "in", in.Name)
		digest := j.st.Inputs[in.Name]
		if digest == "" {
			return execDiag("Missing input artifact", fmt.Sprintf("Input artifact %q of %s was not produced; its producer did not succeed.", in.Name, j.a.ID()), &in.Range)
		}
		if err := s.store.CopyOut(digest, dir); err != nil {
			var ce *CorruptArtifactError
			if errors.As(err, &ce) {
				return execDiag("Corrupt input artifact", fmt.Sprintf("Input artifact %q of %s: %s. Start a new run with pipeform apply, which produces it again.", in.Name, j.a.ID(), ce.Error()), &in.Range)
			}
			return execDiag("Missing input artifact", err.Error()+". Start a new run with pipeform apply.", &in.Range)
		}
		j.inputs[in.Name] = dir
	}
	for _, o := range j.a.Outputs {
		dir := filepath.Join(j.work, "out", o.Name)
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return execDiag("Cannot write the run record", err.Error()+".", nil)
		}
		j.outputs[o.Name] = dir
	}
	return nil
}

// storeOutputs moves the output folders into the artifact store.
func (s *scheduler) storeOutputs(j *job) (map[string]string, *hcl.Diagnostic) {
	if len(j.a.Outputs) == 0 {
		return nil, nil
	}
	digests := map[string]string{}
	for _, o := range j.a.Outputs {
		dir := j.outputs[o.Name]
		if dir == "" {
			dir = filepath.Join(j.work, "out", o.Name)
			os.MkdirAll(dir, 0o755)
		}
		d, err := s.store.Put(dir)
		if err != nil {
			return nil, execDiag("Cannot store an artifact", err.Error()+".", nil)
		}
		digests[o.Name] = d
	}
	return digests, nil
}

// lineSink writes an action's masked log to its file and hands each line
// to Hooks.ActionLog. It sits behind the action's runners.Masker, which
// already buffers by line and, past its limit, writes a masked piece of an
// endless line (never cutting inside a secret); so the sink buffers nothing
// itself: a write is whole lines, or such a piece, which becomes a log line
// at once. A build printing without newlines (yes | tr -d '\n') therefore
// neither grows memory nor goes silent in the progress view.
type lineSink struct {
	s  *scheduler
	st *ActionState
	w  io.Writer
	// midLine: the last write was a piece of a line; an empty rest of that
	// line (the newline alone) is not a log line of its own.
	midLine bool
}

func (l *lineSink) Write(p []byte) (int, error) {
	if _, err := l.w.Write(p); err != nil {
		return 0, err
	}
	text := string(p)
	if l.midLine && strings.HasPrefix(text, "\n") {
		text = text[1:]
	}
	l.midLine = text != "" && !strings.HasSuffix(text, "\n")
	for text != "" {
		var line string
		line, text, _ = strings.Cut(text, "\n")
		l.s.mu.Lock()
		l.s.opts.Hooks.ActionLog(l.s.run, l.st, strings.TrimRight(line, "\r"))
		l.s.mu.Unlock()
	}
	return len(p), nil
}
