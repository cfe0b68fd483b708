package cli

import "github.com/spf13/cobra"

func (c *CLI) logsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "logs RUN [ACTION]",
		Short: "Print the logs of a run or one of its actions",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("logs is not implemented yet")
		},
	}
	return cmd
}
