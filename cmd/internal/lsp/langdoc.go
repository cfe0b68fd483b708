package lsp

import (
	"strings"

	"github.com/pipeform/pipeform/docs"
)

// The documentation hover shows is docs/language.md itself (embedded by
// package docs): a block's text is its section, its bold paragraph or its
// table row there, and an attribute's is its table row (type and meaning)
// or the sentence that names it. TestLanguageDocCoversSchema checks that
// every block and attribute of the language finds its text.

var langDoc = strings.Split(docs.Language, "\n")

// heading returns the level of a Markdown heading line and its title.
func heading(line string) (int, string) {
	n := 0
	for n < len(line) && line[n] == '#' {
		n++
	}
	if n == 0 || n >= len(line) || line[n] != ' ' {
		return 0, ""
	}
	return n, strings.TrimSpace(line[n:])
}

// span is a range of lines of the document.
type span struct{ start, end int }

func (s span) text() string {
	return strings.TrimSpace(strings.Join(langDoc[s.start:s.end], "\n"))
}

// headingSection finds the section whose heading is exactly title.
func headingSection(title string) (span, bool) {
	for i, l := range langDoc {
		lvl, t := heading(l)
		if lvl == 0 || t != title {
			continue
		}
		end := len(langDoc)
		for j := i + 1; j < len(langDoc); j++ {
			if l2, _ := heading(langDoc[j]); l2 > 0 && l2 <= lvl {
				end = j
				break
			}
		}
		return span{i, end}, true
	}
	return span{}, false
}

// blockSection is the text about the block at path: its own heading, or
// the paragraph in its parent's text that names it in bold, or the row of
// a table there.
func blockSection(path []string) (span, bool) {
	if len(path) == 0 {
		return span{0, len(langDoc)}, true
	}
	b := path[len(path)-1]
	switch {
	case len(path) == 1 && b == "variable":
		return headingSection("Variables")
	case len(path) == 1 && b == "locals":
		return headingSection("Locals")
	}
	if s, ok := headingSection("`" + b + "`"); ok {
		return s, true
	}
	parent, ok := blockSection(path[:len(path)-1])
	if !ok {
		return span{}, false
	}
	// In the parent's text, else anywhere (a block several levels down is
	// described in prose where its parent's row mentions it).
	for _, sec := range []span{parent, {0, len(langDoc)}} {
		for i := sec.start; i < sec.end; i++ {
			if namesBlock(langDoc[i], b) {
				return paragraph(i, sec.end), true
			}
		}
	}
	return parent, true
}

// namesBlock reports whether a line introduces block b: in bold, as a
// table row, or as `b "LABEL"`.
func namesBlock(l, b string) bool {
	return strings.Contains(l, "**`"+b+"`**") || strings.Contains(l, "**`"+b+" \"") || strings.HasPrefix(l, "| `"+b+"` |") ||
		strings.HasPrefix(l, "| `"+b+" \"") || strings.Contains(l, "`"+b+" \"NAME\"`")
}

// paragraph is the paragraph, list item or table row at line i, with the
// table that follows a paragraph ending in a colon-less heading line.
func paragraph(i, limit int) span {
	l := langDoc[i]
	if strings.HasPrefix(l, "|") {
		return span{i, i + 1}
	}
	start := i
	for start > 0 && strings.TrimSpace(langDoc[start-1]) != "" && !strings.HasPrefix(langDoc[start], "- ") &&
		!strings.HasPrefix(langDoc[start-1], "|") {
		start--
	}
	end := i + 1
	for end < limit && strings.TrimSpace(langDoc[end]) != "" && !strings.HasPrefix(langDoc[end], "- ") {
		end++
	}
	// A bold block heading followed by its attribute table.
	if end+1 < limit && strings.HasPrefix(langDoc[end+1], "|") && strings.HasPrefix(strings.TrimSpace(langDoc[start]), "**`") {
		end++
		for end < limit && strings.HasPrefix(langDoc[end], "|") {
			end++
		}
	}
	return span{start, end}
}

// attrDoc is the documentation of attribute name of the block at path: its
// type ("" when the text gives none) and its text. It looks in the block's
// text, then in its parents'.
func attrDoc(path []string, name string) (typ, doc string) {
	for p := len(path); p >= 0; p-- {
		sec, ok := blockSection(path[:p])
		if !ok {
			continue
		}
		for i := sec.start; i < sec.end; i++ {
			if strings.HasPrefix(langDoc[i], "| `"+name+"` |") {
				return tableRow(i)
			}
		}
		for i := sec.start; i < sec.end; i++ {
			if strings.Contains(langDoc[i], "`"+name+"`") && !strings.HasPrefix(langDoc[i], "```") {
				return "", paragraph(i, sec.end).text()
			}
		}
	}
	return "", ""
}

// blockDoc is the documentation of the block at path, at most a screenful.
func blockDoc(path []string) string {
	sec, ok := blockSection(path)
	if !ok || len(path) == 0 {
		return ""
	}
	if sec.end-sec.start > 40 {
		sec.end = sec.start + 40
	}
	return sec.text()
}

// tableRow renders the table row at line i as "**`name`**: header: cell ·
// header: cell", and returns the cell under "type", if any.
func tableRow(i int) (typ, doc string) {
	head := i
	for head > 0 && strings.HasPrefix(langDoc[head-1], "|") {
		head--
	}
	names, cells := cellsOf(langDoc[head]), cellsOf(langDoc[i])
	var b strings.Builder
	b.WriteString("**" + cells[0] + "**")
	for k := 1; k < len(cells); k++ {
		sep := " · "
		if k == 1 {
			sep = ": "
		}
		if k < len(names) && names[k] != "meaning" && names[k] != "description" && names[k] != "what it is" {
			b.WriteString(sep + names[k] + " " + cells[k])
		} else {
			b.WriteString(sep + cells[k])
		}
		if k < len(names) && names[k] == "type" {
			typ = cells[k]
		}
	}
	return typ, b.String()
}

func cellsOf(row string) []string {
	cells := strings.Split(strings.Trim(strings.TrimSpace(row), "|"), "|")
	for k := range cells {
		cells[k] = strings.TrimSpace(cells[k])
	}
	return cells
}
