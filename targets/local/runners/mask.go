package runners

import (
	"bytes"
	"io"
	"regexp"
	"sort"
	"strings"
	"sync"

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
	buf     []byte
	partial bool // a piece of the current line was written without its newline
}

// NewMasker returns a Masker writing to w and hiding each of secrets.
// Empty values are ignored. A multi-line secret is masked whole and, since
// output is masked line by line, also line by line.
func NewMasker(w io.Writer, secrets []string) *Masker {
	if w == nil {
		w = io.Discard
	}
	seen := map[string]bool{}
	var list []string
	add := func(s string) {
		if s != "" && !seen[s] {
			seen[s] = true
			list = append(list, s)
		}
	}
	for _, s := range secrets {
		add(s)
		if strings.Contains(s, "\n") {
			for _, line := range strings.Split(s, "\n") {
				add(strings.TrimRight(line, "\r"))
			}
		}
	}
	// Longest first, so a secret that contains another is masked whole.
	sort.Slice(list, func(i, j int) bool {
		if len(list[i]) != len(list[j]) {
			return len(list[i]) > len(list[j])
		}
		return list[i] < list[j]
	})
	return &Masker{w: w, secrets: list}
}

// accessKeyID matches AWS access key ids, which CodeBuild also hides.
var accessKeyID = regexp.MustCompile(`\b(AKIA|ASIA)[A-Z0-9]{16}\b`)

// String masks s: every secret value, and AWS access key ids.
func (m *Masker) String(s string) string {
	if m == nil {
		return s
	}
	for _, sec := range m.secrets {
		s = strings.ReplaceAll(s, sec, Mask)
	}
	return accessKeyID.ReplaceAllString(s, Mask)
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
	keep := 21 // an access key id and the byte after it
	for _, sec := range m.secrets {
		if len(sec) > keep {
			keep = len(sec)
		}
	}
	covered := make([]bool, len(buf))
	for _, sec := range m.secrets {
		for off := 0; ; {
			j := bytes.Index(buf[off:], []byte(sec))
			if j < 0 {
				break
			}
			for k := off + j; k < off+j+len(sec); k++ {
				covered[k] = true
			}
			off += j + 1
		}
	}
	for _, loc := range accessKeyID.FindAllIndex(buf, -1) {
		for k := loc[0]; k < loc[1]; k++ {
			covered[k] = true
		}
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
	var b strings.Builder
	for k := 0; k < cut; k++ {
		switch {
		case !covered[k]:
			b.WriteByte(buf[k])
		case k == 0 || !covered[k-1]:
			b.WriteString(Mask)
		}
	}
	return b.String(), cut
}

// Flush writes the buffered partial line, ending it with a newline so the
// next line starts at the beginning of a line.
func (m *Masker) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
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
