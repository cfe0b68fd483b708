package runners

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"syscall"
	"time"
)

// The build shell. Like the CodeBuild agent (BUILDSPEC.md §3), every command
// is written to its own script.sh and run by the build shell; a three-line
// preamble restores the state the previous command left (exported
// variables through the process environment, plain shell variables by
// sourcing assignments the agent writes into a pipe, the working
// directory), so the first line of a command is line 4 of the script,
// exactly as in CodeBuild's error messages. The state is saved again after
// the command's last line, or by an EXIT trap when the command calls exit,
// with the shell's own builtins only (pwd, export -p, set) into one file;
// the command's exit status is kept. A command that installs its own EXIT
// trap and then calls exit replaces that trap, so its changes are lost.
// Per command the agent writes one script and starts one process, the
// shell.
// Functions, aliases, arrays and `set` options are not carried, as on
// CodeBuild.

// shellState is what one command hands to the next.
type shellState struct {
	exported map[string]string
	plain    map[string]string
	cwd      string
}

func (s shellState) clone() shellState {
	c := shellState{exported: map[string]string{}, plain: map[string]string{}, cwd: s.cwd}
	for k, v := range s.exported {
		c.exported[k] = v
	}
	for k, v := range s.plain {
		c.plain[k] = v
	}
	return c
}

// lookup returns a variable's value, exported or plain.
func (s shellState) lookup(name string) (string, bool) {
	if v, ok := s.exported[name]; ok {
		return v, true
	}
	v, ok := s.plain[name]
	return v, ok
}

// environ is the exported variables as a sorted KEY=VALUE list.
func (s shellState) environ() []string {
	out := make([]string, 0, len(s.exported))
	for _, k := range sortedKeys(s.exported) {
		out = append(out, k+"="+s.exported[k])
	}
	return out
}

// shellSpecial are variables the shell owns; they are never carried from
// one command to the next as plain variables.
var shellSpecial = map[string]bool{
	"IFS": true, "PS1": true, "PS2": true, "PS4": true, "PPID": true, "OPTIND": true,
	"OPTARG": true, "LINENO": true, "PWD": true, "OLDPWD": true, "SHLVL": true, "_": true,
	"SHELLOPTS": true, "EUID": true, "UID": true, "GROUPS": true, "HOSTNAME": true,
	"HOSTTYPE": true, "MACHTYPE": true, "OSTYPE": true, "DIRSTACK": true, "FUNCNAME": true,
	"PIPESTATUS": true, "HISTCMD": true, "HISTFILE": true, "HISTFILESIZE": true,
	"HISTSIZE": true, "EPOCHREALTIME": true, "EPOCHSECONDS": true, "SRANDOM": true,
	"RANDOM": true, "SECONDS": true, "COLUMNS": true, "LINES": true, "MAILCHECK": true,
	"OPTERR": true, "COMP_WORDBREAKS": true, "PS0": true,
}

// exportedSpecial are exported variables the shell maintains itself.
var exportedSpecial = map[string]bool{"PWD": true, "SHLVL": true, "_": true}

var validName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// shQuote quotes s for any POSIX shell.
func shQuote(s string) string {
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}

// shell runs commands one by one and collects their output through a
// single pipe, so that output of background processes a command left
// running is still logged, in order.
type shell struct {
	path    string // the build shell
	work    string
	carry   bool // version 0.2: state carries; 0.1: every command starts afresh
	initial shellState
	state   shellState

	out    *Masker
	pipeR  *os.File
	pipeW  *os.File
	syncCh chan struct{}
	done   chan struct{}

	mu      sync.Mutex
	pgids   []int
	aborted string // StatusTimedOut or StatusStopped once the build is being killed
}

// closeGrace is how long the end of a build waits for the output of
// processes that escaped its process groups.
var closeGrace = 2 * time.Second

var syncMarker = []byte("\x00\x01pipeform-agent-sync\x01\x00")

func newShell(path, work string, carry bool, initial shellState, out *Masker) (*shell, error) {
	r, w, err := os.Pipe()
	if err != nil {
		return nil, err
	}
	sh := &shell{
		path: path, work: work, carry: carry,
		initial: initial, state: initial.clone(), out: out,
		pipeR: r, pipeW: w, syncCh: make(chan struct{}), done: make(chan struct{}),
	}
	go sh.readLoop()
	return sh, nil
}

