package runners

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"
)

func TestIOWords(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "missing")
	_, openErr := os.Open(missing)
	_, dirErr := os.ReadFile(dir)
	runErr := exec.Command(missing).Run()
	for _, tt := range []struct {
		err  error
		want string
	}{
		{openErr, missing + ": the file does not exist"},
		{dirErr, dir + ": it is a folder, not a file"},
		{runErr, missing + ": the file does not exist"},
	} {
		if got := ioWords(tt.err); got != tt.want {
			t.Errorf("ioWords(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
}
