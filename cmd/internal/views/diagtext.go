package views

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/mitchellh/go-wordwrap"
	"github.com/zclconf/go-cty/cty"
)

// MaxPerFile is how many diagnostics of one file the text view prints; the
// rest are counted in one closing line, as compilers do. Garbage input
// yields thousands of errors and only the first few help.
const MaxPerFile = 20

// maxSnippetLine is the longest source line a snippet prints whole; a
// longer one (minified or generated text) is cut around the highlight.
const maxSnippetLine = 400

// maxShownValue is the longest string value a "with" line shows whole.
const maxShownValue = 100

// textWriter renders diagnostics the way hcl's NewDiagnosticTextWriter
// does, byte for byte, but finds snippet lines through an index built once
// per file instead of rescanning the file from its start for every
// diagnostic, which made thousands of errors quadratic.
type textWriter struct {
	w     *bufio.Writer
	files map[string]*hcl.File
	width uint
	color bool
	lines map[string]*lineIndex
}

// writeText writes diags, at most perFile for each file.
func writeText(out io.Writer, files map[string]*hcl.File, diags hcl.Diagnostics, width uint, color bool, perFile int) error {
	tw := &textWriter{w: bufio.NewWriter(out), files: files, width: width, color: color, lines: map[string]*lineIndex{}}
	shown := map[string]int{}
	type hiddenCount struct{ errors, warnings int }
	hidden := map[string]*hiddenCount{}
	var order []string
	for _, d := range diags {
		if d.Subject != nil {
			name := d.Subject.Filename
			if shown[name] >= perFile {
				h := hidden[name]
				if h == nil {
					h = &hiddenCount{}
					hidden[name] = h
					order = append(order, name)
				}
				if d.Severity == hcl.DiagWarning {
					h.warnings++
				} else {
					h.errors++
				}
				continue
			}
			shown[name]++
		}
		tw.diagnostic(d)
	}
	for _, name := range order {
		h := hidden[name]
		var parts []string
		if h.errors > 0 {
			parts = append(parts, plural(h.errors, "more error"))
		}
		if h.warnings > 0 {
			parts = append(parts, plural(h.warnings, "more warning"))
		}
		tw.wrapped(fmt.Sprintf("%s in %s not shown: only the first %d problems of each file are printed. Fix these first, or run pipeform validate --json to list every one.",
			strings.Join(parts, " and "), name, perFile))
	}
	return tw.w.Flush()
}

func plural(n int, what string) string {
	if n == 1 {
		return "1 " + what
	}
	return fmt.Sprintf("%d %ss", n, what)
}

// wrapped writes text word-wrapped to the width, then a blank line.
func (tw *textWriter) wrapped(text string) {
	if tw.width != 0 {
		text = wordwrap.WrapString(text, tw.width)
	}
	fmt.Fprintf(tw.w, "%s\n\n", text)
}

func (tw *textWriter) diagnostic(d *hcl.Diagnostic) {
	var colorCode, highlightCode, resetCode string
	if tw.color {
		switch d.Severity {
		case hcl.DiagError:
			colorCode = "\x1b[31m"
		case hcl.DiagWarning:
			colorCode = "\x1b[33m"
		}
		resetCode = "\x1b[0m"
		highlightCode = "\x1b[1;4m"
	}
	severity := "???????"
	switch d.Severity {
	case hcl.DiagError:
		severity = "Error"
	case hcl.DiagWarning:
		severity = "Warning"
	}
	fmt.Fprintf(tw.w, "%s%s%s: %s\n\n", colorCode, severity, resetCode, d.Summary)
	if d.Subject != nil {
		tw.snippet(d, highlightCode, resetCode)
		tw.values(d)
	}
	if d.Detail != "" {
		tw.wrapped(d.Detail)
	}
}

