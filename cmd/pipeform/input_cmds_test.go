package main

import (
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
)

// Script commands for the input-hardening scripts (input_*.txtar), which
// need inputs too large or too odd to write in a txtar archive.

// repeatFileMain is `repeatfile FILE N PREFIX UNIT SUFFIX`: it writes
// PREFIX, then UNIT N times, then SUFFIX to FILE, making its folder. A \n in the text arguments
// is a newline.
func repeatFileMain() {
	if len(os.Args) != 6 {
		fmt.Fprintln(os.Stderr, "usage: repeatfile FILE N PREFIX UNIT SUFFIX")
		os.Exit(2)
	}
	n, err := strconv.Atoi(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "repeatfile:", err)
		os.Exit(2)
	}
	text := func(s string) string { return strings.ReplaceAll(s, `\n`, "\n") }
	data := text(os.Args[3]) + strings.Repeat(text(os.Args[4]), n) + text(os.Args[5])
	if err := os.MkdirAll(filepath.Dir(os.Args[1]), 0o755); err != nil {
		fmt.Fprintln(os.Stderr, "repeatfile:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(os.Args[1], []byte(data), 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "repeatfile:", err)
		os.Exit(1)
	}
}

// mkfifoMain is `mkfifo PATH`: it makes a named pipe.
func mkfifoMain() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: mkfifo PATH")
		os.Exit(2)
	}
	if err := syscall.Mkfifo(os.Args[1], 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "mkfifo:", err)
		os.Exit(1)
	}
}

// exitIsMain is `exitis CODE PROGRAM ARGS...`: it runs PROGRAM with the
// script's streams and succeeds only when it exits with CODE, since
// testscript's `! exec` accepts any failure and the exit codes are a
// contract (1 problems, 2 usage, 3 internal failure).
func exitIsMain() {
	if len(os.Args) < 3 {
		fmt.Fprintln(os.Stderr, "usage: exitis CODE PROGRAM ARGS...")
		os.Exit(2)
	}
	want, err := strconv.Atoi(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "exitis:", err)
		os.Exit(2)
	}
	cmd := exec.Command(os.Args[2], os.Args[3:]...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = os.Stdin, os.Stdout, os.Stderr
	got := 0
	if err := cmd.Run(); err != nil {
		var ee *exec.ExitError
		if !errors.As(err, &ee) {
			fmt.Fprintln(os.Stderr, "exitis:", err)
			os.Exit(2)
		}
		got = ee.ExitCode()
	}
	if got != want {
		fmt.Fprintf(os.Stderr, "exitis: %s exited with %d, want %d\n", os.Args[2], got, want)
		os.Exit(1)
	}
}
