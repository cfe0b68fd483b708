package cli

import "github.com/spf13/cobra"

func (c *CLI) resumeCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "resume RUN",
		Short: "Retry a failed or stopped run from its failed stage",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("resume is not implemented yet")
		},
	}
	return cmd
}
