package runners

import (
	"bytes"
	"fmt"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"
	"unicode/utf16"

	"github.com/agext/levenshtein"
)

// Mask is the literal replacement CodeBuild prints in place of a secret.
const Mask = "***"

// Masker replaces every secret value, and anything shaped like an AWS
// access key id, with *** in what passes through it, like the CodeBuild
// agent does in its logs (BUILDSPEC.md §14). It buffers by line, so a
// secret split across two writes is still masked; Flush writes a trailing
// partial line, and a line longer than maxPartialLine is written in pieces. It is safe for concurrent use.
type Masker struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
	// encoded match the forms quoting and escaping give a secret (see
	// encodedPattern); longest is the longest text they may match.
	encoded []encodedSecret
	longest int
	buf     []byte
	partial bool // a piece of the current line was written without its newline
}

// NewMasker returns a Masker writing to w and hiding each of secrets.
// Output is masked line by line, so a secret is masked by its lines: a
// multi-line secret line by line, and lines that are empty or only white
// space are not masked at all (a secret that is just a line break would
// otherwise join the whole log into one line).
func NewMasker(w io.Writer, secrets []string) *Masker {
	if w == nil {
		w = io.Discard
	}
	seen := map[string]bool{}
	var list []string
	var encoded []encodedSecret
	longest := 0
	for _, s := range secrets {
		if re, n := encodedPattern(s); re != nil && !seen["\x00"+s] {
			seen["\x00"+s] = true
			encoded = append(encoded, encodedSecret{re: re, anchor: []byte(longestWord(s))})
			longest = max(longest, n)
		}
		for _, line := range strings.Split(s, "\n") {
			line = strings.TrimRight(line, "\r")
			if strings.TrimSpace(line) != "" && !seen[line] {
				seen[line] = true
				list = append(list, line)
			}
		}
	}
	sort.Strings(list)
	return &Masker{w: w, secrets: list, encoded: encoded, longest: longest}
}

// encodedSecret is a secret's encodedPattern with its longest run of
// letters and digits, which every encoded form holds as it is: a line
// without it is not searched with the pattern.
type encodedSecret struct {
	re     *regexp.Regexp
	anchor []byte
}

// longestWord is the longest run of ASCII letters and digits of s.
func longestWord(s string) string {
	best, start := "", -1
	for i := 0; i <= len(s); i++ {
		if i < len(s) && isAlnum(rune(s[i])) {
			if start < 0 {
				start = i
			}
			continue
		}
		if start >= 0 && i-start > len(best) {
			best = s[start:i]
		}
		start = -1
	}
	return best
}

func isAlnum(r rune) bool {
	return 'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9'
}

// encodedPattern returns a pattern matching secret as the usual quoting and
// escaping write it, alone or mixed: JSON strings (\", \n, \/, \u003c and
// every \uXXXX form, surrogate pairs included), HTML escaping (&lt;, &#34;,
// &#x27;, ...), percent-encoding (%2F or %2f, + for a space), backslash
// escaping, the shell's quoting of a single quote (closed, escaped and
// reopened, as `set -x` prints it) and its $'...' forms (\n, \xHH, \ooo). A multi-line
// secret is matched whole in these forms (its line breaks escaped). Letters
// and digits are never escaped by these encodings, so a secret of only
// those (or of only white space) has no pattern: nil. Base64 and hex are not
// matched: they are transformations, not quoting, and CodeBuild does not
// mask them either. The int is the longest text the pattern can match.
func encodedPattern(secret string) (*regexp.Regexp, int) {
	secret = strings.TrimRight(secret, "\r\n")
	if strings.TrimSpace(secret) == "" {
		return nil, 0
	}
	var b strings.Builder
	special := false
	for _, r := range secret {
		if isAlnum(r) {
			b.WriteRune(r)
			continue
		}
		special = true
		b.WriteString("(?:")
		b.WriteString(strings.Join(runeForms(r), "|"))
		b.WriteString(")")
	}
	if !special {
		return nil, 0
	}
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, 0
	}
	return re, 12 * len(secret)
}

