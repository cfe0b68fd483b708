package runners

import (
	"errors"
	"io/fs"
	"os"
	"os/exec"
	"syscall"
)

// ioWords says in words what went wrong with a file, naming it: "x: the
// file does not exist", never Go's "open x: no such file or directory".
// The runners' diagnostics and CLIENT_ERROR messages use it for file
// system failures, which users see.
func ioWords(err error) string {
	path, inner := "", err
	var pe *fs.PathError
	var le *os.LinkError
	var ee *exec.Error
	switch {
	case errors.As(err, &pe):
		path, inner = pe.Path, pe.Err
	case errors.As(err, &le):
		path, inner = le.New, le.Err
	case errors.As(err, &ee):
		path, inner = ee.Name, ee.Err
	}
	why := IOReason(inner)
	if path == "" {
		return why
	}
	return path + ": " + why
}

// IOReason says in words why a file system operation failed, without the
// path: "permission denied", "the disk is full", never Go's "mkdir x: ...".
func IOReason(err error) string {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	switch {
	case errors.Is(err, fs.ErrNotExist), errors.Is(err, exec.ErrNotFound):
		return "the file does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, fs.ErrExist):
		return "a file of that name already exists"
	case errors.Is(err, syscall.EISDIR):
		return "it is a folder, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is a file, not a folder"
	case errors.Is(err, syscall.ENOSPC):
		return "the disk is full"
	case errors.Is(err, syscall.ELOOP):
		return "too many levels of symbolic links"
	case errors.Is(err, syscall.ENOEXEC):
		return "it is not a program or script this machine can run"
	case err.Error() == "path escapes from parent":
		// os.Root refusing a path that leaves its folder; os exports no
		// value for it.
		return "a symbolic link in the path leads outside the folder pipeform writes in, and it writes only inside it"
	}
	return err.Error()
}
