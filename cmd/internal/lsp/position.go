package lsp

import (
	"sort"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"go.lsp.dev/protocol"
)

// text is one file's source with its line starts, for converting between
// byte offsets and LSP positions (lines from 0, columns in UTF-16 code
// units, as the protocol's default position encoding counts them).
type text struct {
	src   []byte
	lines []int // byte offset of the start of each line
}

func newText(src []byte) *text {
	t := &text{src: src, lines: []int{0}}
	for i, b := range src {
		if b == '\n' {
			t.lines = append(t.lines, i+1)
		}
	}
	return t
}

// pos converts a byte offset to an LSP position.
func (t *text) pos(off int) protocol.Position {
	off = max(0, min(off, len(t.src)))
	line := sort.Search(len(t.lines), func(i int) bool { return t.lines[i] > off }) - 1
	return protocol.Position{Line: uint32(line), Character: uint32(utf16Len(t.src[t.lines[line]:off]))}
}

// offset converts an LSP position to a byte offset, clamped to the line.
func (t *text) offset(p protocol.Position) int {
	if int(p.Line) >= len(t.lines) {
		return len(t.src)
	}
	start := t.lines[p.Line]
	end := len(t.src)
	if int(p.Line)+1 < len(t.lines) {
		end = t.lines[p.Line+1] - 1
	}
	off, units := start, 0
	for off < end && units < int(p.Character) {
		r, size := utf8.DecodeRune(t.src[off:end])
		if r == '\r' && off+1 == end {
			break
		}
		units += utf16Units(r)
		off += size
	}
	return off
}

// rng converts an hcl range of this file to an LSP range.
func (t *text) rng(r hcl.Range) protocol.Range {
	return protocol.Range{Start: t.pos(r.Start.Byte), End: t.pos(r.End.Byte)}
}

func utf16Len(b []byte) int {
	n := 0
	for len(b) > 0 {
		r, size := utf8.DecodeRune(b)
		n += utf16Units(r)
		b = b[size:]
	}
	return n
}

func utf16Units(r rune) int {
	if r >= 0x10000 {
		return 2
	}
	return 1
}
