package local

import (
	"errors"
	"os"
	"path/filepath"
	"syscall"
	"testing"
	"time"
)

// A lock file left by a holder that died (its content still names it) is
// taken over and reported abandoned, so the run sweeps for what the dead
// run left running; a lock released normally is not.
func TestLockAbandoned(t *testing.T) {
	l := Layout{Root: t.TempDir()}
	first, err := l.AcquireLock("web", "run-1", 1)
	if err != nil {
		t.Fatal(err)
	}
	if first.Abandoned {
		t.Errorf("a first lock is reported abandoned")
	}
	first.Release()
	second, err := l.AcquireLock("web", "run-2", 1)
	if err != nil {
		t.Fatal(err)
	}
	if second.Abandoned {
		t.Errorf("a released lock is reported abandoned")
	}
	// The holder dies: the kernel drops its flock, the file stays.
	second.f.Close()
	third, err := l.AcquireLock("web", "run-3", 1)
	if err != nil {
		t.Fatal(err)
	}
	defer third.Release()
	if !third.Abandoned {
		t.Errorf("the lock of a dead holder is not reported abandoned")
	}
	if data, _ := os.ReadFile(l.lockPath("web")); string(data) != `{"pid":1,"run_id":"run-3"}` {
		t.Errorf("lock file: %s", data)
	}
}

// Running takes the lock shared for a moment to see whether anyone holds
// it. An apply starting just then must wait for that look to end rather
// than report the pipeline as running, whether the lock file is empty or
// names a holder that died.
func TestLockWaitsForProbe(t *testing.T) {
	for _, content := range []string{"", `{"pid":2147483646,"run_id":"dead"}`} {
		l := Layout{Root: t.TempDir()}
		path := l.lockPath("web")
		os.MkdirAll(filepath.Dir(path), 0o755)
		if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
			t.Fatal(err)
		}
		probe, err := os.Open(path)
		if err != nil {
			t.Fatal(err)
		}
		if err := syscall.Flock(int(probe.Fd()), syscall.LOCK_SH|syscall.LOCK_NB); err != nil {
			t.Fatal(err)
		}
		time.AfterFunc(50*time.Millisecond, func() { probe.Close() })
		lock, err := l.AcquireLock("web", "run-1", os.Getpid())
		if err != nil {
			t.Fatalf("lock file %q probed by a reader: %v", content, err)
		}
		lock.Release()
	}
	// A live holder is reported at once.
	l := Layout{Root: t.TempDir()}
	held, err := l.AcquireLock("web", "run-1", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	defer held.Release()
	var le *LockedError
	if _, err := l.AcquireLock("web", "run-2", os.Getpid()); !errors.As(err, &le) || le.RunID != "run-1" {
		t.Errorf("second lock: %v, want LockedError naming run-1", err)
	}
}
