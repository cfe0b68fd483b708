package runners

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
)

// Source runs a source action: it snapshots a folder into the action's
// output artifact, the way CodePipeline hands over a source (no .git;
// symbolic links as take says), and works out the action's output
// variables.
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
	// Name is the action's name, for --source NAME=PATH in messages.
	Name string
	// MaxEntries bounds the files and folders a snapshot takes (0: the
	// 1,048,576 of a build's walks); more fails the action.
	MaxEntries int
	// Clone holds links the way a build that fetches its source itself
	// gets them (see take); a CODEBUILD_CLONE_REF source does so whatever
	// this says.
	Clone bool
	// AllFiles takes every entry under Dir even when it lies in a git
	// working tree, empty folders included, and leaves the commit
	// variables empty: the folder as it is, as AWS's local build tool
	// copies a source folder.
	AllFiles bool
	// Leave are folders under Dir left out whole (exec's artifacts folder
	// when it lies in the source).
	Leave []string
	// Flag is how the folder was given, for messages ("--source DIR");
	// empty means --source NAME=PATH with Name.
	Flag string
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
			Detail:   fmt.Sprintf("The source folder %q does not exist or is not a folder. Give an existing folder with %s.", s.Dir, s.flag()),
		}}
	}
	// Links are judged against the folder's real path, and a folder given
	// as a link is walked, not taken as one link.
	root, err := filepath.Abs(s.Dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return nil, sourceIODiag("Cannot read the source folder", err)
	}
	limit := s.MaxEntries
	if limit <= 0 {
		limit = maxWalkEntries
	}
	var files []string
	inGit := false
	if !s.AllFiles {
		files, inGit = s.gitFiles(ctx)
	}
	skip := s.skipped(root)
	if !inGit {
		files, err = walkSnapshot(root, skip, limit, s.AllFiles)
		if errors.Is(err, errSnapshotTooLarge) {
			return nil, s.tooLarge(limit)
		}
		if err != nil {
			return nil, sourceIODiag("Cannot read the source folder", err)
		}
	}
	files = filterSnapshot(files, skip)
	if len(files) > limit {
		return nil, s.tooLarge(limit)
	}
	var omit []os.FileInfo
	for _, p := range s.Omit {
		if st, err := os.Stat(p); err == nil {
			omit = append(omit, st)
		}
	}
	if err := os.MkdirAll(s.Out, 0o755); err != nil {
		return nil, sourceIODiag("Cannot write the source artifact", err)
	}
	var notes snapshotNotes
	n := 0
	for _, rel := range files {
		took, err := s.take(root, rel, omit, &notes)
		if err != nil {
			return nil, sourceIODiag("Cannot write the source artifact", err)
		}
		if took {
			n++
		}
	}
	notes.log(s.Log)
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

// take puts the entry rel of the folder root into the snapshot, the way a
// source artifact holds it:
//
//   - a regular file is copied;
//   - a symbolic link is never followed. When the build fetches the source
//     itself (a CODEBUILD_CLONE_REF source, which CodeBuild clones, or
//     Clone: exec, a build run directly, which downloads its own source),
//     git keeps links: a link comes through CodeBuild's own checkout, not
//     through CodePipeline's artifact (the AWS CDK team, aws/aws-cdk#7343,
//     recreates its link at build time for that reason). Such a link stays
//     a link when it leads to a place inside the folder, and is left out
//     when it leads outside (an absolute target, a .. past the folder, or a
//     path through another link that leaves it): the copy's links then
//     resolve inside the artifact, never back into the folder or the
//     machine. Otherwise
//     (CODE_ZIP, the default, and the S3 and ECR sources) it becomes a
//     file holding its target path, which is what a build gets from
//     CodePipeline's ZIP of a repository holding a link;
//   - a named pipe, socket or device is left out without being opened
//     (reading a pipe would wait forever);
//   - a folder is made, empty, with AllFiles (which lists folders); any
//     other (a submodule) is left out, and so is an entry gone since it
//     was listed.
//
// It reports whether it took the entry (a file or a link).
func (s *Source) take(root, rel string, omit []os.FileInfo, notes *snapshotNotes) (bool, error) {
	src := filepath.Join(root, filepath.FromSlash(rel))
	info, err := os.Lstat(src)
	if err != nil {
		return false, nil
	}
	if info.IsDir() {
		if s.AllFiles {
			return false, os.MkdirAll(filepath.Join(s.Out, filepath.FromSlash(rel)), 0o755)
		}
		return false, nil
	}
	link := info.Mode()&fs.ModeSymlink != 0
	if !link && !info.Mode().IsRegular() {
		notes.special = append(notes.special, rel)
		return false, nil
	}
	target := info
	if link {
		target, _ = os.Stat(src) // follows the link, opens nothing
	}
	if target != nil && sameAny(target, omit) {
		OwnLine(s.Log, "Left out %s: it is the secrets file", rel)
		return false, nil
	}
	dst := filepath.Join(s.Out, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return false, err
	}
	if !link {
		ok, err := copyRegular(src, dst, info.Mode().Perm())
		if !ok && err == nil {
			notes.special = append(notes.special, rel) // replaced since it was looked at
		}
		return ok, err
	}
	text, err := os.Readlink(src)
	if err != nil {
		return false, err
	}
	if !s.Clone && s.Config["OutputArtifactFormat"] != "CODEBUILD_CLONE_REF" {
		notes.asText = append(notes.asText, rel)
		return true, os.WriteFile(dst, []byte(text), 0o644)
	}
	if !linkInside(root, rel, text) {
		notes.outside = append(notes.outside, rel)
		return false, nil
	}
	return true, os.Symlink(text, dst)
}

