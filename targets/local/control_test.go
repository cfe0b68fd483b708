package local

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

func TestResumeFailedActionsKeepsSucceededOnes(t *testing.T) {
	p := threeStages()
	f := newFixture(t, p)
	flag := filepath.Join(f.dir, "fixed")
	p.Stages[1].Actions[1].Local.Commands = []string{"test -f " + flag}
	f.opts.Actor = Actor{User: "ana", SourceIP: "127.0.0.1", UserAgent: "test"}
	run, _ := Start(context.Background(), f.opts)
	if run.Status != StatusFailed {
		t.Fatalf("first attempt: %s", run.Status)
	}
	unitExec, lintExec := run.Action("Build.unit").ExecutionID, run.Action("Build.lint").ExecutionID
	os.WriteFile(flag, nil, 0o644)
	prev, _ := f.opts.Layout.Run("run-1")
	o := f.opts
	o.RetryMode = RetryFailedActions
	run, diags := Resume(context.Background(), o, prev)
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if run.Status != StatusSucceeded {
		t.Fatalf("resumed run: %s", run.Status)
	}
	if got := run.Action("Build.unit").ExecutionID; got != unitExec {
		t.Errorf("Build.unit ran again (%s, was %s): FAILED_ACTIONS keeps what succeeded", got, unitExec)
	}
	if got := run.Action("Build.lint").ExecutionID; got == lintExec {
		t.Errorf("Build.lint did not run again")
	}
	// The kept action's variables and artifact still reach the next stage.
	if log := readLog(t, f, "run-1", "Deploy.ship"); !strings.Contains(log, "release=1.2.3-latest-run-1") || !strings.Contains(log, "hello") {
		t.Errorf("Deploy.ship log:\n%s", log)
	}
	audit, err := f.opts.Layout.Audit("run-1")
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range audit {
		got = append(got, e.EventName+" "+e.UserIdentity.UserName+" "+e.SourceIPAddress)
	}
	want := []string{"StartPipelineExecution ana 127.0.0.1", "RetryStageExecution ana 127.0.0.1"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("audit trail: %q, want %q", got, want)
	}
	if audit[1].RequestParameters["retryMode"] != RetryFailedActions || audit[1].RequestParameters["stageName"] != "Build" {
		t.Errorf("retry record: %v", audit[1].RequestParameters)
	}
}

// stopWhenStarted runs the pipeline and asks it to stop once action id logs
// "started".
func stopWhenStarted(t *testing.T, abandon bool) (*Run, *fixture) {
	b := newBuilder("web")
	b.stage("Build")
	b.add(localAction("slow", "echo started", "sleep 2", "echo finished"), nil, nil)
	b.stage("Deploy")
	b.add(localAction("ship", "echo shipping"), nil, nil)
	f := newFixture(t, b.p)
	f.hook.onLog = func(line string) {
		if line != "started" {
			return
		}
		go func() {
			r, err := f.opts.Layout.Run("run-1")
			if err != nil {
				t.Error(err)
				return
			}
			c := Control{Layout: f.opts.Layout, NewID: f.opts.NewID}
			if err := c.RequestStop(r, StopRequest{Abandon: abandon, Reason: "wrong branch", By: "ana"}, Actor{User: "ana"}); err != nil {
				t.Error(err)
			}
		}()
	}
	run, _ := Start(context.Background(), f.opts)
	return run, f
}

func TestStopRequestWaitsForActionsInProgress(t *testing.T) {
	run, f := stopWhenStarted(t, false)
	if run.Status != StatusStopped || run.Message != "stopped by ana: wrong branch" {
		t.Errorf("run %s (%q), want Stopped by ana", run.Status, run.Message)
	}
	if s := statuses(run); s["Build.slow"] != StatusSucceeded || s["Deploy.ship"] != StatusSkipped {
		t.Errorf("statuses %v: the action in progress finishes, the next does not start", s)
	}
	if log := readLog(t, f, "run-1", "Build.slow"); !strings.Contains(log, "finished") {
		t.Errorf("Build.slow was cut short:\n%s", log)
	}
	if f.opts.Layout.Status(run) != StatusStopped {
		t.Errorf("display status %s", f.opts.Layout.Status(run))
	}
}

