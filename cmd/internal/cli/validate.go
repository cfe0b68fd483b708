package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
)

func (c *CLI) validateCommand() *cobra.Command {
	var (
		vars   varFlags
		asJSON bool
	)
	cmd := &cobra.Command{
		Use:   "validate [DIR]",
		Short: "Check the configuration in DIR for errors",
		Long: `Validate reads every *.pf.hcl file in DIR (default: the current directory),
type-checks variables, locals, projects and pipelines, checks every reference
and every CodePipeline and CodeBuild rule, and prints what is wrong with the
source line it concerns. It runs nothing and needs no AWS account.

Variable values come from defaults, PF_VAR_<name> environment variables,
*.pfvars files in DIR (in name order), then --var and --var-file in the order
given; later values win.

Text output shows at most 20 problems of each file, then counts the rest;
--json lists every one.

Exit status: 0 when the configuration is valid (warnings allowed), 1 when
there are errors, 2 on bad usage.`,
		Example: `  pipeform validate
  pipeform validate examples/node-webapp
  pipeform validate --var environment=prod --var-file prod.pfvars infra/ci
  pipeform validate --json examples/node-webapp | jq '.diagnostics[].summary'`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			dir := "."
			if len(args) == 1 {
				dir = args[0]
			}
			return c.validate(dir, &vars, asJSON)
		},
	}
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the result as JSON (the shape of terraform validate -json)")
	vars.register(cmd)
	return cmd
}

// validate loads and compiles dir and reports the result.
func (c *CLI) validate(dir string, vars *varFlags, asJSON bool) error {
	if st, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return usagef("%q does not exist: give the directory that holds your *.pf.hcl files", dir)
	} else if err != nil || !st.IsDir() {
		return usagef("%q is not a directory: give the directory that holds your *.pf.hcl files", dir)
	}
	l := c.load(dir, vars)
	if asJSON {
		if err := views.WriteJSON(c.Stdout, views.NewValidation(l.Files, l.Diags)); err != nil {
			return err
		}
	} else {
		c.printDiags(l)
		if !l.Diags.HasErrors() {
			fmt.Fprintf(c.Stdout, "The configuration is valid.%s\n", counts(l))
		}
	}
	if l.Diags.HasErrors() {
		return exit(ExitProblems)
	}
	return nil
}

// counts says how many pipelines and projects were checked.
func counts(l *loaded) string {
	if l.Graph == nil {
		return ""
	}
	return fmt.Sprintf(" %s, %s.", plural(len(l.Graph.Pipelines), "pipeline"), plural(len(l.Graph.Projects), "project"))
}

func plural(n int, noun string) string {
	if n == 1 {
		return fmt.Sprintf("1 %s", noun)
	}
	return fmt.Sprintf("%d %ss", n, noun)
}
