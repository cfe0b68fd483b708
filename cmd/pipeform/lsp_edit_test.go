package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"sort"
	"strings"
	"testing"
)

type textEdit struct {
	Range   lspRange `json:"range"`
	NewText string   `json:"newText"`
}

type workspaceEdit struct {
	Changes map[string][]textEdit `json:"changes"`
}

// applyEdits applies LSP edits (UTF-16 positions) to src.
func applyEdits(t *testing.T, src string, edits []textEdit) string {
	t.Helper()
	offset := func(p lspPosition) int {
		lines := strings.SplitAfter(src, "\n")
		off := 0
		for i := 0; i < p.Line && i < len(lines); i++ {
			off += len(lines[i])
		}
		units := 0
		for _, r := range src[off:] {
			if units >= p.Character || r == '\n' {
				break
			}
			units++ // one UTF-16 unit per rune, two above the BMP
			if r >= 0x10000 {
				units++
			}
			off += len(string(r))
		}
		return off
	}
	sort.Slice(edits, func(i, j int) bool { return offset(edits[i].Range.Start) > offset(edits[j].Range.Start) })
	for _, e := range edits {
		src = src[:offset(e.Range.Start)] + e.NewText + src[offset(e.Range.End):]
	}
	return src
}

// rename asks for a rename and applies the edits to the folder's files as
// the editor would; it returns the server's error, if any.
func (c *lspClient) rename(dir, u string, pos lspPosition, newName string) (map[string]string, error) {
	var we workspaceEdit
	err := c.tryCall("textDocument/rename", map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos, "newName": newName}, &we)
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for fu, edits := range we.Changes {
		name := fu[strings.LastIndex(fu, "/")+1:]
		src, _ := os.ReadFile(filepath.Join(dir, name))
		out[name] = applyEdits(c.t, string(src), edits)
	}
	return out, nil
}

// TestLSPRename renames each kind of name across files, and checks the
// refusals.
func TestLSPRename(t *testing.T) {
	c, dir, u, src := openWeb(t)

	files, err := c.rename(dir, u, posOf(t, src, "codebuild = project.test", len("codebuild = project.t")), "unit_tests")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(files["projects.pf.hcl"], `project "unit_tests" {`) || !strings.Contains(files["pipeline.pf.hcl"], "codebuild = project.unit_tests") {
		t.Errorf("rename project: %v", files)
	}

	files, err = c.rename(dir, u, posOf(t, src, `namespace = "Test"`, 14), "Tests")
	if err != nil {
		t.Fatal(err)
	}
	if p := files["pipeline.pf.hcl"]; !strings.Contains(p, `namespace = "Tests"`) || !strings.Contains(p, "Ship #{Tests.VERSION}") {
		t.Errorf("rename namespace:\n%s", p)
	}

	files, err = c.rename(dir, u, posOf(t, src, "[artifact.bundle]", 12), "dist")
	if err != nil {
		t.Fatal(err)
	}
	if p := files["pipeline.pf.hcl"]; !strings.Contains(p, `outputs   = ["dist"]`) || !strings.Contains(p, "[artifact.dist]") || strings.Contains(p, "bundle") {
		t.Errorf("rename artifact:\n%s", p)
	}

	files, err = c.rename(dir, u, posOf(t, src, "var.environment", 5), "env")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(files["variables.pf.hcl"], `variable "env" {`) || strings.Count(files["pipeline.pf.hcl"], "var.env}") != 1 ||
		!strings.Contains(files["prod.pfvars"], `env = "prod"`) {
		t.Errorf("rename variable: %v", files)
	}

	files, err = c.rename(dir, u, posOf(t, src, `stage "Deploy"`, 8), "Release")
	if err != nil || !strings.Contains(files["pipeline.pf.hcl"], `stage "Release" {`) {
		t.Errorf("rename stage: %v %v", files, err)
	}
	files, err = c.rename(dir, u, posOf(t, src, `action "checkout"`, 9), "source")
	if err != nil || !strings.Contains(files["pipeline.pf.hcl"], `action "source" {`) {
		t.Errorf("rename action: %v %v", files, err)
	}

	for _, bad := range []struct{ marker, name, want string }{
		{"[artifact.bundle]", "src", `cannot rename artifact "bundle" to "src": an artifact already has that name`},
		{"[artifact.bundle]", "no good", `"no good" is not a valid artifact name`},
		{"codebuild = project.test", "lint", `cannot rename project "test" to "lint": a project already has that name (projects.pf.hcl line 15)`},
		{"codebuild = project.test", "t", `"t" is not a valid project name: project "test" has no name attribute, so its label is its CodeBuild project name, which is 2 to 150 characters`},
		{"codebuild = project.test", strings.Repeat("t", 151), `is not a valid project name`},
		{`namespace = "Test"`, "variables", `"variables" is not a valid namespace name`},
		{"#{Test.VERSION}", "V", "is a variable the action exports"},
		{`branch     = "main"`, "x", "there is no name here to rename"},
	} {
		i := strings.Index(bad.marker, ".") + 2
		if strings.HasPrefix(bad.marker, "#") {
			i = 9
		} else if strings.HasPrefix(bad.marker, "namespace") {
			i = 14
		} else if strings.HasPrefix(bad.marker, "branch") {
			i = 2
		}
		_, err := c.rename(dir, u, posOf(t, src, bad.marker, i), bad.name)
		if err == nil || !strings.Contains(err.Error(), bad.want) {
			t.Errorf("rename at %s to %q: got %v, want an error with %q", bad.marker, bad.name, err, bad.want)
		}
	}
	c.stop()
}

