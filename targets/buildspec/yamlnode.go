package buildspec

import (
	"fmt"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"
)

// source maps the 1-based line/column positions of yaml.Node (columns count
// characters) to hcl positions with byte offsets.
type source struct {
	name  string
	src   []byte
	lines []int // byte offset where each line starts
	ends  []int // byte offset where each line's text ends (its line break starts)
}

func newSource(name string, src []byte) *source {
	s := &source{name: name, src: src, lines: []int{0}}
	for i := 0; i < len(src); {
		n := lineBreakLen(src[i:])
		if n == 0 {
			i++
			continue
		}
		s.ends = append(s.ends, i)
		i += n
		s.lines = append(s.lines, i)
	}
	s.ends = append(s.ends, len(src))
	return s
}

// lineBreakLen reports the length of the line break at the start of b, or
// 0. The yaml reader also breaks lines at CR, NEL, LS and PS.
func lineBreakLen(b []byte) int {
	switch {
	case b[0] == '\n':
		return 1
	case b[0] == '\r':
		if len(b) > 1 && b[1] == '\n' {
			return 2
		}
		return 1
	case b[0] == 0xC2 && len(b) > 1 && b[1] == 0x85:
		return 2
	case b[0] == 0xE2 && len(b) > 2 && b[1] == 0x80 && (b[2] == 0xA8 || b[2] == 0xA9):
		return 3
	}
	return 0
}

// lineEnd is the byte offset of the end of the line holding byte off (the
// start of its line break, or the end of the text).
func (s *source) lineEnd(off int) int {
	i := sort.SearchInts(s.lines, off+1) - 1 // the last line starting at or before off
	return max(s.ends[max(i, 0)], off)
}

// pos converts a yaml line and column to an hcl.Pos, clamping positions that
// lie outside the text.
func (s *source) pos(line, col int) hcl.Pos {
	if line < 1 {
		line = 1
	}
	if line > len(s.lines) {
		line = len(s.lines)
	}
	if col < 1 {
		col = 1
	}
	off := s.lines[line-1]
	end := s.lineEnd(off)
	c := 1
	for c < col && off < end {
		_, size := utf8.DecodeRune(s.src[off:end])
		off += size
		c++
	}
	return hcl.Pos{Line: line, Column: c, Byte: off}
}

// advance moves p forward over the bytes up to off on the same line.
func (s *source) advance(p hcl.Pos, off int) hcl.Pos {
	for p.Byte < off {
		_, size := utf8.DecodeRune(s.src[p.Byte:off])
		p.Byte += size
		p.Column++
	}
	return p
}

// rng is the range of the smallest token that stands for n: a scalar's text,
// a quoted string with its quotes, a block scalar's indicator, an alias, or
// the first character of a collection.
func (s *source) rng(n *yaml.Node) hcl.Range {
	start := s.pos(n.Line, n.Column)
	lineEnd := s.lineEnd(start.Byte)
	rest := string(s.src[start.Byte:lineEnd])
	size := 0
	switch {
	case n.Kind == yaml.ScalarNode && n.Style&yaml.DoubleQuotedStyle != 0:
		size = quotedLen(rest, '"')
	case n.Kind == yaml.ScalarNode && n.Style&yaml.SingleQuotedStyle != 0:
		size = quotedLen(rest, '\'')
	case n.Kind == yaml.ScalarNode && n.Style&(yaml.LiteralStyle|yaml.FoldedStyle) != 0,
		n.Kind == yaml.AliasNode:
		size = strings.IndexAny(rest+" ", " \t")
	case n.Kind == yaml.ScalarNode && n.Value != "" && strings.HasPrefix(rest, n.Value):
		size = len(n.Value)
	case n.Kind == yaml.ScalarNode, n.Kind == yaml.MappingNode && n.Style&yaml.FlowStyle == 0:
		// A multi-line plain scalar, or a block mapping such as an unquoted
		// "- echo a: b": the rest of the line.
		size = len(strings.TrimRight(rest, " \t"))
	case len(rest) > 0:
		_, size = utf8.DecodeRuneInString(rest)
	}
	end := s.advance(start, start.Byte+size)
	return hcl.Range{Filename: s.name, Start: start, End: end}
}

// quotedLen is the length of the quoted string at the start of text,
// closing quote included, or of the whole line if it does not close there.
func quotedLen(text string, q byte) int {
	for i := 1; i < len(text); i++ {
		switch {
		case q == '"' && text[i] == '\\':
			i++
		case text[i] == q && q == '\'' && i+1 < len(text) && text[i+1] == '\'':
			i++
		case text[i] == q:
			return i + 1
		}
	}
	return len(text)
}

// field is one key/value pair of a mapping.
type field struct {
	name     string
	key, val *yaml.Node
}

// maxAliasHops bounds alias chains; yaml aliases cannot form longer chains in
// a well-formed document, this only guards against surprises.
const maxAliasHops = 64

// deref follows aliases to the node they name.
func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && n.Alias != nil && i < maxAliasHops; i++ {
		n = n.Alias
	}
	return n
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.ShortTag() == "!!null"
}

// kindName describes a node for "got ..." in diagnostics.
func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		if isNull(n) {
			return "nothing (null)"
		}
		return fmt.Sprintf("the scalar %q", n.Value)
	case yaml.AliasNode:
		return "an unresolved alias"
	}
	return "a YAML document"
}

// nameSuggestion returns the candidate closest to given, or "" if none is
// close enough to be a likely typo.
func nameSuggestion(given string, candidates []string) string {
	best, bestDist := "", 3
	for _, c := range candidates {
		if d := levenshtein(strings.ToLower(given), strings.ToLower(c)); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

// didYouMean formats a suggestion sentence, or "".
func didYouMean(given string, candidates []string) string {
	if s := nameSuggestion(given, candidates); s != "" {
		return fmt.Sprintf(" Did you mean %q?", s)
	}
	return ""
}

// listWords joins words as "a, b and c".
func listWords(words []string) string {
	switch len(words) {
	case 0:
		return ""
	case 1:
		return words[0]
	}
	return strings.Join(words[:len(words)-1], ", ") + " and " + words[len(words)-1]
}

// sortedKeys returns the keys of m in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
