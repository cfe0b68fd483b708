package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"time"
)

// The requests another process makes of a running run: approve or reject a
// waiting approval, and stop. Both the CLI (approve, stop) and the console
// call these functions, so the checks, the files and the audit records are
// the same whichever asks. A request is a file the running scheduler polls:
// runs/<id>/approvals/<Stage.Action>.json for a decision, runs/<id>/stop.json
// for a stop.

// RefusedError says why a request cannot be carried out: the run's state
// or a name that is not there, never a broken store. Usage is true when the
// request itself is wrong (an action that does not exist).
type RefusedError struct {
	Usage bool
	Msg   string
}

func (e *RefusedError) Error() string { return e.Msg }

func refused(usage bool, format string, args ...any) error {
	return &RefusedError{Usage: usage, Msg: fmt.Sprintf(format, args...)}
}

// Control makes requests of runs and records them in the audit trail.
type Control struct {
	Layout Layout
	// Now and NewID default to the clock and a random UUID.
	Now   func() time.Time
	NewID func() string
	// Region and Account appear in the audit records' ARNs.
	Region, Account string
}

func (c Control) recorder() auditRecorder {
	return auditRecorder{layout: c.Layout, now: c.Now, newID: c.NewID, region: c.Region, account: c.Account}
}

func (c Control) now() time.Time {
	if c.Now == nil {
		return time.Now()
	}
	return c.Now()
}

// Approve records who approved or rejected the manual approval actionID of
// run r, for the run's process to pick up. d.Time is set when zero.
func (c Control) Approve(r *Run, actionID string, d Decision, who Actor) error {
	a := r.Action(actionID)
	var approvals []string
	for _, x := range r.ActionIDs() {
		if r.Action(x).Provider == "Manual" {
			approvals = append(approvals, x)
		}
	}
	if a == nil || a.Provider != "Manual" {
		return refused(true, "run %s has no manual approval %q; approvals: %s.%s", r.ID, actionID, listOrNone(approvals), didYouMean(actionID, approvals))
	}
	if a.Status != StatusWaiting && a.Status != StatusInProgress || r.Finished() {
		return refused(false, "%s of run %s is not waiting for approval (status %s)", actionID, r.ID, a.Status)
	}
	if !c.Layout.Running(r) {
		// Nobody would read the decision, and resume starts the approval
		// afresh: say so instead of reporting an approval that is lost.
		return refused(false, "run %s is not running any more (its process is gone), so nothing waits for this decision.\nResume it with 'pipeform resume %s', then approve %s", r.ID, r.ID, actionID)
	}
	if d.Time.IsZero() {
		d.Time = c.now().UTC()
	}
	d.By = orUnknown(d.By)
	data, _ := json.Marshal(d)
	file := c.Layout.ApprovalFile(r.ID, actionID)
	if err := WriteFileAtomic(file, data); err != nil {
		return fmt.Errorf("cannot record the decision in %s: %w", file, err)
	}
	status := "Approved"
	if !d.Approved {
		status = "Rejected"
	}
	return auditFailure("decision", c.recorder().record(who, AuditApprove, r.Pipeline, map[string]any{
		"pipelineName": r.Pipeline, "pipelineExecutionId": r.ID, "stageName": a.Stage, "actionName": a.Name,
		"result": map[string]any{"status": status, "summary": d.Comment}, "token": a.ExecutionID,
	}, map[string]any{"approvedAt": d.Time.UTC().Format(time.RFC3339)}))
}

// StopRequest asks a running run to stop, as StopPipelineExecution does.
type StopRequest struct {
	// Abandon stops the actions in progress at once (their processes are
	// killed); otherwise they finish and no further action starts.
	Abandon bool      `json:"abandon"`
	Reason  string    `json:"reason,omitempty"`
	By      string    `json:"by"`
	Time    time.Time `json:"time"`
}

func (l Layout) stopFile(runID string) string { return filepath.Join(l.RunDir(runID), "stop.json") }

// RequestStop asks the process running r to stop it. The process polls for
// the request (as it polls for approval decisions), so this works from
// another shell, another user's console or a script alike.
func (c Control) RequestStop(r *Run, req StopRequest, who Actor) error {
	if r.Finished() {
		return refused(false, "run %s has already ended (status %s); there is nothing to stop", r.ID, r.Status)
	}
	if !c.Layout.Running(r) {
		return refused(false, "run %s is not running any more (its process is gone); there is nothing to stop", r.ID)
	}
	if req.Time.IsZero() {
		req.Time = c.now().UTC()
	}
	req.By = orUnknown(req.By)
	data, _ := json.Marshal(req)
	if err := WriteFileAtomic(c.Layout.stopFile(r.ID), data); err != nil {
		return fmt.Errorf("cannot record the stop request in %s: %w", c.Layout.stopFile(r.ID), err)
	}
	return auditFailure("stop request", c.recorder().record(who, AuditStop, r.Pipeline, map[string]any{
		"pipelineName": r.Pipeline, "pipelineExecutionId": r.ID, "abandon": req.Abandon, "reason": req.Reason,
	}, map[string]any{"pipelineExecutionId": r.ID}))
}

// auditFailure says that a request took effect but its audit record could
// not be written, so the caller does not report it as not done.
func auditFailure(what string, err error) error {
	if err == nil {
		return nil
	}
	return fmt.Errorf("the %s is recorded and takes effect, but the audit trail cannot be written: %w", what, err)
}

// StopRequested returns the stop request of a run, or nil.
func (l Layout) StopRequested(runID string) *StopRequest {
	if !validRunID(runID) {
		return nil
	}
	data, err := os.ReadFile(l.stopFile(runID))
	if err != nil {
		return nil
	}
	var req StopRequest
	if json.Unmarshal(data, &req) != nil {
		return nil
	}
	return &req
}

func (l Layout) clearStop(runID string) error {
	err := os.Remove(l.stopFile(runID))
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// Status is the run's status as a reader should show it: Stopping while a
// stop request waits for the running process, Interrupted when the record
// says in progress but its process is gone (kill -9, a crash), else the
// recorded status.
func (l Layout) Status(r *Run) string {
	switch {
	case r.Finished():
		return r.Status
	case !l.Running(r):
		return "Interrupted"
	case l.StopRequested(r.ID) != nil:
		return "Stopping"
	}
	return r.Status
}
