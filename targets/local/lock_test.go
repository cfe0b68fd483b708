package local

import (
	"os"
	"testing"
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
