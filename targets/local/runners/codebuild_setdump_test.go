package runners

import (
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// The `set` and `export -p` listings of the real shells parse back to the
// values that were assigned, however the shell chose to quote them; the
// agent saves both after every command.
func TestParseSetOutput(t *testing.T) {
	want := map[string]string{
		"QUOTE":   "it's",
		"MULTI":   "multi\nline",
		"TAB":     "tab\tx",
		"SPECIAL": `back\slash "dq" $dollar ` + "`tick`",
		"EMPTY":   "",
		"FAKE":    "a=b\nG=fake",
		"UNI":     "héllo ✓",
		"CTRL":    "bell\a esc\x1b cr\r",
		"PLAIN":   "simple",
	}
	for _, listing := range []struct {
		name, export string
		parse        func(string) map[string]string
	}{
		{"set", "", parseSetOutput},
		{"export -p", "export ", func(s string) map[string]string {
			vars, rest := parseExportList(s)
			if rest != "" {
				t.Errorf("export -p: left unread: %q", rest)
			}
			return vars
		}},
	} {
		script := "export UNSET_EXPORTED\n"
		for _, k := range sortedKeys(want) {
			script += listing.export + k + "=" + shQuote(want[k]) + "\n"
		}
		script += listing.name + " > \"$1\"\n"
		dir := t.TempDir()
		file := filepath.Join(dir, "s.sh")
		if err := os.WriteFile(file, []byte(script), 0o644); err != nil {
			t.Fatal(err)
		}
		for _, shell := range [][]string{{"/bin/sh"}, {"bash"}, {"bash", "-o", "posix"}} {
			if _, err := exec.LookPath(shell[0]); err != nil {
				continue
			}
			out := filepath.Join(dir, "out")
			args := append(append([]string{}, shell[1:]...), file, out)
			if b, err := exec.Command(shell[0], args...).CombinedOutput(); err != nil {
				t.Fatalf("%v: %v\n%s", shell, err, b)
			}
			data, _ := os.ReadFile(out)
			got := listing.parse(string(data))
			for k, v := range want {
				if diff := cmp.Diff(v, got[k]); diff != "" {
					t.Errorf("%s of %v: %s (-want +got):\n%s", listing.name, shell, k, diff)
				}
			}
			if _, ok := got["G"]; ok {
				t.Errorf("%s of %v: a line inside a value was read as a variable", listing.name, shell)
			}
			if _, ok := got["UNSET_EXPORTED"]; ok && listing.export != "" {
				t.Errorf("export -p of %v: an exported variable without a value was read", shell)
			}
		}
	}
}

func TestParseSetOutputBashArraysAndFunctions(t *testing.T) {
	in := "A=1\nARR=([0]=\"x)\" [1]='y')\nB=$'\\x41\\101\\u00e9'\nf () \n{ \n    X=2\n}\n"
	got := parseSetOutput(in)
	want := map[string]string{"A": "1", "B": "AAé"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