// snippet writes the "on FILE line N, in CONTEXT:" line and the source
// lines of the subject (and context) range.
func (tw *textWriter) snippet(d *hcl.Diagnostic, highlightCode, resetCode string) {
	snip := *d.Subject
	highlight := snip
	if d.Context != nil {
		snip = hcl.RangeOver(snip, *d.Context)
	}
	// An empty range cannot be shown; widen it to one character.
	if snip.Empty() {
		snip.End.Byte++
		snip.End.Column++
	}
	if highlight.Empty() {
		highlight.End.Byte++
		highlight.End.Column++
	}
	name := d.Subject.Filename
	file := tw.files[name]
	if file == nil || file.Bytes == nil {
		fmt.Fprintf(tw.w, "  on %s line %d:\n  (source code not available)\n\n", name, d.Subject.Start.Line)
		return
	}
	ctx := ""
	if nav, ok := file.Nav.(interface{ ContextString(int) string }); ok {
		if s := nav.ContextString(d.Subject.Start.Byte); s != "" {
			ctx = ", in " + s
		}
	}
	fmt.Fprintf(tw.w, "  on %s line %d%s:\n", name, d.Subject.Start.Line, ctx)
	idx := tw.lines[name]
	if idx == nil {
		idx = newLineIndex(file.Bytes)
		tw.lines[name] = idx
	}
	src := file.Bytes
	for i := max(idx.lineAt(snip.Start.Byte)-1, 0); i < len(idx.starts) && idx.starts[i] <= snip.End.Byte; i++ {
		line := idx.rangeOf(i, name)
		if !line.Overlaps(snip) {
			continue
		}
		before, high, after := line.PartitionAround(highlight)
		if high.Empty() {
			text, _, _ := clipLine(line.SliceBytes(src), nil, nil)
			fmt.Fprintf(tw.w, "%4d: %s\n", line.Start.Line, text)
			continue
		}
		b, h, a := clipLine(before.SliceBytes(src), high.SliceBytes(src), after.SliceBytes(src))
		fmt.Fprintf(tw.w, "%4d: %s%s%s%s%s\n", line.Start.Line, b, highlightCode, h, resetCode, a)
	}
	tw.w.WriteByte('\n')
}

// clipLine shortens a very long snippet line (before, highlighted, after)
// to a window around the highlight, marking each cut with "…".
func clipLine(before, high, after []byte) ([]byte, []byte, []byte) {
	if len(before)+len(high)+len(after) <= maxSnippetLine {
		return before, high, after
	}
	const side = maxSnippetLine / 4
	if len(before) > side {
		cut := len(before) - side
		for cut < len(before) && !utf8.RuneStart(before[cut]) {
			cut++
		}
		before = append([]byte("…"), before[cut:]...)
	}
	if len(high) > 2*side {
		high = append(trimUTF8(high, 2*side), "…"...)
	}
	if len(after) > side {
		after = append(trimUTF8(after, side), "…"...)
	}
	return before, high, after
}

// trimUTF8 returns at most n bytes of b, not splitting a character.
func trimUTF8(b []byte, n int) []byte {
	for n > 0 && n < len(b) && !utf8.RuneStart(b[n]) {
		n--
	}
	return b[:n:n]
}

// values writes the "with var.x as ..." lines for the variables of the
// diagnostic's expression, like hcl's writer. Marked (sensitive) values
// are left out.
func (tw *textWriter) values(d *hcl.Diagnostic) {
	if d.Expression == nil || d.EvalContext == nil {
		return
	}
	vars := d.Expression.Variables()
	stmts := make([]string, 0, len(vars))
	seen := make(map[string]bool, len(vars))
	for _, tr := range vars {
		val, diags := tr.TraverseAbs(d.EvalContext)
		if diags.HasErrors() {
			continue // reported already
		}
		name := traversalString(tr)
		if seen[name] {
			continue
		}
		switch {
		case !val.IsKnown(), val.IsMarked():
			continue
		case val.IsNull():
			stmts = append(stmts, name+" set to null")
		default:
			stmts = append(stmts, name+" as "+valueString(val))
		}
		seen[name] = true
	}
	sort.Strings(stmts)
	for i, s := range stmts {
		if i == 0 {
			tw.w.WriteString("with ")
		} else {
			tw.w.WriteString("     ")
		}
		tw.w.WriteString(s)
		if i == len(stmts)-1 {
			tw.w.WriteString(".\n\n")
		} else {
			tw.w.WriteString(",\n")
		}
	}
}