// runeForms are the patterns of the ways the encodings encodedPattern
// names write r.
func runeForms(r rune) []string {
	forms := []string{regexp.QuoteMeta(string(r))}
	var pct, hexes, octal strings.Builder
	for _, c := range []byte(string(r)) {
		fmt.Fprintf(&pct, `%%(?i:%02x)`, c)
		fmt.Fprintf(&hexes, `\\x(?i:%02x)`, c)
		fmt.Fprintf(&octal, `\\%03o`, c)
	}
	forms = append(forms, pct.String(), hexes.String(), octal.String())
	if r < 0x10000 {
		forms = append(forms, fmt.Sprintf(`\\u(?i:%04x)`, r))
	} else {
		r1, r2 := utf16.EncodeRune(r)
		forms = append(forms, fmt.Sprintf(`\\u(?i:%04x)\\u(?i:%04x)`, r1, r2))
	}
	forms = append(forms, fmt.Sprintf(`&#0*%d;`, r), fmt.Sprintf(`&#[xX]0*(?i:%x);`, r))
	if r < 0x80 && r >= 0x20 {
		forms = append(forms, `\\`+regexp.QuoteMeta(string(r)))
	}
	switch r {
	case ' ':
		forms = append(forms, `\+`)
	case '\n':
		forms = append(forms, `\\n`)
	case '\t':
		forms = append(forms, `\\t`)
	case '\r':
		forms = append(forms, `\\r`)
	case '&':
		forms = append(forms, `&amp;`)
	case '<':
		forms = append(forms, `&lt;`)
	case '>':
		forms = append(forms, `&gt;`)
	case '"':
		forms = append(forms, `&quot;`)
	case '\'':
		forms = append(forms, `&apos;`, `'\\''`, `'"'"'`)
	}
	return forms
}

// accessKeyID matches AWS access key ids, which CodeBuild also hides.
var accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)

// String masks s: every byte inside an occurrence of a secret value or of
// an AWS access key id is hidden, and each run of hidden bytes becomes one
// ***. Masking the union of the matches leaves no fragment of two secrets
// that overlap in the text.
func (m *Masker) String(s string) string {
	if m == nil {
		return s
	}
	covered := m.cover([]byte(s))
	if covered == nil {
		return s
	}
	return hide(s, covered, len(s))
}

// cover marks the bytes of buf that lie inside a secret or an access key
// id; nil when there are none.
func (m *Masker) cover(buf []byte) []bool {
	var covered []bool
	mark := func(from, to int) {
		if covered == nil {
			covered = make([]bool, len(buf))
		}
		for k := from; k < to; k++ {
			covered[k] = true
		}
	}
	for _, sec := range m.secrets {
		for off := 0; ; {
			j := bytes.Index(buf[off:], []byte(sec))
			if j < 0 {
				break
			}
			mark(off+j, off+j+len(sec))
			off += j + 1
		}
	}
	for _, e := range m.encoded {
		if len(e.anchor) > 0 && !bytes.Contains(buf, e.anchor) {
			continue
		}
		for _, loc := range e.re.FindAllIndex(buf, -1) {
			mark(loc[0], loc[1])
		}
	}
	for _, loc := range accessKeyID.FindAllIndex(buf, -1) {
		mark(loc[0], loc[1])
	}
	return covered
}

// hide returns s[:n] with each run of covered bytes replaced by ***.
func hide(s string, covered []bool, n int) string {
	var b strings.Builder
	for k := 0; k < n; k++ {
		switch {
		case !covered[k]:
			b.WriteByte(s[k])
		case k == 0 || !covered[k-1]:
			b.WriteString(Mask)
		}
	}
	return b.String()
}