// linkInside reports whether the link rel of the folder root, whose text
// is target, leads to a place inside root: its text is relative and stays
// inside root read as a path from the link's folder, and when the target
// exists, its real path (through any other links) is inside root too. A
// dangling link that passes the first test is inside: in the copy its
// path can only resolve inside the artifact.
func linkInside(root, rel, target string) bool {
	if filepath.IsAbs(target) {
		return false
	}
	lexical := filepath.Join(filepath.Dir(filepath.FromSlash(rel)), target)
	if !filepath.IsLocal(lexical) && lexical != "." {
		return false
	}
	real, err := filepath.EvalSymlinks(filepath.Join(root, filepath.FromSlash(rel)))
	if err != nil {
		return true
	}
	r, err := filepath.Rel(root, real)
	return err == nil && (r == "." || filepath.IsLocal(r))
}

// copyRegular copies src to dst when it is a regular file; false (and no
// error) when it is not one any more. It is opened without blocking, so a
// file swapped for a named pipe since it was looked at is not waited on.
func copyRegular(src, dst string, perm fs.FileMode) (bool, error) {
	in, err := os.OpenFile(src, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return false, err
	}
	if st, err := in.Stat(); err != nil || !st.Mode().IsRegular() {
		in.Close()
		return false, err
	}
	return true, copyOpened(in, perm, func(perm fs.FileMode) (*os.File, error) {
		return os.OpenFile(dst, copyFlags, perm)
	})
}

// snapshotNotes gathers what a snapshot left out or changed, for a few log
// lines at its end instead of one line per entry.
type snapshotNotes struct {
	special, outside, asText []string
}

// maxNamed is how many paths one note names.
const maxNamed = 10

func (n *snapshotNotes) log(w io.Writer) {
	if len(n.special) > 0 {
		OwnLine(w, "Warning: left out %s (a named pipe, socket or device): it is never opened, as reading a pipe would wait forever", named(n.special))
	}
	if len(n.outside) > 0 {
		OwnLine(w, "Warning: left out %s (a symbolic link leading outside the source folder): a link is kept only when it leads to a place inside the folder through a relative path", named(n.outside))
	}
	if len(n.asText) > 0 {
		OwnLine(w, "Handed over %s (a symbolic link) as a file holding the link's target path, as a build gets it from CodePipeline's ZIP; output_artifact_format = \"CODEBUILD_CLONE_REF\" keeps links", named(n.asText))
	}
}