// traversalString renders a traversal for the "with" lines: var.x,
// each.value["k"], with complex keys as "...".
func traversalString(tr hcl.Traversal) string {
	var b strings.Builder
	for _, step := range tr {
		switch s := step.(type) {
		case hcl.TraverseRoot:
			b.WriteString(s.Name)
		case hcl.TraverseAttr:
			b.WriteByte('.')
			b.WriteString(s.Name)
		case hcl.TraverseIndex:
			b.WriteByte('[')
			if s.Key.Type().IsPrimitiveType() {
				b.WriteString(valueString(s.Key))
			} else {
				b.WriteString("...")
			}
			b.WriteByte(']')
		}
	}
	return b.String()
}

// valueString describes a value briefly: primitives in full, collections
// and objects by their size.
func valueString(val cty.Value) string {
	ty := val.Type()
	switch {
	case val.IsNull():
		return "null"
	case !val.IsKnown():
		return "(not yet known)"
	case ty == cty.Bool:
		if val.True() {
			return "true"
		}
		return "false"
	case ty == cty.Number:
		return val.AsBigFloat().Text('g', 10)
	case ty == cty.String:
		// Unlike hcl, a long string is cut: the line is context, and a
		// value of megabytes would bury the message.
		if s := val.AsString(); len(s) > maxShownValue {
			return fmt.Sprintf("%q… (%d bytes)", trimUTF8([]byte(s), maxShownValue), len(s))
		}
		return fmt.Sprintf("%q", val.AsString())
	case ty.IsCollectionType() || ty.IsTupleType():
		switch n := val.LengthInt(); n {
		case 0:
			return "empty " + ty.FriendlyName()
		case 1:
			return ty.FriendlyName() + " with 1 element"
		default:
			return fmt.Sprintf("%s with %d elements", ty.FriendlyName(), n)
		}
	case ty.IsObjectType():
		attrs := ty.AttributeTypes()
		switch len(attrs) {
		case 0:
			return "object with no attributes"
		case 1:
			for k := range attrs {
				return fmt.Sprintf("object with 1 attribute %q", k)
			}
		}
		return fmt.Sprintf("object with %d attributes", len(attrs))
	}
	return ty.FriendlyName()
}

// lineIndex locates the lines of a file the way hcl's RangeScanner with
// bufio.ScanLines does: lines end at "\n", a "\r" before it is not part of
// the line, and line numbers also advance at a lone "\r" (hcl counts each
// "\r" grapheme as a line break).
type lineIndex struct {
	src    []byte
	starts []int // byte offset of each line
	nums   []int // its line number
}

func newLineIndex(src []byte) *lineIndex {
	idx := &lineIndex{src: src}
	num := 1
	for start := 0; start < len(src); {
		idx.starts = append(idx.starts, start)
		idx.nums = append(idx.nums, num)
		end := bytes.IndexByte(src[start:], '\n')
		next := len(src)
		if end >= 0 {
			end += start
			next = end + 1
		} else {
			end = len(src)
		}
		// Lone "\r"s inside the line count as line breaks too.
		for i := start; i < end; i++ {
			if src[i] == '\r' && i+1 < end {
				num++
			}
		}
		if end < len(src) || (end > start && src[end-1] == '\r') {
			num++
		}
		start = next
	}
	return idx
}

// lineAt returns the index of the line holding byte offset off.
func (idx *lineIndex) lineAt(off int) int {
	return sort.Search(len(idx.starts), func(i int) bool { return idx.starts[i] > off }) - 1
}

// rangeOf returns line i as a range over its text, without the line break.
func (idx *lineIndex) rangeOf(i int, filename string) hcl.Range {
	start := idx.starts[i]
	end := len(idx.src)
	if i+1 < len(idx.starts) {
		end = idx.starts[i+1]
	}
	if end > start && idx.src[end-1] == '\n' {
		end--
	}
	if end > start && idx.src[end-1] == '\r' {
		end--
	}
	return hcl.Range{
		Filename: filename,
		Start:    hcl.Pos{Line: idx.nums[i], Column: 1, Byte: start},
		End:      hcl.Pos{Line: idx.nums[i], Column: 1 + end - start, Byte: end},
	}
}
