package outdir

import (
	"errors"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/docdiff"
)

// Write applies changes (from Plan) to OUT, creating it when missing:
// it writes added and changed files atomically and removes deleted ones,
// then records files in OUT's manifest (WriteManifest). It does not
// check ownership: refuse Foreign changes before calling it.
//
// Every write and removal goes through an os.Root opened on out, so a
// symbolic link inside out (out/buildspec linked to another folder) never
// leads a write outside it: such a write fails, and Escapes reports it. A
// failure is a *fs.PathError naming the file of OUT.
func Write(out string, files []targets.File, owned []Owned, changes []Change) error {
	if err := writeFiles(out, files, changes); err != nil {
		return err
	}
	return WriteManifest(out, files, owned)
}

func writeFiles(out string, files []targets.File, changes []Change) error {
	root, err := openOut(out)
	if err != nil {
		return err
	}
	defer root.Close()
	data := map[string][]byte{}
	for _, f := range files {
		data[f.Path] = f.Data
	}
	w := &atomicWriter{root: root}
	defer w.close()
	for _, ch := range changes {
		name := filepath.FromSlash(ch.Path)
		if ch.Op == docdiff.Delete {
			if err := root.Remove(name); err != nil {
				return outError(out, name, "remove", err)
			}
			continue
		}
		if err := w.write(name, data[ch.Path]); err != nil {
			return outError(out, name, "open", err)
		}
	}
	return nil
}

// Escapes reports whether err is os.Root refusing a path that leaves its
// root (through a symbolic link or ..); os exports no value for it.
func Escapes(err error) bool {
	var pe *fs.PathError
	return errors.As(err, &pe) && strings.Contains(pe.Err.Error(), "escapes from parent")
}

// openOut creates the folder out when needed and opens it as a root.
func openOut(out string) (*os.Root, error) {
	if err := os.MkdirAll(out, 0o755); err != nil {
		return nil, err
	}
	return os.OpenRoot(out)
}

// outError names the file of out an os.Root operation failed on (its
// errors name the path relative to the root).
func outError(out, name, op string, err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return &fs.PathError{Op: pe.Op, Path: filepath.Join(out, name), Err: pe.Err}
	}
	return &fs.PathError{Op: op, Path: filepath.Join(out, name), Err: err}
}

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
