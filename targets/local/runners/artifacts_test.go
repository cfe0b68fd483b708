package runners

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/compiler/graph"
)

// tree writes files (slash paths, contents = path) under dir.
func tree(t *testing.T, dir string, files ...string) {
	t.Helper()
	for _, f := range files {
		p := filepath.Join(dir, filepath.FromSlash(f))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(f), 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

func listTree(t *testing.T, dir string) []string {
	t.Helper()
	var out []string
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			rel, _ := filepath.Rel(dir, p)
			out = append(out, filepath.ToSlash(rel))
		}
		return nil
	})
	sort.Strings(out)
	return out
}

func yes() *bool { b := true; return &b }

// The examples of BUILDSPEC.md §10 (from the buildspec reference).
func TestArtifactGlobs(t *testing.T) {
	src := []string{"my-build-1/my-file-1.txt", "my-build-2/my-file-2.txt", "my-build-2/my-subdirectory/my-file-3.txt",
		"top.jar", ".hidden/x", "dist/app.js", "dist/sub/b.js", "dist/.env"}
	tests := []struct {
		name string
		art  graph.Artifacts
		want []string
	}{
		{"star matches a directory component", graph.Artifacts{Files: []string{"*/my-file-3.txt"}, BaseDirectory: "my-build-2"},
			[]string{"my-subdirectory/my-file-3.txt"}},
		{"base-directory pattern, discard-paths", graph.Artifacts{Files: []string{"**/*"}, BaseDirectory: "my-build*", DiscardPaths: yes()},
			[]string{"my-file-1.txt", "my-file-2.txt", "my-file-3.txt"}},
		{"everything", graph.Artifacts{Files: []string{"**/*"}},
			src},
		{"dir/* is one level", graph.Artifacts{Files: []string{"dist/*"}},
			[]string{"dist/.env", "dist/app.js"}},
		{"dir/**/* is recursive", graph.Artifacts{Files: []string{"dist/**/*"}},
			[]string{"dist/.env", "dist/app.js", "dist/sub/b.js"}},
		{"a plain file and a directory", graph.Artifacts{Files: []string{"top.jar", "./dist"}},
			[]string{"dist/.env", "dist/app.js", "dist/sub/b.js", "top.jar"}},
		{"exclude-paths", graph.Artifacts{Files: []string{"**/*"}, BaseDirectory: "dist", ExcludePaths: []string{"**/.*", "sub"}},
			[]string{"app.js"}},
		{"variables expand", graph.Artifacts{Files: []string{"$JAR"}},
			[]string{"top.jar"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p [4]*graph.Phase
			art := tt.art
			bs := &graph.Buildspec{Version: "0.2", Phases: p, Artifacts: &art,
				Env: &graph.BuildEnv{Variables: []graph.KeyValue{{Key: "JAR", Value: "top.jar"}}}}
			r := runBuild(t, bs, func(cb *CodeBuild) { tree(t, cb.SrcDir, src...) })
			if r.build.BuildStatus != StatusSucceeded {
				t.Fatalf("status %s:\n%s", r.build.BuildStatus, r.log)
			}
			want := append([]string(nil), tt.want...)
			sort.Strings(want)
			if diff := cmp.Diff(want, listTree(t, filepath.Join(r.out, "primary"))); diff != "" {
				t.Errorf("artifact (-want +got):\n%s\n%s", diff, r.log)
			}
		})
	}
}

func TestArtifactNoMatch(t *testing.T) {
	var p [4]*graph.Phase
	bs := &graph.Buildspec{Version: "0.2", Phases: p, Artifacts: &graph.Artifacts{Files: []string{"missing/*"}}}
	r := runBuild(t, bs, nil)
	if r.build.BuildStatus != StatusFailed {
		t.Errorf("status %s", r.build.BuildStatus)
	}
	for _, want := range []string{"Skipping invalid file path missing/*", "Phase complete: UPLOAD_ARTIFACTS State: FAILED",
		"Phase context status code: CLIENT_ERROR Message: no matching artifact paths found"} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
}