// named lists paths for a log line, at most maxNamed of them.
func named(paths []string) string {
	if len(paths) <= maxNamed {
		return strings.Join(paths, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(paths[:maxNamed], ", "), len(paths)-maxNamed)
}

// errSnapshotTooLarge is a walk of a source folder that met more entries
// than a snapshot takes.
var errSnapshotTooLarge = errors.New("too many files and folders")

// tooLarge is the diagnostic of a source folder with more than limit
// entries.
func (s *Source) tooLarge(limit int) hcl.Diagnostics {
	how := "Point " + s.flag() + " at the folder that holds the application, or put the folder in a git working tree and list the generated folders (dependencies, build output) in .gitignore: a snapshot of a working tree takes only the tracked and untracked-but-not-ignored files."
	if s.AllFiles {
		how = "Point " + s.flag() + " at the folder that holds the application, or move the generated folders (dependencies, build output) out of it: every file under the folder is copied."
	}
	return hcl.Diagnostics{{
		Severity: hcl.DiagError,
		Summary:  "Source folder too large",
		Detail: fmt.Sprintf("The source folder %q holds more than %d files and folders, the most a snapshot takes: a snapshot that large would copy and hash a dependency or build folder rather than a repository. %s",
			s.Dir, limit, how),
	}}
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

// flag is how the folder was given, for messages.
func (s *Source) flag() string {
	if s.Flag != "" {
		return s.Flag
	}
	name := s.Name
	if name == "" {
		name = "NAME"
	}
	return "--source " + name + "=PATH"
}

// snapshotSkip says which folders a snapshot never holds: those named in
// names at any depth, and the slash paths (relative to the folder) in
// paths.
type snapshotSkip struct {
	names, paths map[string]bool
}

// skipped are the folders a snapshot of the folder root (a real path)
// never holds: .git, Exclude, and Leave where it lies inside root.
func (s *Source) skipped(root string) snapshotSkip {
	skip := snapshotSkip{names: map[string]bool{".git": true}, paths: map[string]bool{}}
	for _, e := range s.Exclude {
		skip.names[e] = true
	}
	for _, l := range s.Leave {
		abs, err := filepath.Abs(l)
		if err != nil {
			continue
		}
		if real, err := filepath.EvalSymlinks(abs); err == nil {
			abs = real
		}
		if rel, err := filepath.Rel(root, abs); err == nil && filepath.IsLocal(rel) {
			skip.paths[filepath.ToSlash(rel)] = true
		}
	}
	return skip
}

// folder reports whether the folder rel (a slash path) is left out.
func (k snapshotSkip) folder(rel string) bool {
	return k.names[path.Base(rel)] || k.paths[rel]
}

// filterSnapshot drops the skipped folders and anything under them.
func filterSnapshot(files []string, skip snapshotSkip) []string {
	var out []string
next:
	for _, f := range files {
		parts := strings.Split(f, "/")
		for i := range parts {
			if skip.folder(strings.Join(parts[:i+1], "/")) {
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
func sourceWalkFiles(root string) ([]string, error) {
	var files []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
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

// walkSnapshot lists every entry under root that is not a folder (files,
// links, pipes: take decides), and the folders too when folders is set,
// slash-separated and sorted, without descending into the folders skip
// leaves out (the state folder of a source snapshot, which grows with
// every run, is not even read) and without following links. More than
// limit entries visited is errSnapshotTooLarge.
func walkSnapshot(root string, skip snapshotSkip, limit int, folders bool) ([]string, error) {
	var files []string
	seen := 0
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if p == root {
			return nil
		}
		if seen++; seen > limit {
			return errSnapshotTooLarge
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		if d.IsDir() {
			if skip.folder(rel) {
				return filepath.SkipDir
			}
			if !folders {
				return nil
			}
		}
		files = append(files, rel)
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
func CopyTree(src, dst string) error {
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
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
		return os.OpenFile(dst, copyFlags, perm)
	})
}

// CopyHeld copies the first size bytes of r, the size a file had when it
// was opened, or fewer if it shrank since.
func CopyHeld(w io.Writer, r io.Reader, size int64) error {
	_, err := io.CopyN(w, r, size)
	if err == io.EOF {
		return nil
	}
	return err
}

// copyFlags open the destination of a copy (copyOpened's create). It is
// opened without blocking: a named pipe left where the copy goes (a
// deploy's target folder, a local bucket) fails the copy with "no such
// device or address" rather than wait for a reader, which with an
// executable's copy would hold syscall.ForkLock, and so every process the
// run starts, for as long. For a regular file it changes nothing.
const copyFlags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC | syscall.O_NONBLOCK

// copyOpened copies in, which it closes, to the file create makes with
// perm (in's permissions when perm is 0) made writable by its owner. It
// copies the bytes the file held when opened, as tar does: a file another
// process keeps appending to (a log) would otherwise be copied for as long
// as it grows, forever if it grows faster than it is read.
func copyOpened(in *os.File, perm fs.FileMode, create func(fs.FileMode) (*os.File, error)) error {
	defer in.Close()
	st, err := in.Stat()
	if err != nil {
		return err
	}
	if perm == 0 {
		perm = st.Mode().Perm()
	}
	if perm&0o111 != 0 {
		// A process another action forks while an executable's copy is
		// open holds the descriptor until it runs its own program, and
		// running the copy then fails with "text file busy" (Go issue
		// 22315; a shell says exit status 126): a build running the script
		// it was handed, a deploy hook running the binary just installed.
		// No fork starts while the read lock is held.
		syscall.ForkLock.RLock()
		defer syscall.ForkLock.RUnlock()
	}
	out, err := create(perm | 0o200)
	if err != nil {
		return err
	}
	err = CopyHeld(out, in, st.Size())
	if cerr := out.Close(); err == nil {
		err = cerr
	}
	return err
}
