package local

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// builder assembles a hand-built pipeline the way compiler.Compile would.
type builder struct {
	p        *graph.Pipeline
	produced map[string]*graph.Action
}

func newBuilder(name string) *builder {
	return &builder{p: &graph.Pipeline{Name: name, Type: "V2"}, produced: map[string]*graph.Action{}}
}

func (b *builder) stage(name string) *graph.Stage {
	s := &graph.Stage{Name: name, Index: len(b.p.Stages)}
	b.p.Stages = append(b.p.Stages, s)
	return s
}

// add appends an action to the last stage; in and out name artifacts.
func (b *builder) add(a *graph.Action, in, out []string) *graph.Action {
	s := b.p.Stages[len(b.p.Stages)-1]
	a.Pipeline, a.Stage = b.p, s
	if a.RunOrder == 0 {
		a.RunOrder = 1
	}
	for _, n := range in {
		a.Inputs = append(a.Inputs, &graph.ArtifactRef{Name: n, Producer: b.produced[n]})
	}
	for _, n := range out {
		a.Outputs = append(a.Outputs, &graph.ArtifactRef{Name: n, Producer: a})
		b.produced[n] = a
	}
	for _, prev := range b.p.Actions() {
		if prev.Stage.Index < s.Index || prev.Stage == s && prev.RunOrder < a.RunOrder {
			a.Upstream = append(a.Upstream, prev)
		}
	}
	s.Actions = append(s.Actions, a)
	return a
}

func source(name string) *graph.Action {
	return &graph.Action{Name: name, Block: "codecommit", Namespace: "SourceVariables",
		Type:          graph.ActionType{Category: "Source", Owner: "AWS", Provider: "CodeCommit", Version: "1"},
		Configuration: map[string]string{"RepositoryName": "web", "BranchName": "main"},
		Variables:     []string{"CommitId", "BranchName"}}
}

func localAction(name string, commands ...string) *graph.Action {
	return &graph.Action{Name: name, Block: "lambda",
		Type:          graph.ActionType{Category: "Invoke", Owner: "AWS", Provider: "Lambda", Version: "1"},
		Configuration: map[string]string{"FunctionName": "f"},
		Local:         &graph.Local{Commands: commands}}
}

func codebuild(name string, commands ...string) *graph.Action {
	bs := &graph.Buildspec{Version: "0.2"}
	bs.Phases[2] = &graph.Phase{Commands: commands}
	return &graph.Action{Name: name, Block: "codebuild",
		Type:          graph.ActionType{Category: "Build", Owner: "AWS", Provider: "CodeBuild", Version: "1"},
		Configuration: map[string]string{"ProjectName": name},
		Project:       &graph.Project{Name: name, Buildspec: bs}}
}

func approval(name, message string) *graph.Action {
	return &graph.Action{Name: name, Block: "approval",
		Type:          graph.ActionType{Category: "Approval", Owner: "AWS", Provider: "Manual", Version: "1"},
		Configuration: map[string]string{"CustomData": message}}
}

// fixture is a temp config dir with an application file, and options with
// a fake clock and counting ids.
type fixture struct {
	t    testing.TB
	dir  string
	opts Options
	hook *recorder
}

func newFixture(t testing.TB, p *graph.Pipeline) *fixture {
	t.Helper()
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "app.txt"), []byte("hello\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	n := 0
	clock := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	rec := &recorder{}
	f := &fixture{t: t, dir: dir, hook: rec}
	f.opts = Options{
		Pipeline: p, Layout: Layout{Root: filepath.Join(dir, ".pipeform")}, ConfigDir: dir,
		RunID: "run-1", PID: os.Getpid(),
		Now: func() time.Time {
			mu.Lock()
			defer mu.Unlock()
			clock = clock.Add(time.Second)
			return clock
		},
		NewID: func() string {
			mu.Lock()
			defer mu.Unlock()
			n++
			return fmt.Sprintf("id-%d", n)
		},
		Env:          []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir},
		ApprovalPoll: 10 * time.Millisecond,
		Hooks:        rec,
	}
	return f
}

