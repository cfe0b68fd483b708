package lang

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/pipeform/pipeform/lang/limits"
)

// skimSources are files whose pipeline bodies hold what a scan without a
// parser could mistake for block ends: braces in strings, comments,
// heredocs and templates. Each must be skimmed, and load as it would whole.
var skimSources = map[string]string{
	"plain": `
locals { x = "a" }
pipeline "one" {
  stage "S" {
    action "a" {
      local { commands = ["echo }"] }
    }
  }
}
pipeline "two" {}
project "p" {
  phase "build" { commands = ["true"] }
}
`,
	"tricky": `pipeline "p" {
  # } a comment with a brace
  // } another
  /* } and a block comment { */
  variable "v" { default = "}${"{"}" }
  stage "S" {
    action "a" {
      local {
        commands = [<<-EOT
          echo "}"
          }
        EOT
        , "printf '%%{'"]
      }
    }
  }
}
`,
	"unicode": "pipeline \"u\" {\n  stage \"S\" {\n    action \"a\" {\n      approval { message = \"ünï ✓\" }\n    }\n  }\n}\n",
	"crlf":    "pipeline \"c\" {\r\n  stage \"S\" {\r\n    action \"a\" {\r\n      approval {}\r\n    }\r\n  }\r\n}\r\n",
}

func TestSkimmedSameAsWhole(t *testing.T) {
	for name, src := range skimSources {
		t.Run(name, func(t *testing.T) {
			j := &parseJob{name: "main.pf.hcl", src: []byte(src), config: true, sourceOnly: true, skim: true}
			j.parseFile()
			whole, wdiags := hclsyntax.ParseConfig([]byte(src), "main.pf.hcl", j.file.Body.(*hclsyntax.Body).SrcRange.Start)
			if len(j.diags) > 0 || len(wdiags) > 0 {
				t.Fatalf("diagnostics: skimmed %v, whole %v", j.diags, wdiags)
			}
			if string(j.file.Bytes) != src {
				t.Error("the file's bytes are not its source")
			}
			got, want := j.file.Body.(*hclsyntax.Body).Blocks, whole.Body.(*hclsyntax.Body).Blocks
			if len(got) != len(want) {
				t.Fatalf("%d blocks, want %d", len(got), len(want))
			}
			skimmed := 0
			for i := range got {
				if got[i].Range() != want[i].Range() || got[i].Body.SrcRange != want[i].Body.SrcRange || got[i].Body.EndRange != want[i].Body.EndRange {
					t.Errorf("block %d: range %v, want %v", i, got[i].Range(), want[i].Range())
				}
				if got[i].Type == "pipeline" && len(got[i].Body.Blocks)+len(got[i].Body.Attributes) == 0 &&
					len(want[i].Body.Blocks)+len(want[i].Body.Attributes) > 0 {
					skimmed++
				}
			}
			if skimmed == 0 {
				t.Error("no pipeline was skimmed")
			}
			fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(src)}}
			if _, _, again := load(fsys, Options{SourceOnly: true}); again {
				t.Error("loading had to start again")
			}
		})
	}
	// A block whose closing brace follows more than ASCII on its line is
	// not skimmed: blanked, the brace would move to another column.
	if asciiLastLine([]byte("pipeline \"u\" {\n  é }\n"), limits.Braces{Open: 13, Close: 20}) {
		t.Error("a last line with é counted as ASCII")
	}
}

// TestSkimFallsBack: a pipeline body that does not parse is found when it
// is decoded, and the configuration is loaded again whole, so diagnostics
// are the parser's for the whole file.
func TestSkimFallsBack(t *testing.T) {
	src := `pipeline "p" {
  stage "S" {
    action "a" { approval {} }
    name = = 1
  }
}
project "q" {
  phase "build" { commands = ["true"] }
}
`
	fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(src)}}
	if _, _, again := load(fsys, Options{SourceOnly: true}); !again {
		t.Fatal("a pipeline that does not parse did not make loading start again")
	}
	_, want := Load(fsys, Options{})
	_, got := Load(fsys, Options{SourceOnly: true})
	if !want.HasErrors() || got.Error() != want.Error() {
		t.Errorf("diagnostics differ:\nwhole:   %v\nskimmed: %v", want, got)
	}
}

// TestParsedHook: Options.Parsed is called once the files are parsed, once
// per load (twice when a skimmed block makes loading start again).
func TestParsedHook(t *testing.T) {
	for src, want := range map[string]int{
		skimSources["plain"]: 1,
		"pipeline \"p\" {\n  stage \"S\" {\n    name = = 1\n  }\n}\n": 2,
	} {
		calls := 0
		fsys := fstest.MapFS{"main.pf.hcl": {Data: []byte(src)}}
		Load(fsys, Options{SourceOnly: true, Parsed: func() { calls++ }})
		if calls != want {
			t.Errorf("Parsed called %d times, want %d, for\n%s", calls, want, src)
		}
	}
}

// TestSkimOtherFileTooDeep: when another file nests too deeply nothing is
// decoded, so a skimmed pipeline body is never parsed; its syntax errors
// must still be reported, as loading whole reports them.
func TestSkimOtherFileTooDeep(t *testing.T) {
	fsys := fstest.MapFS{
		"a.pf.hcl": {Data: []byte("pipeline \"p\" {\n  stage \"S\" {\n    name = = 1\n  }\n}\n")},
		"b.pf.hcl": {Data: []byte("locals { x = " + strings.Repeat("[", limits.MaxNesting+1) + strings.Repeat("]", limits.MaxNesting+1) + " }\n")},
	}
	_, want := Load(fsys, Options{})
	_, got := Load(fsys, Options{SourceOnly: true})
	if len(want) != 2 || got.Error() != want.Error() {
		t.Errorf("diagnostics differ:\nwhole:   %v\nskimmed: %v", want, got)
	}
}
