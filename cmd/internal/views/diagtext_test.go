package views

import (
	"bytes"
	"fmt"
	"io"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/pipeform/pipeform/lang"
)

// TestWriteTextMatchesHCL renders the diagnostics of every invalid fixture
// and of random garbage (with "\r\n" and lone "\r" line breaks) with both
// hcl's text writer and ours, which must agree byte for byte when no line
// is clipped and nothing is left out.
func TestWriteTextMatchesHCL(t *testing.T) {
	type input struct {
		files map[string]*hcl.File
		diags hcl.Diagnostics
	}
	var inputs []input
	for _, dir := range []string{"../../../lang/testdata/invalid", "../../../compiler/testdata/invalid"} {
		paths, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl"))
		for _, p := range paths {
			src, err := os.ReadFile(p)
			if err != nil {
				t.Fatal(err)
			}
			res, diags := lang.Load(fstest.MapFS{"main.pf.hcl": {Data: src}}, lang.Options{})
			inputs = append(inputs, input{res.Files, diags})
		}
	}
	if len(inputs) < 10 {
		t.Fatalf("found only %d fixtures", len(inputs))
	}
	rnd := rand.New(rand.NewSource(1))
	const chars = "ab{}[]()=\"$#.,:?!<>+-* \n\n\r\r\n0123é"
	for i := 0; i < 10; i++ {
		var b strings.Builder
		for j := 0; j < 2000; j++ {
			b.WriteByte(chars[rnd.Intn(len(chars))])
		}
		f, diags := hclsyntax.ParseConfig([]byte(b.String()), "garbage.pf.hcl", hcl.InitialPos)
		inputs = append(inputs, input{map[string]*hcl.File{"garbage.pf.hcl": f}, diags})
	}
	n := 0
	for i, in := range inputs {
		for _, color := range []bool{false, true} {
			var want, got bytes.Buffer
			if err := hcl.NewDiagnosticTextWriter(&want, in.files, 100, color).WriteDiagnostics(in.diags); err != nil {
				t.Fatal(err)
			}
			if err := writeText(&got, in.files, in.diags, 100, color, 1<<30); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), got.String()); diff != "" {
				t.Fatalf("input %d (color %v): output differs from hcl's (-hcl +ours):\n%s", i, color, diff)
			}
			// The CLI keeps only the source and block outline of each
			// file (lang.SourceOnly); the output must not change.
			var light bytes.Buffer
			if err := writeText(&light, lang.SourceOnly(in.files), in.diags, 100, color, 1<<30); err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(want.String(), light.String()); diff != "" {
				t.Fatalf("input %d (color %v): output from source-only files differs (-hcl +ours):\n%s", i, color, diff)
			}
			n += len(in.diags)
		}
	}
	t.Logf("%d diagnostics compared", n/2)
}

// TestWriteTextBounded checks that only MaxPerFile diagnostics of a file
// are printed, followed by a count of the rest, and that a very long line
// is cut around the highlight.
func TestWriteTextBounded(t *testing.T) {
	src := []byte(strings.Repeat("x = = 1\n", 50) + "y = " + strings.Repeat("a", 5000) + " = 1\n")
	f, diags := hclsyntax.ParseConfig(src, "g.pf.hcl", hcl.InitialPos)
	diags = append(diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "W", Subject: &hcl.Range{Filename: "g.pf.hcl", Start: hcl.Pos{Line: 51, Column: 1, Byte: 400}, End: hcl.Pos{Line: 51, Column: 2, Byte: 401}}})
	var out bytes.Buffer
	if err := WriteDiagnostics(&out, map[string]*hcl.File{"g.pf.hcl": f}, diags, 0, false); err != nil {
		t.Fatal(err)
	}
	text := out.String()
	if got := strings.Count(text, "\nError: ") + strings.Count(text[:7], "Error: "); got != MaxPerFile {
		t.Errorf("%d errors printed, want %d", got, MaxPerFile)
	}
	errs := 0
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			errs++
		}
	}
	want := plural(errs-MaxPerFile, "more error") + " and 1 more warning in g.pf.hcl not shown"
	if !strings.Contains(strings.ReplaceAll(text, "\n", " "), want) {
		t.Errorf("no %q in:\n%s", want, text)
	}
	// The long line is never printed whole.
	for _, line := range strings.Split(text, "\n") {
		if len(line) > maxSnippetLine+20 {
			t.Errorf("a line of %d bytes was printed", len(line))
		}
	}
}

// garbage returns n bytes of random HCL-ish text that parses into many
// errors.
func garbage(n int) []byte {
	rnd := rand.New(rand.NewSource(1))
	const chars = "abc{}[]()=\"$#.,:?!<>+-*/ \n0123456789"
	b := make([]byte, n)
	for i := range b {
		b[i] = chars[rnd.Intn(len(chars))]
	}
	return b
}

// BenchmarkWriteDiagnostics renders every diagnostic of 64 KB and 256 KB
// of garbage, with and without the per-file bound; compare with hcl's
// writer (BenchmarkWriteDiagnosticsHCL) to see the rescanning it avoids.
func BenchmarkWriteDiagnostics(b *testing.B) {
	for _, kb := range []int{64, 256} {
		src := garbage(kb << 10)
		f, diags := hclsyntax.ParseConfig(src, "g.pf.hcl", hcl.InitialPos)
		files := map[string]*hcl.File{"g.pf.hcl": f}
		b.Run(fmt.Sprintf("KB=%d/all", kb), func(b *testing.B) {
			for b.Loop() {
				_ = writeText(io.Discard, files, diags, 100, false, 1<<30)
			}
			b.ReportMetric(float64(len(diags)), "diags")
		})
		b.Run(fmt.Sprintf("KB=%d/bounded", kb), func(b *testing.B) {
			for b.Loop() {
				_ = WriteDiagnostics(io.Discard, files, diags, 100, false)
			}
		})
	}
}

func BenchmarkWriteDiagnosticsHCL(b *testing.B) {
	src := garbage(64 << 10)
	f, diags := hclsyntax.ParseConfig(src, "g.pf.hcl", hcl.InitialPos)
	files := map[string]*hcl.File{"g.pf.hcl": f}
	for b.Loop() {
		_ = hcl.NewDiagnosticTextWriter(io.Discard, files, 100, false).WriteDiagnostics(diags)
	}
	b.ReportMetric(float64(len(diags)), "diags")
}