// recorder is a Hooks that keeps a transcript.
type recorder struct {
	NopHooks
	mu      sync.Mutex
	lines   []string
	waiting chan string
	onLog   func(line string)
}

func (r *recorder) add(format string, args ...any) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.lines = append(r.lines, fmt.Sprintf(format, args...))
}
func (r *recorder) StageStarted(_ *Run, s *StageState) { r.add("stage %s started", s.Name) }
func (r *recorder) ActionFinished(_ *Run, a *ActionState) {
	r.add("action %s %s", a.ID(), a.Status)
}
func (r *recorder) ActionLog(_ *Run, a *ActionState, line string) {
	r.add("log %s %s", a.ID(), line)
	if r.onLog != nil {
		r.onLog(line)
	}
}
func (r *recorder) ActionWaiting(_ *Run, a *ActionState, _ string) {
	if r.waiting != nil {
		r.waiting <- a.ID()
	}
}
func (r *recorder) RunFinished(run *Run) { r.add("run %s", run.Status) }

func (r *recorder) hasLocked(line string) bool {
	for _, l := range r.lines {
		if l == line {
			return true
		}
	}
	return false
}

func statuses(r *Run) map[string]string {
	m := map[string]string{}
	for _, s := range r.Stages {
		m[s.Name] = s.Status
		for _, a := range s.Actions {
			m[a.ID()] = a.Status
		}
	}
	return m
}

func readLog(t *testing.T, f *fixture, runID, action string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join(f.opts.Layout.RunDir(runID), LogFile(action)))
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func readEvents(t *testing.T, f *fixture, runID string) []Event {
	t.Helper()
	file, err := os.Open(filepath.Join(f.opts.Layout.RunDir(runID), "events.jsonl"))
	if err != nil {
		t.Fatal(err)
	}
	defer file.Close()
	var evs []Event
	sc := bufio.NewScanner(file)
	for sc.Scan() {
		var raw map[string]any
		if err := json.Unmarshal(sc.Bytes(), &raw); err != nil {
			t.Fatalf("events.jsonl line is not JSON: %v", err)
		}
		var ev Event
		json.Unmarshal(sc.Bytes(), &ev)
		evs = append(evs, ev)
	}
	return evs
}

// summary lists "detail-type state [stage.action]" per event.
func eventSummary(evs []Event) []string {
	var out []string
	for _, ev := range evs {
		d, _ := ev.Detail.(map[string]any)
		line := ev.DetailType
		if st, ok := d["state"]; ok {
			line += " " + fmt.Sprint(st)
		}
		if st, ok := d["build-status"]; ok {
			line += " " + fmt.Sprint(st)
		}
		if st, ok := d["stage"]; ok {
			line += " " + fmt.Sprint(st)
			if a, ok := d["action"]; ok {
				line += "." + fmt.Sprint(a)
			}
		}
		out = append(out, line)
	}
	return out
}

func threeStages() *graph.Pipeline {
	b := newBuilder("web")
	b.p.Variables = []*graph.PipelineVariable{{Name: "release", DefaultValue: "latest", HasDefault: true}}
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Build")
	unit := localAction("unit", "test -f app.txt", "mkdir -p \"$PIPEFORM_OUTPUT_dist\"", "cp app.txt \"$PIPEFORM_OUTPUT_dist/\"", "export VERSION=1.2.3")
	unit.Namespace = "Unit"
	unit.Variables = []string{"VERSION"}
	b.add(unit, []string{"src"}, []string{"dist"})
	b.add(localAction("lint", "echo linting"), []string{"src"}, nil)
	b.stage("Deploy")
	deploy := localAction("ship", `echo "release=$PIPEFORM_CONFIG_FunctionName"`, "cat app.txt")
	deploy.Configuration["FunctionName"] = "#{Unit.VERSION}-#{variables.release}-#{codepipeline.PipelineExecutionId}"
	b.add(deploy, []string{"dist"}, nil)
	return b.p
}

