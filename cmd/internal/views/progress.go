package views

import (
	"encoding/json"
	"fmt"
	"io"
	"path/filepath"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/targets/local"
)

// Run progress views: each implements local.Hooks. The scheduler calls a
// view's methods one at a time.

// PlainProgress prints one line per event and one prefixed line per log line
// ("[Stage.Action] line"): the view for logs, pipes and CI.
type PlainProgress struct {
	W io.Writer
}

// NewPlainProgress returns the line-per-event view writing to w.
func NewPlainProgress(w io.Writer) *PlainProgress { return &PlainProgress{W: w} }

func (p *PlainProgress) RunStarted(r *local.Run) {
	if r.Attempt > 1 {
		fmt.Fprintf(p.W, "Resuming run %s of pipeline %s (attempt %d)\n", r.ID, r.Pipeline, r.Attempt)
		return
	}
	fmt.Fprintf(p.W, "Run %s of pipeline %s\n", r.ID, r.Pipeline)
}

func (p *PlainProgress) StageStarted(r *local.Run, s *local.StageState) {
	fmt.Fprintf(p.W, "Stage %s started\n", s.Name)
}

func (p *PlainProgress) ActionStarted(r *local.Run, a *local.ActionState) {
	fmt.Fprintf(p.W, "[%s] started (%s)\n", a.ID(), a.Provider)
}

func (p *PlainProgress) ActionLog(r *local.Run, a *local.ActionState, line string) {
	fmt.Fprintf(p.W, "[%s] %s\n", a.ID(), line)
}

func (p *PlainProgress) ActionWaiting(r *local.Run, a *local.ActionState, message string) {
	fmt.Fprintf(p.W, "[%s] %s\n", a.ID(), message)
}

func (p *PlainProgress) ActionFinished(r *local.Run, a *local.ActionState) {
	fmt.Fprintf(p.W, "[%s] %s%s%s\n", a.ID(), a.Status, durationSuffix(a.StartTime, a.EndTime), summarySuffix(a.Summary))
}

// StageLog prints a line of a stage's own log (its rules).
func (p *PlainProgress) StageLog(r *local.Run, s *local.StageState, line string) {
	fmt.Fprintf(p.W, "[%s] %s\n", s.Name, line)
}

func (p *PlainProgress) StageFinished(r *local.Run, s *local.StageState) {
	fmt.Fprintf(p.W, "Stage %s %s%s\n", s.Name, s.Status, durationSuffix(s.StartTime, s.EndTime))
}

func (p *PlainProgress) RunFinished(r *local.Run) {
	start := r.StartTime
	fmt.Fprintf(p.W, "Run %s %s%s\n", r.ID, r.Status, durationSuffix(&start, r.EndTime))
	writeRunHints(p.W, r)
}

