package cli

import "github.com/spf13/cobra"

func (c *CLI) runsCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "runs [DIR]",
		Short: "List local pipeline runs",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("runs is not implemented yet")
		},
	}
	return cmd
}
