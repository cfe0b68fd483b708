package runners

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// LocalBlock runs an action's `local { commands = [...] }` block: what the
// executor does in place of an action that has no local equivalent (a Lambda
// invoke, a CloudFormation deploy). The commands run in order in one shell
// (`/bin/sh` unless Shell says otherwise), in Dir, and the first failing
// command fails the action. After the last command the variables named in
// Export are read from the shell, so the block can set the action's output
// variables with plain `export NAME=value`.
type LocalBlock struct {
	Commands []string
	Shell    string
	Dir      string
	Env      []string
	// Export names the output variables to read back.
	Export []string
	// Scratch is a folder for the runner's own files (the exported values).
	Scratch string
	Stdout  io.Writer
}

// LocalResult is the outcome of a local block.
type LocalResult struct {
	Succeeded bool
	// Failed names the failing command and its exit status.
	Failed    string
	Variables map[string]string
}

// Run runs the block. A cancelled context kills the shell's whole process
// group; Run then returns with Succeeded false.
func (l *LocalBlock) Run(ctx context.Context) (*LocalResult, hcl.Diagnostics) {
	shell := l.Shell
	if shell == "" || shell == "bash" && !hasBash() {
		shell = "/bin/sh"
	}
	// The commands hold #{...} already resolved, secret-derived values
	// included: they are handed to the shell in a file only the owner can
	// read, in a folder only the owner can enter, never as an argument
	// (any user of the machine can read a process's command line).
	if err := os.MkdirAll(l.Scratch, 0o700); err != nil {
		return nil, localIODiag(err)
	}
	if err := os.Chmod(l.Scratch, 0o700); err != nil {
		return nil, localIODiag(err)
	}
	varsFile := filepath.Join(l.Scratch, "exported-variables")
	os.Remove(varsFile)
	scriptFile := filepath.Join(l.Scratch, "commands.sh")
	if err := writePrivate(scriptFile, []byte(localScript(l.Commands, l.Export, varsFile))); err != nil {
		return nil, localIODiag(err)
	}
	cmd := exec.Command(shell, scriptFile)
	cmd.Dir = l.Dir
	cmd.Env = l.Env
	cmd.Stdout = l.Stdout
	cmd.Stderr = l.Stdout
	res := &LocalResult{}
	_, err := RunProcess(ctx, cmd, 0)
	if cmd.Process != nil && StopLeftovers(cmd.Process.Pid, l.Env) && l.Stdout != nil {
		// The action ends with its commands: nothing of a local run may
		// outlive it (a left-behind server would hold ports and files).
		OwnLine(l.Stdout, "Stopped the background processes the commands left running: a local block's processes end with its action")
	}
	if ctx.Err() != nil {
		res.Failed = "stopped"
		return res, nil
	}
	if err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			return nil, localIODiag(err)
		}
		res.Failed = fmt.Sprintf("exit status %d", ee.ExitCode())
		return res, nil
	}
	res.Succeeded = true
	if len(l.Export) > 0 {
		data, err := os.ReadFile(varsFile)
		if err != nil {
			return nil, localIODiag(err)
		}
		res.Variables = map[string]string{}
		parts := strings.Split(string(data), "\x00")
		for i := 0; i+1 < len(parts); i += 2 {
			res.Variables[parts[i]] = parts[i+1]
		}
	}
	return res, nil
}

// localScript is the shell script for the block: each command announced,
// run, and its failure reported with the command's exit status.
func localScript(commands, export []string, varsFile string) string {
	var b strings.Builder
	for _, c := range commands {
		fmt.Fprintf(&b, "printf '%%s\\n' %s\n", shellQuote("Running command "+c))
		b.WriteString(c)
		b.WriteString("\n__pf_rc=$?\n")
		fmt.Fprintf(&b, "if [ $__pf_rc -ne 0 ]; then printf '%%s %%s\\n' %s \"$__pf_rc\"; exit $__pf_rc; fi\n",
			shellQuote("Command did not exit successfully "+c+" exit status"))
	}
	if len(export) > 0 {
		fmt.Fprintf(&b, ": > %s\n", shellQuote(varsFile))
	}
	for _, v := range export {
		// Only variables the block set: an unset one stays unresolved, so a
		// consumer fails naming it, as CodePipeline fails a reference to an
		// output the action did not produce.
		fmt.Fprintf(&b, "if [ -n \"${%s+x}\" ]; then printf '%%s\\000%%s\\000' %s \"$%s\" >> %s; fi\n", v, shellQuote(v), v, shellQuote(varsFile))
	}
	return b.String()
}

func shellQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

func hasBash() bool {
	_, err := exec.LookPath("bash")
	return err == nil
}

func localIODiag(err error) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Cannot run the local block",
		Detail:   ioWords(err) + ".",
	}}
}

// RunProcess runs cmd in a process group of its own and waits for it. When
// ctx is cancelled, or timeout (if non-zero) passes, the whole group gets
// SIGTERM and, a second later, SIGKILL, so no grandchild outlives it; the
// call returns within two seconds of that. timedOut reports that the timeout
// ended it.
//
// The script's own exit status decides err. A background process it
// started (`server &`, the usual job of an ApplicationStart hook) may keep
// the output pipes open after the script exits: RunProcess reads what is
// already written for a short while after the exit and then stops waiting
// for the pipes, rather than for the background process. Such processes
// are left running, in the process group whose id is cmd.Process.Pid; the
// caller stops them with StopLeftovers when its action ends.
func RunProcess(ctx context.Context, cmd *exec.Cmd, timeout time.Duration) (timedOut bool, err error) {
	if cmd.SysProcAttr == nil {
		cmd.SysProcAttr = &syscall.SysProcAttr{}
	}
	cmd.SysProcAttr.Setpgid = true
	cmd.WaitDelay = 500 * time.Millisecond
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	if err := cmd.Start(); err != nil {
		return false, err
	}
	done, watched := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(watched)
		select {
		case <-ctx.Done():
			killGroup(cmd.Process.Pid, syscall.SIGTERM)
			select {
			case <-done:
			case <-time.After(time.Second):
			}
			killGroup(cmd.Process.Pid, syscall.SIGKILL)
		case <-done:
		}
	}()
	err = cmd.Wait()
	close(done)
	// The watcher is done before the deferred cancel of the timeout
	// context runs: seeing that cancel, it would kill the group, and with
	// it the background processes the script left running on purpose (a
	// daemon an ApplicationStart hook started).
	<-watched
	if ctx.Err() != nil {
		// Whatever the shell said, it was ended on purpose; also sweep any
		// grandchild that ignored SIGTERM.
		killGroup(cmd.Process.Pid, syscall.SIGKILL)
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return true, context.DeadlineExceeded
		}
		return false, ctx.Err()
	}
	if errors.Is(err, exec.ErrWaitDelay) {
		// The script exited with status 0 (an exit status would have been
		// the error); background processes still hold its output.
		err = nil
	}
	return false, err
}

// StopLeftovers ends the processes still running in the process group
// pgid (background processes a script started and left behind) and those
// that left the group but carry the tag env gave them (setsid, a double
// fork): SIGTERM, then SIGKILL a second later for those that ignore it. It
// reports whether there were any. Both are found in one sweep of the
// processes.
func StopLeftovers(pgid int, env []string) bool {
	return stopTaggedOr(OwnTag(env), pgid) > 0
}

func killGroup(pgid int, sig syscall.Signal) {
	if pgid > 0 {
		_ = syscall.Kill(-pgid, sig)
	}
}
