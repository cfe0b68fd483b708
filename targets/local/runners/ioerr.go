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
	var why string
	switch {
	case errors.Is(inner, fs.ErrNotExist), errors.Is(inner, exec.ErrNotFound):
		why = "the file does not exist"
	case errors.Is(inner, fs.ErrPermission):
		why = "permission denied"
	case errors.Is(inner, fs.ErrExist):
		why = "a file of that name already exists"
	case errors.Is(inner, syscall.EISDIR):
		why = "it is a folder, not a file"
	case errors.Is(inner, syscall.ENOTDIR):
		why = "a part of the path is a file, not a folder"
	case errors.Is(inner, syscall.ENOSPC):
		why = "the disk is full"
	case errors.Is(inner, syscall.ELOOP):
		why = "too many levels of symbolic links"
	case errors.Is(inner, syscall.ENOEXEC):
		why = "it is not a program or script this machine can run"
	default:
		why = inner.Error()
	}
	if path == "" {
		return why
	}
	return path + ": " + why
}
