package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/targets/local"
)

func (c *CLI) stopCommand() *cobra.Command {
	var dir, reason string
	var abandon bool
	cmd := &cobra.Command{
		Use:   "stop RUN",
		Short: "Stop a running local run from another shell",
		Long: `stop asks the 'pipeform apply' or 'pipeform resume' that runs RUN, in another
shell, to stop it, like CodePipeline's StopPipelineExecution. By default the
actions in progress finish and no further action starts ("stop and wait");
--abandon stops them at once, killing their processes as Ctrl-C in the
running shell would. The run then ends as Stopped, its message naming who
stopped it and why; 'pipeform resume RUN' retries it.

The request is a file the running process polls for (runs/<id>/stop.json
under DIR/.pipeform), so stop works whoever runs the pipeline. It is
recorded in the audit trail. RUN is a run id, a unique prefix of one, or
"last".`,
		Example: `  pipeform stop last
  pipeform stop 3f2a --abandon --reason "wrong branch"`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runStop(dir, args[0], abandon, reason)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration directory whose .pipeform holds the run")
	cmd.Flags().BoolVar(&abandon, "abandon", false, "stop the actions in progress at once instead of letting them finish")
	cmd.Flags().StringVar(&reason, "reason", "", "why the run is stopped, recorded in the run and the audit trail")
	return cmd
}

func (c *CLI) runStop(dir, ref string, abandon bool, reason string) error {
	r, err := c.findRun(dir, ref)
	if err != nil {
		return err
	}
	req := local.StopRequest{Abandon: abandon, Reason: reason, By: c.userName()}
	if err := c.control(dir).RequestStop(r, req, c.actor()); err != nil {
		return c.refusal(err)
	}
	fmt.Fprintf(c.Stdout, "Asked run %s to stop; 'pipeform runs' shows it as Stopping until it has.\n", r.ID)
	return nil
}
