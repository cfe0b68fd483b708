package cli

import (
	"context"
	"fmt"
	"slices"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/targets/local"
	"github.com/pipeform/pipeform/targets/trigger"
)

// eventFlags describe a git event: trigger's flags, and apply --event.
type eventFlags struct {
	event, prEvent, branch, tag, base, head string
}

func (f *eventFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&f.event, "event", "", "the git event: push or pull_request")
	cmd.Flags().StringVar(&f.prEvent, "pr-event", "", "a pull request's event: OPEN (default), UPDATED or CLOSED")
	cmd.Flags().StringVar(&f.branch, "branch", "", "the pushed branch, or a pull request's target branch")
	cmd.Flags().StringVar(&f.tag, "tag", "", "the pushed tag (a push of a tag)")
	cmd.Flags().StringVar(&f.base, "base", "", "count changed files from this revision (push: head's parent; pull request: the merge base with the target branch)")
	cmd.Flags().StringVar(&f.head, "head", "", "the event's commit (default: the pushed tag or branch when it exists here, else HEAD)")
}

// given reports whether any event flag was set.
func (f *eventFlags) given(cmd *cobra.Command) bool {
	for _, n := range []string{"event", "pr-event", "branch", "tag", "base", "head"} {
		if cmd.Flags().Changed(n) {
			return true
		}
	}
	return false
}

// request checks the flags' combination and returns the event to read.
func (f *eventFlags) request() (trigger.Request, error) {
	r := trigger.Request{Kind: f.event, PREvent: strings.ToUpper(f.prEvent), Branch: f.branch, Tag: f.tag, Base: f.base, Head: f.head}
	switch r.Kind {
	case trigger.Push:
		if r.PREvent != "" {
			return r, usagef("--pr-event is for --event pull_request; a push has no pull request event")
		}
		if (r.Branch == "") == (r.Tag == "") {
			return r, usagef("a push is of a branch or of a tag: give --branch B or --tag T, not both or neither")
		}
	case trigger.PullRequest:
		if r.Tag != "" {
			return r, usagef("--tag is for a push; a pull request has a target --branch")
		}
		if r.Branch == "" {
			return r, usagef("a pull request needs its target branch: --branch B")
		}
		if r.PREvent == "" {
			r.PREvent = "OPEN"
		}
		if !slices.Contains(trigger.PREvents, r.PREvent) {
			return r, usagef("--pr-event %s is not a pull request event: give OPEN, UPDATED or CLOSED", f.prEvent)
		}
	case "":
		return r, usagef("--event is required: push or pull_request")
	default:
		return r, usagef("--event %s is not an event: give push or pull_request", r.Kind)
	}
	return r, nil
}

