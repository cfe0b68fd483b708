package cli

import (
	"errors"
	"fmt"

	"github.com/agext/levenshtein"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/targets/local"
)

func (c *CLI) approveCommand() *cobra.Command {
	var dir, comment string
	var reject bool
	cmd := &cobra.Command{
		Use:   "approve RUN STAGE.ACTION",
		Short: "Approve a manual approval a run is waiting for",
		Long: `approve releases a manual approval that a running 'pipeform apply' waits for,
from another shell; --reject rejects it, which fails the run. The decision is
recorded in the run with who (the USER of this shell) and when. RUN is a run
id, a unique prefix of one, or "last".`,
		Example: `  pipeform approve last Approve.ship
  pipeform approve 3f2a Approve.ship --reject --comment "not on a Friday"`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runApprove(dir, args[0], args[1], !reject, comment)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration directory whose .pipeform holds the run")
	cmd.Flags().BoolVar(&reject, "reject", false, "reject instead of approve")
	cmd.Flags().StringVar(&comment, "comment", "", "a comment recorded with the decision")
	return cmd
}

func (c *CLI) runApprove(dir, ref, id string, approved bool, comment string) error {
	r, err := c.findRun(dir, ref)
	if err != nil {
		return err
	}
	d := local.Decision{Approved: approved, By: c.userName(), Comment: comment}
	if err := c.control(dir).Approve(r, id, d, c.actor()); err != nil {
		return c.refusal(err)
	}
	verb := "Approved"
	if !approved {
		verb = "Rejected"
	}
	fmt.Fprintf(c.Stdout, "%s %s of run %s.\n", verb, id, r.ID)
	return nil
}

// control makes requests of the runs of a configuration directory.
func (c *CLI) control(dir string) local.Control {
	return local.Control{Layout: stateLayout(dir), NewID: newUUID,
		Region: firstNonEmpty(c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION"))}
}

// actor is who runs this command, for the audit trail. The console sets
// PIPEFORM_AUDIT_SOURCE_IP and PIPEFORM_AUDIT_USER_AGENT for the runs it
// starts, so their records say they came from a browser.
func (c *CLI) actor() local.Actor {
	return local.Actor{
		User:      c.userName(),
		SourceIP:  firstNonEmpty(c.Getenv("PIPEFORM_AUDIT_SOURCE_IP"), "localhost"),
		UserAgent: firstNonEmpty(c.Getenv("PIPEFORM_AUDIT_USER_AGENT"), "pipeform-cli"),
	}
}

// refusal prints why a request on a run was refused: a usage error for a
// name that is not there, exit 1 for a run in the wrong state, exit 3 for a
// store that cannot be written.
func (c *CLI) refusal(err error) error {
	var re *local.RefusedError
	switch {
	case errors.As(err, &re) && re.Usage:
		return usagef("%s", re.Msg)
	case errors.As(err, &re):
		fmt.Fprintf(c.Stderr, "Error: %s.\n", re.Msg)
		return exit(ExitProblems)
	}
	fmt.Fprintf(c.Stderr, "Error: %s.\n", describeErr(err))
	return exit(ExitInternal)
}

// suggest is a did-you-mean suffix for usage errors.
func suggest(name string, candidates []string) string {
	best, bestDist := "", 3
	for _, cand := range candidates {
		if d := levenshtein.Distance(name, cand, nil); d < bestDist {
			best, bestDist = cand, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf(". Did you mean %q?", best)
}
