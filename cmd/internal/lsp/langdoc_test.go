package lsp

import (
	"strings"
	"testing"

	"github.com/pipeform/pipeform/lang"
)

// TestLanguageDocCoversSchema checks that hover finds text in
// docs/language.md for every block and attribute of the language, and that
// the text names it: the schema and the page agree.
func TestLanguageDocCoversSchema(t *testing.T) {
	var walk func(path []string)
	walk = func(path []string) {
		s := lang.BlockSchema(strings.Join(path, "."))
		if len(path) > 0 {
			if d := blockDoc(path); !strings.Contains(d, path[len(path)-1]) {
				t.Errorf("block %s: no text naming it in docs/language.md (got %q)", strings.Join(path, "."), d)
			}
		}
		for _, a := range s.Attributes {
			if _, d := attrDoc(path, a.Name); !strings.Contains(d, a.Name) {
				t.Errorf("attribute %s of %s: no text naming it in docs/language.md (got %q)", a.Name, strings.Join(path, "."), d)
			}
		}
		for _, b := range s.Blocks {
			walk(append(append([]string(nil), path...), b.Type))
		}
	}
	walk(nil)
	typ, doc := attrDoc([]string{"pipeline", "stage", "action", "codecommit"}, "branch")
	if typ != "string" || !strings.Contains(doc, "BranchName") {
		t.Errorf("codecommit branch: %q %q", typ, doc)
	}
	typ, doc = attrDoc([]string{"project"}, "timeout")
	if typ != "number" || !strings.Contains(doc, "minutes") {
		t.Errorf("project timeout: %q %q", typ, doc)
	}
}