// Own writes one line of pipeform's own (the agent's "[Container] ..."
// lines, the executor's notes): the words of format are never masked, only
// the values filled into it, so a short secret that happens to be part of
// a word does not mask pipeform's wording. A value of type Masked is
// written as it is (masked already). A partial line of the build's output
// still waiting for its newline is written first.
func (m *Masker) Own(format string, args ...any) {
	if m == nil {
		return
	}
	for i, a := range args {
		switch v := a.(type) {
		case Masked:
		case string:
			args[i] = m.String(v)
		case error:
			args[i] = m.String(v.Error())
		case fmt.Stringer:
			args[i] = m.String(v.String())
		}
	}
	line := fmt.Sprintf(format, args...)
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.buf) > 0 || m.partial {
		m.flushLocked()
	}
	io.WriteString(m.w, strings.TrimSuffix(line, "\n")+"\n")
}

// Masked is text already masked, which Own writes as it is.
type Masked string

// OwnLine writes a line of pipeform's own to w: through Own when w is a
// Masker, as it is otherwise.
func OwnLine(w io.Writer, format string, args ...any) {
	if m, ok := w.(*Masker); ok {
		m.Own(format, args...)
		return
	}
	if w != nil {
		fmt.Fprintf(w, strings.TrimSuffix(format, "\n")+"\n", args...)
	}
}

// Write masks and writes every complete line of p, keeping the rest.
func (m *Masker) Write(p []byte) (int, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	m.buf = append(m.buf, p...)
	i := bytes.LastIndexByte(m.buf, '\n')
	if i >= 0 {
		out := m.String(string(m.buf[:i+1]))
		rest := copy(m.buf, m.buf[i+1:])
		m.buf = m.buf[:rest]
		m.partial = false
		if _, err := io.WriteString(m.w, out); err != nil {
			return len(p), err
		}
	}
	if len(m.buf) > maxPartialLine {
		out, n := m.maskPrefix()
		m.buf = m.buf[:copy(m.buf, m.buf[n:])]
		m.partial = m.partial || n > 0
		if _, err := io.WriteString(m.w, out); err != nil {
			return len(p), err
		}
	}
	return len(p), nil
}

// maxPartialLine bounds the bytes a Masker holds back waiting for a newline:
// past it, the start of the line is written (masked) without one, so a
// build printing endless output with no newline neither grows memory
// without bound nor goes silent.
var maxPartialLine = 64 << 10

// maskPrefix masks and returns a prefix of the buffered partial line and how
// many bytes of it were consumed. It holds back enough of the end that a
// secret or access key id only partly written yet stays in the buffer
// whole, and never cuts through a secret it has seen: every byte inside
// any occurrence is covered by ***, so overlapping secrets never leak
// their tails.
func (m *Masker) maskPrefix() (string, int) {
	buf := m.buf
	keep := max(21, m.longest) // an access key id and the byte after it
	for _, sec := range m.secrets {
		if len(sec) > keep {
			keep = len(sec)
		}
	}
	covered := m.cover(buf)
	if covered == nil {
		covered = make([]bool, len(buf))
	}
	cut := len(buf) - keep
	if cut < 0 {
		cut = 0
	}
	if cut > 0 && cut < len(buf) && covered[cut] && covered[cut-1] {
		// Cut before the run of masked bytes, so the next piece sees its
		// secrets whole; a line that is one endless run is cut after it.
		back := cut
		for back > 0 && covered[back-1] {
			back--
		}
		if back > 0 {
			cut = back
		} else {
			for cut < len(buf) && covered[cut] {
				cut++
			}
		}
	}
	return hide(string(buf), covered, cut), cut
}

// Flush writes the buffered partial line, ending it with a newline so the
// next line starts at the beginning of a line.
func (m *Masker) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.flushLocked()
}

func (m *Masker) flushLocked() error {
	if len(m.buf) == 0 && !m.partial {
		return nil
	}
	out := m.String(string(m.buf)) + "\n"
	m.buf = m.buf[:0]
	m.partial = false
	_, err := io.WriteString(m.w, out)
	return err
}

// nameSuggestion returns the candidate closest to name if it is close
// enough to be a likely typo, else "".
func nameSuggestion(name string, candidates []string) string {
	best, bestDist := "", 4
	for _, c := range candidates {
		if d := levenshtein.Distance(name, c, nil); d < bestDist {
			best, bestDist = c, d
		}
	}
	return best
}
