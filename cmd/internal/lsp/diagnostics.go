package lsp

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"go.lsp.dev/protocol"

	"github.com/pipeform/pipeform/compiler"
)

// publish analyses the folder if it is stale and sends every file's
// diagnostics: the files with problems get their list, and the files that
// had problems last time and have none now get an empty one.
func (s *server) publish(dir string) {
	s.pubMu.Lock()
	defer s.pubMu.Unlock()
	s.mu.Lock()
	f, shutdown := s.folders[dir], s.shutdown
	s.mu.Unlock()
	if f == nil || shutdown {
		return
	}
	snap := s.current(f)
	lists := fileDiagnostics(snap)
	s.mu.Lock()
	var names []string
	for name := range f.published {
		if _, ok := lists[name]; !ok {
			names = append(names, name)
		}
	}
	f.published = map[string]bool{}
	for name := range lists {
		f.published[name] = true
		names = append(names, name)
	}
	s.mu.Unlock()
	sort.Strings(names)
	for _, name := range names {
		list := lists[name]
		if list == nil {
			list = []protocol.Diagnostic{}
		}
		err := s.client.PublishDiagnostics(context.Background(), &protocol.PublishDiagnosticsParams{
			URI: s.uriOf(dir, name), Diagnostics: list,
		})
		if err != nil {
			fmt.Fprintf(s.opts.Log, "pipeform lsp: publishing diagnostics: %v\n", err)
			return
		}
	}
}

// maxFileDiagnostics is how many diagnostics of one file are published:
// past it an editor shows nothing more useful, and a 10 MB file of
// garbage could otherwise send hundreds of thousands.
const maxFileDiagnostics = 1000

// fileDiagnostics converts a snapshot's diagnostics to LSP diagnostics by
// file name. A diagnostic without a source range (a folder with no
// *.pf.hcl file, say) is shown at the top of the first file.
func fileDiagnostics(snap *snapshot) map[string][]protocol.Diagnostic {
	out := map[string][]protocol.Diagnostic{}
	var first string
	for name := range snap.texts {
		if first == "" || name < first {
			first = name
		}
	}
	for _, d := range snap.res.Diags {
		name, rng := first, protocol.Range{}
		if d.Subject != nil {
			name = d.Subject.Filename
			if t := snap.texts[name]; t != nil {
				rng = t.rng(*d.Subject)
			}
		}
		if name == "" {
			continue
		}
		if len(out[name]) < maxFileDiagnostics {
			out[name] = append(out[name], toLSPDiagnostic(d, rng))
		}
	}
	return out
}

func toLSPDiagnostic(d *hcl.Diagnostic, rng protocol.Range) protocol.Diagnostic {
	sev := protocol.DiagnosticSeverityError
	if d.Severity == hcl.DiagWarning {
		sev = protocol.DiagnosticSeverityWarning
	}
	msg := d.Summary
	if d.Detail != "" {
		msg += ": " + d.Detail
	}
	return protocol.Diagnostic{
		Range:    rng,
		Severity: sev,
		Code:     protocol.String(diagnosticCode(d)),
		Source:   protocol.NewOptional("pipeform"),
		Message:  protocol.String(msg),
	}
}

// diagnosticCode is the compiler check's name when a check reported d (the
// code `validate --json` prints), else the summary in kebab case: summaries
// are fixed per kind of problem, so the code is stable too.
func diagnosticCode(d *hcl.Diagnostic) string {
	if c := compiler.DiagnosticCode(d); c != "" {
		return c
	}
	var b strings.Builder
	dash := false
	for _, r := range strings.ToLower(d.Summary) {
		if r >= 'a' && r <= 'z' || r >= '0' && r <= '9' {
			if dash && b.Len() > 0 {
				b.WriteByte('-')
			}
			b.WriteRune(r)
			dash = false
		} else {
			dash = true
		}
	}
	return b.String()
}
