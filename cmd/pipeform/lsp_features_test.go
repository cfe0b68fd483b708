package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// posOf is the LSP position of the n-th byte after the first occurrence
// of marker in src (n < 0 counts from the marker's end).
func posOf(t *testing.T, src, marker string, n int) lspPosition {
	t.Helper()
	i := strings.Index(src, marker)
	if i < 0 {
		t.Fatalf("%q not found", marker)
	}
	if n < 0 {
		n = len(marker) + n + 1
	}
	l, c := utf16Col([]byte(src), i+n)
	return lspPosition{l, c}
}

type completionItem struct {
	Label      string `json:"label"`
	Detail     string `json:"detail"`
	InsertText string `json:"insertText"`
}

func (c *lspClient) complete(u string, pos lspPosition) map[string]completionItem {
	c.t.Helper()
	var raw json.RawMessage
	c.call("textDocument/completion", map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos}, &raw)
	var items []completionItem
	if err := json.Unmarshal(raw, &items); err != nil {
		var list struct{ Items []completionItem }
		if err := json.Unmarshal(raw, &list); err != nil {
			c.t.Fatalf("completion result %s: %v", raw, err)
		}
		items = list.Items
	}
	out := map[string]completionItem{}
	for _, it := range items {
		out[it.Label] = it
	}
	return out
}

func (c *lspClient) hover(u string, pos lspPosition) string {
	c.t.Helper()
	var h struct {
		Contents struct{ Value string }
	}
	c.call("textDocument/hover", map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos}, &h)
	return h.Contents.Value
}

type lspLocation struct {
	URI   string   `json:"uri"`
	Range lspRange `json:"range"`
}

func (c *lspClient) locations(method, u string, pos lspPosition) []lspLocation {
	c.t.Helper()
	var locs []lspLocation
	c.call(method, map[string]any{"textDocument": map[string]any{"uri": u}, "position": pos,
		"context": map[string]any{"includeDeclaration": true}}, &locs)
	return locs
}

func wantItems(t *testing.T, what string, got map[string]completionItem, want []string, not ...string) {
	t.Helper()
	for _, w := range want {
		if _, ok := got[w]; !ok {
			t.Errorf("%s: no %q among %d items", what, w, len(got))
		}
	}
	for _, n := range not {
		if _, ok := got[n]; ok {
			t.Errorf("%s: %q offered, but it must not be", what, n)
		}
	}
}

