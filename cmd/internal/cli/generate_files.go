package cli

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/targets/outdir"
)

// What generate, plan --target aws and apply --target aws say about the
// files in OUT: files they may not overwrite, and file system errors in
// words rather than Go's error strings.

// refuseForeign prints outdir.Foreign and reports whether there were
// any (the caller then writes nothing and exits 1).
func (c *CLI) refuseForeign(out string, changes []outdir.Change, force bool) bool {
	if force {
		return false
	}
	diags := outdir.Foreign(out, changes)
	if len(diags) == 0 {
		return false
	}
	// The snippet is the first line of the file that would be replaced.
	files := map[string]*hcl.File{}
	for _, d := range diags {
		if data, err := os.ReadFile(d.Subject.Filename); err == nil {
			files[d.Subject.Filename] = &hcl.File{Bytes: data}
		}
	}
	color := isTerminal(c.Stderr) && c.Getenv("NO_COLOR") == ""
	_ = views.WriteDiagnostics(c.Stderr, files, diags, 0, color)
	return true
}

// fileError says in words what went wrong reading or writing a file of
// OUT, e.g. "Cannot write out/cloudformation/app.json: permission denied."
func fileError(err error) string {
	var pe *fs.PathError
	var le *os.LinkError
	name, op := "", ""
	switch {
	case errors.As(err, &pe):
		name, op = pe.Path, pe.Op
	case errors.As(err, &le):
		name, op = le.New, le.Op
	}
	verb := "write"
	switch op {
	case "open", "read":
		verb = "read"
	case "remove":
		verb = "remove"
	case "mkdir":
		verb = "create the folder"
	}
	var reason string
	switch {
	case outdir.Escapes(err):
		reason = "a symbolic link in its path leads outside the output folder, and pipeform writes only inside it; replace the link with a real folder"
	case errors.Is(err, fs.ErrPermission):
		reason = "permission denied"
	case errors.Is(err, fs.ErrNotExist) && op == "mkdir":
		reason = "the folder that would hold it does not exist or cannot hold folders"
	case errors.Is(err, fs.ErrNotExist):
		reason = "the file or its folder does not exist"
	case errors.Is(err, syscall.ENOTDIR):
		reason = "a part of the path is a file, not a folder"
	case errors.Is(err, syscall.EISDIR):
		reason = "it is a folder, not a file"
	case errors.Is(err, fs.ErrExist):
		reason = "a file or a link of that name is in the way"
	case errors.Is(err, syscall.ENOSPC):
		reason = "the disk is full"
	case errors.Is(err, syscall.EROFS):
		reason = "the file system is read-only"
	case pe != nil:
		reason = pe.Err.Error()
	case le != nil:
		reason = le.Err.Error()
	default:
		return fmt.Sprintf("Cannot update the output folder: %v.", err)
	}
	if name == "" {
		return fmt.Sprintf("Cannot %s a file of the output folder: %s.", verb, reason)
	}
	return fmt.Sprintf("Cannot %s %s: %s.", verb, name, reason)
}
