package runners

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Source runs a source action: it snapshots a folder into the action's
// output artifact, the way CodePipeline hands over a source ZIP (no .git, no
// symbolic links), and works out the action's output variables.
//
// When Dir is inside a git working tree the snapshot holds the tracked and
// untracked-but-not-ignored files under Dir (`git ls-files -co
// --exclude-standard`), so uncommitted work can be tried before a push, and
// the commit variables come from git. Otherwise every file under Dir is
// taken and the commit variables are empty.
type Source struct {
	// Provider is the CodePipeline provider: "CodeCommit",
	// "CodeStarSourceConnection", "S3" or "ECR".
	Provider string
	// Config is the action's configuration (for RepositoryName, BranchName, ...).
	Config map[string]string
	// Dir is the folder to snapshot.
	Dir string
	// Out is the output artifact folder to fill; it is created.
	Out string
	// Exclude lists folder names skipped at any depth besides .git (the
	// executor's own state folder, .pipeform).
	Exclude []string
	// Omit are files never taken, whatever their name or path (the
	// --secrets-file): compared as files (device and inode), so a link to
	// one is left out too.
	Omit []string
	// Env is the environment git runs with.
	Env []string
	// Log receives a few lines on what was taken.
	Log io.Writer
}

// SourceResult is what a source action produced.
type SourceResult struct {
	Files     int
	Variables map[string]string
}

// Run takes the snapshot.
func (s *Source) Run(ctx context.Context) (*SourceResult, hcl.Diagnostics) {
	st, err := os.Stat(s.Dir)
	if err != nil || !st.IsDir() {
		return nil, hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Source folder not found",
			Detail:   fmt.Sprintf("The source folder %q does not exist or is not a folder. Give an existing folder with --source NAME=PATH.", s.Dir),
		}}
	}
	files, inGit := s.gitFiles(ctx)
	if !inGit {
		files, err = walkFilesSkipping(s.Dir, s.skipped())
		if err != nil {
			return nil, sourceIODiag("Cannot read the source folder", err)
		}
	}
	files = s.filter(files)
	var omit []os.FileInfo
	for _, p := range s.Omit {
		if st, err := os.Stat(p); err == nil {
			omit = append(omit, st)
		}
	}
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return nil, sourceIODiag("Cannot write the source artifact", err)
	}
	n := 0
	for _, rel := range files {
		src := filepath.Join(s.Dir, filepath.FromSlash(rel))
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted but tracked, a symbolic link, a submodule
		}
		if sameAny(info, omit) {
			OwnLine(s.Log, "Left out %s: it is the secrets file", rel)
			continue
		}
		dst := filepath.Join(s.Out, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
			return nil, sourceIODiag("Cannot write the source artifact", err)
		}
		if err := copyFile(src, dst, info.Mode().Perm()); err != nil {
			return nil, sourceIODiag("Cannot write the source artifact", err)
		}
		n++
	}
	vars := s.variables(ctx, inGit)
	if s.Log != nil {
		how := "folder"
		if inGit {
			how = "git working tree"
		}
		OwnLine(s.Log, "Snapshot of %s (%s): %d files", s.Dir, how, n)
		if c := vars["CommitId"]; c != "" {
			OwnLine(s.Log, "Commit %s on %s", c, vars["BranchName"])
		}
	}
	return &SourceResult{Files: n, Variables: vars}, nil
}

// sameAny reports whether info is the same file as one of files.
func sameAny(info os.FileInfo, files []os.FileInfo) bool {
	for _, f := range files {
		if os.SameFile(info, f) {
			return true
		}
	}
	return false
}

// gitFiles lists the snapshot's files through git; false when Dir is not in
// a git working tree (or git is not installed).
func (s *Source) gitFiles(ctx context.Context) ([]string, bool) {
	out, err := s.git(ctx, "ls-files", "-co", "--exclude-standard", "-z")
	if err != nil {
		return nil, false
	}
	var files []string
	for _, f := range bytes.Split(out, []byte{0}) {
		if len(f) > 0 {
			files = append(files, string(f))
		}
	}
	sort.Strings(files)
	return files, true
}

func (s *Source) git(ctx context.Context, args ...string) ([]byte, error) {
	cmd := exec.CommandContext(ctx, "git", append([]string{"-C", s.Dir}, args...)...)
	cmd.Env = s.Env
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	return cmd.Output()
}

// skipped are the folder names a snapshot never holds: .git and Exclude.
func (s *Source) skipped() map[string]bool {
	skip := map[string]bool{".git": true}
	for _, e := range s.Exclude {
		skip[e] = true
	}
	return skip
}

// filter drops .git, the excluded folders and anything under them.
func (s *Source) filter(files []string) []string {
	skip := s.skipped()
	var out []string
next:
	for _, f := range files {
		for _, part := range strings.Split(f, "/") {
			if skip[part] {
				continue next
			}
		}
		out = append(out, f)
	}
	return out
}

