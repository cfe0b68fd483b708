package cli

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/targets/local"
)

func (c *CLI) logsCommand() *cobra.Command {
	var dir string
	cmd := &cobra.Command{
		Use:   "logs RUN [STAGE.ACTION[/BUILD]]",
		Short: "Print the logs of a run or one of its actions",
		Long: `logs prints the log of one action of a local run, or of every action that
ran, in pipeline order, each under a header. Logs are masked: secret values
appear as ***. RUN is a run id, a unique prefix of one, or "last".
STAGE.ACTION/BUILD prints the log of one build of a batch build action
(its identifier, such as Test.unit/linux); the action's own log holds
every build's lines, each prefixed with its identifier.`,
		Example: `  pipeform logs last
  pipeform logs 3f2a Test.unit --dir examples/node-webapp`,
		Args: cobra.RangeArgs(1, 2),
		RunE: func(cmd *cobra.Command, args []string) error {
			action := ""
			if len(args) == 2 {
				action = args[1]
			}
			return c.runLogs(dir, args[0], action)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration directory whose .pipeform holds the run")
	return cmd
}

func (c *CLI) runLogs(dir, ref, action string) error {
	r, err := c.findRun(dir, ref)
	if err != nil {
		return err
	}
	runDir := stateLayout(dir).RunDir(r.ID)
	if action != "" {
		action, member, _ := strings.Cut(action, "/")
		a := r.Action(action)
		if a != nil && member != "" {
			return c.memberLog(runDir, a, member)
		}
		if a == nil {
			return usagef("run %s has no action %q; actions: %s%s", r.ID, action, nameList(r.ActionIDs()), suggest(action, r.ActionIDs()))
		}
		if a.Log == "" {
			fmt.Fprintf(c.Stderr, "%s has not run (status %s).\n", a.ID(), a.Status)
			return exit(ExitProblems)
		}
		return c.copyLog(filepath.Join(runDir, a.Log))
	}
	for _, s := range r.Stages {
		for _, a := range s.Actions {
			if a.Log == "" {
				continue
			}
			fmt.Fprintf(c.Stdout, "==> %s (%s) <==\n", a.ID(), a.Status)
			if err := c.copyLog(filepath.Join(runDir, a.Log)); err != nil {
				return err
			}
		}
	}
	return nil
}

// memberLog prints the log of one build of a batch build action.
func (c *CLI) memberLog(runDir string, a *local.ActionState, member string) error {
	var ids []string
	for _, b := range a.Batch {
		if b.Identifier == member {
			return c.copyLog(filepath.Join(runDir, b.Log))
		}
		ids = append(ids, b.Identifier)
	}
	if len(ids) == 0 {
		return usagef("%s ran no batch build, so it has no build %q", a.ID(), member)
	}
	return usagef("%s has no batch build %q; builds: %s%s", a.ID(), member, nameList(ids), suggest(member, ids))
}

func (c *CLI) copyLog(path string) error {
	data, err := os.ReadFile(path)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot read the log %s: %s.\n", path, describeErr(err))
		return exit(ExitProblems)
	}
	c.Stdout.Write(data)
	return nil
}
