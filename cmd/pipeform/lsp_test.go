package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLSPDiagnosticsMatchValidate runs `pipeform validate --json` and the
// language server on the same folders and compares what they report: same
// files, ranges (validate's byte offsets turned into UTF-16 columns here),
// severities, summaries and codes. The folders hold errors of the language
// stage and of the compiler's pipeline rules, and characters outside the
// Basic Multilingual Plane before the errors.
func TestLSPDiagnosticsMatchValidate(t *testing.T) {
	for _, name := range []string{"lang", "rules", "checker"} {
		t.Run(name, func(t *testing.T) {
			dir := copyFolder(t, filepath.Join("testdata", "lsp", name))
			want := validateDiagnostics(t, dir)
			if len(want) < 4 {
				t.Fatalf("validate reports only %d problems in %s; the fixture should have more", len(want), name)
			}
			c := startLSP(t)
			files := map[string]bool{}
			for _, w := range want {
				files[strings.SplitN(w, ":", 2)[0]] = true
			}
			var main string
			for f := range files {
				if strings.HasSuffix(f, ".pf.hcl") {
					main = f
				}
			}
			c.open(filepath.Join(dir, main))
			var got []string
			for f := range files {
				u := fileURI(filepath.Join(dir, f))
				for _, d := range c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) > 0 }) {
					if d.Source != "pipeform" || d.Code == "" {
						t.Errorf("%s: diagnostic %q has source %q and code %q", f, d.Message, d.Source, d.Code)
					}
					summary, _, _ := strings.Cut(d.Message, ": ")
					got = append(got, fmt.Sprintf("%s:%d:%d-%d:%d %s %s [%s]", f, d.Range.Start.Line, d.Range.Start.Character,
						d.Range.End.Line, d.Range.End.Character, severityName(d.Severity), summary, d.Code))
				}
			}
			sort.Strings(got)
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("server diagnostics differ from validate's (-validate +server):\n%s", diff)
			}
			c.stop()
		})
	}
}

func severityName(s int) string {
	if s == 2 {
		return "warning"
	}
	return "error"
}

// validateDiagnostics runs `pipeform validate --json dir` and lists its
// diagnostics as "file:line:col-line:col severity summary [code]" with LSP
// lines and UTF-16 columns.
func validateDiagnostics(t *testing.T, dir string) []string {
	t.Helper()
	cmd := exec.Command("pipeform", "validate", "--json", ".")
	cmd.Dir = dir
	out, _ := cmd.Output()
	var v struct {
		Diagnostics []struct {
			Severity, Summary, Code string
			Range                   struct {
				Filename   string
				Start, End struct{ Byte int }
			}
		}
	}
	if err := json.Unmarshal(out, &v); err != nil {
		t.Fatalf("validate --json: %v\n%s", err, out)
	}
	var list []string
	for _, d := range v.Diagnostics {
		src, err := os.ReadFile(filepath.Join(dir, d.Range.Filename))
		if err != nil {
			t.Fatal(err)
		}
		sl, sc := utf16Col(src, d.Range.Start.Byte)
		el, ec := utf16Col(src, d.Range.End.Byte)
		code := d.Code
		if code == "" {
			code = kebab(d.Summary)
		}
		list = append(list, fmt.Sprintf("%s:%d:%d-%d:%d %s %s [%s]", d.Range.Filename, sl, sc, el, ec, d.Severity, d.Summary, code))
	}
	sort.Strings(list)
	return list
}

// kebab is the code the server gives a diagnostic of the language stage:
// its summary in kebab case ("Unknown artifact" is unknown-artifact).
func kebab(s string) string {
	f := strings.FieldsFunc(strings.ToLower(s), func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= '0' && r <= '9')
	})
	return strings.Join(f, "-")
}

