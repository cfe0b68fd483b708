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
not stopped yet shows as Stopping. RUN arguments of the other
commands accept a unique prefix of the id, or "last".`,
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
	runs, err := layout.ListRuns()
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
			doc.Runs = append(doc.Runs, runSummary{ID: r.ID, Pipeline: r.Pipeline, Status: layout.Status(r),
				Attempt: r.Attempt, StartTime: r.StartTime, EndTime: r.EndTime, Message: r.Message})
		}
		if err := views.WriteJSON(c.Stdout, doc); err != nil {
			return exit(ExitInternal)
		}
		return nil
	}
	if len(runs) == 0 {
		fmt.Fprintf(c.Stdout, "No runs under %s.\n", layout.Root)
		return nil
	}
	tw := tabwriter.NewWriter(c.Stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(tw, "RUN\tPIPELINE\tSTATUS\tSTARTED\tDURATION")
	for _, r := range runs {
		dur := ""
		if r.EndTime != nil {
			dur = views.FormatDuration(r.EndTime.Sub(r.StartTime))
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\n", r.ID, r.Pipeline, layout.Status(r), r.StartTime.Local().Format("2006-01-02 15:04:05"), dur)
	}
	tw.Flush()
	return nil
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
	switch {
	case errors.As(err, &refErr):
		return nil, usagef("%v", err)
	case err != nil:
		fmt.Fprintf(c.Stderr, "Error: cannot read the runs in %s: %s.\n", stateLayout(dir).RunsDir(), describeErr(err))
		return nil, exit(ExitInternal)
	}
	return r, nil
}
