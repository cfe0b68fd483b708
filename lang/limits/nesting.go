package limits

import (
	"bytes"
	"fmt"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
)

// MaxNesting is how deep an expression may nest. Each bracket, brace,
// parenthesis, string template and interpolation is one level, and so is
// each operator in an unbracketed chain (a + b + c, !!x, a ? b : c ? d : e),
// because the HCL parser and evaluator recurse once for each. Real
// configurations stay below 20; at this limit the parser needs a few
// megabytes of stack, where 100,000 levels would overflow it.
const MaxNesting = 256

// frame kinds of the scanner's stack.
const (
	kBracket = iota // ( [ {
	kInterp         // ${ or %{ inside a template: expression until }
	kQuote          // "…" template
	kHeredoc        // <<EOF … EOF template
	kBare           // a template file: template text until the end
)

type frame struct {
	kind   int
	ops    int    // operators counted in this frame's current expression
	marker []byte // heredoc end marker
	open   byte   // the bracket that opened a kBracket frame
	at     int    // the offset of that bracket
}

// scanner walks HCL source with just enough of the lexical grammar
// (comments, quoted strings with escapes, heredocs, template
// interpolations) to know the nesting depth at every byte. It never
// under-counts: where it is unsure it counts an extra level.
type scanner struct {
	src   []byte
	stack []frame
	depth int // len(stack) plus the ops of every frame
	max   int
	peak  int // the deepest depth seen, for tests
	// braces are the top-level { } pairs met, when asked for.
	braces    []Braces
	addBraces bool
}

// Braces are the offsets of a top-level block's opening and closing brace,
// as far as a scan without a parser can tell: Close is the brace that
// brings the nesting back to the top level.
type Braces struct{ Open, Close int }

// CheckNesting reports a diagnostic at the first byte of src where the
// nesting depth goes beyond MaxNesting, or nil. template says that src is
// a template (a templatefile file) rather than a configuration file or an
// expression.
func CheckNesting(src []byte, filename string, template bool) *hcl.Diagnostic {
	pos, _ := scan(src, template, MaxNesting)
	if pos < 0 {
		return nil
	}
	return nestingDiag(src, filename, pos)
}

func nestingDiag(src []byte, filename string, pos int) *hcl.Diagnostic {
	start := PosAt(src, pos)
	end := start
	end.Byte++
	end.Column++
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Expression nested too deeply",
		Detail: fmt.Sprintf("This file nests more than %d levels deep here. Each bracket, brace, parenthesis, string template and ${…} counts one level, and so does each operator in a chain such as a + b + c that has no brackets. Split the expression into locals, or generate the value outside pipeform; the file was not read further.",
			MaxNesting),
		Subject: &hcl.Range{Filename: filename, Start: start, End: end},
	}
}

// CheckFile is CheckNesting for a configuration file that also returns
// its top-level brace pairs, in source order, when the depth stays within
// bounds. They are a guess: a caller must check them against the parser.
func CheckFile(src []byte, filename string) (*hcl.Diagnostic, []Braces) {
	s := newScanner(src, false, MaxNesting)
	s.addBraces = true
	if pos := s.run(); pos >= 0 {
		return nestingDiag(src, filename, pos), nil
	}
	return nil, s.braces
}

// scan returns the offset where the depth passes limit (or -1) and the
// deepest depth seen.
func scan(src []byte, template bool, limit int) (int, int) {
	s := newScanner(src, template, limit)
	return s.run(), s.peak
}

func newScanner(src []byte, template bool, limit int) *scanner {
	s := &scanner{src: src, max: limit}
	kind := kBracket
	if template {
		kind = kBare
	}
	s.stack = append(s.stack, frame{kind: kind})
	s.depth = 1
	return s
}

// PosAt returns the line, column and byte of offset off in src.
func PosAt(src []byte, off int) hcl.Pos {
	if off > len(src) {
		off = len(src)
	}
	line := 1 + bytes.Count(src[:off], []byte{'\n'})
	lineStart := bytes.LastIndexByte(src[:off], '\n') + 1
	return hcl.Pos{Line: line, Column: 1 + utf8.RuneCount(src[lineStart:off]), Byte: off}
}

func (s *scanner) push(f frame) bool {
	s.stack = append(s.stack, f)
	s.depth++
	return s.within()
}

// within records the peak and reports whether the depth is within bounds.
func (s *scanner) within() bool {
	s.peak = max(s.peak, s.depth)
	return s.depth <= s.max
}

func (s *scanner) pop() {
	if len(s.stack) <= 1 {
		return // an unbalanced closer; the parser reports it
	}
	top := s.stack[len(s.stack)-1]
	s.depth -= 1 + top.ops
	s.stack = s.stack[:len(s.stack)-1]
}

func (s *scanner) top() *frame { return &s.stack[len(s.stack)-1] }

// op counts one operator in the current expression.
func (s *scanner) op() bool {
	s.top().ops++
	s.depth++
	return s.within()
}

// reset ends the current expression of the top frame (at a comma, or at a
// newline where newlines end expressions).
func (s *scanner) reset() {
	t := s.top()
	s.depth -= t.ops
	t.ops = 0
}