// TestLSPDiagnosticsLifecycle edits a valid folder as an editor does: an
// error typed into a buffer is published after the pause, with the
// configuration unsaved on disk; fixing it clears the file's list; a change
// in one file that breaks a reference in another publishes for that other
// file; closing the buffer returns to the disk's contents.
func TestLSPDiagnosticsLifecycle(t *testing.T) {
	c, dir, u, src := openWeb(t)

	broken := strings.Replace(src, "inputs = [artifact.bundle]", "inputs = [artifact.bundel]", 1)
	c.change(u, 2, broken)
	d := c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })
	if !strings.HasPrefix(d[0].Message, "Unknown artifact: ") || !strings.Contains(d[0].Message, `Did you mean "bundle"?`) || d[0].Code != "unknown-artifact" {
		t.Errorf("got %+v", d[0])
	}
	if d[0].Range.Start.Line != 39 {
		t.Errorf("diagnostic on line %d, want 39 (0-based)", d[0].Range.Start.Line)
	}
	c.change(u, 3, src)
	c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 0 })

	// Renaming the project in one file breaks the reference in another,
	// which is not open: its diagnostics are published too.
	projects := filepath.Join(dir, "projects.pf.hcl")
	pu := c.open(projects)
	psrc, _ := os.ReadFile(projects)
	c.change(pu, 2, strings.Replace(string(psrc), `project "lint"`, `project "linter"`, 1))
	d = c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })
	if !strings.Contains(d[0].Message, "Unknown project") {
		t.Errorf("got %+v", d[0])
	}
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": pu}})
	c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 0 })

	// A compiler rule, not only the language stage.
	c.change(u, 4, strings.Replace(src, `namespace = "Test"`, `namespace = "Test"
      run_order = 0`, 1))
	d = c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })
	if !strings.HasPrefix(d[0].Message, "Invalid run order") || d[0].Code != "run-order" {
		t.Errorf("got %+v", d[0])
	}
	c.stop()
}

// TestLSPStaleChange: a didChange for an older version than the buffer's
// arrived late (a client that retries, a reordering proxy); it is ignored,
// and the next change applies to the newest buffer.
func TestLSPStaleChange(t *testing.T) {
	c, _, u, src := openWeb(t)
	newest := strings.Replace(src, "inputs = [artifact.bundle]", "inputs = [artifact.bundel]", 1)
	c.change(u, 3, newest)
	c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })

	pubs := c.publications()
	c.change(u, 2, strings.Replace(src, "inputs = [artifact.bundle]", "inputs = [artifact.bundlx]", 1))
	// Version 4 edits version 3 in place: a comment on the first line.
	c.notify("textDocument/didChange", map[string]any{
		"textDocument": map[string]any{"uri": u, "version": 4},
		"contentChanges": []any{map[string]any{
			"range": map[string]any{"start": map[string]any{"line": 0, "character": 0}, "end": map[string]any{"line": 0, "character": 0}},
			"text":  "# edited\n"}}})
	// Whichever buffer the server ends with is published after the
	// changes: an error about "bundel" (version 3 plus 4) or, had the
	// stale change been applied, about "bundlx".
	d, _ := wait(c, func() ([]lspDiagnostic, bool) {
		d := c.diags[u]
		return d, c.pubs > pubs && len(d) == 1 && (strings.Contains(d[0].Message, "bundel") || strings.Contains(d[0].Message, "bundlx"))
	})
	if len(d) != 1 || !strings.Contains(d[0].Message, `"bundel"`) {
		t.Fatalf("after a stale change: %+v, want the error of the newest buffer (bundel)", d)
	}
	if d[0].Range.Start.Line != 40 {
		t.Errorf("diagnostic on line %d, want 40 (0-based): version 4's line was not added to version 3", d[0].Range.Start.Line)
	}
	c.stop()
}

// TestLSPBadBuffers gives the server what editors do send: garbage, a
// half-typed block, a 10 MB file, an empty buffer. Each gets diagnostics or
// nothing, and the server keeps answering.
func TestLSPBadBuffers(t *testing.T) {
	c, _, u, src := openWeb(t)
	big := strings.Repeat("# padding line of a very large file, which must not stop the server\n", 10<<20/68)
	huge := strings.Builder{}
	huge.WriteString(src)
	for huge.Len() < 10<<20 {
		huge.WriteString("locals {\n  x = \"\xff\xfe not utf-8 \" \n}\n")
	}
	cases := map[string]string{
		"garbage":    "\x00\x01\xff{{{ ]]] \"unterminated ${ #{ \n\t= = =",
		"half-typed": strings.Replace(src, "  stage \"Deploy\" {", "  stage \"Deploy\" {\n    action \"x\" {\n      codedeploy {\n        appl", 1),
		"big":        src + big,
		"huge-bad":   huge.String(),
		"empty":      "",
		"unclosed":   "pipeline \"web\" {\n  stage \"S\" {\n    action \"a\" {\n      inputs = [artifact.",
	}
	version := 1
	for _, name := range []string{"garbage", "half-typed", "big", "huge-bad", "empty", "unclosed"} {
		version++
		text := cases[name]
		pubs := c.publications()
		c.change(u, version, text)
		// Every request a buffer can get must answer without an error.
		c.exerciseAll(u, text)
		wait(c, func() (int, bool) { return 0, c.pubs > pubs })
	}
	c.change(u, version+1, src)
	c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 0 })
	c.stop()
}

