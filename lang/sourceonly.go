package lang

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// SourceOnly returns files with their syntax trees replaced by what
// diagnostics need of them: the source bytes, for snippets, and the header
// and extent of each top-level block, for the "in project "build"" context
// line. A syntax tree is about twenty times the size of its source, so a
// caller that keeps files only to render diagnostics lets the trees go.
func SourceOnly(files map[string]*hcl.File) map[string]*hcl.File {
	out := make(map[string]*hcl.File, len(files))
	for name, f := range files {
		out[name] = sourceOnly(f)
	}
	return out
}

func sourceOnly(f *hcl.File) *hcl.File {
	if f == nil {
		return nil
	}
	var o outline
	if body, ok := f.Body.(*hclsyntax.Body); ok {
		for _, b := range body.Blocks {
			o = append(o, outlineBlock{rng: b.Range(), def: b.DefRange(), header: header(b)})
		}
	}
	return &hcl.File{Body: hcl.EmptyBody(), Bytes: f.Bytes, Nav: o}
}

// header is a block's type and quoted labels, as hclsyntax's navigation
// writes them.
func header(b *hclsyntax.Block) string {
	if len(b.Labels) == 0 {
		return b.Type
	}
	var s strings.Builder
	s.WriteString(b.Type)
	for _, l := range b.Labels {
		fmt.Fprintf(&s, " %q", l)
	}
	return s.String()
}

type outlineBlock struct {
	rng, def hcl.Range
	header   string
}

// outline answers the navigation questions of hcled (ContextString,
// ContextDefRange) from the top-level blocks alone, like hclsyntax does.
type outline []outlineBlock

// find returns the block holding offset; blocks are in source order and
// do not overlap.
func (o outline) find(offset int) *outlineBlock {
	i := sort.Search(len(o), func(i int) bool { return o[i].rng.End.Byte > offset })
	if i < len(o) && o[i].rng.ContainsOffset(offset) {
		return &o[i]
	}
	return nil
}

// ContextString returns the header of the top-level block at offset.
func (o outline) ContextString(offset int) string {
	if b := o.find(offset); b != nil {
		return b.header
	}
	return ""
}

// ContextDefRange returns the definition range of the top-level block at
// offset.
func (o outline) ContextDefRange(offset int) hcl.Range {
	if b := o.find(offset); b != nil {
		return b.def
	}
	return hcl.Range{}
}
