package runners

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"sync/atomic"
	"syscall"
	"testing"
)

// TestCopiedExecutableRunsWhileOthersFork: an executable copied (an input
// artifact's build script, an installed deploy file) and run at once while
// other actions start processes must not fail with "text file busy": a
// process forked while the copy was open holds its descriptor until it
// runs its own program (Go issue 22315), and running the copy in that
// moment fails (exit 126 from a shell).
func TestCopiedExecutableRunsWhileOthersFork(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tool.sh")
	if err := os.WriteFile(src, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	var stop atomic.Bool
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for !stop.Load() {
				exec.Command("/bin/true").Run()
			}
		})
	}
	defer func() { stop.Store(true); wg.Wait() }()
	busy := 0
	for i := range 300 {
		dst := filepath.Join(dir, "copy", "tool.sh")
		os.RemoveAll(filepath.Dir(dst))
		os.MkdirAll(filepath.Dir(dst), 0o755)
		if err := copyFile(src, dst, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := exec.Command(dst).Run(); err != nil {
			if errors.Is(err, syscall.ETXTBSY) {
				busy++
				continue
			}
			t.Fatalf("run %d: %v", i, err)
		}
	}
	if busy > 0 {
		t.Errorf("%d of 300 runs of a just-copied executable failed with text file busy", busy)
	}
}

// TestCopyOntoNamedPipe: a copy whose destination is a named pipe (left in
// a deploy's target folder or a local bucket) fails at once instead of
// waiting for a reader: an executable's copy holds syscall.ForkLock while
// its destination is open, so a wait there would stop every action of the
// run from starting a process, for good.
func TestCopyOntoNamedPipe(t *testing.T) {
	dir := t.TempDir()
	src := filepath.Join(dir, "tool.sh")
	if err := os.WriteFile(src, []byte("#!/bin/sh\nexit 0\n"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "pipe"), 0o644); err != nil {
		t.Skipf("no named pipes here: %v", err)
	}
	if err := copyFile(src, filepath.Join(dir, "pipe"), 0o755); err == nil {
		t.Error("copyFile wrote into a named pipe")
	}
	root, err := os.OpenRoot(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer root.Close()
	if err := copyBetween(root, "tool.sh", root, "pipe"); err == nil {
		t.Error("copyBetween wrote into a named pipe")
	}
	if err := exec.Command("/bin/true").Run(); err != nil {
		t.Errorf("a process after the copies: %v", err)
	}
}
