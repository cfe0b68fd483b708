package compiler_test

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang/constraints/constrainttest"
	"github.com/pipeform/pipeform/lang/providers"
)

const everything = "testdata/valid/constraints.pf.hcl"

// findBlock returns the first block at the path of block types under body
// that writes attr (any, when attr is ""), depth first.
func findBlock(body *hclwrite.Body, path []string, attr string) *hclwrite.Block {
	for _, b := range body.Blocks() {
		if b.Type() != path[0] {
			continue
		}
		if len(path) == 1 {
			if attr == "" || b.Body().GetAttribute(attr) != nil {
				return b
			}
			continue
		}
		if found := findBlock(b.Body(), path[1:], attr); found != nil {
			return found
		}
	}
	return nil
}

// TestConstraintTable walks the generated constraint table and the
// catalog's limits through the compiler: in a configuration that writes
// every constrained attribute (testdata/valid/constraints.pf.hcl), each
// attribute in turn gets a value breaking its constraint, which must be an
// "Invalid value" error on that attribute's line, and a valid value, which
// must not.
func TestConstraintTable(t *testing.T) {
	src, err := os.ReadFile(everything)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range constrainttest.All() {
		t.Run(constrainttest.Name(c), func(t *testing.T) {
			bad, good := constrainttest.Examples(t, c)
			for _, tc := range []struct {
				what    string
				wantErr bool
				set     func(*hclwrite.Body)
			}{
				{"breaking", true, func(b *hclwrite.Body) { b.SetAttributeValue(c.Attr, bad) }},
				{"valid", false, func(b *hclwrite.Body) { b.SetAttributeValue(c.Attr, good) }},
			} {
				f, diags := hclwrite.ParseConfig(src, everything, hcl.InitialPos)
				if diags.HasErrors() {
					t.Fatal(diags)
				}
				blk := findBlock(f.Body(), strings.Split(c.Block, "."), c.Attr)
				if blk == nil || blk.Body().GetAttribute(c.Attr) == nil {
					t.Fatalf("%s does not write %s in a %s block", everything, c.Attr, c.Block)
				}
				tc.set(blk.Body())
				first, last := attrLines(f.Bytes(), c.Attr, blk)
				_, ds := loadCompile(t, fstest.MapFS{"main.pf.hcl": {Data: f.Bytes()}})
				found := false
				for _, d := range ds {
					if compiler.DiagnosticCode(d) == "aws-value" && d.Subject != nil && d.Subject.Start.Line >= first && d.Subject.End.Line <= last {
						found = true
						if !strings.Contains(d.Detail, c.Attr) {
							t.Errorf("%s value: detail does not name %s: %s", tc.what, c.Attr, d.Detail)
						}
					}
				}
				if found != tc.wantErr {
					t.Errorf("%s value: Invalid value on lines %d-%d: %v, want %v; diagnostics: %v", tc.what, first, last, found, tc.wantErr, ds)
				}
			}
		})
	}
}

// attrLines finds the lines of attribute attr of blk in the written file:
// the error must sit on the value, or on the part of it at fault.
func attrLines(src []byte, attr string, blk *hclwrite.Block) (first, last int) {
	// hclwrite keeps no positions; find the attribute's tokens, which are
	// unique in the file once written.
	text := string(src)
	tokens := strings.TrimSpace(string(blk.Body().GetAttribute(attr).BuildTokens(nil).Bytes()))
	i := strings.Index(text, tokens)
	if i < 0 {
		return -1, -1
	}
	first = strings.Count(text[:i], "\n") + 1
	return first, first + strings.Count(tokens, "\n")
}

// TestEveryFamilyHasFixture: testdata/invalid/aws_value.pf.hcl breaks one
// attribute of every provider block (and of custom), so each has an
// annotated line.
func TestEveryFamilyHasFixture(t *testing.T) {
	src, err := os.ReadFile("testdata/invalid/aws_value.pf.hcl")
	if err != nil {
		t.Fatal(err)
	}
	f, diags := hclwrite.ParseConfig(src, "aws_value.pf.hcl", hcl.InitialPos)
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	blocks := []string{providers.CustomBlock}
	for _, p := range providers.All {
		blocks = append(blocks, p.Block)
	}
	for _, b := range blocks {
		blk := findBlock(f.Body(), []string{"pipeline", "stage", "action", b}, "")
		if blk == nil || !strings.Contains(string(blk.BuildTokens(nil).Bytes()), "# ERROR: Invalid value") {
			t.Errorf("aws_value.pf.hcl has no %s block with an attribute annotated # ERROR: Invalid value", b)
		}
	}
}
