//go:build unix

package outdir

import (
	"os"
	"path/filepath"
	"syscall"
	"testing"
)

// Generated files are 0644 whatever the process's umask: a umask of 077
// would otherwise leave them unreadable to the group and others, unlike
// what a second generate under another umask writes.
func TestWriteUmask(t *testing.T) {
	old := syscall.Umask(0o077)
	defer syscall.Umask(old)
	out := filepath.Join(t.TempDir(), "out")
	files := gen("buildspec/a.yml", "a\n", "buildspec/b.yml", "b\n", "codepipeline/p.json", "{}\n")
	changes, err := Plan(out, files, all, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, files, all, changes); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"buildspec/a.yml", "buildspec/b.yml", "codepipeline/p.json", ManifestName} {
		fi, err := os.Stat(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Fatal(err)
		}
		if fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v, want 0644", p, fi.Mode().Perm())
		}
	}
}