// TestLSPCompletion asks for completion where people type: a block body, a
// provider block, a reference, an enum value and #{...} inside a string,
// on a buffer being edited (unsaved).
func TestLSPCompletion(t *testing.T) {
	c, _, u, src := openWeb(t)

	// A new line in the body of action "lint": attributes with their type,
	// blocks, provider blocks.
	edited := strings.Replace(src, "      inputs    = [artifact.src]\n    }\n  }\n\n  stage \"Approve\"", "      inputs    = [artifact.src]\n      \n    }\n  }\n\n  stage \"Approve\"", 1)
	c.change(u, 2, edited)
	got := c.complete(u, posOf(t, edited, "[artifact.src]\n      \n", -2))
	wantItems(t, "action body", got, []string{"outputs", "namespace", "run_order", "codecommit", "approval", "custom", "local"}, "repository", "stage", "inputs")
	if d := got["outputs"].Detail; d != "list(string)" {
		t.Errorf("outputs detail %q, want list(string)", d)
	}
	if got["codecommit"].Detail != "provider Source/AWS/CodeCommit" {
		t.Errorf("codecommit detail %q", got["codecommit"].Detail)
	}

	// Inside a provider block: its attributes, but not those set already.
	got = c.complete(u, posOf(t, src, "        branch     = \"main\"", 8))
	wantItems(t, "codecommit body", got, []string{"branch", "poll_for_source_changes"}, "inputs", "repository")

	// artifact. in the Deploy stage sees src and bundle; in the Test stage
	// only src (bundle is produced there, by unit).
	edited = strings.Replace(src, "inputs = [artifact.bundle]", "inputs = [artifact.", 1)
	c.change(u, 3, edited)
	wantItems(t, "artifact. in Deploy", c.complete(u, posOf(t, edited, "inputs = [artifact.", -1)), []string{"src", "bundle"})
	edited = strings.Replace(src, "      codebuild = project.lint\n      inputs    = [artifact.src]", "      codebuild = project.lint\n      inputs    = [artifact.", 1)
	c.change(u, 4, edited)
	wantItems(t, "artifact. in Test", c.complete(u, posOf(t, edited, "project.lint\n      inputs    = [artifact.", -1)), []string{"src"}, "bundle")

	// var., local., project.
	wantItems(t, "project.", c.complete(u, posOf(t, src, "codebuild = project.lint", len("codebuild = project."))), []string{"lint", "test"})

	// #{ in the approval message: namespaces of earlier actions, then the
	// variables of one.
	c.change(u, 5, src)
	got = c.complete(u, posOf(t, src, "Ship #{", -1))
	wantItems(t, "#{", got, []string{"Test", "SourceVariables"})
	got = c.complete(u, posOf(t, src, "Ship #{Test.", -1))
	wantItems(t, "#{Test.", got, []string{"VERSION"})
	got = c.complete(u, posOf(t, src, "(commit #{SourceVariables.", -1))
	wantItems(t, "#{SourceVariables.", got, []string{"CommitId", "BranchName"})
	wantItems(t, "#{ has variables", c.complete(u, posOf(t, src, ", #{", -1)), []string{"variables"})
	wantItems(t, "#{variables.", c.complete(u, posOf(t, src, "#{variables.", -1)), []string{"release"})
	// The source action runs first: no namespace is earlier than it.
	edited = strings.Replace(src, `namespace = "SourceVariables"`, `namespace = "SourceVariables"
      environment_variables = { X = "#{" }`, 1)
	c.change(u, 6, edited)
	wantItems(t, "#{ in the first action", c.complete(u, posOf(t, edited, `X = "#{`, -1)), nil, "Test", "SourceVariables")

	// Enum values.
	edited = strings.Replace(src, "pipeline \"web\" {\n", "pipeline \"web\" {\n  execution_mode = \n", 1)
	c.change(u, 7, edited)
	got = c.complete(u, posOf(t, edited, "execution_mode = ", -1))
	wantItems(t, "execution_mode", got, []string{"QUEUED", "SUPERSEDED", "PARALLEL"})
	if got["QUEUED"].InsertText != `"QUEUED"` {
		t.Errorf("enum insert text %q", got["QUEUED"].InsertText)
	}

	// Enum values of a field of the objects of a list: a pipeline_invoke's
	// source_revisions take revisionType values (CodePipeline's
	// SourceRevisionType), quoted or inside the quotes, and only there.
	edited = src + `
pipeline "next" {
  stage "Deploy" {
    action "invoke" {
      pipeline_invoke {
        pipeline_name    = "downstream"
        source_revisions = [
          { actionName = "checkout", revisionType = "", revisionValue = "abc" },
          {
            actionName   = ""
            revisionType = 
          },
        ]
      }
    }
  }
}
`
	c.change(u, 8, edited)
	revisionTypes := []string{"COMMIT_ID", "IMAGE_DIGEST", "S3_OBJECT_VERSION_ID", "S3_OBJECT_KEY"}
	got = c.complete(u, posOf(t, edited, `revisionType = "`, -1))
	wantItems(t, "revisionType in quotes", got, revisionTypes)
	if got["COMMIT_ID"].InsertText != "COMMIT_ID" || got["COMMIT_ID"].Detail != "revisionType value" {
		t.Errorf("revisionType item in quotes: insert %q, detail %q", got["COMMIT_ID"].InsertText, got["COMMIT_ID"].Detail)
	}
	got = c.complete(u, posOf(t, edited, "revisionType = \n", -2))
	wantItems(t, "revisionType", got, revisionTypes)
	if got["S3_OBJECT_KEY"].InsertText != `"S3_OBJECT_KEY"` {
		t.Errorf("revisionType insert text %q", got["S3_OBJECT_KEY"].InsertText)
	}
	wantItems(t, "actionName", c.complete(u, posOf(t, edited, `actionName   = "`, -1)), nil, revisionTypes...)

	// Comments before and inside blocks (a line comment's token holds its
	// newline) leave the enclosing block as it is.
	edited = "# The web pipeline.\n" + strings.Replace(src, "inputs = [artifact.bundle]", "# deploy what unit built\n      inputs = [artifact.", 1)
	c.change(u, 9, edited)
	wantItems(t, "artifact. after comments", c.complete(u, posOf(t, edited, "inputs = [artifact.", -1)), []string{"src", "bundle"}, "pipeline")

	// each. exists only in a block that sets for_each.
	edited = strings.Replace(src, "inputs = [artifact.bundle]", "inputs = [artifact.bundle]\n      namespace = each.", 1)
	c.change(u, 10, edited)
	wantItems(t, "each. without for_each", c.complete(u, posOf(t, edited, "namespace = each.", -1)), nil, "key", "value")

	// A required attribute not set yet is marked.
	edited = strings.Replace(src, "        repository = \"web\"\n", "        \n", 1)
	c.change(u, 11, edited)
	got = c.complete(u, posOf(t, edited, "codecommit {\n        ", -1))
	wantItems(t, "codecommit body without repository", got, []string{"repository", "poll_for_source_changes"}, "branch")
	if d := got["repository"].Detail; d != "string, required" {
		t.Errorf("repository detail %q", d)
	}
	c.stop()
}

