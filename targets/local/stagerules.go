package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// stageRules runs stage i the way CodePipeline applies its rules
// (CODEPIPELINE.md §2):
//
//   - before_entry: a failed condition fails the stage (FAIL) or skips it
//     (SKIP: the pipeline goes on with the next stage);
//   - the run groups run;
//   - on_failure with result RETRY: a failed stage runs once more (one
//     automatic retry, as CodePipeline allows), its failed and unreached
//     actions (FAILED_ACTIONS, the default) or all of them (ALL_ACTIONS);
//   - on_success: a failed condition fails the stage (FAIL) or rolls it
//     back (ROLLBACK);
//   - on_failure with result ROLLBACK rolls a failed stage back; with
//     conditions, only when a condition fails.
//
// A rollback runs the stage's actions again with the input artifacts of the
// last earlier run in which the stage succeeded; the run stays failed (the
// rollback restores what that run deployed). It says why when it cannot.
func (s *scheduler) stageRules(ctx context.Context, i int) string {
	gs := s.opts.Pipeline.Stages[i]
	if gs.BeforeEntry != nil {
		if c := s.evalCondition(ctx, i, "before_entry", gs.BeforeEntry, "FAIL"); c != nil {
			if c.Result == "SKIP" {
				s.stageMessage(i, "skipped: its before_entry condition failed")
				return StatusSkipped
			}
			s.stageMessage(i, "failed: its before_entry condition failed")
			return StatusFailed
		}
	}
	s.mu.Lock()
	mark := len(s.diags)
	s.mu.Unlock()
	status := s.runGroups(ctx, gs, nil)
	if status == StatusFailed && gs.OnFailure != nil && gs.OnFailure.Result == "RETRY" {
		status = s.retry(ctx, i, mark)
	}
	if status == StatusSucceeded && gs.OnSuccess != nil {
		if c := s.evalCondition(ctx, i, "on_success", gs.OnSuccess, "FAIL"); c != nil {
			s.stageMessage(i, "failed: its on_success condition failed")
			if c.Result == "ROLLBACK" {
				s.rollback(ctx, i)
			}
			return StatusFailed
		}
	}
	if status == StatusFailed && gs.OnFailure != nil {
		switch {
		case len(gs.OnFailure.Conditions.Conditions) > 0:
			c := s.evalCondition(ctx, i, "on_failure", &gs.OnFailure.Conditions, gs.OnFailure.Result)
			if c != nil && c.Result == "ROLLBACK" {
				s.rollback(ctx, i)
			}
		case gs.OnFailure.Result == "ROLLBACK":
			s.rollback(ctx, i)
		}
	}
	return status
}

// retry runs a failed stage once more. The first attempt's logs are kept
// as logs/<Stage.Action>.attempt1.log, and its failure diagnostics
// (after mark) are dropped when the retry succeeds.
func (s *scheduler) retry(ctx context.Context, i, mark int) string {
	gs := s.opts.Pipeline.Stages[i]
	mode := gs.OnFailure.RetryMode
	if mode == "" {
		mode = "FAILED_ACTIONS"
	}
	only := map[*graph.Action]bool{}
	var ids []string
	s.mu.Lock()
	for _, a := range gs.Actions {
		as := s.state(a)
		if mode == "ALL_ACTIONS" || (as.Status != StatusSucceeded && as.Status != StatusNotEmulated) {
			only[a] = true
			ids = append(ids, a.ID())
			s.resetAction(as, "attempt1")
		}
	}
	s.run.Stages[i].RetryAttempt = 1
	s.run.Message = ""
	s.save()
	s.mu.Unlock()
	s.logf(i, "on_failure RETRY (%s): the stage failed, running %s again", mode, strings.Join(ids, ", "))
	status := s.runGroups(ctx, gs, only)
	s.logf(i, "retry attempt 1: stage %s", strings.ToLower(status))
	if status == StatusSucceeded {
		s.mu.Lock()
		s.diags = s.diags[:mark]
		s.mu.Unlock()
	}
	return status
}