// run scans the whole source and returns the offset where the limit was
// passed, or -1.
func (s *scanner) run() int {
	i := 0
	for i < len(s.src) {
		var ok bool
		switch s.top().kind {
		case kQuote, kHeredoc, kBare:
			i, ok = s.template(i)
		default:
			i, ok = s.expr(i)
		}
		if !ok {
			return i
		}
	}
	return -1
}

// expr scans one token of expression mode at i and returns where to go on.
func (s *scanner) expr(i int) (int, bool) {
	src := s.src
	c := src[i]
	switch c {
	case '#':
		return skipLine(src, i), true
	case '/':
		if i+1 < len(src) && src[i+1] == '/' {
			return skipLine(src, i), true
		}
		if i+1 < len(src) && src[i+1] == '*' {
			if j := bytes.Index(src[i+2:], []byte("*/")); j >= 0 {
				return i + 2 + j + 2, true
			}
			return len(src), true
		}
		return i + 1, s.op()
	case '"':
		return i + 1, s.push(frame{kind: kQuote})
	case '<':
		if marker, next, ok := heredocStart(src, i); ok {
			return next, s.push(frame{kind: kHeredoc, marker: marker})
		}
		return i + 1, s.op()
	case '(', '[', '{':
		return i + 1, s.push(frame{kind: kBracket, open: c, at: i})
	case ')', ']', '}':
		// Whatever the frame (a bracket or an interpolation), the closer
		// ends it; a mismatch is the parser's to report.
		if s.addBraces && c == '}' && len(s.stack) == 2 {
			if t := s.top(); t.kind == kBracket && t.open == '{' {
				s.braces = append(s.braces, Braces{Open: t.at, Close: i})
			}
		}
		s.pop()
		return i + 1, true
	case ',':
		s.reset()
		return i + 1, true
	case '\n':
		// A newline ends an attribute or an object item, but not an
		// expression inside ( ) or [ ] or an interpolation.
		if t := s.top(); t.kind == kBracket && t.open != '(' && t.open != '[' {
			s.reset()
		}
		return i + 1, true
	case '!', '-', '+', '*', '%', '=', '>', '&', '|', '?', ':':
		return i + 1, s.op()
	}
	return i + 1, true
}

// template scans template text at i: literal text, escapes and the start
// of an interpolation or directive, or the end of the template.
func (s *scanner) template(i int) (int, bool) {
	src := s.src
	t := s.top()
	if t.kind == kHeredoc && (i == 0 || src[i-1] == '\n') {
		if end, ok := heredocEnd(src, i, t.marker); ok {
			s.pop()
			return end, true
		}
	}
	c := src[i]
	switch c {
	case '\\':
		if t.kind == kQuote {
			return i + 2, true
		}
	case '"':
		if t.kind == kQuote {
			s.pop()
			return i + 1, true
		}
	case '\n':
		if t.kind == kQuote {
			s.pop() // a quoted string cannot span lines; the parser says so
		}
		return i + 1, true
	case '$', '%':
		if i+1 < len(src) && src[i+1] == c && i+2 < len(src) && src[i+2] == '{' {
			return i + 3, true // $${ and %%{ are literal
		}
		if i+1 < len(src) && src[i+1] == '{' {
			if c == '%' && !s.directive(i+2) {
				return i + 2, false
			}
			return i + 2, s.push(frame{kind: kInterp})
		}
	}
	return i + 1, true
}

// directive counts the nesting of template directives: %{ if } and
// %{ for } open a level that %{ endif } and %{ endfor } close, since the
// parser recurses into each directive's body.
func (s *scanner) directive(i int) bool {
	src := s.src
	for i < len(src) && (src[i] == '~' || src[i] == ' ' || src[i] == '\t') {
		i++
	}
	j := i
	for j < len(src) && isIdentByte(src[j]) {
		j++
	}
	t := s.top()
	switch string(src[i:j]) {
	case "if", "for":
		t.ops++
		s.depth++
	case "endif", "endfor":
		if t.ops > 0 {
			t.ops--
			s.depth--
		}
	}
	return s.within()
}

func skipLine(src []byte, i int) int {
	if j := bytes.IndexByte(src[i:], '\n'); j >= 0 {
		return i + j
	}
	return len(src)
}

// heredocStart recognises <<MARKER or <<-MARKER followed by a newline at i
// and returns the marker and the offset after the newline.
func heredocStart(src []byte, i int) ([]byte, int, bool) {
	j := i + 2
	if j > len(src) || src[i+1] != '<' {
		return nil, 0, false
	}
	if j < len(src) && src[j] == '-' {
		j++
	}
	start := j
	for j < len(src) && isIdentByte(src[j]) {
		j++
	}
	if j == start {
		return nil, 0, false
	}
	marker := src[start:j]
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j >= len(src) || src[j] != '\n' {
		return nil, 0, false
	}
	return marker, j + 1, true
}

// heredocEnd reports whether the line at i is the heredoc's closing
// marker (indentation allowed) and returns the offset of its newline.
func heredocEnd(src []byte, i int, marker []byte) (int, bool) {
	j := i
	for j < len(src) && (src[j] == ' ' || src[j] == '\t') {
		j++
	}
	if !bytes.HasPrefix(src[j:], marker) {
		return 0, false
	}
	j += len(marker)
	if j < len(src) && src[j] == '\r' {
		j++
	}
	if j < len(src) && src[j] != '\n' {
		return 0, false
	}
	return j, true
}

func isIdentByte(c byte) bool {
	return c == '_' || c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
