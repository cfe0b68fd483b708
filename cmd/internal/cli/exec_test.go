package cli

import (
	"bytes"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

// TestExecDryRunCorpus: every real buildspec of the shared corpus parses
// and plans without error (pipeform exec --dry-run), and the plan lists
// the four buildspec phases.
func TestExecDryRunCorpus(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	corpus := filepath.Join(filepath.Dir(file), "..", "..", "..", "..", "shared", "corpus", "buildspec")
	files, err := filepath.Glob(filepath.Join(corpus, "*.y*ml"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Skipf("no buildspec corpus at %s", corpus)
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