type codeAction struct {
	Title string        `json:"title"`
	Kind  string        `json:"kind"`
	Edit  workspaceEdit `json:"edit"`
}

func (c *lspClient) codeActions(u string, rng lspRange) map[string]codeAction {
	c.t.Helper()
	var list []codeAction
	c.call("textDocument/codeAction", map[string]any{"textDocument": map[string]any{"uri": u}, "range": rng,
		"context": map[string]any{"diagnostics": []any{}}}, &list)
	out := map[string]codeAction{}
	for _, a := range list {
		out[a.Title] = a
	}
	return out
}

// TestLSPCodeActions applies a did-you-mean, adds a missing required
// attribute and formats, each as the editor would apply the edit.
func TestLSPCodeActions(t *testing.T) {
	c, _, u, src := openWeb(t)

	typo := strings.Replace(src, "codebuild = project.test", "codebuild = project.tset", 1)
	c.change(u, 2, typo)
	p := posOf(t, typo, "project.tset", 9)
	acts := c.codeActions(u, lspRange{p, p})
	fix, ok := acts[`Change to "test"`]
	if !ok {
		t.Fatalf("no did-you-mean action among %v", acts)
	}
	if got := applyEdits(t, typo, fix.Edit.Changes[u]); got != src {
		t.Errorf("did-you-mean fix gives:\n%s", got)
	}

	missing := strings.Replace(src, "        branch     = \"main\"\n", "", 1)
	c.change(u, 3, missing)
	p = posOf(t, missing, "codecommit {", 3)
	acts = c.codeActions(u, lspRange{p, p})
	add, ok := acts["Add the required attribute branch"]
	if !ok {
		t.Fatalf("no add-attribute action among %v", acts)
	}
	if got := applyEdits(t, missing, add.Edit.Changes[u]); !strings.Contains(got, "        repository = \"web\"\n        branch = \"\"\n      }") {
		t.Errorf("add-attribute fix gives:\n%s", got)
	}

	ugly := strings.Replace(src, "      outputs   = [\"src\"]", "      outputs = [\"src\"]", 1)
	c.change(u, 4, ugly)
	acts = c.codeActions(u, lspRange{})
	format, ok := acts["Format the file (pipeform fmt)"]
	if !ok {
		t.Fatalf("no format action among %v", acts)
	}
	if got := applyEdits(t, ugly, format.Edit.Changes[u]); got != src {
		t.Errorf("format action gives:\n%s", got)
	}
	c.stop()
}

