package runners

import (
	"bytes"
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func srcWrite(t *testing.T, root string, files map[string]string) {
	t.Helper()
	for name, data := range files {
		p := filepath.Join(root, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func srcList(t *testing.T, root string) []string {
	t.Helper()
	files, err := sourceWalkFiles(root)
	if err != nil {
		t.Fatal(err)
	}
	return files
}

func srcGit(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=t", "GIT_AUTHOR_EMAIL=t@example.com",
		"GIT_COMMITTER_NAME=t", "GIT_COMMITTER_EMAIL=t@example.com",
		"GIT_AUTHOR_DATE=2026-11-25T10:00:00Z", "GIT_COMMITTER_DATE=2026-11-25T10:00:00Z")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %v: %v\n%s", args, err, out)
	}
}

// In a git working tree the snapshot holds tracked and untracked files but
// not ignored ones, never .git or the state folder, and the commit
// variables come from git.
func TestSourceGitWorkingTree(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	srcGit(t, repo, "init", "-q", "-b", "main")
	srcWrite(t, repo, map[string]string{
		".gitignore": "*.log\n.pipeform/\n", "app/main.go": "package main\n",
		"app/ci.pf.hcl": "# config\n", "other/readme.md": "x\n",
	})
	srcGit(t, repo, "add", ".")
	srcGit(t, repo, "commit", "-q", "-m", "First commit")
	srcWrite(t, repo, map[string]string{
		"app/new.go": "package main\n", "app/debug.log": "ignored\n", "app/.pipeform/runs/x": "state\n",
	})
	out := filepath.Join(t.TempDir(), "out")
	var log bytes.Buffer
	r, diags := (&Source{Provider: "CodeCommit", Config: map[string]string{"RepositoryName": "web", "BranchName": "release"},
		Dir: filepath.Join(repo, "app"), Out: out, Exclude: []string{".pipeform"}, Log: &log}).Run(context.Background())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if d := cmp.Diff([]string{"ci.pf.hcl", "main.go", "new.go"}, srcList(t, out)); d != "" {
		t.Errorf("snapshot (-want +got):\n%s", d)
	}
	v := r.Variables
	if len(v["CommitId"]) != 40 || v["BranchName"] != "main" || v["CommitMessage"] != "First commit" ||
		v["RepositoryName"] != "web" || v["AuthorDate"] != "2026-11-25T10:00:00Z" {
		t.Errorf("variables: %v", v)
	}
}

// Outside git every file is taken, except the excluded folders.
func TestSourcePlainFolder(t *testing.T) {
	dir := t.TempDir()
	srcWrite(t, dir, map[string]string{"a.txt": "a", "sub/b.txt": "b", ".pipeform/x": "x", ".git/HEAD": "ref"})
	if err := os.Symlink("a.txt", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r, diags := (&Source{Provider: "CodeStarSourceConnection", Config: map[string]string{"FullRepositoryId": "acme/web", "BranchName": "main"},
		Dir: dir, Out: out, Exclude: []string{".pipeform"}}).Run(context.Background())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	// A CODE_ZIP source hands a link over as a file holding its target.
	if d := cmp.Diff([]string{"a.txt", "link", "sub/b.txt"}, srcList(t, out)); d != "" {
		t.Errorf("snapshot (-want +got):\n%s", d)
	}
	if data, _ := os.ReadFile(filepath.Join(out, "link")); string(data) != "a.txt" {
		t.Errorf("link handed over as %q, want its target path a.txt", data)
	}
	if r.Variables["FullRepositoryName"] != "acme/web" || r.Variables["BranchName"] != "main" || r.Variables["CommitId"] != "" {
		t.Errorf("variables: %v", r.Variables)
	}
	_, diags = (&Source{Dir: filepath.Join(dir, "missing"), Out: out}).Run(context.Background())
	if !diags.HasErrors() || diags[0].Summary != "Source folder not found" {
		t.Errorf("missing folder: %v", diags)
	}
}

// In a git working tree a tracked link of a CODEBUILD_CLONE_REF source
// stays a link when it leads inside the folder; one leading outside is left
// out, and so is a tracked file replaced by a named pipe (never opened).
func TestSourceGitLinks(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	srcGit(t, repo, "init", "-q", "-b", "main")
	srcWrite(t, repo, map[string]string{"a.txt": "a", "p.txt": "p"})
	for link, target := range map[string]string{"in": "a.txt", "out": "../x", "abs": "/etc/passwd"} {
		if err := os.Symlink(target, filepath.Join(repo, link)); err != nil {
			t.Fatal(err)
		}
	}
	srcGit(t, repo, "add", ".")
	srcGit(t, repo, "commit", "-q", "-m", "links")
	os.Remove(filepath.Join(repo, "p.txt"))
	if err := syscall.Mkfifo(filepath.Join(repo, "p.txt"), 0o644); err != nil {
		t.Skip("no named pipes here:", err)
	}
	out := filepath.Join(t.TempDir(), "out")
	var log bytes.Buffer
	_, diags := (&Source{Provider: "CodeCommit", Config: map[string]string{"OutputArtifactFormat": "CODEBUILD_CLONE_REF"},
		Dir: repo, Out: out, Log: &log}).Run(context.Background())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	if target, err := os.Readlink(filepath.Join(out, "in")); err != nil || target != "a.txt" {
		t.Errorf("in: %q, %v; want a link to a.txt", target, err)
	}
	for _, gone := range []string{"out", "abs", "p.txt"} {
		if _, err := os.Lstat(filepath.Join(out, gone)); err == nil {
			t.Errorf("%s was taken", gone)
		}
	}
	for _, want := range []string{"Warning: left out p.txt (a named pipe", "Warning: left out abs, out (a symbolic link leading outside"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
}

// A walk of a folder with more entries than the limit stops with a
// diagnostic; one at the limit is taken.
func TestSourceEntryLimit(t *testing.T) {
	dir := t.TempDir()
	srcWrite(t, dir, map[string]string{"a": "a", "d/b": "b", "d/c": "c"})
	out := filepath.Join(t.TempDir(), "out")
	_, diags := (&Source{Dir: dir, Out: out, Name: "checkout", MaxEntries: 3}).Run(context.Background())
	if !diags.HasErrors() || diags[0].Summary != "Source folder too large" || !strings.Contains(diags[0].Detail, "--source checkout=PATH") {
		t.Fatalf("4 entries, limit 3: %v", diags)
	}
	if _, diags := (&Source{Dir: dir, Out: out, MaxEntries: 4}).Run(context.Background()); diags.HasErrors() {
		t.Fatalf("4 entries, limit 4: %v", diags)
	}
}

// AllFiles takes ignored files of a git working tree too, and empty
// folders, and gives no commit variables; Clone keeps an inside link as a
// link; Leave leaves a folder out by its path, not by its name elsewhere.
func TestSourceAllFilesLeave(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git is not installed")
	}
	repo := t.TempDir()
	srcGit(t, repo, "init", "-q", "-b", "main")
	srcWrite(t, repo, map[string]string{
		".gitignore": "*.log\n", "a.txt": "a", "build.log": "log",
		"out/old.txt": "artifact", "sub/out/kept.txt": "kept",
	})
	if err := os.Symlink("a.txt", filepath.Join(repo, "in")); err != nil {
		t.Fatal(err)
	}
	srcGit(t, repo, "add", ".")
	srcGit(t, repo, "commit", "-q", "-m", "c")
	if err := os.MkdirAll(filepath.Join(repo, "empty", "inner"), 0o755); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out")
	r, diags := (&Source{Dir: repo, Out: out, AllFiles: true, Clone: true,
		Leave: []string{filepath.Join(repo, "out")}}).Run(context.Background())
	if diags.HasErrors() {
		t.Fatal(diags.Error())
	}
	want := []string{".gitignore", "a.txt", "build.log", "sub/out/kept.txt"}
	if diff := cmp.Diff(want, srcList(t, out)); diff != "" {
		t.Errorf("files (-want +got):\n%s", diff)
	}
	if target, err := os.Readlink(filepath.Join(out, "in")); err != nil || target != "a.txt" {
		t.Errorf("in: %q, %v; want a link to a.txt", target, err)
	}
	if st, err := os.Stat(filepath.Join(out, "empty", "inner")); err != nil || !st.IsDir() {
		t.Errorf("empty/inner was not made: %v", err)
	}
	if r.Files != 5 {
		t.Errorf("Files = %d, want 5 (4 files and a link)", r.Files)
	}
	if r.Variables["CommitId"] != "" {
		t.Errorf("CommitId = %q, want none", r.Variables["CommitId"])
	}
}

// TestCopyGrowingFile: a file another process keeps appending to (a log)
// is copied as it was when the copy began. Before, the copy went on for as
// long as the file grew, forever when it grew faster than it was read.
// Here the "other process" appends a mebibyte once the copy has begun
// (when its output is created), which the old code copied too.
func TestCopyGrowingFile(t *testing.T) {
	dir := t.TempDir()
	src, dst := filepath.Join(dir, "grow.log"), filepath.Join(dir, "copy.log")
	first := bytes.Repeat([]byte("x"), 4096)
	if err := os.WriteFile(src, first, 0o644); err != nil {
		t.Fatal(err)
	}
	in, err := os.Open(src)
	if err != nil {
		t.Fatal(err)
	}
	err = copyOpened(in, 0, func(perm fs.FileMode) (*os.File, error) {
		w, err := os.OpenFile(src, os.O_WRONLY|os.O_APPEND, 0)
		if err != nil {
			return nil, err
		}
		if _, err := w.Write(bytes.Repeat([]byte("y"), 1<<20)); err != nil {
			return nil, err
		}
		w.Close()
		return os.OpenFile(dst, os.O_WRONLY|os.O_CREATE|os.O_TRUNC, perm)
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(dst)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, first) {
		t.Fatalf("copied %d bytes of a file that held %d when the copy began", len(got), len(first))
	}
}
