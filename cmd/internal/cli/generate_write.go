package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
)

// atomicWriter writes the files of OUT, each through a temporary file in
// its folder and a rename, so a reader never sees half a file. Writing
// thousands of files, it keeps the system calls per file down to open,
// write, close and rename: it makes each folder once, and it checks once
// whether the process's umask leaves new files at 0644, chmodding only if
// it does not.
type atomicWriter struct {
	dirs    map[string]bool
	checked bool // whether the mode of a new file was checked
	chmod   bool // new files need a chmod to 0644
	seq     int
	pid     int
}

// writeAtomic writes one file atomically.
func writeAtomic(name string, data []byte) error {
	return (&atomicWriter{}).write(name, data)
}

func (w *atomicWriter) write(name string, data []byte) error {
	dir := filepath.Dir(name)
	if !w.dirs[dir] {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if w.dirs == nil {
			w.dirs = map[string]bool{}
		}
		w.dirs[dir] = true
	}
	tmp, err := w.create(dir)
	if err != nil {
		return err
	}
	_, werr := tmp.Write(data)
	if werr == nil && !w.checked {
		var st fs.FileInfo
		if st, werr = tmp.Stat(); werr == nil {
			w.checked, w.chmod = true, st.Mode().Perm() != 0o644
		}
	}
	if werr == nil && w.chmod {
		werr = tmp.Chmod(0o644)
	}
	if cerr := tmp.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = os.Rename(tmp.Name(), name)
	}
	if werr != nil {
		os.Remove(tmp.Name())
	}
	return werr
}

// create makes a new temporary file in dir, named after the process so
// that two runs do not collide, and never over an existing file.
func (w *atomicWriter) create(dir string) (*os.File, error) {
	if w.pid == 0 {
		w.pid = os.Getpid()
	}
	for range 10000 {
		w.seq++
		name := filepath.Join(dir, fmt.Sprintf(".pipeform-%d-%d", w.pid, w.seq))
		f, err := os.OpenFile(name, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if !errors.Is(err, fs.ErrExist) {
			return f, err
		}
	}
	return nil, &fs.PathError{Op: "open", Path: dir, Err: fs.ErrExist}
}
