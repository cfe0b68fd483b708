package runners

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Decision is a manual approval's outcome, as recorded in the run and as
// written by `pipeform approve` into the decision file.
type Decision struct {
	Approved bool      `json:"approved"`
	By       string    `json:"by"`
	Comment  string    `json:"comment,omitempty"`
	Time     time.Time `json:"time"`
}

// Approval runs a manual approval action. The decision comes from
// AutoApprove (--approve), or else from whichever answers first: Prompt (a
// terminal) or a decision file that `pipeform approve` writes from another
// shell, polled until it appears.
type Approval struct {
	// Message is the approval's CustomData with #{...} already resolved;
	// Link its ExternalEntityLink.
	Message, Link string
	// AutoApprove approves at once, recorded as By.
	AutoApprove bool
	By          string
	// Prompt asks on a terminal; nil when there is none. It returns
	// ErrNoAnswer when the person gave no answer (end of input), and the
	// approval then waits for a decision file only. Its context is cancelled
	// when the decision file answers first.
	Prompt func(ctx context.Context, question string) (approved bool, comment string, err error)
	// DecisionFile is polled every Poll (default 200ms) for a Decision.
	DecisionFile string
	Poll         time.Duration
	// Timeout rejects the approval when no decision arrives in time (zero:
	// 7 days, CodePipeline's default).
	Timeout time.Duration
	// Waiting is called once when the action starts waiting for a decision
	// file, so the run record and views can say so.
	Waiting func()
	Now     func() time.Time
	Log     io.Writer
}

// ErrNoAnswer is what a Prompt returns when nobody answered.
var ErrNoAnswer = errors.New("no answer")

// Run waits for the decision. A cancelled context ends it without one.
func (a *Approval) Run(ctx context.Context) (*Decision, hcl.Diagnostics) {
	OwnLine(a.Log, "Approval needed: %s", approvalOr(a.Message, "(no message)"))
	if a.Link != "" {
		OwnLine(a.Log, "Review: %s", a.Link)
	}
	if a.AutoApprove {
		d := &Decision{Approved: true, By: a.By, Comment: "approved with --approve", Time: a.Now()}
		a.logDecision(d)
		return d, nil
	}
	// The prompt and the decision file race: whichever answers first wins,
	// so `pipeform approve` from another shell works while a prompt waits.
	pctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var answers chan approvalAnswer
	if a.Prompt != nil {
		answers = make(chan approvalAnswer, 1)
		go func() {
			ok, comment, err := a.Prompt(pctx, approvalOr(a.Message, "Approve?"))
			answers <- approvalAnswer{ok, comment, err}
		}()
	}
	return a.wait(ctx, answers)
}

type approvalAnswer struct {
	approved bool
	comment  string
	err      error
}

func (a *Approval) wait(ctx context.Context, answers chan approvalAnswer) (*Decision, hcl.Diagnostics) {
	poll := a.Poll
	if poll <= 0 {
		poll = 200 * time.Millisecond
	}
	timeout := a.Timeout
	if timeout <= 0 {
		timeout = 7 * 24 * time.Hour
	}
	if a.Waiting != nil {
		a.Waiting()
	}
	deadline := time.NewTimer(timeout)
	defer deadline.Stop()
	tick := time.NewTicker(poll)
	defer tick.Stop()
	for {
		d, diags := approvalReadDecision(a.DecisionFile)
		if d != nil || diags.HasErrors() {
			if d != nil {
				a.logDecision(d)
			}
			return d, diags
		}
		select {
		case <-ctx.Done():
			return nil, nil
		case ans := <-answers:
			switch {
			case ans.err == nil:
				d := &Decision{Approved: ans.approved, By: a.By, Comment: ans.comment, Time: a.Now()}
				a.logDecision(d)
				return d, nil
			case ctx.Err() != nil:
				return nil, nil
			case !errors.Is(ans.err, ErrNoAnswer):
				return nil, approvalDiag("Approval prompt failed", ans.err.Error()+".")
			}
			answers = nil // no answer at the terminal: keep waiting for the file
		case <-deadline.C:
			d := &Decision{Approved: false, By: "timeout", Comment: fmt.Sprintf("no decision within %s", timeout), Time: a.Now()}
			a.logDecision(d)
			return d, nil
		case <-tick.C:
		}
	}
}

func approvalReadDecision(path string) (*Decision, hcl.Diagnostics) {
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, approvalDiag("Cannot read the approval decision", err.Error()+".")
	}
	var d Decision
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, approvalDiag("Cannot read the approval decision", fmt.Sprintf("%s is not a decision written by pipeform approve: %v.", path, err))
	}
	return &d, nil
}

func (a *Approval) logDecision(d *Decision) {
	verb := "Rejected"
	if d.Approved {
		verb = "Approved"
	}
	if d.Comment != "" {
		OwnLine(a.Log, "%s by %s: %s", Masked(verb), approvalOr(d.By, "unknown"), d.Comment)
		return
	}
	OwnLine(a.Log, "%s by %s", Masked(verb), approvalOr(d.By, "unknown"))
}

func approvalDiag(summary, detail string) hcl.Diagnostics {
	return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: summary, Detail: detail}}
}

func approvalOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
