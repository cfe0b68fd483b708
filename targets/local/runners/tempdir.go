package runners

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"syscall"
)

// Temporary folders that may outlive a pipeform killed with kill -9 (the
// copy of a build's source under exec, a cache entry being written) are
// held with flock(2) while in use. The kernel releases the lock when its
// holder dies, however it dies, so the next pipeform tells a live folder
// from a left-over one without trusting any PID or age, and removes the
// left-overs (SweepTempDirs).

// HeldTempDir is os.MkdirTemp(dir, prefix+"*") holding an exclusive flock
// on the new folder until release is called (release does not remove it).
func HeldTempDir(dir, prefix string) (path string, release func(), err error) {
	for {
		path, err = os.MkdirTemp(dir, prefix+"*")
		if err != nil {
			return "", nil, err
		}
		f, err := os.Open(path)
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // swept before it was held: make another
			}
			return "", nil, err
		}
		if err := syscall.Flock(int(f.Fd()), syscall.LOCK_EX); err != nil {
			f.Close()
			return "", nil, err
		}
		// A sweep that locked the folder between MkdirTemp and Flock has
		// removed it by now: make another.
		st, err1 := os.Lstat(path)
		fst, err2 := f.Stat()
		if err1 != nil || err2 != nil || !os.SameFile(st, fst) {
			f.Close()
			continue
		}
		return path, func() { f.Close() }, nil
	}
}

// NewTempDir is HeldTempDir in os.TempDir(), after SweepTempDirs has
// removed what earlier folders of the same prefix a killed pipeform left.
func NewTempDir(prefix string) (path string, release func(), err error) {
	SweepTempDirs(os.TempDir(), prefix)
	return HeldTempDir("", prefix)
}

// SweepTempDirs removes the folders in dir whose name starts with prefix
// and that no live process holds: those a pipeform killed with kill -9
// left behind. Only folders (not links) owned by this user are looked at.
// It returns how many it removed.
func SweepTempDirs(dir, prefix string) int {
	return sweepMatching(dir, func(name string) bool { return strings.HasPrefix(name, prefix) })
}

// sweepMatching is SweepTempDirs for the folders whose name match accepts.
func sweepMatching(dir string, match func(name string) bool) int {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return 0
	}
	n := 0
	for _, e := range ents {
		if !e.IsDir() || !match(e.Name()) {
			continue
		}
		if sweepOne(filepath.Join(dir, e.Name())) {
			n++
		}
	}
	return n
}

func sweepOne(path string) bool {
	st, err := os.Lstat(path)
	if err != nil || !st.IsDir() {
		return false
	}
	if sys, ok := st.Sys().(*syscall.Stat_t); !ok || int(sys.Uid) != os.Getuid() {
		return false
	}
	f, err := os.Open(path)
	if err != nil {
		return false
	}
	defer f.Close()
	if syscall.Flock(int(f.Fd()), syscall.LOCK_EX|syscall.LOCK_NB) != nil {
		return false // held: in use by a live process
	}
	if fst, err := f.Stat(); err != nil || !os.SameFile(st, fst) {
		return false
	}
	return os.RemoveAll(path) == nil
}
