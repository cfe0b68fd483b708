package runners

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// failurePolicy is a phase's on-failure setting (BUILDSPEC.md §8).
type failurePolicy struct {
	kind    string // "", "ABORT", "CONTINUE" or "RETRY"
	retries int    // RETRY: how many more attempts after the first
	match   *regexp.Regexp
}

// parseOnFailure reads a phase's on-failure (graph.ParseOnFailure, shared
// with validate and the buildspec reader so all three agree). RETRY retries
// the failed phase, not the whole build, up to its count (default 3) when the
// phase's error message matches its regex (default: any).
func parseOnFailure(s string) (failurePolicy, error) {
	if s == "" {
		return failurePolicy{}, nil
	}
	of, err := graph.ParseOnFailure(s)
	if err != nil {
		return failurePolicy{}, err
	}
	return failurePolicy{kind: of.Mode, retries: of.Count, match: of.Regex}, nil
}

// checkBuildspec validates what the agent needs before starting.
func (a *agent) checkBuildspec() hcl.Diagnostics {
	var diags hcl.Diagnostics
	for i, ph := range a.bs.Phases {
		if ph == nil {
			continue
		}
		p, err := parseOnFailure(ph.OnFailure)
		if err != nil {
			diags = append(diags, a.cb.errorf("Invalid on-failure", "phases.%s: %v.", phaseNames[i], err))
		}
		a.policies[i] = p
	}
	if a.bs.Env != nil {
		for _, name := range a.bs.Env.ExportedVariables {
			if strings.HasPrefix(name, "AWS_") {
				diags = append(diags, a.cb.warnf("Variable cannot be exported",
					"env.exported-variables lists %s, but CodeBuild does not export names starting with AWS_; it is left out.", name))
				continue
			}
			a.exported = append(a.exported, name)
		}
	}
	return diags
}

var phaseNames = [4]string{"install", "pre_build", "build", "post_build"}
var phaseTypes = [4]string{"INSTALL", "PRE_BUILD", "BUILD", "POST_BUILD"}

// phases runs the whole build, phase by phase, per the transitions of
// BUILDSPEC.md §8.
func (a *agent) phases() {
	for _, t := range []string{"SUBMITTED", "QUEUED", "PROVISIONING"} {
		a.endPhase(a.beginPhase(t, false), StatusSucceeded, PhaseContext{}, t != "SUBMITTED")
	}
	if !a.downloadSource() {
		a.fail(StatusFailed)
		a.captureExported()
		a.finish()
		return
	}
	upload := true
	for i := 0; i < 4; i++ {
		next, ok := a.runPhase(i)
		if !ok {
			upload = false
			break
		}
		if !next {
			break
		}
	}
	a.captureExported()
	if upload && a.sh.abortReason() == "" {
		a.saveCache()
		a.uploadArtifacts()
	}
	a.finish()
}

// runPhase runs phase i with its retries. next reports whether the build
// goes on to the next buildspec phase; ok whether UPLOAD_ARTIFACTS may
// still run.
func (a *agent) runPhase(i int) (next, ok bool) {
	pol := a.policies[i]
	for attempt := 0; ; attempt++ {
		p := a.beginPhase(phaseTypes[i], true)
		status, pctx := a.execPhase(i)
		a.endPhase(p, status, pctx, true)
		if status == StatusSucceeded {
			return true, true
		}
		if reason := a.sh.abortReason(); reason != "" {
			a.build.BuildStatus = reason
			return false, false
		}
		if pol.kind == "RETRY" && attempt < pol.retries && (pol.match == nil || pol.match.MatchString(pctx.Message)) {
			a.logf("Retrying phase %s (attempt %d of %d) per on-failure %s", Masked(phaseTypes[i]), attempt+2, pol.retries+1, a.bs.Phases[i].OnFailure)
			continue
		}
		a.fail(status)
		switch {
		case pol.kind == "ABORT":
			return false, false
		case pol.kind == "CONTINUE":
			return true, true
		case i < 2: // INSTALL and PRE_BUILD failures go straight to FINALIZING
			return false, false
		default: // BUILD goes on to POST_BUILD; POST_BUILD to UPLOAD_ARTIFACTS
			return true, true
		}
	}
}

// fail marks the build as failing (FAILED, or FAULT for an agent error): CODEBUILD_BUILD_SUCCEEDING becomes 0 for
// every later command.
func (a *agent) fail(status string) {
	a.commitFailure()
	a.succeeding = false
	if a.build.BuildStatus != StatusFault {
		a.build.BuildStatus = status
	}
	a.sh.state.exported["CODEBUILD_BUILD_SUCCEEDING"] = "0"
	a.sh.initial.exported["CODEBUILD_BUILD_SUCCEEDING"] = "0"
}

// execPhase runs one phase's commands, then its finally block.
func (a *agent) execPhase(i int) (string, PhaseContext) {
	ph := a.bs.Phases[i]
	if ph == nil {
		return StatusSucceeded, PhaseContext{}
	}
	if ph.RunAs != "" {
		a.logf("run-as %s is not emulated: commands run as the current user", ph.RunAs)
	}
	status, pctx := a.execCommands(ph.Commands)
	if len(ph.Finally) > 0 && a.sh.abortReason() == "" {
		fstatus, fctx := a.execCommands(ph.Finally)
		if status == StatusSucceeded {
			status, pctx = fstatus, fctx
		}
	}
	if reason := a.sh.abortReason(); reason != "" {
		return reason, abortContext(reason)
	}
	return status, pctx
}

func abortContext(reason string) PhaseContext {
	if reason == StatusTimedOut {
		return PhaseContext{StatusCode: "BUILD_TIMED_OUT", Message: "Build has timed out. "}
	}
	return PhaseContext{StatusCode: "BUILD_STOPPED", Message: "Build has been stopped."}
}

// execCommands runs commands until the first failure.
func (a *agent) execCommands(commands []string) (string, PhaseContext) {
	for _, c := range commands {
		if a.sh.abortReason() != "" {
			break
		}
		a.logf("Running command %s", c)
		code, reason, err := a.sh.run(c)
		// The agent ends every command's output with an empty line and logs
		// nothing more for a command that succeeded.
		a.log.Write([]byte("\n"))
		if err == errAborted {
			break
		}
		if err != nil {
			a.logf("Error while executing command: %s. Reason: %v", c, err)
			return StatusFault, PhaseContext{StatusCode: "COMMAND_EXECUTION_ERROR",
				Message: fmt.Sprintf("Error while executing command: %s. Reason: %v", a.log.String(c), err)}
		}
		if code != 0 {
			if a.sh.abortReason() != "" {
				break
			}
			a.logf("Command did not exit successfully %s %s", c, Masked(reason))
			a.noteFailure(c, reason)
			return StatusFailed, PhaseContext{StatusCode: "COMMAND_EXECUTION_ERROR",
				Message: fmt.Sprintf("Error while executing command: %s. Reason: %s", a.log.String(c), reason)}
		}
	}
	return StatusSucceeded, PhaseContext{}
}
