package cli

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/targets/local"
	"github.com/pipeform/pipeform/targets/local/runners"
)

func (c *CLI) debugCommand() *cobra.Command {
	var dir, secretsFile string
	cmd := &cobra.Command{
		Use:   "debug RUN STAGE.ACTION",
		Short: "Open a shell in the state a failed CodeBuild action left",
		Long: `debug opens an interactive shell where a failed CodeBuild action of a run
stopped: in the working folder its failing command left (inside the action's
kept work folder), with the build's environment, its shell variables and its
exported variables. It first prints the phase and the command that failed.

Secret values (env.parameter_store, env.secrets_manager and the action's
PARAMETER_STORE and SECRETS_MANAGER variables) are never saved on disk: they
are read again from --secrets-file and set in the shell, and masked in
everything pipeform prints. A variable derived from a secret during the build
is not set, and debug says so.

Leaving the shell (exit, Ctrl-D) ends debug; the run stays as it was (resume
it with 'pipeform resume RUN'). RUN is a run id, a unique prefix of one, or
"last". apply --debug opens the same shell when the run fails.`,
		Example: `  pipeform debug last Build.unit
  pipeform debug 3f2a Build.unit --dir ci --secrets-file secrets.json`,
		Args: cobra.ExactArgs(2),
		RunE: func(cmd *cobra.Command, args []string) error {
			var secrets *runners.Secrets
			if secretsFile != "" {
				s, err := c.loadSecrets(secretsFile, false)
				if err != nil {
					return err
				}
				secrets = s
			}
			r, err := c.findRun(dir, args[0])
			if err != nil {
				return err
			}
			return c.runDebug(dir, r, args[1], secrets)
		},
	}
	cmd.Flags().StringVar(&dir, "dir", ".", "the configuration directory whose .pipeform holds the run")
	cmd.Flags().StringVar(&secretsFile, "secrets-file", "", "the JSON secrets file the run used, to set the build's secrets in the shell")
	return cmd
}

// runDebug opens the debug shell of action id of run r.
func (c *CLI) runDebug(dir string, r *local.Run, id string, secrets *runners.Secrets) error {
	a := r.Action(id)
	var failedBuilds []string
	for _, x := range r.ActionIDs() {
		if st := r.Action(x); st.Provider == "CodeBuild" && (st.Status == local.StatusFailed || st.Status == local.StatusTimedOut) {
			failedBuilds = append(failedBuilds, x)
		}
	}
	if a == nil || a.Provider != "CodeBuild" || (a.Status != local.StatusFailed && a.Status != local.StatusTimedOut) {
		return usagef("%s is not a failed CodeBuild action of run %s; its failed CodeBuild actions: %s%s", id, r.ID, nameList(failedBuilds), suggest(id, failedBuilds))
	}
	layout := stateLayout(dir)
	d, err := layout.LoadDebugState(r.ID, id)
	if errors.Is(err, fs.ErrNotExist) {
		fmt.Fprintf(c.Stderr, "Error: %s of run %s has no saved build state: it failed before any of its commands failed (a missing input or secret, a timeout or a stop), or its work folder was removed. Its log is %s.\n",
			id, r.ID, filepath.Join(layout.RunDir(r.ID), a.Log))
		return exit(ExitProblems)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot read the build state of %s: %s.\n", id, describeErr(err))
		return exit(ExitProblems)
	}
	return c.openDebugShell(r, d, layout, secrets)
}

// openDebugShell prints the banner (masked) and runs the shell on the
// CLI's streams.
func (c *CLI) openDebugShell(r *local.Run, d *local.DebugState, layout local.Layout, secrets *runners.Secrets) error {
	env, values, missing := d.Environ(c.Environ(), secrets)
	wd := d.Dir
	if st, err := os.Stat(wd); err != nil || !st.IsDir() {
		wd = filepath.Dir(layout.DebugFile(r.ID, d.Action))
	}
	banner := runners.NewMasker(c.Stderr, append(values, secrets.Values()...))
	views.WriteDebugBanner(banner, r, d, wd, missing)
	banner.Flush()
	env = append(env, "PIPEFORM_DEBUG="+d.Action)
	sh := &runners.DebugShell{
		Dir: wd, Env: env, Plain: d.Plain, Prompt: "[debug " + d.Action + "] \\W $ ",
		Stdin: c.Stdin, Stdout: c.Stdout, Stderr: c.Stderr,
	}
	if err := sh.Run(context.Background()); err != nil {
		fmt.Fprintf(c.Stderr, "Error: %v.\n", err)
		return exit(ExitInternal)
	}
	fmt.Fprintf(c.Stderr, "Left the debug shell; run %s is unchanged.\n", r.ID)
	return nil
}

// debugFailedBuild opens the debug shell on the first failed CodeBuild
// action of a run that has saved state (apply --debug).
func (c *CLI) debugFailedBuild(r *local.Run, layout local.Layout, secrets *runners.Secrets) {
	for _, id := range r.ActionIDs() {
		a := r.Action(id)
		if a.Provider != "CodeBuild" || (a.Status != local.StatusFailed && a.Status != local.StatusTimedOut) {
			continue
		}
		if d, err := layout.LoadDebugState(r.ID, id); err == nil {
			_ = c.openDebugShell(r, d, layout, secrets)
			return
		}
	}
	fmt.Fprintf(c.Stderr, "--debug: no failed CodeBuild action of run %s has a build state to open a shell in.\n", r.ID)
}