// resetAction makes a finished action pending again, keeping its log under
// a suffix. The caller holds mu.
func (s *scheduler) resetAction(as *ActionState, suffix string) {
	if as.Log != "" {
		dir := s.opts.Layout.RunDir(s.run.ID)
		old := filepath.Join(dir, as.Log)
		os.Rename(old, strings.TrimSuffix(old, ".log")+"."+suffix+".log")
	}
	*as = ActionState{Stage: as.Stage, Name: as.Name, Provider: as.Provider, Status: StatusPending}
}

// rollback runs stage i again with the inputs of the last earlier run in
// which it succeeded, and records how that went.
func (s *scheduler) rollback(ctx context.Context, i int) {
	gs := s.opts.Pipeline.Stages[i]
	prev, why := s.lastGood(gs)
	st := s.run.Stages[i]
	if prev == nil {
		s.mu.Lock()
		st.Rollback = &RollbackState{Status: StatusFailed, Summary: "cannot roll back: " + why}
		s.save()
		s.mu.Unlock()
		s.logf(i, "ROLLBACK: cannot roll back: %s", why)
		return
	}
	s.logf(i, "ROLLBACK: running stage %s again with the input artifacts of run %s, the last run in which it succeeded", gs.Name, prev.ID)
	s.mu.Lock()
	s.inputsFrom = map[string]map[string]string{}
	for _, a := range prev.Stages[indexOfStage(prev, gs.Name)].Actions {
		s.inputsFrom[a.ID()] = a.Inputs
	}
	for _, a := range gs.Actions {
		s.resetAction(s.state(a), "failed")
	}
	s.save()
	s.mu.Unlock()
	status := s.runGroups(ctx, gs, nil)
	s.mu.Lock()
	s.inputsFrom = nil
	st.Rollback = &RollbackState{FromRun: prev.ID, Status: status,
		Summary: fmt.Sprintf("rolled back to the artifacts of run %s: %s", prev.ID, strings.ToLower(status))}
	s.save()
	s.mu.Unlock()
	s.logf(i, "ROLLBACK to run %s %s", prev.ID, strings.ToLower(status))
}

// lastGood finds the latest earlier run of the pipeline in which the stage
// (with the same actions) succeeded and whose input artifacts the store
// still holds; else it says why there is none.
func (s *scheduler) lastGood(gs *graph.Stage) (*Run, string) {
	runs, err := s.opts.Layout.ListRuns()
	if err != nil {
		return nil, "the earlier runs cannot be read: " + err.Error()
	}
	why := fmt.Sprintf("no earlier run of pipeline %q has stage %s succeeded", s.run.Pipeline, gs.Name)
	for k := len(runs) - 1; k >= 0; k-- {
		r := runs[k]
		j := indexOfStage(r, gs.Name)
		if r.ID == s.run.ID || r.Pipeline != s.run.Pipeline || j < 0 || r.Stages[j].Status != StatusSucceeded || !sameActions(r.Stages[j], gs) {
			continue
		}
		missing := ""
		for _, a := range r.Stages[j].Actions {
			for name, d := range a.Inputs {
				if !s.store.Has(d) {
					missing = name
				}
			}
		}
		if missing == "" {
			return r, ""
		}
		why = fmt.Sprintf("run %s, the last in which stage %s succeeded, used artifact %q, which is no longer in the artifact store", r.ID, gs.Name, missing)
	}
	return nil, why
}

func indexOfStage(r *Run, name string) int {
	for j, st := range r.Stages {
		if st.Name == name {
			return j
		}
	}
	return -1
}

// stageMessage records why a rule failed or skipped stage i.
func (s *scheduler) stageMessage(i int, msg string) {
	s.mu.Lock()
	st := s.run.Stages[i]
	st.Message = msg
	if strings.HasPrefix(msg, "failed") && s.run.Message == "" {
		s.run.Message = st.Name + ": " + msg
	}
	s.save()
	s.mu.Unlock()
	s.logf(i, "stage %s", msg)
}
