package cli

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/lang/langtest"
)

// sharedCorpus is the buildspec corpus of the shared reference folder
// (../shared next to the repository). A fresh clone has no ../shared, so the
// test is skipped with a message saying how to run it; CI always has it, so
// there (CI set) a missing corpus fails the test instead.
func sharedCorpus(t *testing.T) string { return langtest.BuildspecCorpus(t) }

// TestExecDryRunCorpus: every real buildspec of the shared corpus parses
// and plans without error (pipeform exec --dry-run), and the plan lists
// the four buildspec phases.
func TestExecDryRunCorpus(t *testing.T) {
	corpus := sharedCorpus(t)
	files, err := filepath.Glob(filepath.Join(corpus, "*.y*ml"))
	if err != nil {
		t.Fatal(err)
	}
	src := t.TempDir()
	for _, f := range files {
		t.Run(filepath.Base(f), func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			c := &CLI{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
			if code := c.Run([]string{"exec", f, "--source", src, "--dry-run"}); code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			for _, phase := range []string{"\nINSTALL", "\nPRE_BUILD", "\nBUILD", "\nPOST_BUILD", "\nUPLOAD_ARTIFACTS"} {
				if !strings.Contains(stdout.String(), phase) {
					t.Errorf("plan lacks %s:\n%s", phase[1:], stdout.String())
				}
			}
		})
	}
	if len(files) < 50 {
		t.Errorf("only %d corpus files found in %s", len(files), corpus)
	}
}

// TestExecCorpusRuns really runs a few corpus buildspecs whose tools are
// replaced by stubs that only echo, so the runner is exercised on real
// files: a 0.2 file with cache and artifacts, and the 0.1 file (plain
// environment_variables, no state carried between commands).
func TestExecCorpusRuns(t *testing.T) {
	corpus := sharedCorpus(t)
	cases := map[string][]string{
		"aws-samples__aws-codebuild-samples__buildspecs_build-with-cache.yml": {"stub npm install\n", "stub npm test\n"},
		"dharnitski__golang-codebuild__buildspec.yml": {
			"GOPATH - ", "/src/github.com/dharnitski/golang-codebuild\n", "stub go get ./...\n", "stub go build -o ",
		},
	}
	stubs := t.TempDir()
	for _, tool := range []string{"npm", "go"} {
		script := "#!/bin/sh\necho \"stub " + tool + " $*\"\n"
		if err := os.WriteFile(filepath.Join(stubs, tool), []byte(script), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	for name, wants := range cases {
		t.Run(name, func(t *testing.T) {
			spec := filepath.Join(corpus, name)
			if _, err := os.Stat(spec); err != nil {
				t.Fatalf("corpus file not available: %v", err)
			}
			dir := t.TempDir()
			src := filepath.Join(dir, "src")
			os.MkdirAll(src, 0o755)
			os.WriteFile(filepath.Join(src, "application"), []byte("app\n"), 0o644)
			env := []string{"PATH=" + stubs + string(os.PathListSeparator) + os.Getenv("PATH"), "GOPATH=" + filepath.Join(dir, "gopath")}
			var stdout, stderr bytes.Buffer
			c := &CLI{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
				Getenv: func(string) string { return "" }, Environ: func() []string { return env }}
			if code := c.Run([]string{"exec", spec, "--source", src, "--artifacts", filepath.Join(dir, "out")}); code != ExitOK {
				t.Fatalf("exit %d\n%s%s", code, stdout.String(), stderr.String())
			}
			for _, want := range append(wants, "Phase complete: BUILD State: SUCCEEDED\n", "Phase complete: UPLOAD_ARTIFACTS State: SUCCEEDED\n") {
				if !strings.Contains(stdout.String(), want) {
					t.Errorf("output lacks %q:\n%s", want, stdout.String())
				}
			}
		})
	}
}
