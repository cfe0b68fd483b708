package buildspec

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// How a string is written, in order of preference:
//
//  1. plain, when no YAML 1.1 or 1.2 reader could read it as anything but
//     the same string;
//  2. a literal block scalar (`|`, `|-` or `|+`, with an indentation
//     indicator when the first line starts with a space or tab), for
//     multi-line text whose lines carry no trailing blanks;
//  3. single-quoted, for one line of printable characters;
//  4. double-quoted with escapes, for everything else (control characters,
//     CR, tabs, trailing blanks on a line, Unicode line separators).
//
// Invalid UTF-8 cannot be written in YAML at all and is an error.

// reserved are words YAML 1.1 (and so possibly CodeBuild) reads as booleans
// or null, compared case-insensitively, plus the merge and value keys.
var reserved = map[string]bool{
	"y": true, "n": true, "yes": true, "no": true, "true": true, "false": true,
	"on": true, "off": true, "null": true, "~": true, "<<": true, "=": true,
}

// numberLike reports text a YAML reader may turn into a number or a
// timestamp: anything that starts like a number (0777, 1e3, .5, -1,
// 12:30, 2001-12-14, 1_000), the special floats (.inf, -.Inf, .NaN), and
// dots and digits that YAML 1.1's float pattern matches (".", "...", ".5").
func numberLike(s string) bool {
	i := 0
	if i < len(s) && (s[i] == '+' || s[i] == '-') {
		i++
	}
	if i < len(s) && s[i] == '.' {
		if rest := strings.ToLower(s[i+1:]); rest == "inf" || rest == "nan" {
			return true
		}
		// YAML 1.1's float pattern also matches "." and "...".
		if strings.Trim(s[i:], "0123456789._eE+-") == "" {
			return true
		}
	}
	return i < len(s) && s[i] >= '0' && s[i] <= '9'
}

// indicators may not start a plain scalar.
const indicators = "-?:,[]{}#&*!|>'\"%@`"

// printable reports whether r may appear unescaped in a quoted or block
// scalar (tab excluded; callers allow it where it is safe).
func printable(r rune) bool {
	switch {
	case r < 0x20 || r == 0x7F:
		return false
	case r >= 0x80 && r <= 0x9F: // C1 controls, NEL among them
		return false
	case r == 0x2028 || r == 0x2029 || r == 0xFEFF || r == 0xFFFE || r == 0xFFFF:
		return false
	case r == utf8.RuneError:
		return false
	}
	return true
}

// plainOK reports whether s can be written as a plain scalar and read back
// as the same string by any YAML reader.
func plainOK(s string) bool {
	if s == "" || reserved[strings.ToLower(s)] || numberLike(s) {
		return false
	}
	if strings.ContainsRune(indicators, rune(s[0])) || s[0] == ' ' || s[len(s)-1] == ' ' {
		return false
	}
	if strings.Contains(s, ": ") || strings.Contains(s, " #") || strings.HasSuffix(s, ":") {
		return false
	}
	for _, r := range s {
		if !printable(r) {
			return false
		}
	}
	return true
}

// singleOK reports whether s can be single-quoted: one line of printable
// characters.
func singleOK(s string) bool {
	for _, r := range s {
		if !printable(r) {
			return false
		}
	}
	return true
}

func singleQuoted(s string) string {
	return "'" + strings.ReplaceAll(s, "'", "''") + "'"
}

func doubleQuoted(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		switch r {
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		case '\n':
			b.WriteString(`\n`)
		case '\t':
			b.WriteString(`\t`)
		case '\r':
			b.WriteString(`\r`)
		case 0:
			b.WriteString(`\0`)
		case 0x1B:
			b.WriteString(`\e`)
		default:
			switch {
			case printable(r):
				b.WriteRune(r)
			case r <= 0xFF:
				fmt.Fprintf(&b, `\x%02X`, r)
			case r <= 0xFFFF:
				fmt.Fprintf(&b, `\u%04X`, r)
			default:
				fmt.Fprintf(&b, `\U%08X`, r)
			}
		}
	}
	b.WriteByte('"')
	return b.String()
}

// literal writes s as a literal block scalar whose content is indented by
// parent+2 spaces, where parent is the column of the mapping key or
// sequence dash that owns the value. It reports false when a block scalar
// cannot hold s exactly.
func literal(s string, parent int) (string, bool) {
	body := strings.TrimRight(s, "\n")
	trailing := len(s) - len(body)
	if strings.Trim(body, "\n") == "" {
		return "", false // nothing but line breaks
	}
	lines := strings.Split(body, "\n")
	for _, line := range lines {
		if strings.HasSuffix(line, " ") || strings.HasSuffix(line, "\t") {
			return "", false // trailing blanks do not survive every reader
		}
		for _, r := range line {
			if r != '\t' && !printable(r) {
				return "", false
			}
		}
	}
	var b strings.Builder
	b.WriteByte('|')
	for _, line := range lines {
		if line != "" {
			if line[0] == ' ' || line[0] == '\t' {
				b.WriteByte('2') // content indentation relative to parent
			}
			break
		}
	}
	switch {
	case trailing == 0:
		b.WriteByte('-')
	case trailing > 1:
		b.WriteByte('+')
	}
	b.WriteByte('\n')
	pad := strings.Repeat(" ", parent+2)
	for _, line := range lines {
		if line != "" {
			b.WriteString(pad)
			b.WriteString(line)
		}
		b.WriteByte('\n')
	}
	for i := 1; i < trailing; i++ {
		b.WriteByte('\n')
	}
	return b.String(), true
}

// formatValue renders s as the value of a mapping key or sequence entry at
// column parent, ending with a newline.
func formatValue(s string, parent int) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("%q is not valid UTF-8, which YAML cannot hold", s)
	}
	if plainOK(s) {
		return s + "\n", nil
	}
	if strings.Contains(s, "\n") {
		if text, ok := literal(s, parent); ok {
			return text, nil
		}
	}
	if singleOK(s) {
		return singleQuoted(s) + "\n", nil
	}
	return doubleQuoted(s) + "\n", nil
}

// maxKeyLen is below YAML's 1024-character limit for implicit keys.
const maxKeyLen = 1000

// formatKey renders s as a mapping key.
func formatKey(s string) (string, error) {
	if !utf8.ValidString(s) {
		return "", fmt.Errorf("key %q is not valid UTF-8, which YAML cannot hold", s)
	}
	var k string
	switch {
	case plainOK(s):
		k = s
	case singleOK(s):
		k = singleQuoted(s)
	default:
		k = doubleQuoted(s)
	}
	if len(k) > maxKeyLen {
		return "", fmt.Errorf("key %.40q... is longer than YAML allows (%d bytes)", s, maxKeyLen)
	}
	return k, nil
}
