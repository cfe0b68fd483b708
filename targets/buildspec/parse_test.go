package buildspec

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"

	"github.com/pipeform/pipeform/lang/langtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

// corpusDir is shared/corpus/buildspec next to the repository root,
// computed from this file's location.
func corpusDir(t testing.TB) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	dir := filepath.Join(repo, "..", "shared", "corpus", "buildspec")
	if _, err := os.Stat(dir); err != nil {
		// A fresh clone has no ../shared; CI always has it, so there a
		// missing corpus is a failure, not a reason to skip.
		msg := "the buildspec corpus is not at " + dir + " (clone the shared folder next to the repository as ../shared to run this test)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg)
		}
		t.Skip(msg)
	}
	return dir
}

// corpusFiles lists the corpus buildspecs by base name.
func corpusFiles(t testing.TB) map[string][]byte {
	t.Helper()
	dir := corpusDir(t)
	paths, err := filepath.Glob(filepath.Join(dir, "*.yml"))
	if err != nil {
		t.Fatal(err)
	}
	files := map[string][]byte{}
	for _, p := range paths {
		src, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		files[filepath.Base(p)] = src
	}
	if len(files) == 0 {
		t.Fatalf("no buildspecs in %s", dir)
	}
	return files
}

func TestParseCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, name := range sortedKeys(files) {
		t.Run(name, func(t *testing.T) {
			b, diags := Parse(name, files[name])
			for _, d := range diags {
				if d.Severity == hcl.DiagError {
					t.Errorf("%s: %s: %s", d.Subject, d.Summary, d.Detail)
				}
			}
			if b == nil {
				t.Fatal("no model")
			}
			got := dumpJSON(t, b)
			var warnings []string
			for _, d := range diags {
				if d.Severity == hcl.DiagWarning {
					warnings = append(warnings, d.Subject.String()+": "+d.Summary)
				}
			}
			if len(warnings) > 0 {
				got = append(got, []byte("\nwarnings:\n"+strings.Join(warnings, "\n")+"\n")...)
			}
			golden(t, filepath.Join("testdata", "corpus", strings.TrimSuffix(name, ".yml")+".golden"), got)
		})
	}
}

// golden compares got with the golden file at path, or rewrites it with -update.
func golden(t *testing.T, path string, got []byte) {
	t.Helper()
	langtest.Golden(t, path, got, *update)
}

// dumpJSON renders v as indented JSON without HTML escaping.
func dumpJSON(t testing.TB, v any) []byte {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

var _ = sort.Strings

// annotation is an expected diagnostic written on the offending line.
var annotation = regexp.MustCompile(`# (ERROR|WARNING): (.+?)\s*$`)

// TestParseInvalid parses every file in testdata/invalid and compares the
// diagnostics with the `# ERROR: <summary>` and `# WARNING: <summary>`
// annotations on the lines they belong to.
func TestParseInvalid(t *testing.T) {
	paths, err := filepath.Glob(filepath.Join("testdata", "invalid", "*.yml"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures: %v", err)
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			want := map[string]string{}
			for i, line := range strings.Split(string(src), "\n") {
				if m := annotation.FindStringSubmatch(line); m != nil {
					want[fmt.Sprintf("%s:%d", path, i+1)] = m[1] + ": " + m[2]
				}
			}
			_, diags := Parse(path, src)
			got := map[string]string{}
			for _, d := range diags {
				sev := "ERROR"
				if d.Severity == hcl.DiagWarning {
					sev = "WARNING"
				}
				k := fmt.Sprintf("%s:%d", d.Subject.Filename, d.Subject.Start.Line)
				if got[k] != "" {
					t.Errorf("%s: more than one diagnostic: %s and %s: %s", k, got[k], sev, d.Summary)
				}
				got[k] = sev + ": " + d.Summary
				if d.Detail == "" || strings.HasSuffix(d.Summary, ".") {
					t.Errorf("%s: %q needs a detail and a summary without a period", k, d.Summary)
				}
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("diagnostics (-want +got):\n%s", diff)
			}
		})
	}
}

