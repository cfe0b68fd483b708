package runners

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
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