func TestSecondaryArtifactsAndReports(t *testing.T) {
	var p [4]*graph.Phase
	p[2] = &graph.Phase{Commands: []string{"mkdir -p out/a out/b reports && echo a > out/a/1 && echo b > out/b/2 && echo '<x/>' > reports/junit.xml"}}
	bs := &graph.Buildspec{Version: "0.2", Phases: p,
		Artifacts: &graph.Artifacts{Files: []string{"**/*"}, BaseDirectory: "out/a", Secondary: []*graph.SecondaryArtifact{
			{Identifier: "bee", Artifacts: graph.Artifacts{Files: []string{"**/*"}, BaseDirectory: "out/b"}},
		}},
		Reports: []*graph.Report{{Name: "unit", Files: []string{"*.xml"}, BaseDirectory: "reports"}},
	}
	r := runBuild(t, bs, nil)
	got := listTree(t, r.out)
	want := []string{"primary/1", "reports/unit/junit.xml", "secondary/bee/2"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("artifacts (-want +got):\n%s\n%s", diff, r.log)
	}
	if r.build.SecondaryArtifacts[0].ArtifactIdentifier != "bee" {
		t.Errorf("secondary: %+v", r.build.SecondaryArtifacts[0])
	}
}

// Without enable-symlinks a link is followed: a linked folder's files are
// collected (node_modules/a -> ../pkgs/a), and a link back to an enclosing
// folder is skipped, not walked forever. With enable-symlinks links are
// kept as links.
func TestArtifactSymlinks(t *testing.T) {
	setup := func(cb *CodeBuild) {
		tree(t, cb.SrcDir, "pkgs/a/index.js", "top.txt")
		for link, target := range map[string]string{
			"node_modules/a": "../pkgs/a", "pkgs/a/loop": "..", "top-link.txt": "top.txt", "dangling": "missing"} {
			p := filepath.Join(cb.SrcDir, filepath.FromSlash(link))
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.Symlink(target, p); err != nil {
				t.Fatal(err)
			}
		}
	}
	var p [4]*graph.Phase
	bs := &graph.Buildspec{Version: "0.2", Phases: p, Artifacts: &graph.Artifacts{Files: []string{"**/*"}}}
	r := runBuild(t, bs, setup)
	if r.build.BuildStatus != StatusSucceeded {
		t.Fatalf("status %s:\n%s", r.build.BuildStatus, r.log)
	}
	want := []string{"node_modules/a/index.js", "pkgs/a/index.js", "top-link.txt", "top.txt"}
	if diff := cmp.Diff(want, listTree(t, filepath.Join(r.out, "primary"))); diff != "" {
		t.Errorf("artifact (-want +got):\n%s\n%s", diff, r.log)
	}
	for _, line := range []string{"Skipping pkgs/a/loop: a symbolic link makes it a folder that contains it (a loop)",
		"Skipping symbolic link dangling: its target does not exist (or links lead in a loop)"} {
		if !strings.Contains(r.log, line) {
			t.Errorf("log lacks %q:\n%s", line, r.log)
		}
	}

	bs = &graph.Buildspec{Version: "0.2", Phases: p, Artifacts: &graph.Artifacts{Files: []string{"**/*"}, EnableSymlinks: yes()}}
	r = runBuild(t, bs, setup)
	if r.build.BuildStatus != StatusSucceeded {
		t.Fatalf("enable-symlinks: status %s:\n%s", r.build.BuildStatus, r.log)
	}
	if target, err := os.Readlink(filepath.Join(r.out, "primary", "node_modules", "a")); err != nil || target != "../pkgs/a" {
		t.Errorf("enable-symlinks: node_modules/a is not the link ../pkgs/a: %q, %v", target, err)
	}
}

// TestWalkLimit: a walk that meets more entries than the bound is an
// error, not a hang; the bound counts every walk of one collector.
func TestWalkLimit(t *testing.T) {
	old := maxWalkEntries
	maxWalkEntries = 10
	defer func() { maxWalkEntries = old }()
	src := t.TempDir()
	for i := range 6 {
		if err := os.WriteFile(filepath.Join(src, fmt.Sprintf("f%d", i)), nil, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	c := &collector{srcDir: src, logf: func(string, ...any) {}, expand: func(s string) string { return s }}
	if _, err := c.collect([]string{"**/*"}, "", false, nil); err != nil {
		t.Fatalf("first walk (6 entries): %v", err)
	}
	if _, err := c.collect([]string{"**/*"}, "", false, nil); !errors.Is(err, errTooManyEntries) {
		t.Fatalf("second walk (12 entries in all): %v, want errTooManyEntries", err)
	}
}