// TestParseRanges checks that diagnostic ranges cover exactly the offending
// token, with byte offsets that agree with line and column, including after
// multi-byte characters and CRLF line ends.
func TestParseRanges(t *testing.T) {
	src := "version: 0.2\r\nenv:\r\n  variables: {ÄÖ: \"ü\", X: [1]}\r\nphases:\r\n  build:\r\n    commandz: ['é']\r\n    commands: [\"ok\"]\r\n"
	_, diags := Parse("r.yml", []byte(src))
	type rng struct {
		Summary, Text     string
		Line, Col, EndCol int
	}
	var got []rng
	for _, d := range diags {
		r := d.Subject
		got = append(got, rng{d.Summary, src[r.Start.Byte:r.End.Byte], r.Start.Line, r.Start.Column, r.End.Column})
	}
	want := []rng{
		{"Invalid value type", "[", 3, 27, 28},
		{"Unknown key", "commandz", 6, 5, 13},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("ranges (-want +got):\n%s", diff)
	}
}

func TestParseValues(t *testing.T) {
	src := `version: "0.2"
env:
  variables:
    CI: true
    V: 1.10
    O: 0777
    N:
    T: ~
    F: >-
      folded
      text
  git-credential-helper: YES
phases:
  install:
    runtime-versions:
      python: 3.10
  build:
    commands:
      # only a comment
  post_build:
    commands:
      - |
        multi
          line
      - 'it''s'
      - "tab\there"
artifacts:
  files: '**/*'
  discard-paths: off
  exclude-paths: ./.git
`
	b, diags := Parse("v.yml", []byte(src))
	if diags.HasErrors() || len(diags) > 0 {
		t.Fatalf("unexpected diagnostics: %v", diags)
	}
	yes, no := true, false
	want := &graph.Buildspec{
		Version: "0.2",
		Env: &graph.BuildEnv{
			Variables:           []graph.KeyValue{{Key: "CI", Value: "true"}, {Key: "V", Value: "1.10"}, {Key: "O", Value: "0777"}, {Key: "N", Value: ""}, {Key: "T", Value: ""}, {Key: "F", Value: "folded text"}},
			GitCredentialHelper: &yes,
		},
		Phases: [4]*graph.Phase{
			{RuntimeVersions: []graph.KeyValue{{Key: "python", Value: "3.10"}}},
			nil,
			{Commands: []string{}},
			{Commands: []string{"multi\n  line\n", "it's", "tab\there"}},
		},
		Artifacts: &graph.Artifacts{Files: []string{"**/*"}, DiscardPaths: &no, ExcludePaths: []string{"./.git"}},
	}
	if diff := cmp.Diff(want, b); diff != "" {
		t.Errorf("model (-want +got):\n%s", diff)
	}
}

// FuzzParse requires that Parse never panics and that every range it
// reports lies inside the text.
func FuzzParse(f *testing.F) {
	for _, src := range corpusFiles(f) {
		f.Add(src)
	}
	paths, _ := filepath.Glob(filepath.Join("testdata", "invalid", "*.yml"))
	for _, p := range paths {
		src, _ := os.ReadFile(p)
		f.Add(src)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		b, diags := Parse("f.yml", src)
		for _, d := range diags {
			r := d.Subject
			if r == nil || r.Start.Byte < 0 || r.Start.Byte > r.End.Byte || r.End.Byte > len(src) || r.Start.Line < 1 || r.Start.Column < 1 {
				t.Fatalf("bad range %#v for %s", r, d.Summary)
			}
		}
		if b == nil && !diags.HasErrors() {
			t.Fatal("nil model without errors")
		}
		if diags.HasErrors() {
			return
		}
		// What parses cleanly must survive emit → parse unchanged.
		data, err := Emit(b)
		if err != nil {
			if strings.Contains(err.Error(), "longer than YAML allows") {
				return
			}
			t.Fatalf("Emit: %v", err)
		}
		again, diags := Parse("f.yml", data)
		if diags.HasErrors() {
			t.Fatalf("emitted YAML does not parse: %v\n%s", diags, data)
		}
		if diff := cmp.Diff(b, again, cmpopts.EquateNaNs()); diff != "" {
			t.Fatalf("round trip changed the model (-first +second):\n%s\n%s", diff, data)
		}
	})
}
