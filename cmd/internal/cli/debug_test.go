//go:build linux

package cli

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"

	"golang.org/x/sys/unix"
)

// openPTY opens a pseudo-terminal pair: the test types into and reads from
// master; the CLI gets slave as its terminal.
func openPTY(t *testing.T) (master, slave *os.File) {
	t.Helper()
	m, err := os.OpenFile("/dev/ptmx", os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Skipf("no pseudo-terminal on this machine: %v", err)
	}
	if err := unix.IoctlSetPointerInt(int(m.Fd()), unix.TIOCSPTLCK, 0); err != nil {
		t.Fatalf("unlockpt: %v", err)
	}
	n, err := unix.IoctlGetInt(int(m.Fd()), unix.TIOCGPTN)
	if err != nil {
		t.Fatalf("ptsname: %v", err)
	}
	s, err := os.OpenFile(fmt.Sprintf("/dev/pts/%d", n), os.O_RDWR|syscall.O_NOCTTY, 0)
	if err != nil {
		t.Fatalf("open the terminal: %v", err)
	}
	t.Cleanup(func() { m.Close(); s.Close() })
	return m, s
}

// terminal collects what the CLI writes to the pseudo-terminal.
type terminal struct {
	mu   sync.Mutex
	cond *sync.Cond
	buf  bytes.Buffer
	done bool
}

func readTerminal(master *os.File) *terminal {
	term := &terminal{}
	term.cond = sync.NewCond(&term.mu)
	go func() {
		b := make([]byte, 4096)
		for {
			n, err := master.Read(b)
			term.mu.Lock()
			term.buf.Write(b[:n])
			term.done = err != nil
			term.cond.Broadcast()
			term.mu.Unlock()
			if err != nil {
				return
			}
		}
	}()
	return term
}

// waitFor blocks until the terminal shows s (go test's -timeout ends a
// hang).
func (term *terminal) waitFor(t *testing.T, s string) {
	t.Helper()
	term.mu.Lock()
	defer term.mu.Unlock()
	for !strings.Contains(term.buf.String(), s) {
		if term.done {
			t.Fatalf("the terminal closed without showing %q:\n%s", s, term.buf.String())
		}
		term.cond.Wait()
	}
}

func (term *terminal) String() string {
	term.mu.Lock()
	defer term.mu.Unlock()
	return term.buf.String()
}

const debugConfig = `project "unit" {
  env {
    variables       = { GREETING = "hello" }
    secrets_manager = { TOKEN = "ci/token" }
    exported        = ["VERSION"]
  }
  phase "build" {
    commands = ["mkdir -p sub && cd sub", "export VERSION=1.2.3 STEP=two", "echo token $TOKEN", "false"]
  }
}

pipeline "web" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "unit" {
      codebuild = project.unit
      inputs    = [artifact.src]
    }
  }
}
`

// ptyCLI is a CLI whose streams are the terminal slave.
func ptyCLI(slave *os.File, home string) *CLI {
	env := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + home, "TERM=dumb"}
	return &CLI{Stdin: slave, Stdout: slave, Stderr: slave, Environ: func() []string { return env },
		Getenv: func(k string) string {
			if k == "TERM" {
				return "dumb"
			}
			return ""
		}}
}

// TestDebugShellPTY drives pipeform debug and apply --debug on a
// pseudo-terminal: the banner names the failing phase and command with the
// secret masked, the shell runs in the failed build's folder with its
// variables and the secret, and leaving it leaves the run as it was.
func TestDebugShellPTY(t *testing.T) {
	if _, err := exec.LookPath("bash"); err != nil {
		t.Skip("needs bash")
	}
	dir := t.TempDir()
	app := filepath.Join(dir, "app")
	secrets := filepath.Join(dir, "secrets.json")
	for path, data := range map[string]string{
		filepath.Join(app, "main.pf.hcl"): debugConfig,
		secrets:                           `{"secrets-manager": {"ci/token": "s3cr3t-value"}}`,
	} {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	var out bytes.Buffer
	c := &CLI{Stdin: strings.NewReader(""), Stdout: &out, Stderr: &out, Getenv: func(string) string { return "" },
		Environ: func() []string { return []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir} }}
	if code := c.Run([]string{"apply", app, "--secrets-file", secrets}); code != ExitProblems {
		t.Fatalf("apply exit %d, want %d:\n%s", code, ExitProblems, out.String())
	}
	runs, _ := filepath.Glob(filepath.Join(app, ".pipeform", "runs", "*", "run.json"))
	if len(runs) != 1 {
		t.Fatalf("runs: %v", runs)
	}
	before, err := os.ReadFile(runs[0])
	if err != nil {
		t.Fatal(err)
	}

	master, slave := openPTY(t)
	term := readTerminal(master)
	done := make(chan int)
	go func() {
		done <- ptyCLI(slave, dir).Run([]string{"debug", "last", "Build.unit", "--dir", app, "--secrets-file", secrets})
	}()
	term.waitFor(t, "The build failed in phase BUILD, running:\r\n  false\r\n  (exit status 1)")
	term.waitFor(t, "Secrets (set, masked here): TOKEN")
	term.waitFor(t, "[debug Build.unit] sub $ ")
	fmt.Fprintf(master, "echo \"dir=${PWD##*/} step=$STEP version=$VERSION len=${#TOKEN}\"\n")
	term.waitFor(t, "dir=sub step=two version=1.2.3 len=12")
	fmt.Fprintf(master, "exit\n")
	if code := <-done; code != ExitOK {
		t.Fatalf("debug exit %d:\n%s", code, term.String())
	}
	term.waitFor(t, "is unchanged.")
	if strings.Contains(term.String(), "s3cr3t") {
		t.Errorf("the secret was printed:\n%s", term.String())
	}
	after, err := os.ReadFile(runs[0])
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(before, after) {
		t.Errorf("debug changed the run record:\n%s\n---\n%s", before, after)
	}

	// apply --debug opens the same shell when the run fails.
	master2, slave2 := openPTY(t)
	term2 := readTerminal(master2)
	go func() {
		done <- ptyCLI(slave2, dir).Run([]string{"apply", app, "--secrets-file", secrets, "--debug"})
	}()
	term2.waitFor(t, "Debug shell for Build.unit of run")
	term2.waitFor(t, "[debug Build.unit] sub $ ")
	fmt.Fprintf(master2, "echo \"again=$STEP\"\nexit\n")
	term2.waitFor(t, "again=two")
	if code := <-done; code != ExitProblems {
		t.Fatalf("apply --debug exit %d, want %d (the run failed):\n%s", code, ExitProblems, term2.String())
	}
}
