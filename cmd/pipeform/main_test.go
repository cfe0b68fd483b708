package main

import (
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/rogpeppe/go-internal/testscript"

	"github.com/pipeform/pipeform/cmd/internal/cli"
)

// The CLI is tested end to end: every testdata/script/*.txtar is a shell-like
// script that runs the real pipeform binary on real files (testscript).
func TestMain(m *testing.M) {
	testscript.Main(m, map[string]func(){
		"pipeform": func() { os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr)) },
		// pipeform-shortminute is pipeform whose project timeouts count
		// minutes of 100 ms, so a TIMED_OUT build takes half a second.
		"pipeform-shortminute": func() {
			c := &cli.CLI{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ, Minute: 100 * time.Millisecond}
			os.Exit(c.Run(os.Args[1:]))
		},
		// pipeform-smallsource is pipeform whose source snapshots take at
		// most 20 files and folders, so a script can pass the limit.
		"pipeform-smallsource": func() {
			c := &cli.CLI{Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr, Getenv: os.Getenv, Environ: os.Environ, SourceEntries: 20}
			os.Exit(c.Run(os.Args[1:]))
		},
		"copytree":   copyTreeMain,
		"waitfor":    waitForMain,    // apply_cmds_test.go
		"procgone":   procGoneMain,   // apply_cmds_test.go
		"filegrep":   fileGrepMain,   // apply_cmds_test.go
		"sigterm":    sigtermMain,    // apply_cmds_test.go
		"zipls":      zipLsMain,      // apply_cmds_test.go
		"ptyrun":     ptyRunMain,     // pty_linux_test.go
		"repeatfile": repeatFileMain, // input_cmds_test.go
		"mkfifo":     mkfifoMain,     // input_cmds_test.go
		"exitis":     exitIsMain,     // input_cmds_test.go
	})
}

// copyTreeMain is the scripts' `copytree SRC DST` command (testscript's cp
// copies only files): it copies the folder SRC to DST, keeping file modes and
// leaving out .pipeform run state, so a script can run an example in $WORK
// without writing into the repository.
func copyTreeMain() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: copytree SRC DST")
		os.Exit(2)
	}
	src, dst := os.Args[1], os.Args[2]
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && d.Name() == ".pipeform" {
			return filepath.SkipDir
		}
		rel, err := filepath.Rel(src, p)
		if err != nil {
			return err
		}
		target := filepath.Join(dst, rel)
		info, err := d.Info()
		if err != nil {
			return err
		}
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !info.Mode().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, "copytree:", err)
		os.Exit(1)
	}
}

func TestScripts(t *testing.T) {
	goCache := ""
	if out, err := exec.Command("go", "env", "GOCACHE").Output(); err == nil {
		goCache = strings.TrimSpace(string(out))
	}
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	shared := filepath.Join(repo, "..", "shared")
	_, err := os.Stat(filepath.Join(shared, "reference"))
	haveShared := err == nil
	if !haveShared && os.Getenv("CI") != "" {
		// CI always has ../shared: scripts that need it must run there.
		t.Fatalf("the shared reference folder is not at %s; CI must provide it", shared)
	}
	testscript.Run(t, testscript.Params{
		Dir:                 filepath.Join("testdata", "script"),
		RequireExplicitExec: true,
		// [shared] holds when the shared reference folder ($SHARED, ../shared
		// next to the repository) exists. Scripts that read it start with
		//   [!shared] skip 'needs ../shared (the shared reference folder)'
		// so a fresh clone skips them; in CI the folder is required above.
		Condition: func(cond string) (bool, error) {
			if cond == "shared" {
				return haveShared, nil
			}
			return false, fmt.Errorf("unknown condition %q", cond)
		},
		Setup: func(env *testscript.Env) error {
			// Scripts reach the repository's examples and the shared
			// reference material through these variables.
			env.Setenv("REPO", repo)
			env.Setenv("SHARED", shared)
			env.Setenv("NO_COLOR", "1")
			// Example pipelines run `go build`: share this machine's build
			// cache so they take seconds, not minutes.
			if goCache != "" {
				env.Setenv("GOCACHE", goCache)
			}
			return nil
		},
	})
}
