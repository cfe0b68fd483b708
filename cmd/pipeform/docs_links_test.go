package main

import (
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"strings"
	"testing"
)

// The docs cite only files the repository has, and no table row stands
// outside its table: every relative link and every `reference/...` path
// in README.md and docs/*.md exists, and a line that starts a table row
// follows a blank line, a heading or another row (a row after a paragraph
// line renders as part of the paragraph).
func TestDocsLinksAndTables(t *testing.T) {
	_, file, _, _ := runtime.Caller(0)
	repo := filepath.Join(filepath.Dir(file), "..", "..")
	docs, _ := filepath.Glob(filepath.Join(repo, "docs", "*.md"))
	docs = append(docs, filepath.Join(repo, "README.md"))
	link := regexp.MustCompile(`\]\(([^)#\s]+)(#[^)]*)?\)`)
	cited := regexp.MustCompile("`(reference/[^`]+)`")
	for _, doc := range docs {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		name, _ := filepath.Rel(repo, doc)
		lines := strings.Split(string(data), "\n")
		inFence := false
		for i, line := range lines {
			if strings.HasPrefix(line, "```") {
				inFence = !inFence
			}
			if inFence {
				continue
			}
			for _, m := range link.FindAllStringSubmatch(line, -1) {
				target := m[1]
				if strings.Contains(target, "://") || strings.HasPrefix(target, "mailto:") {
					continue
				}
				if _, err := os.Stat(filepath.Join(filepath.Dir(doc), filepath.FromSlash(target))); err != nil {
					t.Errorf("%s:%d: link to %s, which the repository does not have", name, i+1, target)
				}
			}
			for _, m := range cited.FindAllStringSubmatch(line, -1) {
				if _, err := os.Stat(filepath.Join(repo, filepath.FromSlash(m[1]))); err != nil {
					t.Errorf("%s:%d: cites %s, which the repository does not have", name, i+1, m[1])
				}
			}
			if i > 0 && strings.HasPrefix(line, "|") {
				prev := strings.TrimSpace(lines[i-1])
				if prev != "" && !strings.HasPrefix(prev, "|") && !strings.HasPrefix(prev, "#") {
					t.Errorf("%s:%d: a table row after a paragraph line; it falls out of its table", name, i+1)
				}
			}
		}
	}
}
