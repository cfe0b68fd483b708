package cli

import (
	"context"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/lsp"
)

func (c *CLI) lspCommand() *cobra.Command {
	return &cobra.Command{
		Use:   "lsp",
		Short: "Run the language server (for editors) on standard input and output",
		Long: `lsp runs pipeform's language server: it speaks the Language Server Protocol
over standard input and output, for editors to start (see docs/editor.md). It
checks the folder of every *.pf.hcl and *.pfvars file the editor opens with the
same analysis as validate, unsaved changes included, and offers completion,
hover, go to definition, references, rename, code actions, symbols, semantic
tokens, inlay hints and formatting (the layout of fmt).

Variable values come from defaults, PF_VAR_<name> environment variables and
*.pfvars files in the folder, as for validate.

Exit status: 0 when the editor ends the session with shutdown and exit, 1
when it exits without shutdown or closes the connection.`,
		Example: `  pipeform lsp`,
		Args:    cobra.NoArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return exit(lsp.Serve(context.Background(), c.Stdin, c.Stdout, lsp.Options{Env: c.varEnv(), Log: c.Stderr}))
		},
	}
}
