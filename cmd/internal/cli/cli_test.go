package cli

import (
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestTerraformStyleFlags(t *testing.T) {
	in := []string{"plan", "-var", "a=1", "-var=b=2", "-var-file", "x.pfvars", "-var-file=y.pfvars", "--var", "c=3", "-v", "--", "-var"}
	want := []string{"plan", "--var", "a=1", "--var=b=2", "--var-file", "x.pfvars", "--var-file=y.pfvars", "--var", "c=3", "-v", "--", "-var"}
	if diff := cmp.Diff(want, terraformStyleFlags(in)); diff != "" {
		t.Errorf("terraformStyleFlags (-want +got):\n%s", diff)
	}
}

func TestPanicIsInternalError(t *testing.T) {
	var stderr strings.Builder
	c := &CLI{Stdin: strings.NewReader(""), Stdout: io.Discard, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
	// A nil Environ makes the configuration loader panic: the CLI must turn
	// that into exit 3 and a report, not a crash.
	c.Environ = nil
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.pf.hcl"), []byte("locals {}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if code := c.Run([]string{"validate", dir}); code != ExitInternal {
		t.Fatalf("exit code %d, want %d (stderr: %s)", code, ExitInternal, stderr.String())
	}
	if !strings.Contains(stderr.String(), "This is a bug in pipeform") {
		t.Errorf("stderr does not say it is a bug:\n%s", stderr.String())
	}
}
