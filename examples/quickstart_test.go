// Package examples_test keeps the README's quick start true: it runs the
// README's command, exactly as written there, in a fresh copy of the
// repository, the way a new user would right after cloning.
//
// The examples themselves are not Go packages of this module (go-service has
// its own go.mod); their apps are tested by their own pipelines, which the
// CLI's example_*.txtar scripts run end to end.
package examples_test

import (
	"bufio"
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// quickStartPrefix starts the README line this test runs.
const quickStartPrefix = "go build -o bin/pipeform ./cmd/pipeform"

func TestQuickStart(t *testing.T) {
	if testing.Short() {
		t.Skip("builds pipeform and runs a whole pipeline")
	}
	for _, tool := range []string{"git", "node"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skipf("%s is not installed", tool)
		}
	}
	repo := repoRoot(t)
	line := quickStartLine(t, filepath.Join(repo, "README.md"))

	clone := filepath.Join(t.TempDir(), "pipeform")
	copyWorkingTree(t, repo, clone)
	// A fresh clone is a git working tree: the source action snapshots the
	// example folder out of it.
	git(t, clone, "init", "-q")
	git(t, clone, "add", "-A")
	git(t, clone, "-c", "user.name=quickstart", "-c", "user.email=quickstart@example.com",
		"commit", "-q", "-m", "snapshot")

	cmd := exec.Command("sh", "-c", line)
	cmd.Dir = clone
	cmd.Stdin = strings.NewReader("")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("the README's quick start failed: %s\n%v\n%s", line, err, out)
	}
	// The source action takes the example folder out of the clone's working
	// tree, with the commit from git, and the app passes its own checks.
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`\[Source\.checkout\] Snapshot of examples/node-webapp \(git working tree\): \d+ files`),
		regexp.MustCompile(`\[Approve\.ship\] Approval needed: Ship node-webapp \S+ \(commit [0-9a-f]{40}\) to staging\?`),
		regexp.MustCompile(`\[Deploy\.deploy\] healthy: node-webapp`),
	} {
		if !want.Match(out) {
			t.Errorf("the quick start's output does not match %s:\n%s", want, out)
		}
	}
}

func repoRoot(t *testing.T) string {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		t.Fatal("cannot locate the test file")
	}
	return filepath.Dir(filepath.Dir(file))
}

// quickStartLine returns the README's quick-start command line.
func quickStartLine(t *testing.T, readme string) string {
	data, err := os.ReadFile(readme)
	if err != nil {
		t.Fatal(err)
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if line := strings.TrimSpace(sc.Text()); strings.HasPrefix(line, quickStartPrefix) {
			return line
		}
	}
	t.Fatalf("README.md has no line starting with %q: keep the quick start and this test in step", quickStartPrefix)
	return ""
}

// copyWorkingTree copies what a clone would hold (tracked files plus
// untracked files that are not ignored) from repo to dst.
func copyWorkingTree(t *testing.T, repo, dst string) {
	out, err := exec.Command("git", "-C", repo, "ls-files", "-co", "--exclude-standard", "-z").Output()
	if err != nil {
		t.Skipf("%s is not a git working tree: %v", repo, err)
	}
	for _, rel := range strings.Split(string(out), "\x00") {
		if rel == "" {
			continue
		}
		src := filepath.Join(repo, filepath.FromSlash(rel))
		info, err := os.Lstat(src)
		if err != nil || !info.Mode().IsRegular() {
			continue // deleted but still tracked, or a symbolic link
		}
		data, err := os.ReadFile(src)
		if err != nil {
			t.Fatal(err)
		}
		target := filepath.Join(dst, filepath.FromSlash(rel))
		if err := os.MkdirAll(filepath.Dir(target), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(target, data, info.Mode().Perm()); err != nil {
			t.Fatal(err)
		}
	}
}

func git(t *testing.T, dir string, args ...string) {
	cmd := exec.Command("git", append([]string{"-C", dir}, args...)...)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("git %s: %v\n%s", strings.Join(args, " "), err, out)
	}
}