// epilogue saves the state at the end of every command into one file: the
// working directory, the exported variables as `export -p` lists them and
// every shell variable as `set` lists them (plain variables are the ones
// beyond the exported ones), then an end marker. Only builtins run, so
// saving starts no process and cannot be fooled by a PATH the build
// changed. >| writes even under the command's `set -C`. It is one line,
// part of each script.
func (sh *shell) epilogue() string {
	return fmt.Sprintf("{ set +e +u; { pwd; export -p; set; echo %s; } >|%s; }", stateEnd, sh.file(stateFile))
}

// stateFile is where the epilogue saves the state; stateEnd ends a
// complete save.
const (
	stateFile = "state.dump"
	stateEnd  = "__pf_state_end"
)

// file is the quoted path of one of the agent's files in the scratch
// directory, for use in the generated scripts.
func (sh *shell) file(name string) string {
	return shQuote(filepath.Join(sh.work, name))
}

// script is the file run for one command.
func (sh *shell) script(command string) string {
	var b strings.Builder
	trap := fmt.Sprintf(`{ __pf_rc=$?; set +x; } 2>/dev/null; [ -n "${__pf_saved-}" ] || %s; exit $__pf_rc`, sh.epilogue())
	fmt.Fprintf(&b, "trap %s EXIT\n", shQuote(trap))
	// The plain variables come through a pipe on fd 3 (they may hold
	// secrets: no file), closed before the command runs.
	b.WriteString(". /dev/fd/3; exec 3<&-\n")
	fmt.Fprintf(&b, "cd %s\n", shQuote(sh.state.cwd))
	b.WriteString(command)
	// A command that falls off its end saves the state here, so one that
	// set its own EXIT trap (replacing the one above) still hands its
	// variables and directory on; the user's trap then runs on exit. The
	// blank line ends a trailing backslash continuation first. xtrace is
	// switched off silently first, so `set -x` does not trace the agent.
	fmt.Fprintf(&b, "\n\n{ __pf_rc=$?; set +x; } 2>/dev/null; %s; __pf_saved=1; exit $__pf_rc\n", sh.epilogue())
	return b.String()
}

func (sh *shell) varsFile() string {
	var b strings.Builder
	for _, k := range sortedKeys(sh.state.plain) {
		fmt.Fprintf(&b, "%s=%s\n", k, shQuote(sh.state.plain[k]))
	}
	return b.String()
}

// run runs one command to its end and returns its exit status (-1 when a
// signal ended it) and the agent's reason text ("exit status 1").
func (sh *shell) run(command string) (int, string, error) {
	if !sh.carry {
		sh.state = sh.initial.clone()
	}
	// The saved state holds every variable, secrets included: its file is
	// emptied here, readable by the owner only, before the epilogue's
	// redirection fills it (a shell's > keeps an existing file's mode).
	// Left empty, it says the command saved nothing.
	if err := emptyPrivate(filepath.Join(sh.work, stateFile)); err != nil {
		return 0, "", err
	}
	scriptPath := filepath.Join(sh.work, "script.sh")
	if err := os.WriteFile(scriptPath, []byte(sh.script(command)), 0o700); err != nil {
		return 0, "", err
	}
	varsR, varsW, err := os.Pipe()
	if err != nil {
		return 0, "", err
	}
	cmd := exec.Command(sh.path, scriptPath)
	cmd.ExtraFiles = []*os.File{varsR} // fd 3
	cmd.Env = sh.state.environ()
	cmd.Dir = sh.state.cwd
	if st, err := os.Stat(cmd.Dir); err != nil || !st.IsDir() {
		cmd.Dir = sh.initial.cwd
	}
	cmd.Stdout, cmd.Stderr = sh.pipeW, sh.pipeW
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	err = sh.start(cmd)
	varsR.Close()
	if err != nil {
		varsW.Close()
		return 0, "", err
	}
	// A shell killed before it read them makes the write fail (EPIPE).
	go func() {
		io.WriteString(varsW, sh.varsFile())
		varsW.Close()
	}()
	err = cmd.Wait()
	sh.sync()
	if ps := cmd.ProcessState; ps != nil && ps.Exited() {
		sh.load() // a shell killed by a signal may have saved half its state
	}
	var ee *exec.ExitError
	switch {
	case err == nil:
		return 0, "exit status 0", nil
	case errors.As(err, &ee):
		return ee.ExitCode(), ee.Error(), nil
	default:
		return -1, err.Error(), nil
	}
}

// writePrivate writes data to path as a new file only its owner can
// read: what was at path (a file, a symbolic link) is removed first, and
// the file is created with O_EXCL, then written through the same
// descriptor.
func writePrivate(path string, data []byte) error {
	os.Remove(path)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return err
	}
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// emptyPrivate makes path an empty regular file only its owner can read,
// reusing the file when it exists (no new inode per command); a symbolic
// link put in its place is refused.
func emptyPrivate(path string) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_TRUNC|syscall.O_NOFOLLOW, 0o600)
	if err != nil {
		return err
	}
	err = f.Chmod(0o600)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

