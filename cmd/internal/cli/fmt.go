package cli

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/rogpeppe/go-internal/diff"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/check"
	"github.com/pipeform/pipeform/cmd/internal/views"
)

// fmtOptions are the flags of `pipeform fmt`.
type fmtOptions struct {
	check     bool // write nothing; exit 1 if a file would change
	diff      bool // print a unified diff of each change
	recursive bool // descend into subdirectories
}

func (c *CLI) fmtCommand() *cobra.Command {
	var opts fmtOptions
	cmd := &cobra.Command{
		Use:   "fmt [PATH...]",
		Short: "Rewrite *.pf.hcl and *.pfvars files in canonical format",
		Long: `fmt rewrites configuration files in the canonical HCL layout: indentation,
aligned equals signs, spacing. Each PATH is a file or a directory (default ".").
Directories are scanned for *.pf.hcl and *.pfvars files, and with --recursive
their subdirectories too (hidden directories such as .git are skipped); a file
named explicitly is formatted whatever its name.

Without flags, files are rewritten in place and their names printed. With
--check nothing is written: the files that are not formatted are listed and the
exit status is 1 if there are any. --diff prints a unified diff of every change;
without --check the files are still rewritten, as with terraform fmt -diff.

A PATH of "-" formats standard input to standard output (for editors).

A file with syntax errors is never changed: its errors are printed and the exit
status is 1. A PATH that does not exist is bad usage (exit status 2).`,
		Example: `  # Format the configuration in the current directory.
  pipeform fmt

  # Fail (exit 1) in CI when a file is not formatted, showing what to change.
  pipeform fmt --check --diff --recursive

  # Format one file, whatever its name.
  pipeform fmt pipelines/release.hcl

  # Format standard input to standard output.
  pipeform fmt - < main.pf.hcl`,
		Args: cobra.ArbitraryArgs,
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runFmt(opts, args)
		},
	}
	cmd.Flags().BoolVar(&opts.check, "check", false, "write nothing; list files that are not formatted and exit 1 if any")
	cmd.Flags().BoolVar(&opts.diff, "diff", false, "print a unified diff of each change")
	cmd.Flags().BoolVarP(&opts.recursive, "recursive", "r", false, "also format files in subdirectories")
	return cmd
}

// runFmt formats every file the arguments name. It checks all paths before
// touching any file, so a typo in the last argument changes nothing.
func (c *CLI) runFmt(opts fmtOptions, args []string) error {
	if len(args) == 0 {
		args = []string{"."}
	}
	if len(args) == 1 && args[0] == "-" {
		return c.fmtStdin(opts)
	}
	files, err := fmtFiles(args, opts.recursive)
	if err != nil {
		return err
	}
	ok := true
	for _, name := range files {
		if !c.fmtFile(name, opts) {
			ok = false
		}
	}
	if !ok {
		return exit(ExitProblems)
	}
	return nil
}

// fmtFiles lists the files to format, in argument order, each directory's
// files in lexical order, without duplicates.
func fmtFiles(args []string, recursive bool) ([]string, error) {
	var files []string
	seen := map[string]bool{}
	add := func(name string) {
		if key := filepath.Clean(name); !seen[key] {
			seen[key] = true
			files = append(files, name)
		}
	}
	for _, arg := range args {
		if arg == "-" {
			return nil, usagef(`"-" (standard input) cannot be combined with other paths`)
		}
		st, err := os.Stat(arg)
		if errors.Is(err, fs.ErrNotExist) {
			return nil, usagef("path %q does not exist; give a *.pf.hcl or *.pfvars file or a directory", arg)
		}
		if err != nil {
			return nil, usagef("cannot read %q: %v", arg, unwrapPathError(err))
		}
		if !st.IsDir() {
			add(arg)
			continue
		}
		err = filepath.WalkDir(arg, func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() {
				if path != arg && (!recursive || strings.HasPrefix(d.Name(), ".")) {
					return filepath.SkipDir
				}
				return nil
			}
			if isConfigFile(d.Name()) && isRegularFile(path, d) {
				add(path)
			}
			return nil
		})
		if err != nil {
			return nil, usagef("cannot read %q: %v", arg, unwrapPathError(err))
		}
	}
	return files, nil
}

