package runners

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"
	"time"
)

func TestApprovalSources(t *testing.T) {
	now := func() time.Time { return time.Date(2026, 11, 25, 10, 0, 0, 0, time.UTC) }
	file := filepath.Join(t.TempDir(), "decision.json")

	d, _ := (&Approval{AutoApprove: true, By: "ci", Now: now, Log: &bytes.Buffer{}}).Run(context.Background())
	if d == nil || !d.Approved || d.By != "ci" {
		t.Errorf("auto: %+v", d)
	}

	prompt := func(ctx context.Context, q string) (bool, string, error) { return false, "no: " + q, nil }
	d, _ = (&Approval{Message: "Ship?", Prompt: prompt, By: "ana", Now: now, Log: &bytes.Buffer{}}).Run(context.Background())
	if d == nil || d.Approved || d.Comment != "no: Ship?" {
		t.Errorf("prompt: %+v", d)
	}

	// No answer at the prompt: wait for the decision file.
	noAnswer := func(ctx context.Context, q string) (bool, string, error) { return false, "", ErrNoAnswer }
	waiting := make(chan bool, 1)
	go func() {
		<-waiting
		data, _ := json.Marshal(Decision{Approved: true, By: "bob", Time: now()})
		// Atomically, as pipeform approve writes it.
		os.WriteFile(file+".tmp", data, 0o644)
		os.Rename(file+".tmp", file)
	}()
	var log bytes.Buffer
	d, _ = (&Approval{Prompt: noAnswer, DecisionFile: file, Poll: time.Millisecond, Now: now, Log: &log,
		Waiting: func() { waiting <- true }}).Run(context.Background())
	if d == nil || !d.Approved || d.By != "bob" {
		t.Errorf("file: %+v", d)
	}
	if got := log.String(); got != "Approval needed: (no message)\nApproved by bob\n" {
		t.Errorf("log %q", got)
	}

	// Timeout rejects; cancellation returns no decision.
	os.Remove(file)
	d, _ = (&Approval{DecisionFile: file, Poll: time.Millisecond, Timeout: 5 * time.Millisecond, Now: now, Log: &bytes.Buffer{}}).Run(context.Background())
	if d == nil || d.Approved || d.By != "timeout" {
		t.Errorf("timeout: %+v", d)
	}
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if d, diags := (&Approval{DecisionFile: file, Now: now, Log: &bytes.Buffer{}}).Run(ctx); d != nil || diags.HasErrors() {
		t.Errorf("cancelled: %+v %v", d, diags)
	}
}

// A decision from another shell releases an approval whose terminal prompt
// is still unanswered; the prompt is cancelled.
func TestApprovalFileBeatsPrompt(t *testing.T) {
	file := filepath.Join(t.TempDir(), "decision.json")
	cancelled := make(chan bool, 1)
	prompt := func(ctx context.Context, q string) (bool, string, error) {
		<-ctx.Done()
		cancelled <- true
		return false, "", ctx.Err()
	}
	waiting := func() {
		data, _ := json.Marshal(Decision{Approved: true, By: "bob"})
		os.WriteFile(file+".tmp", data, 0o644)
		os.Rename(file+".tmp", file)
	}
	d, diags := (&Approval{Prompt: prompt, DecisionFile: file, Poll: time.Millisecond, Waiting: waiting,
		Now: time.Now, Log: &bytes.Buffer{}}).Run(context.Background())
	if diags.HasErrors() || d == nil || !d.Approved || d.By != "bob" {
		t.Fatalf("%+v %v", d, diags)
	}
	<-cancelled
}
