package main

import (
	"archive/zip"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"syscall"
	"time"
)

// Script commands for the executor's scripts (apply_*.txtar), which drive a
// background `pipeform apply` from the script.

// waitForMain is `waitfor GLOB REGEXP`: it waits until a file matching GLOB
// holds a match for REGEXP, e.g. until a run record says an approval is
// waiting. It gives up after two minutes so a broken run fails the script
// instead of hanging it; the limit is a safety net, not a timing assertion.
func waitForMain() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: waitfor GLOB REGEXP")
		os.Exit(2)
	}
	re, err := regexp.Compile(os.Args[2])
	if err != nil {
		fmt.Fprintln(os.Stderr, "waitfor:", err)
		os.Exit(2)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for time.Now().Before(deadline) {
		files, _ := filepath.Glob(os.Args[1])
		for _, f := range files {
			if data, err := os.ReadFile(f); err == nil && re.Match(data) {
				return
			}
		}
		time.Sleep(50 * time.Millisecond)
	}
	fmt.Fprintf(os.Stderr, "waitfor: no file matching %s holds %q\n", os.Args[1], os.Args[2])
	os.Exit(1)
}

// fileGrepMain is `filegrep REGEXP GLOB`: it succeeds when a file matching
// GLOB holds a match for REGEXP (testscript's grep takes one file and no
// globs, and run directories are named by random run ids).
func fileGrepMain() {
	if len(os.Args) != 3 {
		fmt.Fprintln(os.Stderr, "usage: filegrep REGEXP GLOB")
		os.Exit(2)
	}
	re, err := regexp.Compile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "filegrep:", err)
		os.Exit(2)
	}
	files, _ := filepath.Glob(os.Args[2])
	if len(files) == 0 {
		fmt.Fprintf(os.Stderr, "filegrep: no file matches %s\n", os.Args[2])
		os.Exit(2)
	}
	for _, f := range files {
		if data, err := os.ReadFile(f); err == nil && re.Match(data) {
			fmt.Printf("%s matches\n", f)
			return
		}
	}
	fmt.Fprintf(os.Stderr, "filegrep: no file matching %s holds %q\n", os.Args[2], os.Args[1])
	os.Exit(1)
}

// procGoneMain is `procgone PIDFILE`: it succeeds when the process whose id
// PIDFILE holds no longer exists, allowing two seconds for it to go (the
// executor's documented stop time), and fails otherwise.
func procGoneMain() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: procgone PIDFILE")
		os.Exit(2)
	}
	data, err := os.ReadFile(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "procgone:", err)
		os.Exit(2)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil || pid <= 0 {
		fmt.Fprintln(os.Stderr, "procgone: no pid in", os.Args[1])
		os.Exit(2)
	}
	deadline := time.Now().Add(2 * time.Second)
	for {
		if err := syscall.Kill(pid, 0); err != nil && err != syscall.EPERM {
			return
		}
		if zombie(pid) {
			return
		}
		if time.Now().After(deadline) {
			fmt.Fprintf(os.Stderr, "procgone: process %d is still running\n", pid)
			os.Exit(1)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// zombie reports whether pid has exited and only waits to be reaped.
func zombie(pid int) bool {
	data, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	s := string(data)
	i := strings.LastIndexByte(s, ')')
	return i > 0 && i+2 < len(s) && s[i+2] == 'Z'
}

// sigtermMain is `sigterm GLOB`: it sends SIGTERM to the pipeform process
// recorded in the run record matching GLOB (its "pid" member), as a service
// manager or `kill` would; testscript's kill only knows INT and KILL.
func sigtermMain() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: sigterm GLOB")
		os.Exit(2)
	}
	files, _ := filepath.Glob(os.Args[1])
	if len(files) != 1 {
		fmt.Fprintf(os.Stderr, "sigterm: %d files match %s, want 1\n", len(files), os.Args[1])
		os.Exit(2)
	}
	data, err := os.ReadFile(files[0])
	if err != nil {
		fmt.Fprintln(os.Stderr, "sigterm:", err)
		os.Exit(2)
	}
	m := regexp.MustCompile(`"pid": *([0-9]+)`).FindSubmatch(data)
	if m == nil {
		fmt.Fprintln(os.Stderr, "sigterm: no pid in", files[0])
		os.Exit(2)
	}
	pid, _ := strconv.Atoi(string(m[1]))
	if pid == os.Getpid() || pid <= 1 {
		fmt.Fprintln(os.Stderr, "sigterm: refusing pid", pid)
		os.Exit(2)
	}
	if err := syscall.Kill(pid, syscall.SIGTERM); err != nil {
		fmt.Fprintln(os.Stderr, "sigterm:", err)
		os.Exit(1)
	}
}

// zipLsMain is `zipls FILE`: one line per entry of the ZIP archive FILE,
// "NAME MODE month=M year=Y" with the Unix mode of its external attributes
// and the month and year of its MS-DOS date as stored (month 0 is invalid).
func zipLsMain() {
	if len(os.Args) != 2 {
		fmt.Fprintln(os.Stderr, "usage: zipls FILE")
		os.Exit(2)
	}
	r, err := zip.OpenReader(os.Args[1])
	if err != nil {
		fmt.Fprintln(os.Stderr, "zipls:", err)
		os.Exit(1)
	}
	defer r.Close()
	for _, f := range r.File {
		d := f.ModifiedDate
		fmt.Printf("%s %v month=%d year=%d\n", f.Name, f.Mode(), d>>5&0xf, 1980+int(d>>9))
	}
}