func TestRunSucceeds(t *testing.T) {
	f := newFixture(t, threeStages())
	run, diags := Start(context.Background(), f.opts)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := map[string]string{
		"Source": "Succeeded", "Source.checkout": "Succeeded",
		"Build": "Succeeded", "Build.unit": "Succeeded", "Build.lint": "Succeeded",
		"Deploy": "Succeeded", "Deploy.ship": "Succeeded",
	}
	if d := cmp.Diff(want, statuses(run)); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if run.Status != StatusSucceeded {
		t.Errorf("run status %s", run.Status)
	}
	// Variables resolved just before the consumer starts.
	if log := readLog(t, f, "run-1", "Deploy.ship"); !strings.Contains(log, "release=1.2.3-latest-run-1\n") || !strings.Contains(log, "hello\n") {
		t.Errorf("Deploy.ship log:\n%s", log)
	}
	// The record on disk is the record returned.
	disk, err := f.opts.Layout.LoadRun("run-1")
	if err != nil {
		t.Fatal(err)
	}
	if d := cmp.Diff(statuses(run), statuses(disk)); d != "" {
		t.Errorf("run.json differs:\n%s", d)
	}
	if disk.Action("Build.unit").Variables["VERSION"] != "1.2.3" {
		t.Errorf("unit variables: %v", disk.Action("Build.unit").Variables)
	}
	// The source artifact holds the app, not the state folder.
	src := disk.Action("Source.checkout").Outputs["src"]
	if _, err := os.Stat(filepath.Join(f.opts.Layout.ArtifactsDir(), src, "app.txt")); err != nil {
		t.Errorf("source artifact: %v", err)
	}
	if _, err := os.Stat(filepath.Join(f.opts.Layout.ArtifactsDir(), src, ".pipeform")); err == nil {
		t.Errorf("source artifact contains .pipeform")
	}
	evs := eventSummary(readEvents(t, f, "run-1"))
	wantEvents := []string{
		"CodePipeline Pipeline Execution State Change STARTED",
		"CodePipeline Stage Execution State Change STARTED Source",
		"CodePipeline Action Execution State Change STARTED Source.checkout",
		"CodePipeline Action Execution State Change SUCCEEDED Source.checkout",
		"CodePipeline Stage Execution State Change SUCCEEDED Source",
		"CodePipeline Stage Execution State Change STARTED Build",
	}
	if len(evs) < len(wantEvents) {
		t.Fatalf("events: %v", evs)
	}
	if d := cmp.Diff(wantEvents, evs[:len(wantEvents)]); d != "" {
		t.Errorf("events (-want +got):\n%s", d)
	}
	if last := evs[len(evs)-1]; last != "CodePipeline Pipeline Execution State Change SUCCEEDED" {
		t.Errorf("last event %q", last)
	}
	// An action event carries the detail members of EventBridge's
	// documented shape (CODEPIPELINE.md §7).
	found := 0
	for _, ev := range readEvents(t, f, "run-1") {
		d := ev.Detail.(map[string]any)
		if ev.DetailType != DetailAction || d["action"] != "unit" || d["state"] != "SUCCEEDED" {
			continue
		}
		found++
		var keys []string
		for k := range d {
			keys = append(keys, k)
		}
		sort.Strings(keys)
		want := []string{"action", "action-execution-id", "execution-id", "execution-result", "input-artifacts", "output-artifacts",
			"pipeline", "pipeline-execution-attempt", "region", "stage", "start-time", "state", "type", "version"}
		if diff := cmp.Diff(want, keys); diff != "" {
			t.Errorf("action detail keys (-want +got):\n%s", diff)
		}
		if ev.Version != "0" || ev.Source != "aws.codepipeline" || ev.Account != "000000000000" || ev.Region != "us-east-1" ||
			len(ev.Resources) != 1 || ev.Resources[0] != "arn:aws:codepipeline:us-east-1:000000000000:web" {
			t.Errorf("envelope: %+v", ev)
		}
	}
	if found != 1 {
		t.Errorf("%d SUCCEEDED events for Build.unit", found)
	}
}

