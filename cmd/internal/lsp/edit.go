package lsp

import (
	"bytes"
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pipeform/pipeform/cmd/internal/check"
)

// Formatting returns the document in the layout of `pipeform fmt`, by the
// same code; a document with syntax errors is left as it is.
func (s *server) Formatting(ctx context.Context, p *protocol.DocumentFormattingParams) ([]protocol.TextEdit, error) {
	src, ok := s.source(p.TextDocument.URI)
	if !ok {
		return []protocol.TextEdit{}, nil
	}
	if e := formatEdit(src); e != nil {
		return []protocol.TextEdit{*e}, nil
	}
	return []protocol.TextEdit{}, nil
}

// formatEdit is the edit that formats src, or nil when src is formatted
// or does not parse.
func formatEdit(src []byte) *protocol.TextEdit {
	out, _, diags := check.Format("", src)
	if diags.HasErrors() || bytes.Equal(out, src) {
		return nil
	}
	t := newText(src)
	return &protocol.TextEdit{Range: protocol.Range{Start: t.pos(0), End: t.pos(len(src))}, NewText: string(out)}
}

// source is the current text of a document: the open buffer, else the
// file on disk as the last analysis read it.
func (s *server) source(u uri.URI) ([]byte, bool) {
	path := u.FsPath()
	s.mu.Lock()
	d := s.docs[path]
	s.mu.Unlock()
	if d != nil {
		return d.src, true
	}
	snap, name := s.snapshotOf(u)
	if snap == nil || snap.texts[name] == nil {
		return nil, false
	}
	return snap.texts[name].src, true
}
