package cli

import (
	"errors"
	"fmt"
	"path/filepath"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/targets/local"
)

func (c *CLI) runsCommand() *cobra.Command {
	var asJSON bool
	cmd := &cobra.Command{
		Use:   "runs [DIR]",
		Short: "List local pipeline runs",
		Long: `runs lists the local runs recorded under DIR/.pipeform (default: the current
directory), oldest first: id, pipeline, status, start time and duration. A run
whose process died (kill -9, a crash) while it was in progress shows as
Interrupted; 'pipeform resume RUN' continues it. A run asked to stop that has
not stopped yet shows as Stopping. A run whose record cannot be read (a
damaged or hand-edited run.json) shows as Unreadable, with the reason on
stderr and in --json's message, and runs exits 1. RUN arguments of the other
commands accept a unique prefix of the id, or "last" (the run started last,
even when it is unreadable: no other run is used in its place).`,
		Example: `  pipeform runs
  pipeform runs examples/node-webapp --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runRuns(dirArgument(args), asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the runs as JSON")
	return cmd
}

// RunSummary is one entry of `runs --json`.
type runSummary struct {
	ID        string     `json:"id"`
	Pipeline  string     `json:"pipeline"`
	Status    string     `json:"status"`
	Attempt   int        `json:"attempt"`
	StartTime time.Time  `json:"start_time"`
	EndTime   *time.Time `json:"end_time,omitempty"`
	Message   string     `json:"message,omitempty"`
}

func (c *CLI) runRuns(dir string, asJSON bool) error {
	if dir != "" {
		if err := checkDir("runs "+dir, dir); err != nil {
			return err
		}
	}
	layout := stateLayout(dir)
	runs, err := layout.RunInfos()
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot read the runs in %s: %s.\n", layout.RunsDir(), describeErr(err))
		return exit(ExitInternal)
	}
	if asJSON {
		doc := struct {
			FormatVersion string       `json:"format_version"`
			Runs          []runSummary `json:"runs"`
		}{FormatVersion: "1.0", Runs: []runSummary{}}
		for _, r := range runs {
			msg := r.Message
			if r.Err != nil {
				msg = r.Err.Error()
			}
			doc.Runs = append(doc.Runs, runSummary{ID: r.ID, Pipeline: r.Pipeline, Status: displayStatus(layout, &r),
				Attempt: r.Attempt, StartTime: r.StartTime, EndTime: r.EndTime, Message: msg})
		}
		if err := views.WriteJSON(c.Stdout, doc); err != nil {
			return exit(ExitInternal)
		}
		return unreadableExit(runs)
	}
	if len(runs) == 0 {
		fmt.Fprintf(c.Stdout, "No runs under %s.\n", layout.Root)
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tPIPELINE\tSTATUS\tSTARTED\tDURATION")
	for _, r := range runs {
		dur, started := "", ""
		if r.EndTime != nil {
			dur = views.FormatDuration(r.EndTime.Sub(r.StartTime))
		}
		if !r.StartTime.IsZero() {
			started = r.StartTime.Local().Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, orDash(r.Pipeline), displayStatus(layout, &r), orDash(started), dur)
	}
	tw.Flush()
	for _, r := range runs {
		if r.Err != nil {
			fmt.Fprintf(c.Stderr, "Warning: %s.\n", r.Err)
		}
	}
	return unreadableExit(runs)
}

// unreadableExit is exit status 1 when a run's record cannot be read.
func unreadableExit(runs []local.RunInfo) error {
	for _, r := range runs {
		if r.Err != nil {
			return exit(ExitProblems)
		}
	}
	return nil
}

// displayStatus is the run's status: Unreadable when its record cannot be
// read; otherwise what Layout.Status says (Interrupted, Stopping, ...).
func displayStatus(l local.Layout, r *local.RunInfo) string {
	switch {
	case r.Err != nil:
		return "Unreadable"
	case r.Finished():
		return r.Status
	}
	return l.Status(&local.Run{ID: r.ID, Pipeline: r.Pipeline, Status: r.Status})
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// stateLayout is the .pipeform directory of a configuration directory.
func stateLayout(dir string) local.Layout {
	if dir == "" {
		dir = "."
	}
	return local.Layout{Root: filepath.Join(dir, ".pipeform")}
}

// findRun resolves a RUN argument, printing why it cannot.
func (c *CLI) findRun(dir, ref string) (*local.Run, error) {
	if err := checkDir("--dir "+dir, dir); err != nil {
		return nil, err
	}
	r, err := stateLayout(dir).FindRun(ref)
	var refErr *local.RunRefError
	var unreadable *local.UnreadableRunError
	switch {
	case errors.As(err, &refErr):
		return nil, usagef("%v", err)
	case errors.As(err, &unreadable):
		// Never another run in its place: "last" is the run started last.
		fmt.Fprintf(c.Stderr, "Error: %s. No other run is used in its place: pipeform runs lists it as Unreadable; repair or remove its folder %s.\n",
			unreadable.Err, stateLayout(dir).RunDir(unreadable.ID))
		return nil, exit(ExitProblems)
	case err != nil:
		fmt.Fprintf(c.Stderr, "Error: cannot read the runs in %s: %s.\n", stateLayout(dir).RunsDir(), describeErr(err))
		return nil, exit(ExitInternal)
	}
	return r, nil
}
