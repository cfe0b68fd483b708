package cli

import "github.com/spf13/cobra"

func (c *CLI) fmtCommand() *cobra.Command {
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite *.pf.hcl files in canonical format",
		RunE: func(cmd *cobra.Command, args []string) error {
			return usagef("fmt is not implemented yet")
		},
	}
	return cmd
}
