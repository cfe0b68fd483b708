package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"syscall"
	"time"
)

// Lock is a held pipeline lock: .pipeform/locks/<pipeline>.lock, locked
// with flock(2) for as long as the run lasts, and holding the holder's PID
// and run id for messages. The kernel releases a flock when its holder
// dies, however it dies (kill -9 included), so a lock is never stale: no
// PID is ever trusted, and a PID reused by an unrelated process cannot
// block a run. The descriptor is close-on-exec, so no process the run
// starts inherits it.
type Lock struct {
	path string
	f    *os.File
	// Abandoned says the lock file still named an earlier holder: a
	// pipeform that died (kill -9) before it could release the lock, whose
	// run may have left processes running.
	Abandoned bool
}

// LockedError says another live process runs the pipeline.
type LockedError struct {
	Pipeline string
	RunID    string
	PID      int
}

func (e *LockedError) Error() string {
	return fmt.Sprintf("pipeline %q is already running (run %s, process %d); wait for it to finish or stop it first", e.Pipeline, e.RunID, e.PID)
}

type lockInfo struct {
	PID   int    `json:"pid"`
	RunID string `json:"run_id"`
}

func (l Layout) lockPath(pipeline string) string {
	return filepath.Join(l.LocksDir(), pipeline+".lock")
}

// A lock held by nobody named in it is looked at again every lockProbeWait,
// lockProbeWaits times at most (2 s): Running takes it shared for a moment.
const (
	lockProbeWait  = 20 * time.Millisecond
	lockProbeWaits = 100
)

// AcquireLock takes the pipeline's lock for run runID held by process pid.
// It returns a *LockedError when another process holds it.
func (l Layout) AcquireLock(pipeline, runID string, pid int) (*Lock, error) {
	path := l.lockPath(pipeline)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(lockInfo{PID: pid, RunID: runID})
	// A holder removes the file as it releases the lock: a file opened
	// just before that is no longer the lock, so try again on the new one.
	probed := 0
	for try := 0; try < 10; try++ {
		f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
		if err != nil {
			return nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB); err != nil {
			held := readLockInfo(f)
			f.Close()
			if errors.Is(err, syscall.EWOULDBLOCK) && !processExists(held.PID) && probed < lockProbeWaits {
				// Held, but naming no live holder: a reader (Running, from
				// runs, approve or the console) probing an empty or
				// abandoned lock file for a moment, or a holder about to
				// write its name. Look again.
				probed++
				try--
				time.Sleep(lockProbeWait)
				continue
			}
			if errors.Is(err, syscall.EWOULDBLOCK) {
				return nil, &LockedError{Pipeline: pipeline, RunID: held.RunID, PID: held.PID}
			}
			return nil, err
		}
		if !samePath(f, path) {
			f.Close()
			continue
		}
		// A lock file with content was not released by its holder.
		n, _ := f.ReadAt(make([]byte, 1), 0)
		abandoned := n > 0
		if err := f.Truncate(0); err == nil {
			_, err = f.WriteAt(data, 0)
		}
		if err != nil {
			os.Remove(path)
			f.Close()
			return nil, err
		}
		return &Lock{path: path, f: f, Abandoned: abandoned}, nil
	}
	return nil, fmt.Errorf("could not take the lock %s: it keeps being replaced", path)
}

// processExists reports whether a process pid exists (0 names none).
func processExists(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// samePath reports whether f is still the file at path.
func samePath(f *os.File, path string) bool {
	a, err1 := f.Stat()
	b, err2 := os.Stat(path)
	return err1 == nil && err2 == nil && os.SameFile(a, b)
}

func readLockInfo(f *os.File) lockInfo {
	var held lockInfo
	if raw, err := io.ReadAll(io.NewSectionReader(f, 0, 1<<16)); err == nil {
		_ = json.Unmarshal(raw, &held)
	}
	return held
}

// Release removes the lock file and then releases the lock.
func (k *Lock) Release() error {
	if k == nil || k.f == nil {
		return nil
	}
	err := os.Remove(k.path)
	if errors.Is(err, os.ErrNotExist) {
		err = nil
	}
	if cerr := k.f.Close(); err == nil {
		err = cerr
	}
	k.f = nil
	return err
}

// Running reports whether run r is being run now: some process holds its
// pipeline's lock for it. A run whose process died (a kill -9) is not, even
// when its PID now names another process.
func (l Layout) Running(r *Run) bool {
	f, err := os.Open(l.lockPath(r.Pipeline))
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_SH|syscall.LOCK_NB) == nil {
		return false // nobody holds it
	}
	return readLockInfo(f).RunID == r.ID
}
