package lsp

import (
	"context"
	"regexp"
	"strings"

	"github.com/agext/levenshtein"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pipeform/pipeform/lang/providers"
)

// CodeAction offers, for the diagnostics in the range: the "Did you mean"
// replacement a diagnostic suggests, and a missing required attribute
// added with a placeholder value; and for the file, `pipeform fmt`.
func (s *server) CodeAction(ctx context.Context, p *protocol.CodeActionParams) ([]protocol.CommandOrCodeAction, error) {
	out := []protocol.CommandOrCodeAction{}
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return out, nil
	}
	t := snap.texts[name]
	quickfix := protocol.CodeActionKindQuickFix
	for _, d := range snap.res.Diags {
		// A diagnostic on a line of the range: editors ask for the
		// cursor's position, which need not touch the diagnostic's token.
		if d.Subject == nil || d.Subject.Filename != name || t.pos(d.Subject.End.Byte).Line < p.Range.Start.Line ||
			t.pos(d.Subject.Start.Byte).Line > p.Range.End.Line {
			continue
		}
		title, edit := fixFor(snap, t, d)
		if edit == nil {
			continue
		}
		preferred := true
		out = append(out, &protocol.CodeAction{
			Title: title, Kind: &quickfix, IsPreferred: &preferred,
			Diagnostics: []protocol.Diagnostic{toLSPDiagnostic(d, t.rng(*d.Subject))},
			Edit:        s.fileEdit(snap, name, *edit),
		})
	}
	// Formatting a huge file takes seconds, too long for a request editors
	// send whenever the cursor moves; the formatting request still does it.
	if len(t.src) > maxTokenFile {
		return out, nil
	}
	if e := formatEdit(t.src); e != nil {
		kind := protocol.CodeActionKindSource
		out = append(out, &protocol.CodeAction{Title: "Format the file (pipeform fmt)", Kind: &kind, Edit: s.fileEdit(snap, name, *e)})
	}
	return out, nil
}

func (s *server) fileEdit(snap *snapshot, name string, e protocol.TextEdit) *protocol.WorkspaceEdit {
	return &protocol.WorkspaceEdit{Changes: map[uri.URI][]protocol.TextEdit{s.uriOf(snap.dir, name): {e}}}
}

var (
	didYouMeanRe = regexp.MustCompile(`Did you mean "([^"]+)"\?`)
	requiredRe   = regexp.MustCompile(`^The argument "([^"]+)" is required`)
	wordRe       = regexp.MustCompile(`[A-Za-z0-9_@-]+`)
)

// fixFor is the fix of one diagnostic, or nil.
func fixFor(snap *snapshot, t *text, d *hcl.Diagnostic) (string, *protocol.TextEdit) {
	if m := didYouMeanRe.FindStringSubmatch(d.Detail); m != nil {
		return replaceWord(t, *d.Subject, m[1])
	}
	if m := requiredRe.FindStringSubmatch(d.Detail); m != nil {
		return addAttribute(snap, t, *d.Subject, m[1])
	}
	return "", nil
}

// replaceWord replaces, in the diagnostic's subject, the word closest to
// the suggestion (the misspelled name) with the suggestion.
func replaceWord(t *text, subject hcl.Range, suggestion string) (string, *protocol.TextEdit) {
	if subject.End.Byte > len(t.src) || subject.Start.Byte >= subject.End.Byte {
		return "", nil
	}
	raw := t.src[subject.Start.Byte:subject.End.Byte]
	best, bestDist := []int(nil), 1<<30
	for _, loc := range wordRe.FindAllIndex(raw, -1) {
		w := string(raw[loc[0]:loc[1]])
		if w == suggestion {
			continue
		}
		if dist := levenshtein.Distance(strings.ToLower(w), strings.ToLower(suggestion), nil); dist < bestDist {
			best, bestDist = loc, dist
		}
	}
	if best == nil {
		return "", nil
	}
	from, to := subject.Start.Byte+best[0], subject.Start.Byte+best[1]
	return "Change to \"" + suggestion + "\"", &protocol.TextEdit{Range: protocol.Range{Start: t.pos(from), End: t.pos(to)}, NewText: suggestion}
}

// addAttribute inserts `name = <placeholder>` as the last line of the
// block whose body opens at subject.
func addAttribute(snap *snapshot, t *text, subject hcl.Range, name string) (string, *protocol.TextEdit) {
	f := snap.res.Files[subject.Filename]
	if f == nil {
		return "", nil
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return "", nil
	}
	b := blockOpeningAt(body, subject.Start.Byte)
	if b == nil {
		return "", nil
	}
	value := placeholder(b.Type, name)
	closeAt := b.CloseBraceRange.Start.Byte
	lineStart := closeAt
	for lineStart > 0 && t.src[lineStart-1] != '\n' {
		lineStart--
	}
	indent := leadingSpace(t.src[lineStart:])
	insert := indent + "  " + name + " = " + value + "\n"
	at := lineStart
	if strings.TrimSpace(string(t.src[lineStart:closeAt])) != "" {
		insert, at = "\n"+insert+indent, closeAt
	}
	return "Add the required attribute " + name, &protocol.TextEdit{Range: protocol.Range{Start: t.pos(at), End: t.pos(at)}, NewText: insert}
}

func leadingSpace(b []byte) string {
	n := 0
	for n < len(b) && (b[n] == ' ' || b[n] == '\t') {
		n++
	}
	return string(b[:n])
}

// blockOpeningAt finds the block whose body starts at off.
func blockOpeningAt(body *hclsyntax.Body, off int) *hclsyntax.Block {
	for _, b := range body.Blocks {
		if b.Body.SrcRange.Start.Byte == off {
			return b
		}
		if contains(b.Body.SrcRange, off) {
			return blockOpeningAt(b.Body, off)
		}
	}
	return nil
}

// placeholder is an empty value of the attribute's type.
func placeholder(block, attr string) string {
	if p := providers.Lookup(block); p != nil {
		if a := p.Attr(attr); a != nil {
			switch {
			case a.Type == cty.Bool:
				return "false"
			case a.Type == cty.Number:
				return "0"
			case a.Type.IsListType() || a.Type.IsSetType() || a.Type.IsTupleType():
				return "[]"
			case a.Type.IsMapType() || a.Type.IsObjectType():
				return "{}"
			}
		}
	}
	return `""`
}
