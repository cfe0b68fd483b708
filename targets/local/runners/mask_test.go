package runners

import (
	"bytes"
	"fmt"
	"io"
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

// BenchmarkMaskerLines masks 1,000 lines of build output for ten secrets:
// literal ones only (letters and digits), and ones with punctuation, whose
// encoded forms are matched too.
func BenchmarkMaskerLines(b *testing.B) {
	line := []byte("npm info run some-package@1.2.3 postinstall node_modules/some-package node scripts/install.js\n")
	for _, c := range []struct {
		name string
		sec  func(i int) string
	}{
		{"literal", func(i int) string { return fmt.Sprintf("Secret%dValue%d", i, i*7919) }},
		{"encoded", func(i int) string { return fmt.Sprintf("p@ss/%d \"w<%d>\"", i, i*7919) }},
	} {
		b.Run(c.name, func(b *testing.B) {
			var secrets []string
			for i := range 10 {
				secrets = append(secrets, c.sec(i))
			}
			m := NewMasker(io.Discard, secrets)
			b.SetBytes(int64(len(line)) * 1000)
			for b.Loop() {
				for range 1000 {
					m.Write(line)
				}
			}
		})
	}
}