func TestStopRequestAbandonKillsActionsInProgress(t *testing.T) {
	start := time.Now()
	run, f := stopWhenStarted(t, true)
	if run.Status != StatusStopped || run.Action("Build.slow").Status != StatusStopped {
		t.Errorf("run %s, Build.slow %s; want both Stopped", run.Status, run.Action("Build.slow").Status)
	}
	if log := readLog(t, f, "run-1", "Build.slow"); strings.Contains(log, "finished") {
		t.Errorf("Build.slow ran to its end after an abandoning stop (%s):\n%s", time.Since(start), log)
	}
	audit, _ := f.opts.Layout.Audit("run-1")
	if len(audit) != 2 || audit[1].EventName != AuditStop || audit[1].RequestParameters["abandon"] != true {
		t.Errorf("audit trail: %+v", audit)
	}
}

func TestControlRefusals(t *testing.T) {
	f := newFixture(t, threeStages())
	run, _ := Start(context.Background(), f.opts)
	c := Control{Layout: f.opts.Layout, NewID: f.opts.NewID}
	var re *RefusedError
	err := c.RequestStop(run, StopRequest{}, Actor{})
	if !errors.As(err, &re) || !strings.Contains(re.Msg, "has already ended") {
		t.Errorf("stopping a finished run: %v", err)
	}
	err = c.Approve(run, "Build.nope", Decision{Approved: true}, Actor{})
	if !errors.As(err, &re) || !re.Usage || !strings.Contains(re.Msg, "has no manual approval") {
		t.Errorf("approving an action that is not there: %v", err)
	}
	if audit, _ := f.opts.Layout.Audit(""); len(audit) != 1 {
		t.Errorf("refused requests were recorded: %+v", audit)
	}
}

func TestReadersRefuseOutsidePaths(t *testing.T) {
	f := newFixture(t, threeStages())
	run, _ := Start(context.Background(), f.opts)
	l := f.opts.Layout
	for _, id := range []string{"../run-1", "run-1/..", "", "a/b", ".."} {
		if _, err := l.Run(id); !errors.Is(err, ErrNotFound) {
			t.Errorf("Run(%q): %v", id, err)
		}
	}
	digest := run.Action("Build.unit").Outputs["dist"]
	files, err := l.ArtifactFiles(digest)
	if err != nil || len(files) != 1 || files[0].Path != "app.txt" {
		t.Fatalf("ArtifactFiles: %v %+v", err, files)
	}
	if fh, err := l.OpenArtifactFile(digest, "app.txt"); err != nil {
		t.Errorf("OpenArtifactFile: %v", err)
	} else {
		fh.Close()
	}
	// A link in a stored artifact that points out of it.
	os.Symlink(filepath.Join(f.dir, "app.txt"), filepath.Join(l.ArtifactsDir(), digest, "out"))
	for _, rel := range []string{"../" + digest + "/app.txt", "/etc/passwd", "out", ".", `..\x`} {
		if _, err := l.OpenArtifactFile(digest, rel); !errors.Is(err, ErrNotFound) {
			t.Errorf("OpenArtifactFile(%q): %v", rel, err)
		}
	}
	if _, err := l.ArtifactFiles("../runs"); !errors.Is(err, ErrNotFound) {
		t.Errorf("ArtifactFiles(../runs): %v", err)
	}
	if _, _, err := l.ReadLog(run, "../../run.json", 0); !errors.Is(err, ErrNotFound) {
		t.Errorf("ReadLog of a path: %v", err)
	}
	data, next, err := l.ReadLog(run, "Build.lint", 0)
	if err != nil || !strings.Contains(string(data), "linting") || next != int64(len(data)) {
		t.Errorf("ReadLog: %q %d %v", data, next, err)
	}
	if more, _, _ := l.ReadLog(run, "Build.lint", next); len(more) != 0 {
		t.Errorf("ReadLog past the end: %q", more)
	}
	if tr := l.Trigger("run-1"); tr == nil || tr.TriggerType != "StartPipelineExecution" {
		t.Errorf("Trigger: %+v", tr)
	}
}
