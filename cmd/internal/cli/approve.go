package cli

import "github.com/spf13/cobra"

func (c *CLI) approveCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "approve RUN STAGE.ACTION",
		Short: "Approve a manual approval a run is waiting for",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("approve is not implemented yet")
		},
	}
	return cmd
}
