package cli

import (
	"encoding/json"
	"fmt"
	"time"

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
	a := r.Action(id)
	var approvals []string
	for _, x := range r.ActionIDs() {
		if r.Action(x).Provider == "Manual" {
			approvals = append(approvals, x)
		}
	}
	if a == nil || a.Provider != "Manual" {
		return usagef("run %s has no manual approval %q; approvals: %s%s", r.ID, id, nameList(approvals), suggest(id, approvals))
	}
	if a.Status != local.StatusWaiting && a.Status != local.StatusInProgress || r.Finished() {
		fmt.Fprintf(c.Stderr, "Error: %s of run %s is not waiting for approval (status %s).\n", id, r.ID, a.Status)
		return exit(ExitProblems)
	}
	if !stateLayout(dir).Running(r) {
		// Nobody would read the decision, and resume starts the approval
		// afresh: say so instead of reporting an approval that is lost.
		fmt.Fprintf(c.Stderr, "Error: run %s is not running any more (its process is gone), so nothing waits for this decision.\nResume it with 'pipeform resume %s', then approve %s.\n", r.ID, r.ID, id)
		return exit(ExitProblems)
	}
	d := local.Decision{Approved: approved, By: c.userName(), Comment: comment, Time: time.Now().UTC()}
	data, _ := json.Marshal(d)
	if err := local.WriteFileAtomic(stateLayout(dir).ApprovalFile(r.ID, id), data); err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot record the decision in %s: %s.\n", stateLayout(dir).ApprovalFile(r.ID, id), describeErr(err))
		return exit(ExitInternal)
	}
	verb := "Approved"
	if !approved {
		verb = "Rejected"
	}
	fmt.Fprintf(c.Stdout, "%s %s of run %s.\n", verb, id, r.ID)
	return nil
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
