package cli

import "github.com/spf13/cobra"

func (c *CLI) graphCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "graph [DIR]",
		Short: "Print the pipelines as a DOT or Mermaid graph",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("graph is not implemented yet")
		},
	}
	return cmd
}
