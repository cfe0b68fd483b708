package runners

import (
	"os"
	"path/filepath"
	"testing"
)

// TestSweepTempDirs: a held folder is kept (a live process uses it), the
// same folder once released is removed, and so is one nobody holds (left by
// a process killed with kill -9); other names and plain files are left
// alone.
func TestSweepTempDirs(t *testing.T) {
	dir := t.TempDir()
	held, release, err := HeldTempDir(dir, "pf-x-")
	if err != nil {
		t.Fatal(err)
	}
	left := filepath.Join(dir, "pf-x-left")
	other := filepath.Join(dir, "other")
	for _, d := range []string{left, other} {
		if err := os.MkdirAll(filepath.Join(d, "sub"), 0o700); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "pf-x-file"), nil, 0o600); err != nil {
		t.Fatal(err)
	}
	if n := SweepTempDirs(dir, "pf-x-"); n != 1 {
		t.Errorf("first sweep removed %d folders, want 1 (the left-over)", n)
	}
	for _, p := range []string{held, other, filepath.Join(dir, "pf-x-file")} {
		if _, err := os.Stat(p); err != nil {
			t.Errorf("%s: %v; want it kept", p, err)
		}
	}
	if _, err := os.Stat(left); err == nil {
		t.Errorf("%s is still there; want it removed", left)
	}
	release()
	if n := SweepTempDirs(dir, "pf-x-"); n != 1 {
		t.Errorf("second sweep removed %d folders, want 1 (the released one)", n)
	}
	if _, err := os.Stat(held); err == nil {
		t.Errorf("%s is still there after its release; want it removed", held)
	}
}