// TestLSPFormatting formats a buffer and compares with `pipeform fmt -`.
func TestLSPFormatting(t *testing.T) {
	c, _, u, src := openWeb(t)
	ugly := strings.NewReplacer("  ", " ", " = ", "=").Replace(src)
	c.change(u, 2, ugly)
	var edits []textEdit
	c.call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	cmd := exec.Command("pipeform", "fmt", "-")
	cmd.Stdin = strings.NewReader(ugly)
	want, err := cmd.Output()
	if err != nil {
		t.Fatal(err)
	}
	if got := applyEdits(t, ugly, edits); got != string(want) {
		t.Errorf("formatting gives:\n%s\nwant (pipeform fmt -):\n%s", got, want)
	}
	// A buffer with a syntax error is left alone, as fmt leaves the file.
	c.change(u, 3, "pipeline \"x\" {\n")
	c.call("textDocument/formatting", map[string]any{"textDocument": map[string]any{"uri": u}, "options": map[string]any{"tabSize": 2, "insertSpaces": true}}, &edits)
	if len(edits) != 0 {
		t.Errorf("formatting a broken buffer: %v", edits)
	}
	c.stop()
}

// TestLSPSymbolsTokensHints asks for the outline, the semantic tokens and
// the inlay hints of a file.
func TestLSPSymbolsTokensHints(t *testing.T) {
	c, _, u, src := openWeb(t)

	type symbol struct {
		Name     string
		Detail   string
		Children []symbol
	}
	var syms []symbol
	c.call("textDocument/documentSymbol", map[string]any{"textDocument": map[string]any{"uri": u}}, &syms)
	var outline []string
	var walk func(prefix string, s []symbol)
	walk = func(prefix string, s []symbol) {
		for _, x := range s {
			outline = append(outline, prefix+x.Name+" ("+x.Detail+")")
			walk(prefix+"  ", x.Children)
		}
	}
	walk("", syms)
	want := `web (pipeline)
  Source (stage)
    checkout (codecommit)
  Test (stage)
    unit (codebuild)
    lint (codebuild)
  Approve (stage)
    ship (approval)
  Deploy (stage)
    deploy (codedeploy)
  release (pipeline variable)`
	if got := strings.Join(outline, "\n"); got != want {
		t.Errorf("outline:\n%s\nwant:\n%s", got, want)
	}

	var tokens struct{ Data []int }
	c.call("textDocument/semanticTokens/full", map[string]any{"textDocument": map[string]any{"uri": u}}, &tokens)
	if len(tokens.Data) == 0 || len(tokens.Data)%5 != 0 {
		t.Fatalf("semantic tokens: %v", tokens.Data)
	}
	// Decode to "line:col text type" and look for a few.
	types := []string{"keyword", "class", "property", "variable", "function", "string", "number", "comment", "macro"}
	lines := strings.Split(src, "\n")
	got := map[string]bool{}
	line, col := 0, 0
	for i := 0; i < len(tokens.Data); i += 5 {
		if tokens.Data[i] > 0 {
			col = 0
		}
		line += tokens.Data[i]
		col += tokens.Data[i+1]
		runes := []rune(lines[line])
		got[string(runes[col:col+tokens.Data[i+2]])+" "+types[tokens.Data[i+3]]] = true
	}
	for _, w := range []string{"pipeline keyword", "web class", "stage keyword", "codecommit keyword", "repository property",
		"project variable", "#{Test.VERSION} macro", "#{SourceVariables.CommitId} macro", "var variable", "main string"} {
		if !got[w] {
			t.Errorf("no semantic token %q", w)
		}
	}

	type hint struct {
		Position lspPosition
		Label    string
	}
	var hints []hint
	c.call("textDocument/inlayHint", map[string]any{"textDocument": map[string]any{"uri": u},
		"range": lspRange{lspPosition{0, 0}, lspPosition{len(lines), 0}}}, &hints)
	var labels []string
	for _, h := range hints {
		labels = append(labels, h.Label)
	}
	sort.Strings(labels)
	if got, want := strings.Join(labels, " | "), `= "prod" (string) | = "prod" (string) | ← checkout | ← checkout | ← unit`; got != want {
		t.Errorf("inlay hints: %s, want %s", got, want)
	}
	b, _ := json.Marshal(hints)
	if !strings.Contains(string(b), `"line":39`) {
		t.Errorf("no hint on line 39: %s", b)
	}
	c.stop()
}
