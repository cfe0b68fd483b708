package runners

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestLocalBlock(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	r, diags := (&LocalBlock{
		Commands: []string{"cd sub 2>/dev/null || mkdir sub", "export A=1", "echo \"it's $A\"", "export B=\"two words\""},
		Dir:      dir, Env: []string{"PATH=" + os.Getenv("PATH")}, Export: []string{"A", "B", "C"},
		Scratch: filepath.Join(dir, ".scratch"), Stdout: &out,
	}).Run(context.Background())
	if diags.HasErrors() || !r.Succeeded {
		t.Fatalf("%v %+v\n%s", diags, r, out.String())
	}
	want := "Running command cd sub 2>/dev/null || mkdir sub\nRunning command export A=1\nRunning command echo \"it's $A\"\nit's 1\nRunning command export B=\"two words\"\n"
	if out.String() != want {
		t.Errorf("output:\n%s", out.String())
	}
	if r.Variables["A"] != "1" || r.Variables["B"] != "two words" || r.Variables["C"] != "" {
		t.Errorf("variables %v", r.Variables)
	}

	out.Reset()
	r, _ = (&LocalBlock{Commands: []string{"echo one", "exit 7", "echo never"}, Dir: dir,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Scratch: filepath.Join(dir, ".s2"), Stdout: &out}).Run(context.Background())
	if r.Succeeded || r.Failed != "exit status 7" || bytes.Contains(out.Bytes(), []byte("never")) {
		t.Errorf("failure: %+v\n%s", r, out.String())
	}

	// A failing command is reported on one line, as the CodeBuild agent does.
	out.Reset()
	r, _ = (&LocalBlock{Commands: []string{"false"}, Dir: dir,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Scratch: filepath.Join(dir, ".s3"), Stdout: &out}).Run(context.Background())
	if r.Succeeded || !strings.Contains(out.String(), "Command did not exit successfully false exit status 1\n") {
		t.Errorf("failure line: %+v\n%q", r, out.String())
	}
}

// Cancelling kills the whole process group, grandchildren included.
func TestLocalBlockCancel(t *testing.T) {
	dir := t.TempDir()
	ctx, cancel := context.WithCancel(context.Background())
	go func() {
		for {
			if _, err := os.Stat(filepath.Join(dir, "started")); err == nil {
				cancel()
				return
			}
			time.Sleep(5 * time.Millisecond)
		}
	}()
	r, _ := (&LocalBlock{Commands: []string{"(sleep 30; echo leaked > leaked) & touch started; wait"}, Dir: dir,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Scratch: filepath.Join(dir, ".s"), Stdout: &bytes.Buffer{}}).Run(ctx)
	if r.Succeeded || r.Failed != "stopped" {
		t.Errorf("%+v", r)
	}
}

// A background process that keeps the output open does not fail the block:
// the script's exit status decides, and the process is stopped when the
// block ends, with a log line.
func TestLocalBlockBackgroundProcess(t *testing.T) {
	dir := t.TempDir()
	var out bytes.Buffer
	start := time.Now()
	r, diags := (&LocalBlock{Commands: []string{"sleep 25 & echo $! > pid", "echo started"}, Dir: dir,
		Env: []string{"PATH=" + os.Getenv("PATH")}, Scratch: filepath.Join(dir, ".s"), Stdout: &out}).Run(context.Background())
	if diags.HasErrors() || !r.Succeeded {
		t.Fatalf("%v %+v\n%s", diags, r, out.String())
	}
	if d := time.Since(start); d > 10*time.Second {
		t.Errorf("the block waited %v for its background process", d)
	}
	for _, want := range []string{"started\n", "Stopped the background processes the commands left running"} {
		if !bytes.Contains(out.Bytes(), []byte(want)) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	assertGone(t, filepath.Join(dir, "pid"))
}

// assertGone checks that the process whose pid is in file has ended.
func assertGone(t *testing.T, file string) {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	pid, err := strconv.Atoi(strings.TrimSpace(string(data)))
	if err != nil {
		t.Fatal(err)
	}
	for i := 0; i < 100; i++ {
		stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
		if err != nil || strings.Contains(string(stat), ") Z ") || syscall.Kill(pid, 0) != nil {
			return
		}
		time.Sleep(20 * time.Millisecond)
	}
	t.Errorf("background process %d is still running", pid)
}
