package runners

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestForeignArtifacts(t *testing.T) {
	for _, c := range []struct {
		name     string
		files    []string
		manifest string // "" for none
		want     []string
	}{
		{name: "empty folder"},
		{
			name:  "no manifest: every file of the replaced folders is foreign",
			files: []string{"primary/a.txt", "secondary/lib/b.txt", "reports/unit/r.xml"},
			want:  []string{"primary/a.txt", "secondary/lib/b.txt", "reports/unit/r.xml"},
		},
		{
			name:  "files beside the replaced folders are never foreign",
			files: []string{"build.log", "notes.txt", "other/x"},
		},
		{
			name:     "listed files are the builds'",
			files:    []string{"primary/a.txt", "primary/mine.txt"},
			manifest: "# comment\nprimary/a.txt\n\n",
			want:     []string{"primary/mine.txt"},
		},
		{
			name:     "a comment line is not a path",
			files:    []string{"primary/#x"},
			manifest: "#x\nprimary/#x\n",
		},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			tree(t, dir, c.files...)
			if c.manifest != "" {
				if err := os.WriteFile(filepath.Join(dir, ArtifactsManifest), []byte(c.manifest), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			if diff := cmp.Diff(c.want, ForeignArtifacts(dir)); diff != "" {
				t.Errorf("foreign (-want +got):\n%s", diff)
			}
		})
	}
}

// What RecordArtifacts lists, ForeignArtifacts then accepts; a file added
// afterwards is foreign again.
func TestRecordArtifacts(t *testing.T) {
	dir := t.TempDir()
	tree(t, dir, "primary/a.txt", "secondary/lib/b.txt", "build.log")
	if err := RecordArtifacts(dir); err != nil {
		t.Fatal(err)
	}
	data, err := os.ReadFile(filepath.Join(dir, ArtifactsManifest))
	if err != nil {
		t.Fatal(err)
	}
	want := "# Files written by pipeform exec; the next exec into this folder replaces them.\nprimary/a.txt\nsecondary/lib/b.txt\n"
	if diff := cmp.Diff(want, string(data)); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	if got := ForeignArtifacts(dir); got != nil {
		t.Errorf("foreign after recording: %v", got)
	}
	tree(t, dir, "reports/g/new.xml")
	if diff := cmp.Diff([]string{"reports/g/new.xml"}, ForeignArtifacts(dir)); diff != "" {
		t.Errorf("foreign (-want +got):\n%s", diff)
	}
	if _, err := os.Stat(filepath.Join(dir, ArtifactsManifest+".tmp")); !os.IsNotExist(err) {
		t.Errorf("temporary file left behind: %v", err)
	}
}