// isRegularFile reports whether d is a regular file or a symbolic link to
// one (fmt rewrites the link's target and keeps the link).
func isRegularFile(path string, d fs.DirEntry) bool {
	if d.Type()&fs.ModeSymlink != 0 {
		st, err := os.Stat(path)
		return err == nil && st.Mode().IsRegular()
	}
	return d.Type().IsRegular()
}

// isConfigFile reports whether a directory scan formats the file.
func isConfigFile(name string) bool {
	return strings.HasSuffix(name, ".pf.hcl") || strings.HasSuffix(name, ".pfvars")
}

// fmtFile formats one file and reports whether it is fine: formatted (or
// rewritten), readable and free of syntax errors.
func (c *CLI) fmtFile(name string, opts fmtOptions) bool {
	src, err := os.ReadFile(name)
	if err != nil {
		c.fmtError("Cannot read file", fmt.Sprintf("Cannot read %s: %v.", name, unwrapPathError(err)))
		return false
	}
	out, ok := c.fmtSource(name, src)
	if !ok {
		return false
	}
	if bytes.Equal(src, out) {
		return true
	}
	fmt.Fprintln(c.Stdout, name)
	if opts.diff {
		slash := filepath.ToSlash(name)
		_, _ = c.Stdout.Write(diff.Diff("a/"+slash, src, "b/"+slash, out))
	}
	if opts.check {
		return false
	}
	if err := writeFileAtomic(name, out); err != nil {
		c.fmtError("Cannot write file", fmt.Sprintf("Cannot write %s: %v. The file was left unchanged.", name, unwrapPathError(err)))
		return false
	}
	return true
}

// fmtStdin formats standard input to standard output, for editors. With
// --diff it prints the diff instead; with --check it prints nothing and
// exits 1 when the input is not formatted.
func (c *CLI) fmtStdin(opts fmtOptions) error {
	const name = "<stdin>"
	src, err := io.ReadAll(c.Stdin)
	if err != nil {
		c.fmtError("Cannot read file", fmt.Sprintf("Cannot read standard input: %v.", err))
		return exit(ExitProblems)
	}
	out, ok := c.fmtSource(name, src)
	if !ok {
		return exit(ExitProblems)
	}
	switch {
	case opts.diff:
		_, _ = c.Stdout.Write(diff.Diff("a/"+name, src, "b/"+name, out))
	case !opts.check:
		_, _ = c.Stdout.Write(out)
	}
	if opts.check && !bytes.Equal(src, out) {
		return exit(ExitProblems)
	}
	return nil
}

// fmtSource formats src with check.Format, the code the language server
// formats with too, and prints its syntax errors, if any, with source
// snippets. fmt never rewrites a file that does not parse.
func (c *CLI) fmtSource(name string, src []byte) ([]byte, bool) {
	out, file, diags := check.Format(name, src)
	if !diags.HasErrors() {
		return out, true
	}
	color := isTerminal(c.Stderr) && c.Getenv("NO_COLOR") == ""
	_ = views.WriteDiagnostics(c.Stderr, map[string]*hcl.File{name: file}, diags, 0, color)
	return nil, false
}

// fmtError prints a diagnostic that has no source range.
func (c *CLI) fmtError(summary, detail string) {
	d := &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
	_ = views.WriteDiagnostics(c.Stderr, nil, hcl.Diagnostics{d}, 0, false)
}

// writeFileAtomic replaces name's contents with data through a temporary
// file in the same directory and a rename, keeping the file's mode. A
// symbolic link is followed, so the link stays a link.
func writeFileAtomic(name string, data []byte) error {
	target, err := filepath.EvalSymlinks(name)
	if err != nil {
		return err
	}
	st, err := os.Stat(target)
	if err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(target), "."+filepath.Base(target)+".*.tmp")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name()) // fails harmlessly after the rename
	if _, err := tmp.Write(data); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Chmod(st.Mode().Perm()); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Sync(); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	return os.Rename(tmp.Name(), target)
}

// unwrapPathError drops the operation and path of an fs.PathError, which
// the messages above already name.
func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}
