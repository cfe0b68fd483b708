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
// partial line. It is safe for concurrent use.
type Masker struct {
	mu      sync.Mutex
	w       io.Writer
	secrets []string
	buf     []byte
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
	if i < 0 {
		return len(p), nil
	}
	out := m.String(string(m.buf[:i+1]))
	rest := copy(m.buf, m.buf[i+1:])
	m.buf = m.buf[:rest]
	if _, err := io.WriteString(m.w, out); err != nil {
		return len(p), err
	}
	return len(p), nil
}

// Flush writes the buffered partial line, ending it with a newline so the
// next line starts at the beginning of a line.
func (m *Masker) Flush() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if len(m.buf) == 0 {
		return nil
	}
	out := m.String(string(m.buf)) + "\n"
	m.buf = m.buf[:0]
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