// writeRunHints tells what to do after a run that did not succeed.
func writeRunHints(w io.Writer, r *local.Run) {
	if r.Status == local.StatusSucceeded {
		return
	}
	// Every failed action, with why and where its log is: parallel actions
	// can fail together, and each needs looking at. The run's message (the
	// first failure) is shown only when no action failed, such as a run
	// stopped by a signal.
	failed := 0
	runDir := local.Layout{Root: filepath.Join(r.Dir, ".pipeform")}.RunDir(r.ID)
	for _, s := range r.Stages {
		for _, a := range s.Actions {
			if a.Status != local.StatusFailed && a.Status != local.StatusTimedOut {
				continue
			}
			failed++
			fmt.Fprintf(w, "  %s%s\n", a.ID(), summarySuffix(firstNonEmpty(a.Summary, a.Status)))
			fmt.Fprintf(w, "    log: pipeform logs %s %s\n", r.ID, a.ID())
			if a.Log != "" {
				fmt.Fprintf(w, "    file: %s\n", filepath.Join(runDir, a.Log))
			}
		}
	}
	if failed == 0 && r.Message != "" {
		fmt.Fprintf(w, "  %s\n", r.Message)
	}
	fmt.Fprintf(w, "  retry from the failed stage: pipeform resume %s\n", r.ID)
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

func durationSuffix(start, end *time.Time) string {
	if start == nil || end == nil {
		return ""
	}
	return " in " + FormatDuration(end.Sub(*start))
}

func summarySuffix(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// FormatDuration prints a duration the way the views do: 0.4s, 12.3s, 2m05s.
func FormatDuration(d time.Duration) string {
	if d < time.Minute {
		return fmt.Sprintf("%.1fs", d.Seconds())
	}
	d = d.Round(time.Second)
	return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
}

// ProgressFormatVersion is the format_version of `apply --json` events
// [contract]: a new field or event type is a minor change.
const ProgressFormatVersion = "1.0"

// ProgressEvent is one line of `apply --json`'s NDJSON stream.
type ProgressEvent struct {
	FormatVersion string `json:"format_version"`
	// Type: run_started, stage_started, action_started, action_log,
	// action_waiting, action_finished, stage_finished, run_finished;
	// diagnostics (DiagnosticsEvent); not_triggered (apply --event).
	Type     string     `json:"type"`
	Run      string     `json:"run"`
	Pipeline string     `json:"pipeline"`
	Attempt  int        `json:"attempt,omitempty"`
	Stage    string     `json:"stage,omitempty"`
	Action   string     `json:"action,omitempty"` // "Stage.Action"
	Provider string     `json:"provider,omitempty"`
	Status   string     `json:"status,omitempty"`
	Summary  string     `json:"summary,omitempty"`
	Line     string     `json:"line,omitempty"`
	Message  string     `json:"message,omitempty"`
	Cached   bool       `json:"cached,omitempty"`
	Start    *time.Time `json:"start_time,omitempty"`
	End      *time.Time `json:"end_time,omitempty"`
	// Variables are a finished action's output variables.
	Variables map[string]string `json:"variables,omitempty"`
}

// DiagnosticsEvent is the `apply --json` (and `resume --json`) event for
// diagnostics: the configuration's errors, when the run cannot start, or
// the executor's, after a run. Its fields after type are validate --json's,
// so one decoder reads both.
type DiagnosticsEvent struct {
	FormatVersion string `json:"format_version"`
	Type          string `json:"type"` // "diagnostics"
	Run           string `json:"run,omitempty"`
	Pipeline      string `json:"pipeline,omitempty"`
	*Validation
}

// WriteDiagnosticsEvent writes diags as one diagnostics event line; r is
// the run they belong to, nil when no run started.
func WriteDiagnosticsEvent(w io.Writer, r *local.Run, files map[string]*hcl.File, diags hcl.Diagnostics) error {
	ev := DiagnosticsEvent{FormatVersion: ProgressFormatVersion, Type: "diagnostics", Validation: NewValidation(files, diags)}
	if r != nil {
		ev.Run, ev.Pipeline = r.ID, r.Pipeline
	}
	return json.NewEncoder(w).Encode(ev)
}

// WriteNotTriggeredEvent is apply --event --json's one line when the event
// starts no pipeline (or not the one --pipeline names): a not_triggered
// event whose message says so, so the stream stays NDJSON.
func WriteNotTriggeredEvent(w io.Writer, pipeline, message string) error {
	return json.NewEncoder(w).Encode(ProgressEvent{FormatVersion: ProgressFormatVersion, Type: "not_triggered", Pipeline: pipeline, Message: message})
}

// JSONProgress streams ProgressEvents, one JSON object per line.
type JSONProgress struct {
	enc *json.Encoder
}

// NewJSONProgress returns the NDJSON view writing to w.
func NewJSONProgress(w io.Writer) *JSONProgress {
	return &JSONProgress{enc: json.NewEncoder(w)}
}

func (j *JSONProgress) emit(r *local.Run, ev ProgressEvent) {
	ev.FormatVersion = ProgressFormatVersion
	ev.Run, ev.Pipeline = r.ID, r.Pipeline
	_ = j.enc.Encode(ev)
}

func (j *JSONProgress) RunStarted(r *local.Run) {
	start := r.StartTime
	j.emit(r, ProgressEvent{Type: "run_started", Attempt: r.Attempt, Status: r.Status, Start: &start})
}

func (j *JSONProgress) StageStarted(r *local.Run, s *local.StageState) {
	j.emit(r, ProgressEvent{Type: "stage_started", Stage: s.Name, Status: s.Status, Start: s.StartTime})
}

func (j *JSONProgress) ActionStarted(r *local.Run, a *local.ActionState) {
	j.emit(r, ProgressEvent{Type: "action_started", Stage: a.Stage, Action: a.ID(), Provider: a.Provider, Status: a.Status, Start: a.StartTime})
}

func (j *JSONProgress) ActionLog(r *local.Run, a *local.ActionState, line string) {
	j.emit(r, ProgressEvent{Type: "action_log", Stage: a.Stage, Action: a.ID(), Line: line})
}

func (j *JSONProgress) ActionWaiting(r *local.Run, a *local.ActionState, message string) {
	j.emit(r, ProgressEvent{Type: "action_waiting", Stage: a.Stage, Action: a.ID(), Status: a.Status, Message: message})
}

func (j *JSONProgress) ActionFinished(r *local.Run, a *local.ActionState) {
	j.emit(r, ProgressEvent{Type: "action_finished", Stage: a.Stage, Action: a.ID(), Provider: a.Provider,
		Status: a.Status, Summary: a.Summary, Cached: a.Cached, Start: a.StartTime, End: a.EndTime, Variables: a.Variables})
}

// StageLog is a "stage_log" event: a line of a stage's own log.
func (j *JSONProgress) StageLog(r *local.Run, s *local.StageState, line string) {
	j.emit(r, ProgressEvent{Type: "stage_log", Stage: s.Name, Line: line})
}

func (j *JSONProgress) StageFinished(r *local.Run, s *local.StageState) {
	j.emit(r, ProgressEvent{Type: "stage_finished", Stage: s.Name, Status: s.Status, Start: s.StartTime, End: s.EndTime})
}

func (j *JSONProgress) RunFinished(r *local.Run) {
	start := r.StartTime
	j.emit(r, ProgressEvent{Type: "run_finished", Attempt: r.Attempt, Status: r.Status, Message: r.Message, Start: &start, End: r.EndTime})
}

// statusMark is the one-character mark of a status in the terminal view.
func statusMark(status string) string {
	switch status {
	case local.StatusSucceeded:
		return "✓"
	case local.StatusFailed, local.StatusTimedOut:
		return "✗"
	case local.StatusInProgress:
		return "●"
	case local.StatusWaiting:
		return "?"
	case local.StatusStopped:
		return "■"
	case local.StatusNotEmulated, local.StatusSkipped:
		return "-"
	}
	return " "
}

// truncate shortens s to n runes with an ellipsis.
func truncate(s string, n int) string {
	r := []rune(s)
	if n <= 1 || len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
