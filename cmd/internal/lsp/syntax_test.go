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