// TestLSPHoverAndNavigation hovers, goes to definitions and lists
// references across the files of a folder.
func TestLSPHoverAndNavigation(t *testing.T) {
	c, dir, u, src := openWeb(t)

	// The value var.environment has after prod.pfvars, with its type.
	if h := c.hover(u, posOf(t, src, "deployment_group = var.environment", len("deployment_group = var.e"))); !strings.Contains(h, `"prod"`) || !strings.Contains(h, "string") {
		t.Errorf("hover on var.environment: %q", h)
	}
	// Which action produces a #{ns.VAR}.
	if h := c.hover(u, posOf(t, src, "#{Test.VERSION}", 7)); !strings.Contains(h, `action "unit"`) {
		t.Errorf("hover on #{Test.VERSION}: %q", h)
	}
	// An attribute's documentation, from docs/language.md.
	if h := c.hover(u, posOf(t, src, "repository = \"web\"", 2)); !strings.Contains(h, "RepositoryName") || !strings.Contains(h, "string") {
		t.Errorf("hover on repository: %q", h)
	}
	// A block's documentation.
	if h := c.hover(u, posOf(t, src, "codedeploy {", 2)); !strings.Contains(h, "CodeDeploy") {
		t.Errorf("hover on codedeploy: %q", h)
	}
	// The producer of an artifact.
	if h := c.hover(u, posOf(t, src, "[artifact.bundle]", 12)); !strings.Contains(h, `action "unit"`) {
		t.Errorf("hover on artifact.bundle: %q", h)
	}

	// project.test is declared in another file.
	locs := c.locations("textDocument/definition", u, posOf(t, src, "codebuild = project.test", len("codebuild = project.t")))
	if len(locs) != 1 || !strings.HasSuffix(locs[0].URI, "/projects.pf.hcl") || locs[0].Range.Start != (lspPosition{0, 9}) {
		t.Errorf("definition of project.test: %+v", locs)
	}
	// local.image: declared in variables.pf.hcl, used twice in projects.
	pu := c.open(filepath.Join(dir, "projects.pf.hcl"))
	psrc, _ := os.ReadFile(filepath.Join(dir, "projects.pf.hcl"))
	locs = c.locations("textDocument/references", pu, posOf(t, string(psrc), "local.image", 7))
	if len(locs) != 3 {
		t.Errorf("references of local.image: %+v", locs)
	}
	// artifact src: its output and two inputs.
	locs = c.locations("textDocument/references", u, posOf(t, src, `outputs   = ["src"]`, 15))
	if len(locs) != 3 {
		t.Errorf("references of artifact src: %+v", locs)
	}
	// A pipeline variable: its block and #{variables.release}.
	locs = c.locations("textDocument/references", u, posOf(t, src, "#{variables.release}", 13))
	if len(locs) != 2 {
		t.Errorf("references of pipeline variable release: %+v", locs)
	}
	locs = c.locations("textDocument/definition", u, posOf(t, src, "#{variables.release}", 13))
	if len(locs) != 1 || locs[0].Range.Start.Line != src2line(src, `variable "release"`) {
		t.Errorf("definition of #{variables.release}: %+v", locs)
	}
	if h := c.hover(u, posOf(t, src, "#{variables.release}", 13)); !strings.Contains(h, "pipeline variable `release`") {
		t.Errorf("hover on #{variables.release}: %q", h)
	}
	// #{Test.VERSION} leads to the namespace.
	locs = c.locations("textDocument/definition", u, posOf(t, src, "#{Test.VERSION}", 9))
	if len(locs) != 1 || locs[0].Range.Start.Line != 17 {
		t.Errorf("definition of #{Test.VERSION}: %+v", locs)
	}
	c.stop()
}

// openWeb starts a server on a copy of testdata/lsp/web and opens its
// pipeline.pf.hcl: the client, the folder, the file's URI and text.
func openWeb(t *testing.T) (*lspClient, string, string, string) {
	t.Helper()
	dir := copyFolder(t, filepath.Join("testdata", "lsp", "web"))
	c := startLSP(t)
	path := filepath.Join(dir, "pipeline.pf.hcl")
	u := c.open(path)
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return c, dir, u, string(b)
}

// src2line is the 0-based line of the first occurrence of marker.
func src2line(src, marker string) int {
	return strings.Count(src[:strings.Index(src, marker)], "\n")
}
