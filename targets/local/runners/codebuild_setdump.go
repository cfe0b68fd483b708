package runners

import (
	"strconv"
	"strings"
)

// parseSetOutput reads the variables of a shell's `set` listing (dash, or
// bash in either mode): NAME=word lines whose words use the shell's quoting
// ('...', "...", $'...', backslashes), values possibly spanning lines. Array
// variables are skipped; the listing ends at the first line that is not an
// assignment (bash lists its functions after the variables).
func parseSetOutput(s string) map[string]string {
	vars := map[string]string{}
	for pos := 0; pos < len(s); {
		j := pos
		for j < len(s) && isNameByte(s[j], j > pos) {
			j++
		}
		if j == pos || j >= len(s) || s[j] != '=' {
			break
		}
		name := s[pos:j]
		pos = j + 1
		if pos < len(s) && s[pos] == '(' {
			end, ok := skipArray(s, pos)
			if !ok {
				break
			}
			pos = end
		} else {
			val, end, ok := parseWord(s, pos)
			if !ok {
				break
			}
			vars[name] = val
			pos = end
		}
		if pos < len(s) && s[pos] == '\n' {
			pos++
		}
	}
	return vars
}

// parseExportList reads the variables of a shell's `export -p` listing at
// the start of s: dash (and bash in POSIX mode) print export NAME='value',
// bash prints declare -x NAME="value" (other attribute letters may join the
// x), with the same quoting as `set`. An exported variable without a value
// is listed without "=" and left out, as the environment does not hold it.
// It returns the variables and the rest of s after the listing.
func parseExportList(s string) (map[string]string, string) {
	vars := map[string]string{}
	for {
		var rest string
		switch {
		case strings.HasPrefix(s, "export "):
			rest = s[len("export "):]
		case strings.HasPrefix(s, "declare -"):
			_, rest, _ = strings.Cut(s[len("declare -"):], " ")
		default:
			return vars, s
		}
		j := 0
		for j < len(rest) && isNameByte(rest[j], j > 0) {
			j++
		}
		if j == 0 {
			return vars, s
		}
		name, pos := rest[:j], j
		if pos < len(rest) && rest[pos] == '=' {
			pos++
			if pos < len(rest) && rest[pos] == '(' {
				end, ok := skipArray(rest, pos)
				if !ok {
					return vars, s
				}
				pos = end
			} else {
				val, end, ok := parseWord(rest, pos)
				if !ok {
					return vars, s
				}
				vars[name], pos = val, end
			}
		}
		if pos < len(rest) && rest[pos] == '\n' {
			pos++
		}
		s = rest[pos:]
	}
}

func isNameByte(c byte, notFirst bool) bool {
	return c == '_' || c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || notFirst && c >= '0' && c <= '9'
}

// parseWord reads one shell word starting at i, up to an unquoted newline
// or the end, and returns its value and where it stopped.
func parseWord(s string, i int) (string, int, bool) {
	var b strings.Builder
	for i < len(s) {
		switch c := s[i]; {
		case c == '\n':
			return b.String(), i, true
		case c == '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return "", i, false
			}
			b.WriteString(s[i+1 : i+1+end])
			i += end + 2
		case c == '"':
			j, ok := doubleQuoted(s, i+1, &b)
			if !ok {
				return "", i, false
			}
			i = j
		case c == '$' && i+1 < len(s) && s[i+1] == '\'':
			j, ok := ansiC(s, i+2, &b)
			if !ok {
				return "", i, false
			}
			i = j
		case c == '\\' && i+1 < len(s):
			if s[i+1] != '\n' {
				b.WriteByte(s[i+1])
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return b.String(), i, true
}

// doubleQuoted reads a "..." body from i (after the quote) into b.
func doubleQuoted(s string, i int, b *strings.Builder) (int, bool) {
	for i < len(s) {
		c := s[i]
		switch {
		case c == '"':
			return i + 1, true
		case c == '\\' && i+1 < len(s) && strings.IndexByte("$`\"\\\n", s[i+1]) >= 0:
			if s[i+1] != '\n' {
				b.WriteByte(s[i+1])
			}
			i += 2
		default:
			b.WriteByte(c)
			i++
		}
	}
	return i, false
}

var ansiEscapes = map[byte]string{'a': "\a", 'b': "\b", 'e': "\x1b", 'E': "\x1b", 'f': "\f", 'n': "\n",
	'r': "\r", 't': "\t", 'v': "\v", '\\': "\\", '\'': "'", '"': "\"", '?': "?"}

// ansiC reads a $'...' body from i (after the quote) into b.
func ansiC(s string, i int, b *strings.Builder) (int, bool) {
	for i < len(s) {
		c := s[i]
		if c == '\'' {
			return i + 1, true
		}
		if c != '\\' || i+1 >= len(s) {
			b.WriteByte(c)
			i++
			continue
		}
		e := s[i+1]
		i += 2
		if r, ok := ansiEscapes[e]; ok {
			b.WriteString(r)
			continue
		}
		switch {
		case e >= '0' && e <= '7':
			n := digits(s, i-1, 3, 8)
			v, _ := strconv.ParseUint(s[i-1:i-1+n], 8, 8)
			b.WriteByte(byte(v))
			i += n - 1
		case e == 'x' || e == 'u' || e == 'U':
			max := map[byte]int{'x': 2, 'u': 4, 'U': 8}[e]
			n := digits(s, i, max, 16)
			if n == 0 {
				b.WriteString("\\" + string(e))
				continue
			}
			v, _ := strconv.ParseUint(s[i:i+n], 16, 32)
			if e == 'x' {
				b.WriteByte(byte(v))
			} else {
				b.WriteRune(rune(v))
			}
			i += n
		case e == 'c' && i < len(s):
			b.WriteByte(s[i] & 0x1f)
			i++
		default:
			b.WriteByte('\\')
			b.WriteByte(e)
		}
	}
	return i, false
}

// digits counts up to max digits of the base at s[i:].
func digits(s string, i, max, base int) int {
	n := 0
	for n < max && i+n < len(s) {
		if _, err := strconv.ParseUint(s[i+n:i+n+1], base, 8); err != nil {
			break
		}
		n++
	}
	return n
}

// skipArray skips a bash array value "(...)" starting at i.
func skipArray(s string, i int) (int, bool) {
	var scratch strings.Builder
	for i++; i < len(s); {
		switch s[i] {
		case ')':
			return i + 1, true
		case '"':
			j, ok := doubleQuoted(s, i+1, &scratch)
			if !ok {
				return i, false
			}
			i = j
		case '\'':
			end := strings.IndexByte(s[i+1:], '\'')
			if end < 0 {
				return i, false
			}
			i += end + 2
		default:
			i++
		}
	}
	return i, false
}
