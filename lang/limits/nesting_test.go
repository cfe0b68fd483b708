package limits

import (
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestCheckNestingDeep(t *testing.T) {
	const n = 100_000
	cases := map[string]string{
		"parens":       "a = " + strings.Repeat("(", n) + "1" + strings.Repeat(")", n),
		"brackets":     "a = " + strings.Repeat("[", n),
		"objects":      "a = " + strings.Repeat("{a=", n),
		"interps":      "a = " + strings.Repeat(`"${`, n),
		"unary":        "a = " + strings.Repeat("!", n) + "true",
		"negation":     "a = " + strings.Repeat("-", n) + "1",
		"ternary":      "a = " + strings.Repeat("true ? 1 : ", n) + "2",
		"binary":       "a = 1" + strings.Repeat(" + 1", n),
		"directives":   "a = <<EOT\n" + strings.Repeat("%{ if true }", n) + "\nEOT\n",
		"heredoc":      "a = " + strings.Repeat("<<EOT\n${", n),
		"blocks":       strings.Repeat("b {\n", n),
		"split binary": "a = [1" + strings.Repeat("\n+ 1", n) + "]",
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			d := CheckNesting([]byte(src), "x.pf.hcl", false)
			if d == nil {
				t.Fatal("no diagnostic")
			}
			if d.Subject.Start.Byte > 16*MaxNesting {
				t.Errorf("reported at byte %d, want near the start", d.Subject.Start.Byte)
			}
		})
	}
	if d := CheckNesting([]byte(strings.Repeat("%{ for x in y }", n)), "t.tmpl", true); d == nil {
		t.Error("template: no diagnostic")
	}
}

// TestCheckNestingText checks that text which only looks nested (strings,
// heredocs, comments, escapes) is not counted, and that closers and
// separators bring the depth back down.
func TestCheckNestingText(t *testing.T) {
	const n = 10_000
	cases := map[string]string{
		"string":      `a = "` + strings.Repeat("((([[{", n) + `"`,
		"escaped":     `a = "` + strings.Repeat(`\"(`, n) + `"`,
		"literal":     `a = "` + strings.Repeat(`$${(`, n) + `"`,
		"heredoc":     "a = <<-EOT\n" + strings.Repeat("\"((({{ \n", n) + "  EOT\nb = 1\n",
		"comments":    strings.Repeat("# ((((\n// [[[[\n/* {{{{ */\n", n),
		"balanced":    strings.Repeat("a = ((([1, 2]))) + f(g(x))\n", n),
		"list":        "a = [" + strings.Repeat("1 + 2,\n", n) + "]",
		"attributes":  strings.Repeat("a = b == c && d != e || !f ? -1 : 2\n", n),
		"interps":     `a = "` + strings.Repeat("${x}", n) + `"`,
		"directives":  "a = <<EOT\n" + strings.Repeat("%{ if x }y%{ endif }", n) + "\nEOT\n",
		"closed body": strings.Repeat("b {\n  c = 1\n}\n", n),
	}
	for name, src := range cases {
		t.Run(name, func(t *testing.T) {
			if d := CheckNesting([]byte(src), "x.pf.hcl", false); d != nil {
				t.Fatalf("unexpected diagnostic at %v", d.Subject.Start)
			}
		})
	}
}

// TestCheckNestingRepository checks that no configuration in the
// repository comes near the limit.
func TestCheckNestingRepository(t *testing.T) {
	peak, file := 0, ""
	err := filepath.WalkDir("../..", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !(strings.HasSuffix(path, ".pf.hcl") || strings.HasSuffix(path, ".pfvars")) {
			return err
		}
		src, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		if _, p := scan(src, false, 1<<30); p > peak {
			peak, file = p, path
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if peak > MaxNesting/4 {
		t.Errorf("%s nests %d deep, too near the limit of %d", file, peak, MaxNesting)
	}
	t.Logf("deepest: %s at %d", file, peak)
}