func (c *CLI) triggerCommand() *cobra.Command {
	var vars varFlags
	var ef eventFlags
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "trigger [DIR] --event push|pull_request",
		Short: "Show which pipelines a git push or pull request would start, and why",
		Long: `trigger reads the git repository DIR (default: the current directory) is in,
computes the files changed by the event, and evaluates every pipeline's
triggers the way CodePipeline does: push and pull_request filters on
branches, tags and file paths with include and exclude glob patterns
(excludes win), pull request events, and for a source action without a
trigger its default change detection (a push to its branch).

A push is of a branch (--branch) or of a tag (--tag). Its changed files are
those between --base (default: the head commit's parent) and --head
(default: the pushed tag or branch when it exists in this repository,
else HEAD). A pull request (--event pull_request) targets --branch; its changed
files are counted from the merge base of --head (default HEAD) and --base
(default: the target branch), and --pr-event is OPEN (default), UPDATED or
CLOSED.

It prints which pipelines would start and, for each trigger, which filter
matched or failed, criterion by criterion, with the patterns and files that
decided it. --json prints the same as data: format_version, event (event,
pr_event, branch, tag, base, head, changed_files), pipelines (pipeline,
starts, sources: source_action, provider, default, starts, reason, filters:
kind, index, matched, checks: criterion, matched, reason, files) and starts.

Exit status: 0 the event was evaluated (whether or not a pipeline starts),
1 the configuration or a pattern has errors or git cannot answer, 2 bad
usage.`,
		Example: `  pipeform trigger . --event push --branch main
  pipeform trigger . --event push --tag v1.2.0
  pipeform trigger . --event pull_request --pr-event UPDATED --branch main --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			req, err := ef.request()
			if err != nil {
				return err
			}
			return c.runTrigger(dirArgument(args), &vars, req, asJSON)
		},
	}
	ef.register(cmd)
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the evaluation as JSON")
	vars.register(cmd)
	return cmd
}

func (c *CLI) runTrigger(dir string, vars *varFlags, req trigger.Request, asJSON bool) error {
	l := c.load(dir, vars)
	c.printDiags(l)
	if l.Diags.HasErrors() || l.Graph == nil {
		return exit(ExitProblems)
	}
	report, diags := c.evaluateEvent(l, req)
	if diags.HasErrors() {
		_ = views.WriteDiagnostics(c.Stderr, l.Files, diags, 0, c.color())
		return exit(ExitProblems)
	}
	if asJSON {
		err := views.WriteJSON(c.Stdout, report)
		if err != nil {
			return exit(ExitInternal)
		}
		return nil
	}
	if err := views.WriteTriggerReport(c.Stdout, report); err != nil {
		return exit(ExitInternal)
	}
	return nil
}

// evaluateEvent reads the event from the configuration's git repository
// and evaluates every pipeline's triggers.
func (c *CLI) evaluateEvent(l *loaded, req trigger.Request) (*views.TriggerReport, hcl.Diagnostics) {
	ctx := context.Background()
	repo := trigger.Repo{Dir: l.Dir, Env: c.Environ()}
	gitDiag := func(detail string) hcl.Diagnostics {
		return hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Cannot read the event from git", Detail: detail}}
	}
	if _, err := repo.Root(ctx); err != nil {
		return nil, gitDiag(fmt.Sprintf("%s is not inside a git working tree (%v). The changed files of an event are read from git: run pipeform in the repository that holds the configuration.", l.Dir, err))
	}
	ev, err := repo.Event(ctx, req)
	if err != nil {
		return nil, gitDiag(fmt.Sprintf("%s. Give revisions that exist in the repository (git log and git tag list them).", err))
	}
	results, diags := trigger.Evaluate(l.Graph.Pipelines, ev)
	return views.NewTriggerReport(ev, results), diags
}

// triggeredPipeline picks what apply --event runs: the pipeline the event starts
// (--pipeline, or the only one that starts), and the trigger record. A nil
// result with a nil error means nothing starts, which has been said.
func (c *CLI) triggeredPipeline(l *loaded, name string, req trigger.Request, asJSON bool) (*trigger.Result, *local.Trigger, error) {
	if name != "" {
		// A --pipeline that names no pipeline is the usage error it is
		// without --event, not "nothing to run".
		if _, err := c.onePipeline(l, name); err != nil {
			return nil, nil, err
		}
	}
	report, diags := c.evaluateEvent(l, req)
	if diags.HasErrors() {
		if asJSON {
			_ = views.WriteDiagnosticsEvent(c.Stdout, nil, l.Files, diags)
		}
		_ = views.WriteDiagnostics(c.Stderr, l.Files, diags, 0, c.color())
		return nil, nil, exit(ExitProblems)
	}
	var res *trigger.Result
	if name != "" {
		for _, p := range report.Pipelines {
			if p.Pipeline == name {
				res = p
			}
		}
	} else if len(report.Starts) == 1 {
		res = report.Pipelines[indexOfResult(report, report.Starts[0])]
	} else if len(report.Starts) > 1 {
		return nil, nil, usagef("the %s would start several pipelines: %s; choose one with --pipeline", report.Event.Describe(), nameList(report.Starts))
	}
	if res == nil || !res.Starts {
		what := "no pipeline"
		if res != nil {
			what = "pipeline " + res.Pipeline
		}
		msg := fmt.Sprintf("Nothing to run: the %s starts %s.", report.Event.Describe(), what)
		if asJSON {
			if err := views.WriteNotTriggeredEvent(c.Stdout, name, msg); err != nil {
				return nil, nil, exit(ExitInternal)
			}
			return nil, nil, nil
		}
		fmt.Fprintln(c.Stdout, msg)
		if res != nil {
			for _, s := range res.Sources {
				views.WriteSourceVerdict(c.Stdout, "  ", s)
			}
		}
		return nil, nil, nil
	}
	return res, runTriggerRecord(report.Event, res), nil
}

func indexOfResult(r *views.TriggerReport, name string) int {
	for i, p := range r.Pipelines {
		if p.Pipeline == name {
			return i
		}
	}
	return -1
}

// runTriggerRecord says which source and filter the event matched.
func runTriggerRecord(ev trigger.Event, res *trigger.Result) *local.Trigger {
	t := &local.Trigger{Event: ev.Kind, PREvent: ev.PREvent, Branch: ev.Branch, Tag: ev.Tag, Base: ev.Base, Head: ev.Head}
	for _, s := range res.Sources {
		if !s.Starts {
			continue
		}
		t.SourceAction = s.Action
		t.Filter = "default change detection"
		for _, f := range s.Filters {
			if f.Matched {
				t.Filter = fmt.Sprintf("%s filter %d", f.Kind, f.Index)
				break
			}
		}
		break
	}
	t.Detail = fmt.Sprintf("%s (%s of %s)", ev.Describe(), t.Filter, t.SourceAction)
	return t
}
