package runners

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

func TestTimeout(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, []string{"echo start", "sleep 30", "echo never"}, []string{"echo never"})}
	r := runBuild(t, bs, func(cb *CodeBuild) { cb.Timeout = 300 * time.Millisecond })
	if r.build.BuildStatus != StatusTimedOut {
		t.Errorf("status %s:\n%s", r.build.BuildStatus, r.log)
	}
	if got := phaseSummary(r.build); !strings.HasSuffix(got, "BUILD:TIMED_OUT FINALIZING:SUCCEEDED COMPLETED:") {
		t.Errorf("phases %s", got)
	}
	if strings.Contains(r.log, "\nnever") {
		t.Errorf("commands ran after the timeout:\n%s", r.log)
	}
	if !strings.Contains(r.log, "Phase context status code: BUILD_TIMED_OUT") {
		t.Errorf("log:\n%s", r.log)
	}
}

func TestStop(t *testing.T) {
	ctx, cancel := context.WithCancel(t.Context())
	defer cancel()
	dir := t.TempDir()
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, []string{"touch started; sleep 30"})}
	go func() {
		for !exists(filepath.Join(dir, "started")) {
			time.Sleep(10 * time.Millisecond)
		}
		cancel()
	}()
	cb := &CodeBuild{Buildspec: bs, SrcDir: dir, BaseEnv: []string{"PATH=" + os.Getenv("PATH")}}
	b, diags := cb.Run(ctx)
	if diags.HasErrors() || b.BuildStatus != StatusStopped {
		t.Fatalf("diags %v, build %+v", diags, b)
	}
}

// Processes a command leaves running in the background keep running into
// later commands, and are killed when the build ends.
func TestBackgroundProcesses(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil,
		[]string{"(sleep 0.1; echo from-background; touch bg-done) & sleep 30 >/dev/null 2>&1 & echo $! > pid",
			"i=0; until [ -f bg-done ] || [ $i -ge 400 ]; do sleep 0.05; i=$((i+1)); done", "echo done"})}
	r := runBuild(t, bs, nil)
	if !strings.Contains(r.log, "\nfrom-background\n") {
		t.Errorf("background output lost:\n%s", r.log)
	}
	data, err := os.ReadFile(filepath.Join(r.src, "pid"))
	if err != nil {
		t.Fatal(err)
	}
	pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
	for i := 0; i < 100 && alive(pid); i++ {
		time.Sleep(20 * time.Millisecond)
	}
	if alive(pid) {
		t.Errorf("background sleep %d still running after the build", pid)
	}
}

// alive reports whether pid is a live process (not gone, not a zombie
// waiting for a slow init to reap it).
func alive(pid int) bool {
	if err := syscall.Kill(pid, 0); errors.Is(err, syscall.ESRCH) {
		return false
	}
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	i := strings.LastIndexByte(string(stat), ')')
	return i < 0 || i+2 >= len(stat) || stat[i+2] != 'Z'
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return err == nil
}

// A process that escapes the build's process groups and keeps the output
// pipe open does not keep the build from ending.
func TestEscapedProcess(t *testing.T) {
	if _, err := os.Stat("/usr/bin/setsid"); err != nil {
		t.Skip("no setsid")
	}
	defer func(d time.Duration) { closeGrace = d }(closeGrace)
	closeGrace = 100 * time.Millisecond
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, []string{"setsid sleep 300 & echo $! > pid"})}
	r := runBuild(t, bs, nil)
	if r.build.BuildStatus != StatusSucceeded {
		t.Errorf("status %s:\n%s", r.build.BuildStatus, r.log)
	}
	if data, err := os.ReadFile(filepath.Join(r.src, "pid")); err == nil {
		pid, _ := strconv.Atoi(strings.TrimSpace(string(data)))
		syscall.Kill(pid, syscall.SIGKILL)
	}
}
