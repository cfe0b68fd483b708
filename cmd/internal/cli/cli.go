package cli

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/spf13/cobra"
	"golang.org/x/term"
)

// Exit codes [contract].
const (
	ExitOK       = 0 // success
	ExitProblems = 1 // diagnostics with errors, a failed build or run
	ExitUsage    = 2 // bad usage
	ExitInternal = 3 // internal failure
	// ExitChanges is `plan --target aws`'s "there are changes" code, like
	// terraform plan -detailed-exitcode.
	ExitChanges = 2
)

// CLI holds the process's streams and environment; commands read nothing
// global, so tests can run the CLI in-process.
type CLI struct {
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
	// Getenv reads the environment (PF_VAR_*, NO_COLOR, ...).
	Getenv func(string) string
	// Environ lists the environment as KEY=VALUE.
	Environ func() []string
	// Minute is how long one minute of a timeout (a project's timeout, an
	// approval's timeout_in_minutes) lasts in apply and resume; zero means a
	// real minute. Only tests shorten it.
	Minute time.Duration
	// SourceEntries bounds the files and folders a source snapshot of
	// apply, resume and plan takes; zero means the executor's 1,048,576.
	// Only tests lower it.
	SourceEntries int
}

// exitError carries an exit code out of a cobra RunE. The message, if any,
// has already been printed.
type exitError struct{ code int }

func (e *exitError) Error() string { return fmt.Sprintf("exit %d", e.code) }

// exit returns an error that makes Main return code without printing more.
func exit(code int) error {
	if code == ExitOK {
		return nil
	}
	return &exitError{code}
}

// usageError is a bad-usage error whose message is printed with a hint.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

func usagef(format string, args ...any) error {
	return &usageError{fmt.Sprintf(format, args...)}
}

// Main runs the CLI and returns the process exit code.
func Main(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	c := &CLI{Stdin: stdin, Stdout: stdout, Stderr: stderr, Getenv: os.Getenv, Environ: os.Environ}
	return c.Run(args)
}

// Run executes one command line. A panic is a bug in pipeform, never the
// user's fault: it is reported as an internal failure (exit 3) with the
// stack, so the report can be filed as it is.
func (c *CLI) Run(args []string) (code int) {
	defer func() {
		if r := recover(); r != nil {
			fmt.Fprintf(c.Stderr, "Internal error: pipeform crashed: %v\n\nThis is a bug in pipeform. Please report it with the command you ran and this trace:\n\n%s", r, debug.Stack())
			code = ExitInternal
		}
	}()
	root := c.rootCommand()
	root.SetArgs(terraformStyleFlags(args))
	root.SetIn(c.Stdin)
	root.SetOut(c.Stdout)
	root.SetErr(c.Stderr)
	cmd, err := root.ExecuteC()
	if err == nil {
		return ExitOK
	}
	var ee *exitError
	if errors.As(err, &ee) {
		return ee.code
	}
	// A usage error, or one of cobra's own errors (unknown command, unknown
	// flag, bad args): point at the help of the command that was running
	// (cobra returns the root for an unknown command).
	if cmd == nil {
		cmd = root
	}
	c.jsonUsageError(cmd, args, err)
	fmt.Fprintf(c.Stderr, "Error: %s\nRun '%s --help' for usage.\n", err, cmd.CommandPath())
	return ExitUsage
}

func (c *CLI) rootCommand() *cobra.Command {
	root := &cobra.Command{
		Use:   "pipeform",
		Short: "Type-check, run locally and generate AWS CodePipeline/CodeBuild pipelines written in HCL",
		Long: `pipeform reads every *.pf.hcl file in a directory, type-checks the pipelines
and CodeBuild projects they declare, and then runs them on this machine the way
CodeBuild and CodePipeline would, or generates the buildspecs, CodePipeline JSON
and CloudFormation template that make AWS run them.`,
		Example: `  pipeform validate examples/node-webapp
  pipeform plan examples/node-webapp
  pipeform apply examples/node-webapp --approve all
  pipeform generate examples/node-webapp --out build/aws`,
		SilenceUsage:  true,
		SilenceErrors: true,
	}
	root.CompletionOptions.DisableDefaultCmd = true
	root.SetFlagErrorFunc(func(cmd *cobra.Command, err error) error {
		// A flag's own Set that says what is wrong in words (such as
		// --var-file) is shown as it is, without pflag's prefix.
		var ue *usageError
		if errors.As(err, &ue) {
			return ue
		}
		return usagef("%s", err)
	})
	root.AddCommand(
		c.validateCommand(),
		c.fmtCommand(),
		c.graphCommand(),
		c.planCommand(),
		c.applyCommand(),
		c.generateCommand(),
		c.execCommand(),
		c.runsCommand(),
		c.logsCommand(),
		c.approveCommand(),
		c.resumeCommand(),
		c.stopCommand(),
		c.consoleCommand(),
		c.importCommand(),
		c.triggerCommand(),
		c.debugCommand(),
		c.lspCommand(),
	)
	return root
}

// terraformStyleFlags accepts Terraform's single-dash spelling of the
// variable flags (-var NAME=VALUE, -var-file=F), which DESIGN.md and people's
// muscle memory use, by rewriting them to the double-dash form cobra parses.
// Arguments after "--" are left alone.
func terraformStyleFlags(args []string) []string {
	out := make([]string, 0, len(args))
	for i, a := range args {
		if a == "--" {
			return append(out, args[i:]...)
		}
		for _, name := range []string{"-var", "-var-file"} {
			if a == name || strings.HasPrefix(a, name+"=") {
				a = "-" + a
				break
			}
		}
		out = append(out, a)
	}
	return out
}

// isTerminal reports whether w is a terminal (for colour and live views).
func isTerminal(w io.Writer) bool {
	f, ok := w.(*os.File)
	return ok && term.IsTerminal(int(f.Fd()))
}