// positionRequests are the requests at a position the server answers;
// documentRequests those about a whole document.
var (
	positionRequests = []string{"textDocument/hover", "textDocument/completion", "textDocument/definition",
		"textDocument/references", "textDocument/prepareRename", "textDocument/codeAction", "textDocument/inlayHint"}
	documentRequests = []string{"textDocument/documentSymbol", "textDocument/semanticTokens/full", "textDocument/formatting"}
)

// exerciseAll sends every request the server offers, those at a position
// at a few positions of the buffer (its start, middle, past the end of a
// line and past the last line), and fails on an error answer.
func (c *lspClient) exerciseAll(u, text string) {
	c.t.Helper()
	doc := map[string]any{"uri": u}
	lines := strings.Count(text, "\n")
	for _, pos := range []lspPosition{{0, 0}, {lines / 2, 3}, {lines, 1000}, {lines + 5, 0}} {
		for _, m := range positionRequests {
			err := c.tryCall(m, map[string]any{"textDocument": doc, "position": pos, "range": lspRange{pos, pos},
				"context": map[string]any{"includeDeclaration": true, "diagnostics": []any{}}}, nil)
			if err != nil {
				c.t.Errorf("%s at %v: %v", m, pos, err)
			}
		}
	}
	for _, m := range documentRequests {
		if err := c.tryCall(m, map[string]any{"textDocument": doc, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, nil); err != nil {
			c.t.Errorf("%s: %v", m, err)
		}
	}
}

// TestLSPSave saves a broken buffer: after didSave and didClose the
// diagnostics come from the file on disk, and stay.
func TestLSPSave(t *testing.T) {
	c, dir, u, src := openWeb(t)
	broken := strings.Replace(src, "codebuild = project.lint", "codebuild = project.lnt", 1)
	c.change(u, 2, broken)
	c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })
	if err := os.WriteFile(filepath.Join(dir, "pipeline.pf.hcl"), []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	c.notify("textDocument/didSave", map[string]any{"textDocument": map[string]any{"uri": u}})
	c.notify("textDocument/didClose", map[string]any{"textDocument": map[string]any{"uri": u}})
	pubs := c.publications()
	// Another file's edit re-analyses the folder: the closed file's error
	// is still published, read from disk.
	pu := c.open(filepath.Join(dir, "variables.pf.hcl"))
	c.change(pu, 2, strings.Replace(mustRead(t, filepath.Join(dir, "variables.pf.hcl")), "staging", "stage", 1))
	wait(c, func() (int, bool) { return 0, c.pubs > pubs })
	d := c.waitDiagnostics(u, func(d []lspDiagnostic) bool { return len(d) == 1 })
	if !strings.Contains(d[0].Message, `Did you mean "lint"?`) {
		t.Errorf("got %+v", d[0])
	}
	c.stop()
}

func mustRead(t *testing.T, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestLSPLifecycle checks the protocol's rules around initialize and
// shutdown: a request before initialize is refused with ServerNotInitialized
// (-32002), a request after shutdown with InvalidRequest (-32600), and exit
// without shutdown ends the process with 1.
func TestLSPLifecycle(t *testing.T) {
	hover := map[string]any{
		"textDocument": map[string]any{"uri": fileURI(filepath.Join(t.TempDir(), "a.pf.hcl"))},
		"position":     map[string]any{"line": 0, "character": 0},
	}
	c := spawnLSP(t)
	if err := c.tryCall("textDocument/hover", hover, nil); err == nil || !strings.Contains(err.Error(), "-32002") {
		t.Errorf("hover before initialize: got %v, want error -32002", err)
	}
	c.call("initialize", map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}, nil)
	c.notify("exit", nil)
	_ = c.in.Close()
	if err := c.cmd.Wait(); c.cmd.ProcessState.ExitCode() != 1 {
		t.Errorf("exit without shutdown: %v, want exit status 1", err)
	}

	c = startLSP(t)
	c.call("shutdown", nil, nil)
	if err := c.tryCall("textDocument/hover", hover, nil); err == nil || !strings.Contains(err.Error(), "-32600") {
		t.Errorf("hover after shutdown: got %v, want error -32600", err)
	}
	c.notify("exit", nil)
	_ = c.in.Close()
	if err := c.cmd.Wait(); err != nil {
		t.Errorf("exit after shutdown: %v, want exit status 0", err)
	}
}