func TestFailedActionFailsStageAndRun(t *testing.T) {
	p := threeStages()
	p.Stages[1].Actions[1].Local.Commands = []string{"echo broken", "false", "echo never"}
	f := newFixture(t, p)
	run, _ := Start(context.Background(), f.opts)
	want := map[string]string{
		"Source": "Succeeded", "Source.checkout": "Succeeded",
		"Build": "Failed", "Build.unit": "Succeeded", "Build.lint": "Failed",
		"Deploy": "Skipped", "Deploy.ship": "Skipped",
	}
	if d := cmp.Diff(want, statuses(run)); d != "" {
		t.Errorf("statuses (-want +got):\n%s", d)
	}
	if run.Status != StatusFailed || !strings.HasPrefix(run.Message, "Build.lint: ") {
		t.Errorf("run %s %q", run.Status, run.Message)
	}
	if log := readLog(t, f, "run-1", "Build.lint"); strings.Contains(log, "never") {
		t.Errorf("command after the failure ran:\n%s", log)
	}
	evs := eventSummary(readEvents(t, f, "run-1"))
	if last := evs[len(evs)-1]; last != "CodePipeline Pipeline Execution State Change FAILED" {
		t.Errorf("last event %q", last)
	}
}

// A resume builds on the record it read before taking the pipeline's lock;
// when another resume ran an attempt in between, it refuses rather than
// writing over that attempt's record.
func TestResumeRefusesStaleRecord(t *testing.T) {
	p := threeStages()
	f := newFixture(t, p)
	p.Stages[1].Actions[1].Local.Commands = []string{"false"}
	if run, _ := Start(context.Background(), f.opts); run.Status != StatusFailed {
		t.Fatalf("first attempt: %s", run.Status)
	}
	stale, err := f.opts.Layout.FindRun("last")
	if err != nil {
		t.Fatal(err)
	}
	fresh, err := f.opts.Layout.FindRun("last")
	if err != nil {
		t.Fatal(err)
	}
	if run, _ := Resume(context.Background(), f.opts, fresh); run == nil || run.Attempt != 2 {
		t.Fatalf("second attempt: %+v", run)
	}
	_, diags := Resume(context.Background(), f.opts, stale)
	if !diags.HasErrors() || diags[0].Summary != "Run changed while resuming" {
		t.Fatalf("resume from a stale record: %v", diags)
	}
	now, err := f.opts.Layout.FindRun("last")
	if err != nil {
		t.Fatal(err)
	}
	if now.Attempt != 2 {
		t.Errorf("the record was written over: attempt %d, want 2", now.Attempt)
	}
}

func TestResumeRetriesFromFailedStage(t *testing.T) {
	p := threeStages()
	f := newFixture(t, p)
	flag := filepath.Join(f.dir, "fixed")
	p.Stages[1].Actions[1].Local.Commands = []string{"test -f " + flag}
	run, _ := Start(context.Background(), f.opts)
	if run.Status != StatusFailed {
		t.Fatalf("first attempt: %s", run.Status)
	}
	sourceExec := run.Action("Source.checkout").ExecutionID
	os.WriteFile(flag, nil, 0o644)
	prev, err := f.opts.Layout.FindRun("last")
	if err != nil {
		t.Fatal(err)
	}
	run, diags := Resume(context.Background(), f.opts, prev)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if run.Status != StatusSucceeded || run.Attempt != 2 {
		t.Errorf("resumed run: %s attempt %d", run.Status, run.Attempt)
	}
	if got := run.Action("Source.checkout").ExecutionID; got != sourceExec {
		t.Errorf("the source stage ran again (%s, was %s)", got, sourceExec)
	}
	// The earlier stage's variables still resolve.
	if log := readLog(t, f, "run-1", "Deploy.ship"); !strings.Contains(log, "release=1.2.3-latest-run-1") {
		t.Errorf("Deploy.ship log:\n%s", log)
	}
	evs := eventSummary(readEvents(t, f, "run-1"))
	if !has(evs, "CodePipeline Pipeline Execution State Change RESUMED") || !has(evs, "CodePipeline Stage Execution State Change RESUMED Build") {
		t.Errorf("no RESUMED events: %v", evs)
	}
	if _, diags := Resume(context.Background(), f.opts, run); !diags.HasErrors() || diags[0].Summary != "Nothing to resume" {
		t.Errorf("resuming a succeeded run: %v", diags)
	}
}

