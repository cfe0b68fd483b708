package outdir

import (
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/docdiff"
)

// all is what generate --target all owns.
var all = append(append(OwnedBy("buildspec"), OwnedBy("codepipeline")...), OwnedBy("cloudformation")...)

// setUp makes OUT in a temporary folder with the given files and, when
// manifest is not nil, a manifest listing those paths.
func setUp(t *testing.T, files map[string]string, manifest []string) string {
	t.Helper()
	out := filepath.Join(t.TempDir(), "out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	for p, data := range files {
		name := filepath.Join(out, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(name, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	if manifest != nil {
		data := manifestHeader + strings.Join(manifest, "\n") + "\n"
		if err := os.WriteFile(filepath.Join(out, ManifestName), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return out
}

func gen(pathData ...string) []targets.File {
	var files []targets.File
	for i := 0; i < len(pathData); i += 2 {
		files = append(files, targets.File{Path: pathData[i], Data: []byte(pathData[i+1])})
	}
	return files
}

// lines are changes without their details, one line each: "+ path",
// "~ path (not generated)".
func lines(changes []Change) []string {
	var out []string
	for _, ch := range changes {
		l := string(ch.Op) + " " + ch.Path
		if ch.NotGenerated {
			l += " (not generated)"
		}
		out = append(out, l)
	}
	return out
}

func TestPlan(t *testing.T) {
	for _, c := range []struct {
		name     string
		out      map[string]string // files in OUT
		manifest []string          // nil: no manifest
		files    []targets.File
		owned    []Owned
		want     []string
	}{{
		name:  "empty OUT: every file is added, in path order",
		files: gen("codepipeline/p.json", "{}", "buildspec/b.yml", "version: 0.2\n"),
		owned: all,
		want:  []string{"+ buildspec/b.yml", "+ codepipeline/p.json"},
	}, {
		name:     "unchanged files: no change",
		out:      map[string]string{"buildspec/b.yml": "same\n"},
		manifest: []string{"buildspec/b.yml"},
		files:    gen("buildspec/b.yml", "same\n"),
		owned:    all,
	}, {
		name:     "a listed file with other content is changed",
		out:      map[string]string{"buildspec/b.yml": "old\n"},
		manifest: []string{"buildspec/b.yml"},
		files:    gen("buildspec/b.yml", "new\n"),
		owned:    all,
		want:     []string{"~ buildspec/b.yml"},
	}, {
		name:  "an unlisted file with other content is changed, not generated",
		out:   map[string]string{"buildspec/b.yml": "by hand\n"},
		files: gen("buildspec/b.yml", "new\n"),
		owned: all,
		want:  []string{"~ buildspec/b.yml (not generated)"},
	}, {
		name:  "an unlisted file with the generated content is left as it is",
		out:   map[string]string{"buildspec/b.yml": "same\n"},
		files: gen("buildspec/b.yml", "same\n"),
		owned: all,
	}, {
		name:     "a listed file no longer generated is deleted",
		out:      map[string]string{"buildspec/a.yml": "a\n", "buildspec/b.yml": "b\n"},
		manifest: []string{"buildspec/a.yml", "buildspec/b.yml"},
		files:    gen("buildspec/b.yml", "b\n"),
		owned:    all,
		want:     []string{"- buildspec/a.yml"},
	}, {
		name:     "an unlisted file no longer generated is kept",
		out:      map[string]string{"cloudformation/hand.yaml": "x\n"},
		manifest: []string{},
		owned:    all,
	}, {
		name:     "a listed file of a target not selected is kept",
		out:      map[string]string{"cloudformation/p.json": "{}", "buildspec/b.yml": "b\n"},
		manifest: []string{"buildspec/b.yml", "cloudformation/p.json"},
		files:    gen("buildspec/b.yml", "b\n"),
		owned:    OwnedBy("buildspec"),
	}, {
		name:     "a listed file that is gone is not deleted again",
		manifest: []string{"buildspec/gone.yml"},
		owned:    all,
	}, {
		name:     "a listed file in a subfolder of an owned folder is not owned",
		out:      map[string]string{"buildspec/sub/b.yml": "b\n"},
		manifest: []string{"buildspec/sub/b.yml"},
		owned:    all,
	}} {
		t.Run(c.name, func(t *testing.T) {
			out := setUp(t, c.out, c.manifest)
			changes, err := Plan(out, c.files, c.owned, false)
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(c.want, lines(changes)); diff != "" {
				t.Errorf("changes (-want +got):\n%s", diff)
			}
			for _, ch := range changes {
				if ch.Details != nil {
					t.Errorf("%s: details without asking for them: %v", ch.Path, ch.Details)
				}
			}
		})
	}
}

// A listed link in an owned folder is not a file generate wrote there: it
// is neither followed nor removed.
func TestPlanKeepsLinks(t *testing.T) {
	out := setUp(t, map[string]string{"target.yml": "x\n", "buildspec/.keep": ""}, []string{"buildspec/l.yml"})
	if err := os.Symlink("../target.yml", filepath.Join(out, "buildspec", "l.yml")); err != nil {
		t.Fatal(err)
	}
	changes, err := Plan(out, nil, all, false)
	if err != nil {
		t.Fatal(err)
	}
	if len(changes) != 0 {
		t.Errorf("changes: %v, want none", lines(changes))
	}
}

func TestPlanDetails(t *testing.T) {
	out := setUp(t, map[string]string{"buildspec/b.yml": "phases:\n  build:\n    commands: [a]\n"}, []string{"buildspec/b.yml"})
	changes, err := Plan(out, gen("buildspec/b.yml", "phases:\n  build:\n    commands: [a, b]\n"), all, true)
	if err != nil {
		t.Fatal(err)
	}
	want := []Change{{Op: docdiff.Change, Path: "buildspec/b.yml", Details: []docdiff.Detail{
		{Op: docdiff.Add, Path: "phases.build.commands", Value: `"b"`},
	}}}
	if diff := cmp.Diff(want, changes); diff != "" {
		t.Errorf("changes (-want +got):\n%s", diff)
	}
}

func TestOwns(t *testing.T) {
	for _, c := range []struct {
		path string
		want bool
	}{
		{"buildspec/b.yml", true},
		{"buildspec/b.yaml", false},
		{"buildspec/sub/b.yml", false},
		{"b.yml", false},
		{"codepipeline/p.json", true},
		{"cloudformation/p.json", true},
		{"cloudformation/p.yaml", true},
		{"cloudformation/p.yml", false},
		{".pipeform-generated", false},
	} {
		if got := ownedBy(all, c.path); got != c.want {
			t.Errorf("owned %s: %v, want %v", c.path, got, c.want)
		}
	}
	if OwnedBy("local") != nil {
		t.Error("OwnedBy(local): want nothing")
	}
}

func readAll(t *testing.T, out string) map[string]string {
	t.Helper()
	got := map[string]string{}
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || d.Type()&fs.ModeSymlink != 0 {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(out, p)
		got[filepath.ToSlash(rel)] = string(data)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return got
}

// Write applies a plan: it adds, changes and removes files, records the
// generated ones in the manifest, leaves other files alone and no
// temporary file behind.
func TestWrite(t *testing.T) {
	out := setUp(t, map[string]string{
		"buildspec/old.yml":        "old\n",
		"buildspec/b.yml":          "b1\n",
		"cloudformation/hand.yaml": "hand\n",
	}, []string{"buildspec/b.yml", "buildspec/old.yml"})
	files := gen("buildspec/b.yml", "b2\n", "codepipeline/p.json", "{}\n")
	changes, err := Plan(out, files, all, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, files, all, changes); err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"buildspec/b.yml":          "b2\n",
		"codepipeline/p.json":      "{}\n",
		"cloudformation/hand.yaml": "hand\n",
		ManifestName:               manifestHeader + "buildspec/b.yml\ncodepipeline/p.json\n",
	}
	if diff := cmp.Diff(want, readAll(t, out)); diff != "" {
		t.Errorf("OUT (-want +got):\n%s", diff)
	}
	for p := range want {
		if fi, err := os.Stat(filepath.Join(out, p)); err != nil || fi.Mode().Perm() != 0o644 {
			t.Errorf("%s: mode %v (%v), want 0644", p, fi.Mode(), err)
		}
	}
	// Planned again, nothing changes.
	if changes, err := Plan(out, files, all, false); err != nil || len(changes) != 0 {
		t.Errorf("second plan: %v %v, want no changes", lines(changes), err)
	}
}

// Write creates a missing OUT.
func TestWriteCreatesOut(t *testing.T) {
	out := filepath.Join(t.TempDir(), "a", "out")
	files := gen("buildspec/b.yml", "b\n")
	changes, err := Plan(out, files, all, false)
	if err != nil {
		t.Fatal(err)
	}
	if err := Write(out, files, all, changes); err != nil {
		t.Fatal(err)
	}
	if got := readAll(t, out)["buildspec/b.yml"]; got != "b\n" {
		t.Errorf("buildspec/b.yml = %q", got)
	}
}

// A folder of OUT that is a link leading outside it is refused, naming
// the file, and nothing is written where it leads; a link that stays
// inside OUT is followed.
func TestWriteSymlinks(t *testing.T) {
	for _, c := range []struct {
		name, link, target string
		escapes            bool
	}{
		{"outside", "buildspec", "../../elsewhere", true},
		{"inside", "buildspec", "real", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			out := setUp(t, map[string]string{"real/.keep": "x"}, nil)
			elsewhere := filepath.Join(filepath.Dir(out), "elsewhere")
			if err := os.Mkdir(elsewhere, 0o755); err != nil {
				t.Fatal(err)
			}
			if err := os.Symlink(c.target, filepath.Join(out, c.link)); err != nil {
				t.Fatal(err)
			}
			files := gen("buildspec/b.yml", "b\n")
			changes, err := Plan(out, files, all, false)
			if err != nil {
				t.Fatal(err)
			}
			err = Write(out, files, all, changes)
			if got := Escapes(err); got != c.escapes {
				t.Fatalf("Write: %v; escapes %v, want %v", err, got, c.escapes)
			}
			if entries, _ := os.ReadDir(elsewhere); len(entries) != 0 {
				t.Errorf("written outside OUT: %v", entries)
			}
			if !c.escapes {
				if got := readAll(t, out)["real/b.yml"]; got != "b\n" {
					t.Errorf("real/b.yml = %q, want the file written through the link", got)
				}
				return
			}
			var pe *fs.PathError
			if !errors.As(err, &pe) || pe.Path != filepath.Join(out, "buildspec", "b.yml") {
				t.Errorf("error %#v does not name %s", err, filepath.Join(out, "buildspec", "b.yml"))
			}
			if _, err := os.Stat(filepath.Join(out, ManifestName)); !errors.Is(err, fs.ErrNotExist) {
				t.Errorf("manifest written after a failed write: %v", err)
			}
		})
	}
}

func TestEscapes(t *testing.T) {
	if Escapes(nil) || Escapes(&fs.PathError{Op: "open", Path: "x", Err: fs.ErrPermission}) {
		t.Error("Escapes of an ordinary error")
	}
}

// The manifest keeps the entries of targets not selected whose files are
// still there, drops the others, lists each path once, and is read back
// as written.
func TestManifestRoundTrip(t *testing.T) {
	out := setUp(t, map[string]string{"cloudformation/p.json": "{}", "buildspec/b.yml": "b\n"},
		[]string{"cloudformation/p.json", "cloudformation/gone.json", "buildspec/old.yml"})
	files := gen("buildspec/b.yml", "b\n", "buildspec/c.yml", "c\n")
	if err := WriteManifest(out, append(files, files[0]), OwnedBy("buildspec")); err != nil {
		t.Fatal(err)
	}
	got, err := ReadManifest(out)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"buildspec/b.yml", "buildspec/c.yml", "cloudformation/p.json"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("manifest (-want +got):\n%s", diff)
	}
	// An unchanged manifest is not written again.
	before, err := os.Stat(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if err := WriteManifest(out, files, OwnedBy("buildspec")); err != nil {
		t.Fatal(err)
	}
	after, err := os.Stat(filepath.Join(out, ManifestName))
	if err != nil {
		t.Fatal(err)
	}
	if !os.SameFile(before, after) {
		t.Error("an unchanged manifest was replaced")
	}
}

func TestReadManifestMissing(t *testing.T) {
	got, err := ReadManifest(filepath.Join(t.TempDir(), "none"))
	if err != nil || got != nil {
		t.Errorf("ReadManifest of a missing OUT: %v %v, want nothing", got, err)
	}
}

func TestForeign(t *testing.T) {
	out := "out"
	diags := Foreign(out, []Change{
		{Op: docdiff.Add, Path: "buildspec/a.yml"},
		{Op: docdiff.Change, Path: "buildspec/b.yml", NotGenerated: true},
		{Op: docdiff.Change, Path: "buildspec/c.yml"},
	})
	var got []string
	for _, d := range diags {
		got = append(got, d.Subject.Filename+": "+d.Summary)
	}
	want := []string{filepath.Join("out", "buildspec", "b.yml") + ": File not generated by pipeform"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
}
