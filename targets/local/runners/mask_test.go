package runners

import (
	"bytes"
	"testing"
)

// Overlapping and nested secrets are masked as the union of their matches,
// so no fragment of either shows; blank secrets and line breaks are not
// masked; Own masks the values filled in, never pipeform's words.
func TestMaskerUnion(t *testing.T) {
	m := NewMasker(nil, []string{"OVL-abcd", "abcd-XYZ", "cd", "\n", " \t", "in"})
	for in, want := range map[string]string{
		"OVL-abcd-XYZ":          "***",
		"x OVL-abcd y abcd-XYZ": "x *** y ***",
		"line\nnext\n":          "l***e\nnext\n",
		"a \t b":                "a \t b",
	} {
		if got := m.String(in); got != want {
			t.Errorf("String(%q) = %q, want %q", in, got, want)
		}
	}
	var out bytes.Buffer
	m = NewMasker(&out, []string{"in", "s3cr3t"})
	m.Write([]byte("partial in"))
	m.Own("Running command %s: %s", "echo s3cr3t", Masked("kept in"))
	want := "partial ***\nRunning command echo ***: kept in\n"
	if out.String() != want {
		t.Errorf("got %q, want %q", out.String(), want)
	}
}
