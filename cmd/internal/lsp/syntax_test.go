package lsp

import (
	"strings"
	"testing"
)

func TestContextAt(t *testing.T) {
	for _, c := range []struct {
		src      string // | marks the cursor
		path     string
		attr     string
		inString bool
	}{
		{"|", "", "", false},
		{"pipeline \"p\" {\n  |", "pipeline", "", false},
		{"pipeline \"p\" {\n  stage \"s\" {\n    action \"a\" {\n      codecommit {\n        re|", "pipeline.stage.action.codecommit", "", false},
		{"pipeline \"p\" {\n  stage \"s\" {\n    action \"a\" {\n      inputs = [artifact.|", "pipeline.stage.action", "inputs", false},
		{"pipeline \"p\" {\n  stage \"s\" {\n    action \"a\" {\n      approval {\n        message = \"ship #{|", "pipeline.stage.action.approval", "message", true},
		{"pipeline \"p\" {\n  stage \"s\" {\n    action \"a\" {}\n  }\n  |", "pipeline", "", false},
		{"project \"p\" {\n  env {\n    variables = {\n      A = \"b\"\n      |", "project.env", "variables", false},
		{"project \"p\" {\n  dynamic \"phase\" {\n    for_each = []\n    content {\n      |", "project.phase", "", false},
		{"pipeline \"p\" {\n  execution_mode = \"Q|\"\n}", "pipeline", "execution_mode", true},
		{"x = \"${var.a}|", "", "x", true},
		{"}}}] garbage {{ \n|", "", "", false},
		{"project \"p\" {\n  for_each = local.m\n  env {\n    a = each.|", "project.env", "a", false},
		{"project \"p\" {\n  dynamic \"phase\" {\n    for_each = []\n    content {\n      a = each.|", "project.phase", "a", false},
		{"# c\npipeline \"p\" { # c\n  # c\n  stage \"s\" {\n    |", "pipeline.stage", "", false},
	} {
		off := strings.Index(c.src, "|")
		src := strings.Replace(c.src, "|", "", 1)
		got := contextAt([]byte(src), off)
		if strings.Contains(c.src, "each.") && got.forEach != (strings.Contains(c.src, "for_each") && !strings.Contains(c.src, "dynamic")) {
			t.Errorf("%q: forEach %v", c.src, got.forEach)
		}
		if got.blockPath() != c.path || got.attr != c.attr || got.inString != c.inString {
			t.Errorf("%q: got path %q attr %q string %v, want %q %q %v", c.src, got.blockPath(), got.attr, got.inString, c.path, c.attr, c.inString)
		}
	}
}

// TestContextAtObjectKey: inside an object constructor of an attribute's
// value, the key whose value the cursor is in; "" at a key, after a comma
// or a new line, and outside objects.
func TestContextAtObjectKey(t *testing.T) {
	for _, c := range []struct {
		src  string // | marks the cursor
		attr string
		key  string
	}{
		{`a = [{ revisionType = "|`, "a", "revisionType"},
		{`a = [{ revisionType = |`, "a", "revisionType"},
		{`a = [{ "revisionType": "C|`, "a", "revisionType"},
		{`a = [{ actionName = "x", revisionType = "|`, "a", "revisionType"},
		{`a = [{ actionName = "x", |`, "a", ""},
		{"a = [{\n  actionName = \"x\"\n  |", "a", ""},
		{"a = [{\n  actionName = \"x\"\n  revisionType = |", "a", "revisionType"},
		{`a = { b = { c = "|`, "a", "c"},
		{`a = "|`, "a", ""},
		{"project \"p\" {\n  compute_type = \"|", "compute_type", ""},
		{"project \"p\" {\n  env {\n    |", "", ""},
	} {
		off := strings.Index(c.src, "|")
		src := strings.Replace(c.src, "|", "", 1)
		got := contextAt([]byte(src), off)
		if got.attr != c.attr || got.key != c.key {
			t.Errorf("%q: got attr %q key %q, want %q %q", c.src, got.attr, got.key, c.attr, c.key)
		}
	}
}
