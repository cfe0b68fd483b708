package cli

import "github.com/spf13/cobra"

func (c *CLI) generateCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "generate [DIR]",
		Short: "Write buildspecs, CodePipeline JSON and CloudFormation templates",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("generate is not implemented yet")
		},
	}
	return cmd
}
