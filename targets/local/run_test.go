package local

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// A hand-edited run.json with a null stage or action is refused with an
// error, never handed to readers that would crash on it.
func TestLoadRunRejectsNullEntries(t *testing.T) {
	l := Layout{Root: t.TempDir()}
	for name, doc := range map[string]string{
		"stage":  `{"id":"r1","stages":[null]}`,
		"action": `{"id":"r1","stages":[{"name":"S","actions":[null]}]}`,
	} {
		if err := os.MkdirAll(l.RunDir("r1"), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(l.RunDir("r1"), "run.json"), []byte(doc), 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := l.LoadRun("r1"); err == nil || !strings.Contains(err.Error(), "null") {
			t.Errorf("%s: LoadRun error = %v, want one about a null entry", name, err)
		}
	}
}
