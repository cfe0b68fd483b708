package cli

import "github.com/spf13/cobra"

func (c *CLI) validateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check the configuration in DIR for errors",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("validate is not implemented yet")
		},
	}
	return cmd
}