// variables are the provider's documented output variables.
func (s *Source) variables(ctx context.Context, inGit bool) map[string]string {
	git := func(args ...string) string {
		if !inGit {
			return ""
		}
		out, err := s.git(ctx, args...)
		if err != nil {
			return ""
		}
		return strings.TrimRight(string(out), "\n")
	}
	v := map[string]string{}
	switch s.Provider {
	case "S3":
		v["BucketName"] = s.Config["S3Bucket"]
		v["ObjectKey"] = s.Config["S3ObjectKey"]
		v["ETag"] = ""
		v["VersionId"] = ""
		return v
	case "ECR":
		tag := s.Config["ImageTag"]
		if tag == "" {
			tag = "latest"
		}
		v["RepositoryName"] = s.Config["RepositoryName"]
		v["ImageTag"] = tag
		v["RegistryId"] = ""
		v["ImageDigest"] = ""
		v["ImageURI"] = ""
		return v
	}
	v["CommitId"] = git("rev-parse", "HEAD")
	v["CommitMessage"] = git("log", "-1", "--format=%B")
	v["AuthorDate"] = sourceUTC(git("log", "-1", "--format=%aI"))
	branch := git("rev-parse", "--abbrev-ref", "HEAD")
	if branch == "" || branch == "HEAD" {
		branch = s.Config["BranchName"]
	}
	v["BranchName"] = branch
	switch s.Provider {
	case "CodeStarSourceConnection":
		v["ConnectionArn"] = s.Config["ConnectionArn"]
		v["FullRepositoryName"] = s.Config["FullRepositoryId"]
	default: // CodeCommit
		v["CommitterDate"] = sourceUTC(git("log", "-1", "--format=%cI"))
		v["RepositoryName"] = s.Config["RepositoryName"]
	}
	return v
}

// sourceUTC writes a git ISO date in UTC with a Z, as CodePipeline does.
func sourceUTC(date string) string {
	t, err := time.Parse(time.RFC3339, date)
	if err != nil {
		return date
	}
	return t.UTC().Format(time.RFC3339)
}

// sourceWalkFiles lists every regular file under root, slash-separated, sorted.
func sourceWalkFiles(root string) ([]string, error) { return walkFilesSkipping(root, nil) }

// walkFilesSkipping is sourceWalkFiles without descending into folders
// whose name is in skip (the state folder of a source snapshot, which grows
// with every run, is not even read).
func walkFilesSkipping(root string, skip map[string]bool) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && p != root && skip[d.Name()] {
			return filepath.SkipDir
		}
		if d.Type().IsRegular() {
			rel, _ := filepath.Rel(root, p)
			files = append(files, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(files)
	return files, err
}

func sourceIODiag(summary string, err error) hcl.Diagnostics {
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  summary,
		Detail:   ioWords(err) + ".",
	}}
}

// CopyTree copies the folder src to dst (created), keeping file modes and
// symbolic links. Inputs are handed to actions as such fresh copies.
func CopyTree(src, dst string) error { return CopyTreeSkip(src, dst, nil) }

// CopyTreeSkip is CopyTree leaving out every path for which skip returns
// true (a skipped folder is left out whole).
func CopyTreeSkip(src, dst string, skip func(path string, d fs.DirEntry) bool) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if skip != nil && p != src && skip(p, d) {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		rel, _ := filepath.Rel(src, p)
		target := filepath.Join(dst, rel)
		info, err := os.Lstat(p)
		if err != nil {
			return err
		}
		switch {
		case info.IsDir():
			return os.MkdirAll(target, info.Mode().Perm()|0o700)
		case info.Mode()&fs.ModeSymlink != 0:
			link, err := os.Readlink(p)
			if err != nil {
				return err
			}
			return os.Symlink(link, target)
		case info.Mode().IsRegular():
			return copyFile(p, target, info.Mode().Perm())
		}
		return nil // sockets, devices: not artifact material
	})
}

// copyFile copies one regular file, creating or truncating dst with perm
// (the source file's permissions when perm is 0), always writable by its
// owner so a later copy over it works.
func copyFile(src, dst string, perm fs.FileMode) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	return copyOpened(in, perm, func(perm fs.FileMode) (*os.File, error) {
		return os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	})
}

// copyOpened copies in, which it closes, to the file create makes with
// perm (in's permissions when perm is 0) made writable by its owner.
func copyOpened(in *os.File, perm fs.FileMode, create func(fs.FileMode) (*os.File, error)) error {
	defer in.Close()
	if perm == 0 {
		st, err := in.Stat()
		if err != nil {
			return err
		}
		perm = st.Mode().Perm()
	}
	out, err := create(perm | 0o200)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
