package runners

import (
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestTagged(t *testing.T) {
	env := Tagged([]string{"A=1", TagVar + "=outer"}, "inner")
	if got := strings.Join(env, ","); got != "A=1,"+TagVar+"=outer inner" {
		t.Errorf("Tagged: %s", got)
	}
	if got := OwnTag(env); got != "inner" {
		t.Errorf("OwnTag: %q", got)
	}
}

// A tag is swept with the tags under it, never with a sibling whose name
// it begins.
func TestTagUnder(t *testing.T) {
	for _, c := range []struct {
		tag, prefix string
		want        bool
	}{
		{"h:ci/run/Test.lint", "h:ci/run/Test.lint", true},
		{"h:ci/run/Test.lint/b1/", "h:ci/run/Test.lint", true},
		{"h:ci/run/Test.lint-css", "h:ci/run/Test.lint", false},
		{"h:ci/run/Test.lint/b10/", "h:ci/run/Test.lint/b1/", false},
		{"h:ci/run/Test.lint", "h:ci/", true},
		{"h:ci2/run/Test.lint", "h:ci/", false},
	} {
		if got := tagUnder(c.tag, c.prefix); got != c.want {
			t.Errorf("tagUnder(%q, %q) = %v, want %v", c.tag, c.prefix, got, c.want)
		}
	}
}

// A process that left its parent's session (setsid) is still found by its
// tag and stopped.
func TestStopTagged(t *testing.T) {
	tag := "test:" + strconv.Itoa(int(time.Now().UnixNano()))
	cmd := exec.Command("sh", "-c", "setsid sh -c 'exec sleep 300' >/dev/null 2>&1 & echo $!")
	cmd.Env = Tagged([]string{"PATH=/usr/bin:/bin"}, tag)
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("cannot start setsid: %v", err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(out)))
	if pid <= 0 || syscall.Kill(pid, 0) != nil {
		t.Fatalf("no escaped process: %q", out)
	}
	if n := StopTagged(tag); n != 1 {
		t.Errorf("StopTagged stopped %d processes, want 1", n)
	}
	if p, ok := processes()[pid]; ok && !p.zombie {
		t.Errorf("process %d still running", pid)
	}
	if n := StopTagged(tag); n != 0 {
		t.Errorf("second StopTagged stopped %d", n)
	}
}

// The cost of the sweep every action ends with, when nothing is left:
// reading every process of the machine, or (pipeform as the subreaper of
// its descendants) only the descendants.
func BenchmarkSweepAllProcesses(b *testing.B) {
	for b.Loop() {
		Tagged(nil, "bench-all")
		StopTagged("bench-all")
	}
}

func BenchmarkSweepDescendants(b *testing.B) {
	was := subreaper.Swap(true)
	defer subreaper.Store(was)
	for b.Loop() {
		Tagged(nil, "bench-descendants")
		StopTagged("bench-descendants")
	}
}

// As the subreaper of its descendants, a sweep finds them through the
// children lists: a child, and the child's own child.
func TestCandidatesFindsDescendants(t *testing.T) {
	if err := Contain(); err != nil {
		t.Skipf("cannot become a subreaper: %v", err)
	}
	cmd := exec.Command("sh", "-c", "sleep 300 & echo $!; wait")
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Skipf("cannot start sh: %v", err)
	}
	defer func() {
		StopGroup(cmd.Process.Pid)
		syscall.Kill(cmd.Process.Pid, syscall.SIGKILL)
		cmd.Wait()
	}()
	var pid int
	if _, err := fmt.Fscan(out, &pid); err != nil {
		t.Fatal(err)
	}
	all := candidates()
	if p, ok := all[cmd.Process.Pid]; !ok || p.threads != 1 {
		t.Errorf("the shell %d is not a candidate (or not of one thread): %+v", cmd.Process.Pid, p)
	}
	if p, ok := all[pid]; !ok || p.ppid != cmd.Process.Pid {
		t.Errorf("the shell's child %d is not a candidate: %+v", pid, p)
	}
	if self, ok := all[os.Getpid()]; !ok || self.threads < 2 {
		t.Errorf("this process is not a candidate with its threads: %+v", self)
	}
}