func TestApprovalFromAnotherShell(t *testing.T) {
	for _, approve := range []bool{true, false} {
		t.Run(fmt.Sprint(approve), func(t *testing.T) {
			b := newBuilder("web")
			b.stage("Gate")
			b.add(approval("ok", "Ship #{variables.release}?"), nil, nil)
			b.stage("After")
			b.add(localAction("done", "echo done"), nil, nil)
			b.p.Variables = []*graph.PipelineVariable{{Name: "release", DefaultValue: "v1", HasDefault: true}}
			f := newFixture(t, b.p)
			f.hook.waiting = make(chan string, 1)
			go func() {
				id := <-f.hook.waiting
				run, err := f.opts.Layout.LoadRun("run-1")
				if err != nil || run.Action(id).Status != StatusWaiting {
					t.Errorf("run record while waiting: %v %v", err, run)
				}
				d, _ := json.Marshal(runners.Decision{Approved: approve, By: "ana", Comment: "checked", Time: time.Now()})
				WriteFileAtomic(f.opts.Layout.ApprovalFile("run-1", id), d)
			}()
			run, _ := Start(context.Background(), f.opts)
			a := run.Action("Gate.ok")
			if a.Approval == nil || a.Approval.By != "ana" || a.Approval.Approved != approve {
				t.Fatalf("approval record: %+v", a.Approval)
			}
			wantStatus, wantRun := StatusSucceeded, StatusSucceeded
			if !approve {
				wantStatus, wantRun = StatusFailed, StatusFailed
			}
			if a.Status != wantStatus || run.Status != wantRun {
				t.Errorf("action %s run %s", a.Status, run.Status)
			}
			if log := readLog(t, f, "run-1", "Gate.ok"); !strings.Contains(log, "Approval needed: Ship v1?") {
				t.Errorf("log:\n%s", log)
			}
		})
	}
}

func TestApproveAllAndUnknownOptions(t *testing.T) {
	b := newBuilder("web")
	b.stage("Gate")
	b.add(approval("ok", ""), nil, nil)
	f := newFixture(t, b.p)
	f.opts.Approve = []string{"Gate.ok"}
	run, diags := Start(context.Background(), f.opts)
	if diags.HasErrors() || run.Status != StatusSucceeded {
		t.Fatalf("%s %v", run.Status, diags)
	}
	f.opts.Approve = []string{"Gate.okk"}
	f.opts.Sources = map[string]string{"nope": "."}
	f.opts.Variables = map[string]string{"x": "1"}
	_, diags = Start(context.Background(), f.opts)
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary)
	}
	want := []string{"Unknown source action", "Unknown approval action", "Unknown pipeline variable"}
	if d := cmp.Diff(want, got); d != "" {
		t.Errorf("diagnostics (-want +got):\n%s", d)
	}
	if !strings.Contains(diags[1].Detail, `Did you mean "Gate.ok"?`) {
		t.Errorf("detail: %s", diags[1].Detail)
	}
}

func TestCancelStopsRun(t *testing.T) {
	b := newBuilder("web")
	b.stage("Slow")
	b.add(localAction("sleep", "echo started", "sleep 30 & wait"), nil, nil)
	b.stage("Never")
	b.add(localAction("after", "echo no"), nil, nil)
	f := newFixture(t, b.p)
	ctx, cancel := context.WithCancel(context.Background())
	f.hook.onLog = func(line string) {
		if line == "started" {
			cancel()
		}
	}
	start := time.Now()
	run, _ := Start(ctx, f.opts)
	if run.Status != StatusStopped || run.Action("Slow.sleep").Status != StatusStopped || run.Action("Never.after").Status != StatusSkipped {
		t.Errorf("statuses: %v %v", run.Status, statuses(run))
	}
	if time.Since(start) > 20*time.Second {
		t.Errorf("the sleeping child was not killed")
	}
	evs := eventSummary(readEvents(t, f, "run-1"))
	if !has(evs, "CodePipeline Action Execution State Change ABANDONED Slow.sleep") || evs[len(evs)-1] != "CodePipeline Pipeline Execution State Change STOPPED" {
		t.Errorf("events: %v", evs)
	}
}

