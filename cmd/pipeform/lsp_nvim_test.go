package main

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestLSPNeovim drives `pipeform lsp` from a real editor: headless Neovim
// with its built-in LSP client runs testdata/lsp/nvim/session.lua on a
// copy of testdata/lsp/web (diagnostics of an unsaved change and their
// clearing, hover, completion, definition, rename, formatting). Without
// nvim the test is skipped, except in CI, where .ci/run installs it.
func TestLSPNeovim(t *testing.T) {
	nvim, err := exec.LookPath("nvim")
	if err != nil {
		if os.Getenv("CI") != "" {
			t.Fatal("nvim is not installed; CI must install it (.ci/run installs the Debian package neovim)")
		}
		t.Skip("nvim is not installed")
	}
	dir := copyFolder(t, filepath.Join("testdata", "lsp", "web"))
	script, err := filepath.Abs(filepath.Join("testdata", "lsp", "nvim", "session.lua"))
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "out.json")
	// A hang guard only: the script's own waits end long before.
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, nvim, "--headless", "--clean", "-n", "-c", "luafile "+script)
	cmd.Env = append(os.Environ(), "PF_FOLDER="+dir, "PF_OUT="+out, "HOME="+t.TempDir(), "XDG_STATE_HOME="+t.TempDir())
	output, err := cmd.CombinedOutput()
	data, rerr := os.ReadFile(out)
	if rerr != nil {
		t.Fatalf("nvim wrote no result (%v): %v\n%s", rerr, err, output)
	}
	var res struct {
		Error      string
		Diagnostic struct {
			Message   string
			Lnum, Col int
			Code      string
		}
		Hover      string
		Completion []string
		Definition struct {
			URI  string
			Line int
		}
		Renamed, Formatted string
	}
	if err := json.Unmarshal(data, &res); err != nil {
		t.Fatalf("result %s: %v", data, err)
	}
	if res.Error != "" {
		t.Fatalf("the Neovim session failed: %s\n%s", res.Error, output)
	}
	if !strings.HasPrefix(res.Diagnostic.Message, "Unknown artifact") || res.Diagnostic.Lnum != 39 || res.Diagnostic.Col != 16 || res.Diagnostic.Code != "unknown-artifact" {
		t.Errorf("diagnostic: %+v", res.Diagnostic)
	}
	if !strings.Contains(res.Hover, `"prod"`) {
		t.Errorf("hover: %q", res.Hover)
	}
	if !strings.Contains(strings.Join(res.Completion, " "), "Test") || !strings.Contains(strings.Join(res.Completion, " "), "SourceVariables") {
		t.Errorf("completion: %v", res.Completion)
	}
	if !strings.HasSuffix(res.Definition.URI, "/projects.pf.hcl") || res.Definition.Line != 0 {
		t.Errorf("definition: %+v", res.Definition)
	}
	if !strings.Contains(res.Renamed, `namespace = "Tests"`) || !strings.Contains(res.Renamed, "#{Tests.VERSION}") {
		t.Errorf("rename:\n%s", res.Renamed)
	}
	src, _ := os.ReadFile(filepath.Join(dir, "pipeline.pf.hcl"))
	want := strings.NewReplacer(`namespace = "Test"`, `namespace = "Tests"`, "#{Test.VERSION}", "#{Tests.VERSION}").Replace(strings.TrimSuffix(string(src), "\n"))
	if res.Formatted != want {
		t.Errorf("formatted:\n%s\nwant:\n%s", res.Formatted, want)
	}
}
