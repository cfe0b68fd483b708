package cli

import "github.com/spf13/cobra"

func (c *CLI) execCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "exec [BUILDSPEC]",
		Short: "Run one buildspec locally exactly like CodeBuild",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("exec is not implemented yet")
		},
	}
	return cmd
}
