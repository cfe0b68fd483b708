package views

import (
	"bytes"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/targets/local"
)

// progressRun is a finished run with one failed action, as the scheduler
// leaves it.
func progressRun() (*local.Run, *local.StageState, *local.ActionState) {
	t0 := time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC)
	t1, t2 := t0.Add(1500*time.Millisecond), t0.Add(75*time.Second)
	a := &local.ActionState{Stage: "Build", Name: "unit", Provider: "CodeBuild", Status: local.StatusFailed,
		StartTime: &t1, EndTime: &t2, Summary: "Build terminated with state: FAILED"}
	s := &local.StageState{Name: "Build", Status: local.StatusFailed, StartTime: &t0, EndTime: &t2, Actions: []*local.ActionState{a}}
	r := &local.Run{ID: "0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d", Pipeline: "web", Status: local.StatusFailed, Attempt: 1,
		StartTime: t0, EndTime: &t2, Stages: []*local.StageState{s}, Message: "Build.unit: Build terminated with state: FAILED"}
	return r, s, a
}

func drive(h local.Hooks) {
	r, s, a := progressRun()
	h.RunStarted(r)
	h.StageStarted(r, s)
	h.ActionStarted(r, a)
	h.ActionLog(r, a, "npm test")
	h.ActionFinished(r, a)
	h.StageFinished(r, s)
	h.RunFinished(r)
}

func TestPlainProgress(t *testing.T) {
	var b bytes.Buffer
	drive(NewPlainProgress(&b))
	want := `Run 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d of pipeline web
Stage Build started
[Build.unit] started (CodeBuild)
[Build.unit] npm test
[Build.unit] Failed in 1m14s: Build terminated with state: FAILED
Stage Build Failed in 1m15s
Run 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d Failed in 1m15s
  Build.unit: Build terminated with state: FAILED
    log: pipeform logs 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d Build.unit
  retry from the failed stage: pipeform resume 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d
`
	if d := cmp.Diff(want, b.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestJSONProgress(t *testing.T) {
	var b bytes.Buffer
	drive(NewJSONProgress(&b))
	var types []string
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		var ev ProgressEvent
		if err := json.Unmarshal([]byte(line), &ev); err != nil {
			t.Fatalf("not JSON: %s", line)
		}
		if ev.FormatVersion != ProgressFormatVersion || ev.Run == "" || ev.Pipeline != "web" {
			t.Errorf("envelope: %s", line)
		}
		types = append(types, ev.Type)
	}
	want := []string{"run_started", "stage_started", "action_started", "action_log", "action_finished", "stage_finished", "run_finished"}
	if d := cmp.Diff(want, types); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}

func TestTTYProgress(t *testing.T) {
	var b bytes.Buffer
	now := func() time.Time { return time.Date(2026, 11, 25, 10, 1, 0, 0, time.UTC) }
	drive(NewTTYProgress(&b, 80, now))
	out := b.String()
	// Each redraw moves up over the previous block and clears it.
	if !strings.Contains(out, "\x1b[3A\r\x1b[J") {
		t.Errorf("no redraw in:\n%q", out)
	}
	final := out[strings.LastIndex(out, "\x1b[J")+len("\x1b[J"):]
	want := `✗ web  run 0c9a7e0e  1m15s
  ✗ Build            1m15s
      ✗ unit            1m14s  Build terminated with state: FAILED

Last lines of Build.unit's log:
  npm test
  Build.unit: Build terminated with state: FAILED
    log: pipeform logs 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d Build.unit
  retry from the failed stage: pipeform resume 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d
`
	if d := cmp.Diff(want, final); d != "" {
		t.Errorf("final block (-want +got):\n%s", d)
	}
}

// The summary of a failed run lists every failed action with its reason and
// log, not only the first: parallel actions can fail together.
func TestRunHintsEveryFailure(t *testing.T) {
	r, s, a := progressRun()
	r.Dir = "app"
	a.Log = "logs/Build.unit.log"
	t1 := *a.StartTime
	b := &local.ActionState{Stage: "Build", Name: "lint", Provider: "CodeBuild", Status: local.StatusTimedOut,
		StartTime: &t1, EndTime: a.EndTime, Summary: "Build terminated with state: TIMED_OUT", Log: "logs/Build.lint.log"}
	ok := &local.ActionState{Stage: "Build", Name: "docs", Provider: "CodeBuild", Status: local.StatusSucceeded, Summary: "Build succeeded"}
	s.Actions = append(s.Actions, b, ok)
	var out bytes.Buffer
	writeRunHints(&out, r)
	want := `  Build.unit: Build terminated with state: FAILED
    log: pipeform logs 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d Build.unit
    file: app/.pipeform/runs/0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d/logs/Build.unit.log
  Build.lint: Build terminated with state: TIMED_OUT
    log: pipeform logs 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d Build.lint
    file: app/.pipeform/runs/0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d/logs/Build.lint.log
  retry from the failed stage: pipeform resume 0c9a7e0e-5b0d-4f3e-9d8a-2a1f7a6b5c4d
`
	if d := cmp.Diff(filepath.FromSlash(want), out.String()); d != "" {
		t.Errorf("(-want +got):\n%s", d)
	}
}
