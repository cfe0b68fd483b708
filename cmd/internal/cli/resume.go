package cli

import (
	"context"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/targets/local"
)

func (c *CLI) resumeCommand() *cobra.Command {
	var vars varFlags
	var rf runFlags
	var dir, retryMode string
	cmd := &cobra.Command{
		Use:   "resume RUN",
		Short: "Retry a failed or stopped run from its failed stage",
		Long: `resume retries a failed, stopped or interrupted local run from its first stage
that did not succeed, like the console's Retry: earlier stages keep their
results, artifacts and variables; the run's attempt number goes up.
--retry-mode FAILED_ACTIONS keeps the actions of that stage that succeeded and
runs only the others; ALL_ACTIONS (the default) runs the whole stage again. The
configuration is read again from --dir, so a fix can be tried. RUN is a run
id, a unique prefix of one, or "last".`,
		Example: `  pipeform resume last
  pipeform resume 3f2a --dir examples/node-webapp --approve all`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runResume(dir, args[0], retryMode, &vars, rf)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration directory whose .pipeform holds the run")
	cmd.Flags().StringVar(&retryMode, "retry-mode", local.RetryAllActions, "ALL_ACTIONS runs the failed stage again in full, FAILED_ACTIONS only its actions that did not succeed")
	rf.register(cmd)
	vars.register(cmd)
	return cmd
}

func (c *CLI) runResume(dir, ref, retryMode string, vars *varFlags, rf runFlags) error {
	if retryMode != local.RetryAllActions && retryMode != local.RetryFailedActions {
		return usagef("--retry-mode %q is not a retry mode: give %s or %s", retryMode, local.RetryFailedActions, local.RetryAllActions)
	}
	prev, err := c.findRun(dir, ref)
	if err != nil {
		return err
	}
	l, err := c.loadForRun(dir, vars, prev, rf.asJSON)
	if err != nil {
		return err
	}
	p, err := c.onePipeline(l, prev.Pipeline)
	if err != nil {
		return err
	}
	opts, err := c.runOptions(l, p, rf)
	if err != nil {
		return err
	}
	opts.Sources = prev.Sources
	opts.RetryMode = retryMode
	return c.execute(l, opts, rf, func(ctx context.Context, o local.Options) (*local.Run, hcl.Diagnostics) {
		return local.Resume(ctx, o, prev)
	})
}
