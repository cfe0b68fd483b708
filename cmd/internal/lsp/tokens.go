package lsp

import (
	"context"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.lsp.dev/protocol"
)

// tokenTypes is the semantic tokens legend; a token's type is its index.
var tokenTypes = []string{"keyword", "class", "property", "variable", "function", "string", "number", "comment", "macro"}

const (
	tokKeyword = iota
	tokClass
	tokProperty
	tokVariable
	tokFunction
	tokString
	tokNumber
	tokComment
	tokMacro
)

// maxTokenFile is the largest file semantic tokens and the format code
// action are computed for; a larger one keeps the editor's own
// highlighting.
const maxTokenFile = 2 << 20

// SemanticTokensFull classifies the tokens of a file: block types, block
// labels, attribute names, references, function names, strings, numbers,
// comments, and #{Namespace.VAR} inside strings.
func (s *server) SemanticTokensFull(ctx context.Context, p *protocol.SemanticTokensParams) (*protocol.SemanticTokens, error) {
	src, ok := s.source(p.TextDocument.URI)
	if !ok || len(src) > maxTokenFile {
		return &protocol.SemanticTokens{Data: []uint32{}}, nil
	}
	return &protocol.SemanticTokens{Data: encodeTokens(newText(src), semanticTokens(src))}, nil
}

// semToken is one classified piece of source, on one line.
type semToken struct {
	start, end int // byte offsets
	typ        int
}

func semanticTokens(src []byte) []semToken {
	toks, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	var out []semToken
	header := false // inside a block header: labels are classes
	for i, t := range toks {
		r := t.Range
		add := func(typ int) { out = append(out, semToken{r.Start.Byte, r.End.Byte, typ}) }
		switch t.Type {
		case hclsyntax.TokenIdent:
			name := string(t.Bytes)
			next := nextType(toks, i)
			switch {
			case next == hclsyntax.TokenEqual:
				add(tokProperty)
			case lineStart(toks, i) && endsInBrace(toks, i):
				add(tokKeyword)
				header = true
			case header:
				add(tokClass)
			case next == hclsyntax.TokenOParen:
				add(tokFunction)
			case next == hclsyntax.TokenDot && (traversalKinds[name] != 0 || name == "each"):
				add(tokVariable)
			case name == "true" || name == "false" || name == "null" || name == "for" || name == "in" || name == "if":
				add(tokKeyword)
			}
		case hclsyntax.TokenQuotedLit, hclsyntax.TokenStringLit:
			if header {
				add(tokClass)
			} else {
				out = append(out, stringTokens(src, r.Start.Byte, r.End.Byte)...)
			}
		case hclsyntax.TokenNumberLit:
			add(tokNumber)
		case hclsyntax.TokenComment:
			add(tokComment)
		case hclsyntax.TokenOBrace, hclsyntax.TokenNewline:
			header = false
		}
	}
	return splitLines(src, out)
}

// stringTokens classifies string text, with #{...} references apart.
func stringTokens(src []byte, start, end int) []semToken {
	var out []semToken
	at := start
	for _, m := range nsVarRef.FindAllIndex(src[start:end], -1) {
		if start+m[0] > at {
			out = append(out, semToken{at, start + m[0], tokString})
		}
		out = append(out, semToken{start + m[0], start + m[1], tokMacro})
		at = start + m[1]
	}
	if at < end {
		out = append(out, semToken{at, end, tokString})
	}
	return out
}

func nextType(toks hclsyntax.Tokens, i int) hclsyntax.TokenType {
	if i+1 < len(toks) {
		return toks[i+1].Type
	}
	return hclsyntax.TokenEOF
}

func lineStart(toks hclsyntax.Tokens, i int) bool {
	return i == 0 || toks[i-1].Type == hclsyntax.TokenNewline || toks[i-1].Type == hclsyntax.TokenOBrace
}

// endsInBrace reports whether the tokens from i to the next { are a block
// header: identifiers and quoted labels.
func endsInBrace(toks hclsyntax.Tokens, i int) bool {
	for j := i + 1; j < len(toks); j++ {
		switch toks[j].Type {
		case hclsyntax.TokenOBrace:
			return true
		case hclsyntax.TokenIdent, hclsyntax.TokenOQuote, hclsyntax.TokenQuotedLit, hclsyntax.TokenCQuote:
		default:
			return false
		}
	}
	return false
}

// splitLines cuts tokens at line ends (the protocol's tokens are on one
// line) and drops empty pieces.
func splitLines(src []byte, toks []semToken) []semToken {
	var out []semToken
	for _, t := range toks {
		start := t.start
		for i := t.start; i < t.end; i++ {
			if src[i] == '\n' {
				if i > start {
					out = append(out, semToken{start, i, t.typ})
				}
				start = i + 1
			}
		}
		if t.end > start {
			out = append(out, semToken{start, t.end, t.typ})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].start < out[j].start })
	return out
}

// encodeTokens writes tokens in the protocol's relative form: line delta,
// start delta (UTF-16), length (UTF-16), type, modifiers.
func encodeTokens(t *text, toks []semToken) []uint32 {
	data := make([]uint32, 0, 5*len(toks))
	var line, char uint32
	for _, tok := range toks {
		p := t.pos(tok.start)
		length := uint32(utf16Len(t.src[tok.start:tok.end]))
		if length == 0 {
			continue
		}
		dl, dc := p.Line-line, p.Character
		if dl == 0 {
			dc = p.Character - char
		}
		data = append(data, dl, dc, length, uint32(tok.typ), 0)
		line, char = p.Line, p.Character
	}
	return data
}
