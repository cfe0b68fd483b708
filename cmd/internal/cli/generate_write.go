package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
)

// atomicWriter writes files of OUT through its os.Root (so no symbolic
// link leads a write outside OUT), each through a temporary file in its
// folder and a rename, so a reader never sees half a file. Writing
// thousands of files, it keeps the system calls per file down to open,
// write, close and rename: it makes each folder once, and it checks once
// whether the process's umask leaves new files at 0644, chmodding only if
// it does not.
type atomicWriter struct {
	root    *os.Root
	dirs    map[string]bool
	checked bool // whether the mode of a new file was checked
	chmod   bool // new files need a chmod to 0644
	pid     int
}

// writeAtomic writes the file name of root atomically.
func writeAtomic(root *os.Root, name string, data []byte) error {
	return (&atomicWriter{root: root}).write(name, data)
}

func (w *atomicWriter) write(name string, data []byte) error {
	dir := filepath.Dir(name)
	if !w.dirs[dir] {
		if err := w.root.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		if w.dirs == nil {
			w.dirs = map[string]bool{}
		}
		w.dirs[dir] = true
	}
	f, tmp, err := w.create(dir)
	if err != nil {
		return err
	}
	_, werr := f.Write(data)
	if werr == nil && !w.checked {
		var st fs.FileInfo
		if st, werr = f.Stat(); werr == nil {
			w.checked, w.chmod = true, st.Mode().Perm() != 0o644
		}
	}
	if werr == nil && w.chmod {
		werr = f.Chmod(0o644)
	}
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr == nil {
		werr = w.root.Rename(tmp, name)
	}
	if werr != nil {
		w.root.Remove(tmp)
	}
	return werr
}

// create makes a new temporary file in dir, named after the process so
// that two runs do not collide, and never over an existing file.
func (w *atomicWriter) create(dir string) (*os.File, string, error) {
	if w.pid == 0 {
		w.pid = os.Getpid()
	}
	for try := 0; ; try++ {
		tmp := filepath.Join(dir, fmt.Sprintf(".pipeform-%d-%d", w.pid, rand.Int()))
		f, err := w.root.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil || !errors.Is(err, fs.ErrExist) || try > 100 {
			return f, tmp, err
		}
	}
}
