package runners

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
)

// DebugShell is an interactive shell in a failed build's state (pipeform
// debug): its working directory, its environment, and its plain shell
// variables, set by a startup file. It uses bash when the machine has it
// (with the build's PS1 replaced by Prompt), else /bin/sh through $ENV.
// Leaving the shell ends Run; its exit status is the shell's business, not
// an error.
type DebugShell struct {
	Dir    string
	Env    []string
	Plain  map[string]string
	Prompt string
	Stdin  io.Reader
	Stdout io.Writer
	Stderr io.Writer
}

// Run starts the shell and waits for it to end. Only a shell that cannot
// start is an error.
func (d *DebugShell) Run(ctx context.Context) error {
	tmp, release, err := NewTempDir("pipeform-debug-")
	if err != nil {
		return fmt.Errorf("the shell's startup file cannot be written: %s", IOReason(err))
	}
	defer release()
	defer os.RemoveAll(tmp)
	var rc strings.Builder
	keys := make([]string, 0, len(d.Plain))
	for k := range d.Plain {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		fmt.Fprintf(&rc, "%s=%s\n", k, shQuote(d.Plain[k]))
	}
	fmt.Fprintf(&rc, "PS1=%s\n", shQuote(d.Prompt))
	rcFile := filepath.Join(tmp, "rc.sh")
	if err := os.WriteFile(rcFile, []byte(rc.String()), 0o600); err != nil {
		return fmt.Errorf("the shell's startup file cannot be written: %s", IOReason(err))
	}
	env := append([]string{}, d.Env...)
	var cmd *exec.Cmd
	if hasBash() {
		cmd = exec.CommandContext(ctx, "bash", "--noprofile", "--rcfile", rcFile, "-i")
	} else {
		cmd = exec.CommandContext(ctx, "/bin/sh", "-i")
		env = append(env, "ENV="+rcFile)
	}
	cmd.Env = env
	cmd.Dir = d.Dir
	cmd.Stdin, cmd.Stdout, cmd.Stderr = d.Stdin, d.Stdout, d.Stderr
	if err := cmd.Start(); err != nil {
		return fmt.Errorf("the shell cannot start: %v", err)
	}
	_ = cmd.Wait()
	return nil
}
