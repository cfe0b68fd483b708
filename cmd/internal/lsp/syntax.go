package lsp

import (
	"bytes"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

// cursorContext is where the cursor is, worked out from the tokens before
// it, so it holds in a half-typed file that does not parse.
type cursorContext struct {
	// path are the types of the enclosing blocks from the top of the file
	// (a dynamic block counts as the block it generates).
	path []string
	// labels are the first labels of the enclosing blocks, "" for none.
	labels []string
	// attr is the attribute whose value the cursor is in, "" in a block
	// body where an attribute or block name goes.
	attr string
	// inString is true inside a quoted string or heredoc, outside ${...}.
	inString bool
	// line is the text of the cursor's line up to the cursor.
	line string
	// forEach is true when an enclosing labelled block sets for_each before
	// the cursor, so each.key and each.value exist there.
	forEach bool
	// set are the attributes the enclosing block's body sets, before and
	// after the cursor.
	set map[string]bool
	// key is the key whose value the cursor is in when that value sits in
	// an object constructor of attr's value, such as revisionType in
	// source_revisions = [{ revisionType = "|" }]; "" otherwise.
	key string
}

func (c *cursorContext) blockPath() string { return strings.Join(c.path, ".") }

// frame is one open bracket of any kind.
type frame struct {
	kind  hclsyntax.TokenType // the opening token
	block string              // the block type for a block's brace
	label string
	attr  string // in a block body: the attribute being written; in an object: the key
	// lineStart is the index of the first token of the current line of a
	// block body.
	lineStart int
	forEach   bool            // the block's body sets for_each
	set       map[string]bool // attributes the body sets
}

// contextAt lexes src up to off: from the start of the file, or in a
// file larger than lexWindow from the last top-level block header before
// the cursor (a line starting with `name "label" {`, as fmt writes them),
// so completion in a huge file stays quick.
func contextAt(src []byte, off int) *cursorContext {
	off = max(0, min(off, len(src)))
	from := 0
	if off > lexWindow {
		from = topLevelStart(src[:off])
	}
	toks, _ := hclsyntax.LexConfig(src[from:off], "", hcl.InitialPos)
	stack := []*frame{{kind: hclsyntax.TokenOBrace}}
	body := func() *frame {
		for i := len(stack) - 1; i >= 0; i-- {
			if stack[i].block != "" || i == 0 {
				return stack[i]
			}
		}
		return stack[0]
	}
	for i, t := range toks {
		top := stack[len(stack)-1]
		atBody := top.block != "" || len(stack) == 1
		switch t.Type {
		case hclsyntax.TokenComment:
			// A line comment's token holds the newline that ends it, and the
			// lexer emits no TokenNewline after it; a block comment or one
			// that ends at the cursor does not end the line.
			if atBody && bytes.HasSuffix(t.Bytes, []byte("\n")) {
				top.attr = ""
				top.lineStart = i + 1
			} else if atBody && i == top.lineStart {
				top.lineStart = i + 1
			}
		case hclsyntax.TokenNewline, hclsyntax.TokenComma:
			if atBody && t.Type == hclsyntax.TokenNewline {
				top.attr = ""
				top.lineStart = i + 1
			} else if isObject(top, stack) {
				top.attr = "" // the next item of the object
			}
		case hclsyntax.TokenEqual, hclsyntax.TokenColon:
			if isObject(top, stack) {
				top.attr = objectKey(toks[:i])
			} else if t.Type == hclsyntax.TokenEqual && atBody && i == top.lineStart+1 && toks[top.lineStart].Type == hclsyntax.TokenIdent {
				top.attr = string(toks[top.lineStart].Bytes)
				top.forEach = top.forEach || top.attr == "for_each"
				if top.set == nil {
					top.set = map[string]bool{}
				}
				top.set[top.attr] = true
			}
		case hclsyntax.TokenOBrace:
			f := &frame{kind: t.Type, lineStart: i + 1}
			if atBody && top.attr == "" {
				f.block, f.label = blockHeader(toks[top.lineStart:i])
			}
			stack = append(stack, f)
		case hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp,
			hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			stack = append(stack, &frame{kind: t.Type, lineStart: i + 1})
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if len(stack) > 1 {
				stack = stack[:len(stack)-1]
			}
			if t.Type == hclsyntax.TokenCBrace && len(stack) >= 1 {
				if b := stack[len(stack)-1]; b.block != "" || len(stack) == 1 {
					b.lineStart = i + 1
				}
			}
		}
	}
	c := &cursorContext{attr: body().attr, set: body().set}
	if c.set == nil {
		c.set = map[string]bool{}
	}
	setAfter(src[off:min(len(src), off+lexWindow)], c.set)
	for _, f := range stack[1:] {
		// A dynamic block's frame has no label, and its iterator is not each.
		c.forEach = c.forEach || f.forEach && f.label != ""
		if f.block != "" && f.block != "content" {
			c.path = append(c.path, f.block)
			c.labels = append(c.labels, f.label)
		}
	}
	top := stack[len(stack)-1]
	c.inString = top.kind == hclsyntax.TokenOQuote || top.kind == hclsyntax.TokenOHeredoc
	if inner := len(stack) - 1; inner > 0 {
		if c.inString {
			inner--
		}
		if isObject(stack[inner], stack) {
			c.key = stack[inner].attr
		}
	}
	start := strings.LastIndexByte(string(src[:off]), '\n') + 1
	c.line = string(src[start:off])
	return c
}

// isObject says whether f is the brace of an object constructor (not a
// block body, nor the file's body).
func isObject(f *frame, stack []*frame) bool {
	return f.kind == hclsyntax.TokenOBrace && f.block == "" && f != stack[0]
}

// objectKey is the key written just before an object item's = or : in
// toks: a name, or a quoted string.
func objectKey(toks hclsyntax.Tokens) string {
	n := len(toks)
	switch {
	case n >= 1 && toks[n-1].Type == hclsyntax.TokenIdent:
		return string(toks[n-1].Bytes)
	case n >= 3 && toks[n-1].Type == hclsyntax.TokenCQuote && toks[n-2].Type == hclsyntax.TokenQuotedLit:
		return string(toks[n-2].Bytes)
	}
	return ""
}

// setAfter adds to set the attributes src sets in the block body it
// starts in, up to the brace that closes that body.
func setAfter(src []byte, set map[string]bool) {
	toks, _ := hclsyntax.LexConfig(src, "", hcl.InitialPos)
	depth, lineStart := 0, -1 // the cursor's own line is not a new line
	for i, t := range toks {
		switch t.Type {
		case hclsyntax.TokenNewline:
			if depth == 0 {
				lineStart = i + 1
			}
		case hclsyntax.TokenComment:
			if depth == 0 && bytes.HasSuffix(t.Bytes, []byte("\n")) {
				lineStart = i + 1
			}
		case hclsyntax.TokenEqual:
			if depth == 0 && i == lineStart+1 && toks[lineStart].Type == hclsyntax.TokenIdent {
				set[string(toks[lineStart].Bytes)] = true
			}
		case hclsyntax.TokenOBrace, hclsyntax.TokenOBrack, hclsyntax.TokenOParen, hclsyntax.TokenTemplateInterp,
			hclsyntax.TokenTemplateControl, hclsyntax.TokenOQuote, hclsyntax.TokenOHeredoc:
			depth++
		case hclsyntax.TokenCBrace, hclsyntax.TokenCBrack, hclsyntax.TokenCParen, hclsyntax.TokenTemplateSeqEnd,
			hclsyntax.TokenCQuote, hclsyntax.TokenCHeredoc:
			if depth--; depth < 0 {
				return
			}
		}
	}
}

// lexWindow is the size above which contextAt starts at the enclosing
// top-level block.
const lexWindow = 256 << 10

var topLevelHeader = regexp.MustCompile(`(?m)^[A-Za-z_][A-Za-z0-9_-]*(?:[ \t]+(?:"[^"\n]*"|[A-Za-z_][A-Za-z0-9_-]*))*[ \t]*\{[ \t]*$`)

// topLevelStart is the offset of the last top-level block header in src,
// or 0.
func topLevelStart(src []byte) int {
	locs := topLevelHeader.FindAllIndex(src, -1)
	if len(locs) == 0 {
		return 0
	}
	return locs[len(locs)-1][0]
}

// blockHeader reads `type "label" ... ` tokens; a dynamic block stands for
// its label's block type.
func blockHeader(toks hclsyntax.Tokens) (typ, label string) {
	if len(toks) == 0 || toks[0].Type != hclsyntax.TokenIdent {
		return "", ""
	}
	typ = string(toks[0].Bytes)
	for _, t := range toks[1:] {
		switch t.Type {
		case hclsyntax.TokenQuotedLit:
			if label == "" {
				label = string(t.Bytes)
			}
		case hclsyntax.TokenIdent:
			if label == "" {
				label = string(t.Bytes)
			}
		case hclsyntax.TokenOQuote, hclsyntax.TokenCQuote:
		default:
			return "", ""
		}
	}
	if typ == "dynamic" && label != "" {
		return label, ""
	}
	return typ, label
}