func TestSecondRunIsRefusedWhileLocked(t *testing.T) {
	f := newFixture(t, threeStages())
	lock, err := f.opts.Layout.AcquireLock("web", "run-0", os.Getppid())
	if err != nil {
		t.Fatal(err)
	}
	defer lock.Release()
	_, diags := Start(context.Background(), f.opts)
	if len(diags) != 1 || diags[0].Summary != "Pipeline already running" || !strings.Contains(diags[0].Detail, "run-0") {
		t.Fatalf("diags: %v", diags)
	}
	lock.Release()
	// A lock left by a dead process is taken over.
	os.WriteFile(filepath.Join(f.opts.Layout.LocksDir(), "web.lock"), []byte(`{"pid":999999999,"run_id":"run-0"}`), 0o644)
	if run, diags := Start(context.Background(), f.opts); diags.HasErrors() || run.Status != StatusSucceeded {
		t.Fatalf("stale lock: %v", diags)
	}
}

func TestCacheAndSecretsMasking(t *testing.T) {
	b := newBuilder("web")
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Build")
	b.add(codebuild("print", "echo token=s3cr3t-value", "cat app.txt"), []string{"src"}, nil)
	f := newFixture(t, b.p)
	f.opts.Secrets = &runners.Secrets{ParameterStore: map[string]string{"/ci/token": "s3cr3t-value"}}
	run, _ := Start(context.Background(), f.opts)
	if run.Status != StatusSucceeded || run.Action("Build.print").Cached {
		t.Fatalf("first run: %v", statuses(run))
	}
	f.opts.RunID = "run-2"
	run, _ = Start(context.Background(), f.opts)
	if !run.Action("Build.print").Cached {
		t.Errorf("second identical run was not a cache hit")
	}
	f.opts.RunID, f.opts.NoCache = "run-3", true
	run, _ = Start(context.Background(), f.opts)
	if run.Action("Build.print").Cached {
		t.Errorf("--no-cache run was a cache hit")
	}
	err := filepath.Walk(f.opts.Layout.Root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		data, _ := os.ReadFile(p)
		if strings.Contains(string(data), "s3cr3t-value") {
			t.Errorf("%s holds the secret", p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if log := readLog(t, f, "run-1", "Build.print"); !strings.Contains(log, "token=***") {
		t.Errorf("log:\n%s", log)
	}
}

func TestProjectTimeoutKillsBuild(t *testing.T) {
	b := newBuilder("web")
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Build")
	slow := b.add(codebuild("slow", "echo started", "sleep 30"), []string{"src"}, nil)
	slow.Project.TimeoutInMinutes = 5
	f := newFixture(t, b.p)
	f.opts.Minute = 10 * time.Millisecond // the 5-minute timeout lasts 50ms
	run, _ := Start(context.Background(), f.opts)
	a := run.Action("Build.slow")
	if a.Status != StatusTimedOut || run.Status != StatusFailed {
		t.Fatalf("action %s, run %s", a.Status, run.Status)
	}
	if a.Summary != "Build timed out after 5 minutes" {
		t.Errorf("summary %q", a.Summary)
	}
	evs := eventSummary(readEvents(t, f, "run-1"))
	if !has(evs, "CodeBuild Build State Change TIMED_OUT") || !has(evs, "CodePipeline Action Execution State Change FAILED Build.slow") {
		t.Errorf("events: %v", evs)
	}
}

// A reference without a value when the consumer starts fails the consumer
// with every missing reference named.
func TestUnresolvedVariableFailsAction(t *testing.T) {
	p := threeStages()
	p.Stages[2].Actions[0].Configuration["FunctionName"] = "#{Unit.MISSING}-#{Unit.VERSION}-#{Unit.ALSO}"
	f := newFixture(t, p)
	run, diags := Start(context.Background(), f.opts)
	if a := run.Action("Deploy.ship"); a.Status != StatusFailed || run.Status != StatusFailed {
		t.Fatalf("statuses: %v", statuses(run))
	}
	if len(diags) != 1 || diags[0].Summary != "Unresolved variable" ||
		!strings.Contains(diags[0].Detail, "Unable to resolve #{Unit.ALSO}, #{Unit.MISSING}:") || diags[0].Subject == nil {
		t.Errorf("diags: %v", diags)
	}
}

// A build that prints without newlines reaches the progress hooks in masked
// pieces as it goes (the Masker's limit), not as one line held in memory
// until the action ends; a secret at a piece boundary stays masked.
func TestEndlessLineIsLoggedInPieces(t *testing.T) {
	b := newBuilder("web")
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Build")
	b.add(codebuild("long", `i=0; while [ $i -lt 40 ]; do head -c 9000 /dev/zero | tr '\0' y; printf s3cr3t-value; i=$((i+1)); done; echo; echo done`), []string{"src"}, nil)
	f := newFixture(t, b.p)
	f.opts.Secrets = &runners.Secrets{ParameterStore: map[string]string{"/ci/token": "s3cr3t-value"}}
	run, _ := Start(context.Background(), f.opts)
	if run.Status != StatusSucceeded {
		t.Fatalf("run: %v", statuses(run))
	}
	pieces, ys, masks := 0, 0, 0
	f.hook.mu.Lock()
	defer f.hook.mu.Unlock()
	for _, l := range f.hook.lines {
		line, ok := strings.CutPrefix(l, "log Build.long ")
		if !ok || !strings.HasPrefix(line, "y") {
			continue
		}
		pieces++
		if len(line) > 128<<10 { // the limit plus at most one write of output
			t.Errorf("a log line of %d bytes: the endless line was buffered whole", len(line))
		}
		if strings.Contains(line, "s3cr3t") || strings.Contains(line, "value") {
			t.Errorf("a piece leaks the secret: ...%s", line[len(line)-40:])
		}
		ys += strings.Count(line, "y")
		masks += strings.Count(line, runners.Mask)
	}
	if pieces < 2 || ys != 40*9000 || masks != 40 {
		t.Errorf("%d pieces with %d y and %d masks; want several pieces with %d y and 40 masks", pieces, ys, masks, 40*9000)
	}
	if !f.hook.hasLocked("log Build.long done") {
		t.Errorf("the line after the long one is missing")
	}
}

// TestResumeSensitiveVariableLost: a pipeline variable recorded as ***
// (its default came from a sensitive value) takes its value from the
// configuration again on resume; when the configuration no longer gives
// it a default, resuming is refused instead of running on with "***".
func TestResumeSensitiveVariableLost(t *testing.T) {
	p := threeStages()
	p.Variables[0].Sensitive, p.Variables[0].DefaultValue = true, "s3cret"
	f := newFixture(t, p)
	flag := filepath.Join(f.dir, "fixed")
	p.Stages[1].Actions[1].Local.Commands = []string{"test -f " + flag}
	run, _ := Start(context.Background(), f.opts)
	if run.Status != StatusFailed || run.Variables["release"] != "***" || !slices.Contains(run.MaskedVariables, "release") {
		t.Fatalf("first attempt: %s, variables %v, masked %v", run.Status, run.Variables, run.MaskedVariables)
	}
	if err := os.WriteFile(flag, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	p.Variables[0].HasDefault, p.Variables[0].DefaultValue = false, ""
	_, diags := Resume(context.Background(), f.opts, run)
	if !diags.HasErrors() || diags[0].Summary != "Sensitive variable lost" {
		t.Fatalf("resume without the default: %v", diags)
	}
	if now, err := f.opts.Layout.FindRun("last"); err != nil || now.Attempt != 1 {
		t.Fatalf("the refused resume changed the record: %v %v", now, err)
	}
	p.Variables[0].HasDefault, p.Variables[0].DefaultValue = true, "s3cret"
	if run, diags := Resume(context.Background(), f.opts, run); run == nil || run.Status != StatusSucceeded {
		t.Fatalf("resume with the default back: %v %v", run, diags)
	}
}
