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
// write, close and rename: it makes each folder once and opens it once as
// a root of its own (so a file's path is not walked again, component by
// component, for each operation), and it checks once whether the process's
// umask leaves new files at 0644, chmodding only if it does not. Call
// close when done.
type atomicWriter struct {
	root    *os.Root
	dirs    map[string]*os.Root
	checked bool // whether the mode of a new file was checked
	chmod   bool // new files need a chmod to 0644
	pid     int
}

// writeAtomic writes the file name of root atomically.
func writeAtomic(root *os.Root, name string, data []byte) error {
	w := &atomicWriter{root: root}
	defer w.close()
	return w.write(name, data)
}

// folder returns the root of the folder dir of OUT, making it if needed.
func (w *atomicWriter) folder(dir string) (*os.Root, error) {
	if r := w.dirs[dir]; r != nil {
		return r, nil
	}
	if err := w.root.MkdirAll(dir, 0o755); err != nil {
		return nil, err
	}
	r, err := w.root.OpenRoot(dir)
	if err != nil {
		return nil, err
	}
	if w.dirs == nil {
		w.dirs = map[string]*os.Root{}
	}
	w.dirs[dir] = r
	return r, nil
}

// close closes the folders' roots.
func (w *atomicWriter) close() {
	for _, r := range w.dirs {
		r.Close()
	}
}

func (w *atomicWriter) write(name string, data []byte) error {
	dir, base := filepath.Split(name)
	dirRoot, err := w.folder(filepath.Clean(dir))
	if err != nil {
		return err
	}
	f, tmp, err := w.create(dirRoot)
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
		werr = dirRoot.Rename(tmp, base)
	}
	if werr != nil {
		dirRoot.Remove(tmp)
	}
	return werr
}

// create makes a new temporary file in the folder dir, named after the
// process so that two runs do not collide, and never over an existing file.
func (w *atomicWriter) create(dir *os.Root) (*os.File, string, error) {
	if w.pid == 0 {
		w.pid = os.Getpid()
	}
	for try := 0; ; try++ {
		tmp := fmt.Sprintf(".pipeform-%d-%d", w.pid, rand.Int())
		f, err := dir.OpenFile(tmp, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if err == nil || !errors.Is(err, fs.ErrExist) || try > 100 {
			return f, tmp, err
		}
	}
}
