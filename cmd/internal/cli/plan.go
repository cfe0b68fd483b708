package cli

import "github.com/spf13/cobra"

func (c *CLI) planCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "plan [DIR]",
		Short: "Show what a local run would do, or what generate would change",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("plan is not implemented yet")
		},
	}
	return cmd
}
