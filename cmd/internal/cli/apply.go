package cli

import "github.com/spf13/cobra"

func (c *CLI) applyCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "apply [DIR]",
		Short: "Run a pipeline locally, or write the AWS configuration",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("apply is not implemented yet")
		},
	}
	return cmd
}
