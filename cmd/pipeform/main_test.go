package main

import (
	"os"
	"path/filepath"
	"runtime"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pipeform/pipeform/cmd/internal/cli"
)

// The CLI is tested end to end: every testdata/script/*.txtar is a shell-like
// script that runs the real pipeform binary on real files (testscript).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pipeform": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
	})
}

func TestScripts(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		Setup: func(env *testscript.Env) error {
			// Scripts reach the repository's examples and the shared
			// reference material through these variables.
			env.Setenv("REPO", repo)
			env.Setenv("SHARED", filepath.Join(repo, "..", "shared"))
			env.Setenv("NO_COLOR", "1")
			return nil
		},
	})
}
