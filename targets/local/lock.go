package local

import (
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"syscall"
)

// Lock is a held pipeline lock: .pipeform/locks/<pipeline>.lock holding the
// holder's PID and run id.
type Lock struct {
	path string
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

// AcquireLock takes the pipeline's lock for run runID held by process pid. A
// lock whose holder is no longer alive (a kill -9) is taken over. It returns
// a *LockedError when a live process holds it.
func (l Layout) AcquireLock(pipeline, runID string, pid int) (*Lock, error) {
	path := filepath.Join(l.LocksDir(), pipeline+".lock")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return nil, err
	}
	data, _ := json.Marshal(lockInfo{PID: pid, RunID: runID})
	// Two tries: the second after removing a stale lock.
	for try := 0; try < 2; try++ {
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil {
			_, err = f.Write(data)
			if cerr := f.Close(); err == nil {
				err = cerr
			}
			if err != nil {
				os.Remove(path)
				return nil, err
			}
			return &Lock{path: path}, nil
		}
		if !errors.Is(err, fs.ErrExist) {
			return nil, err
		}
		var held lockInfo
		raw, rerr := os.ReadFile(path)
		if rerr == nil {
			rerr = json.Unmarshal(raw, &held)
		}
		if rerr == nil && held.PID != pid && processAlive(held.PID) {
			return nil, &LockedError{Pipeline: pipeline, RunID: held.RunID, PID: held.PID}
		}
		// Stale (dead holder, our own PID, or unreadable): take it over.
		if err := os.Remove(path); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return nil, fmt.Errorf("could not take the lock %s", path)
}

// Release removes the lock file.
func (k *Lock) Release() error {
	if k == nil {
		return nil
	}
	err := os.Remove(k.path)
	if errors.Is(err, fs.ErrNotExist) {
		return nil
	}
	return err
}

// processAlive reports whether a process with this PID exists.
func processAlive(pid int) bool {
	if pid <= 0 {
		return false
	}
	err := syscall.Kill(pid, 0)
	return err == nil || errors.Is(err, syscall.EPERM)
}

// ProcessAlive reports whether the process that last ran r still exists, so
// a reader can tell a live InProgress run from one whose process died.
func ProcessAlive(r *Run) bool { return processAlive(r.PID) }