// start starts cmd in its own process group and remembers the group so
// that a timeout, a stop or the end of the build can kill it.
func (sh *shell) start(cmd *exec.Cmd) error {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.aborted != "" {
		return errAborted
	}
	if err := cmd.Start(); err != nil {
		return err
	}
	sh.pgids = append(sh.pgids, cmd.Process.Pid)
	return nil
}

var errAborted = errors.New("build aborted")

// abort kills every process group the build started; the first reason
// given wins.
func (sh *shell) abort(reason string) {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	if sh.aborted == "" {
		sh.aborted = reason
	}
	sh.killAll()
}

func (sh *shell) abortReason() string {
	sh.mu.Lock()
	defer sh.mu.Unlock()
	return sh.aborted
}

func (sh *shell) killAll() {
	for _, pg := range sh.pgids {
		_ = syscall.Kill(-pg, syscall.SIGKILL)
	}
}

// close kills whatever the build left running (the container goes away at
// the end of a CodeBuild build) and stops the output reader.
func (sh *shell) close() {
	sh.mu.Lock()
	sh.killAll()
	sh.mu.Unlock()
	// Processes that left the build's process groups (setsid, a double
	// fork) still carry the build's tag: they end with the build too.
	if tag := OwnTag([]string{TagVar + "=" + sh.initial.exported[TagVar]}); tag != "" {
		StopTagged(tag)
	}
	sh.sync()
	sh.pipeW.Close()
	// A process that left the build's process groups and cleared its
	// environment may still hold the pipe open: stop reading after a grace
	// period rather than wait for it.
	select {
	case <-sh.done:
	case <-time.After(closeGrace):
	}
	sh.pipeR.Close()
	<-sh.done
}

// load reads the state the epilogue saved. A command that saved nothing
// (it replaced the shell with exec) or not all of it leaves the state as it
// was.
func (sh *shell) load() {
	if !sh.carry {
		return
	}
	data, err := os.ReadFile(filepath.Join(sh.work, stateFile))
	if err != nil || !strings.HasSuffix(string(data), "\n"+stateEnd+"\n") {
		return
	}
	cwd, rest, _ := strings.Cut(string(data), "\n")
	exported, rest := parseExportList(rest)
	st := shellState{exported: map[string]string{}, plain: map[string]string{}, cwd: cwd}
	for k, v := range exported {
		if !exportedSpecial[k] {
			st.exported[k] = v
		}
	}
	for k, v := range parseSetOutput(rest) {
		if _, ok := st.exported[k]; ok || exportedSpecial[k] {
			continue
		}
		if !shellSpecial[k] && !strings.HasPrefix(k, "BASH") && !strings.HasPrefix(k, "__pf_") {
			st.plain[k] = v
		}
	}
	sh.state = st
}

// readLoop copies the pipe to the masker until the pipe closes, and
// signals every sync marker it meets.
func (sh *shell) readLoop() {
	defer close(sh.done)
	buf := make([]byte, 32*1024)
	var pending []byte
	for {
		n, err := sh.pipeR.Read(buf)
		pending = append(pending, buf[:n]...)
		for {
			i := bytes.Index(pending, syncMarker)
			if i < 0 {
				break
			}
			sh.out.Write(pending[:i])
			sh.out.Flush()
			pending = pending[i+len(syncMarker):]
			sh.syncCh <- struct{}{}
		}
		if err != nil {
			sh.out.Write(pending)
			sh.out.Flush()
			return
		}
		// Hold back only an actual start of a marker, so that output a
		// long-running command printed is logged at once.
		hold := markerPrefixLen(pending)
		if len(pending) > hold {
			sh.out.Write(pending[:len(pending)-hold])
			pending = append(pending[:0], pending[len(pending)-hold:]...)
		}
	}
}

// markerPrefixLen is the length of the longest end of b that begins a sync
// marker (but is not a whole one).
func markerPrefixLen(b []byte) int {
	for n := min(len(b), len(syncMarker)-1); n > 0; n-- {
		if bytes.HasPrefix(syncMarker, b[len(b)-n:]) {
			return n
		}
	}
	return 0
}

// sync waits until everything written to the pipe so far has been logged,
// so the agent's next line follows the command's output.
func (sh *shell) sync() {
	if _, err := sh.pipeW.Write(syncMarker); err != nil {
		return
	}
	<-sh.syncCh
}
