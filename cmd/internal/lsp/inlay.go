package lsp

import (
	"context"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"go.lsp.dev/protocol"
)

// InlayHint shows, after each var.x and local.y, the value it resolves to,
// and after each input artifact the action that produces it.
func (s *server) InlayHint(ctx context.Context, p *protocol.InlayHintParams) ([]protocol.InlayHint, error) {
	out := []protocol.InlayHint{}
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return out, nil
	}
	t := snap.texts[name]
	start, end := t.offset(p.Range.Start), t.offset(p.Range.End)
	ix := snap.index()
	yes := true
	for _, o := range ix.occs {
		if o.decl || o.rng.Filename != name || o.rng.End.Byte < start || o.rng.Start.Byte > end {
			continue
		}
		var label string
		switch o.sym.kind {
		case symVariable, symLocal:
			if v := valueDetail(snap, o.sym); v != "" {
				label = "= " + shorten(v, 40)
			}
		case symArtifact:
			if a := ix.producer(o.sym.scope, o.sym.name); a != nil {
				label = "← " + a.name
			}
		}
		if label != "" {
			out = append(out, protocol.InlayHint{Position: t.pos(o.rng.End.Byte), Label: protocol.String(label),
				Kind: protocol.InlayHintKindType, PaddingLeft: &yes})
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i].Position, out[j].Position
		return a.Line < b.Line || a.Line == b.Line && a.Character < b.Character
	})
	return out, nil
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// sortByPos sorts items by the start of their range.
func sortByPos[T any](items []T, rng func(T) hcl.Range) {
	sort.SliceStable(items, func(i, j int) bool { return rng(items[i]).Start.Byte < rng(items[j]).Start.Byte })
}
