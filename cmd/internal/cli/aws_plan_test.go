package cli

import (
	"bytes"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const awsPlanConfig = `project "test" {
  name    = "app-test"
  timeout = %d
  phase "build" { commands = [%s] }
}

pipeline "app" {
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "app"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Test" {
    action "test" {
      codebuild = project.test
      inputs    = [artifact.src]
    }
  }
}
`

func runCLI(t *testing.T, args ...string) (int, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	c := &CLI{Stdin: strings.NewReader(""), Stdout: &stdout, Stderr: &stderr,
		Getenv: func(string) string { return "" }, Environ: func() []string { return nil }}
	code := c.Run(args)
	return code, stdout.String() + stderr.String()
}

// plan --target aws exits like terraform plan -detailed-exitcode: 0 no
// changes, 2 changes, 1 errors.
func TestPlanAWSExitCodes(t *testing.T) {
	dir, out := t.TempDir(), filepath.Join(t.TempDir(), "out")
	writeConfig := func(timeout int, cmds string) {
		cfg := fmt.Sprintf(awsPlanConfig, timeout, cmds)
		if err := os.WriteFile(filepath.Join(dir, "main.pf.hcl"), []byte(cfg), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	writeConfig(10, `"make test"`)
	if code, log := runCLI(t, "plan", dir, "--target", "aws", "--out", out); code != ExitChanges {
		t.Fatalf("plan into an empty OUT: exit %d, want %d\n%s", code, ExitChanges, log)
	}
	if code, log := runCLI(t, "apply", dir, "--target", "aws", "--out", out); code != ExitOK {
		t.Fatalf("apply: exit %d\n%s", code, log)
	}
	if code, log := runCLI(t, "plan", dir, "--target", "aws", "--out", out); code != ExitOK {
		t.Fatalf("plan after apply: exit %d, want 0\n%s", code, log)
	}
	writeConfig(20, `"make test", "make check"`)
	if code, log := runCLI(t, "plan", dir, "--target", "aws", "--out", out); code != ExitChanges {
		t.Fatalf("plan after a change: exit %d, want %d\n%s", code, ExitChanges, log)
	}
	writeConfig(20, `nope.nope`)
	if code, log := runCLI(t, "plan", dir, "--target", "aws", "--out", out); code != ExitProblems {
		t.Fatalf("plan of a broken configuration: exit %d, want %d\n%s", code, ExitProblems, log)
	}
}

// For every example: generate succeeds, a second run changes nothing, and
// plan --target aws against the fresh output reports no changes (exit 0).
func TestExamplesGenerateThenPlan(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "..", "examples", "*"))
	n := 0
	for _, dir := range dirs {
		if hcl, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl")); len(hcl) == 0 {
			continue
		}
		n++
		t.Run(filepath.Base(dir), func(t *testing.T) {
			out := t.TempDir()
			// A fixed Region, for examples with cross-Region artifact stores.
			args := []string{dir, "--out", out, "--region", "us-east-1"}
			if code, log := runCLI(t, append([]string{"generate"}, args...)...); code != ExitOK {
				t.Fatalf("generate: exit %d\n%s", code, log)
			}
			code, log := runCLI(t, append([]string{"generate"}, args...)...)
			if code != ExitOK || !strings.Contains(log, "(0 added, 0 changed, 0 removed)") {
				t.Errorf("second generate: exit %d, want no changes\n%s", code, log)
			}
			if code, log := runCLI(t, append([]string{"plan", "--target", "aws"}, args...)...); code != ExitOK {
				t.Errorf("plan --target aws: exit %d, want 0\n%s", code, log)
			}
		})
	}
	if n == 0 {
		t.Fatal("no examples found")
	}
}
