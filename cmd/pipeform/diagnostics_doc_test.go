package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/cmd/internal/cli"
	"github.com/pipeform/pipeform/cmd/internal/views"
)

// docSection is one `### Summary` section of docs/diagnostics.md.
type docSection struct {
	summary string
	line    int
	hcl     string // the ```hcl example, written as main.pf.hcl
	pfvars  string // an optional ```pfvars block, written as main.pfvars
	hasHCL  bool
	// target is set by an info string "hcl target=<name>": the example is
	// run through `pipeform generate --target <name>` instead of validate;
	// a further "region=<region>" passes --region.
	target, region string
}

// parseDiagnosticsDoc reads every ### section and its fenced examples.
func parseDiagnosticsDoc(t *testing.T, src []byte) []*docSection {
	t.Helper()
	var (
		out   []*docSection
		cur   *docSection
		fence string // info string of the open fence, "" when outside one
		body  strings.Builder
	)
	sc := bufio.NewScanner(bytes.NewReader(src))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		switch {
		case fence != "" && strings.HasPrefix(line, "```"):
			if cur != nil {
				lang, attrs, _ := strings.Cut(fence, " ")
				for _, attr := range strings.Fields(attrs) {
					if t, ok := strings.CutPrefix(attr, "target="); ok && lang == "hcl" {
						fence, cur.target = "hcl", t
					}
					if r, ok := strings.CutPrefix(attr, "region="); ok && lang == "hcl" {
						cur.region = r
					}
				}
				switch fence {
				case "hcl":
					cur.hcl, cur.hasHCL = body.String(), true
				case "pfvars":
					cur.pfvars = body.String()
				}
			}
			fence = ""
		case fence != "":
			body.WriteString(line + "\n")
		case strings.HasPrefix(line, "```"):
			fence = strings.TrimSpace(strings.TrimPrefix(line, "```"))
			if fence == "" {
				fence = "text"
			}
			body.Reset()
		case strings.HasPrefix(line, "### "):
			cur = &docSection{summary: strings.TrimSpace(strings.TrimPrefix(line, "### ")), line: n}
			out = append(out, cur)
		case strings.HasPrefix(line, "## "):
			cur = nil
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestDiagnosticsDoc runs every example of docs/diagnostics.md through
// `pipeform validate --json` and requires a diagnostic with exactly the
// section's summary.
func TestDiagnosticsDoc(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	doc := filepath.Join(filepath.Dir(file), "..", "..", "docs", "diagnostics.md")
	src, err := os.ReadFile(doc)
	if err != nil {
		t.Fatal(err)
	}
	sections := parseDiagnosticsDoc(t, src)
	if len(sections) == 0 {
		t.Fatal("no ### sections in docs/diagnostics.md")
	}
	seen := map[string]int{}
	for _, s := range sections {
		t.Run(s.summary, func(t *testing.T) {
			if prev, ok := seen[s.summary]; ok {
				t.Fatalf("docs/diagnostics.md:%d: %q is also documented at line %d", s.line, s.summary, prev)
			}
			seen[s.summary] = s.line
			if !s.hasHCL {
				t.Fatalf("docs/diagnostics.md:%d: section %q has no ```hcl example", s.line, s.summary)
			}
			dir := t.TempDir()
			write(t, filepath.Join(dir, "main.pf.hcl"), s.hcl)
			if s.pfvars != "" {
				write(t, filepath.Join(dir, "main.pfvars"), s.pfvars)
			}
			if s.target != "" {
				checkGenerateDoc(t, s, dir)
				return
			}
			var stdout, stderr bytes.Buffer
			code := cli.Main([]string{"validate", "--json", dir}, strings.NewReader(""), &stdout, &stderr)
			var v views.Validation
			if err := json.Unmarshal(stdout.Bytes(), &v); err != nil {
				t.Fatalf("exit %d, bad JSON: %v\nstdout: %s\nstderr: %s", code, err, stdout.String(), stderr.String())
			}
			var got []string
			for _, d := range v.Diagnostics {
				if d.Summary == s.summary {
					return
				}
				got = append(got, d.Severity+": "+d.Summary)
			}
			t.Errorf("docs/diagnostics.md:%d: the example of %q does not produce it; got %q", s.line, s.summary, got)
		})
	}
}

// checkGenerateDoc runs an example through `pipeform generate --target
// <target>` and requires its summary among the printed diagnostics.
func checkGenerateDoc(t *testing.T, s *docSection, dir string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	args := []string{"generate", dir, "--out", t.TempDir(), "--target", s.target}
	if s.region != "" {
		args = append(args, "--region", s.region)
	}
	code := cli.Main(args, strings.NewReader(""), &stdout, &stderr)
	for _, line := range strings.Split(stderr.String(), "\n") {
		if line == "Error: "+s.summary || line == "Warning: "+s.summary {
			return
		}
	}
	t.Errorf("docs/diagnostics.md:%d: the example of %q does not produce it with --target %s (exit %d):\n%s",
		s.line, s.summary, s.target, code, stderr.String())
}

func write(t *testing.T, path, data string) {
	t.Helper()
	if err := os.WriteFile(path, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
