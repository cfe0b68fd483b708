package lsp

import (
	"context"

	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

func (s *server) Definition(ctx context.Context, p *protocol.DefinitionParams) (protocol.DefinitionResult, error) {
	return protocol.LocationSlice(s.locations(p.TextDocument.URI, p.Position, true, true)), nil
}

func (s *server) References(ctx context.Context, p *protocol.ReferenceParams) ([]protocol.Location, error) {
	return s.locations(p.TextDocument.URI, p.Position, false, p.Context.IncludeDeclaration), nil
}

// locations lists the declarations (definition) or the occurrences, with
// or without the declarations, of the name at the position, across every
// file of the folder. The definition of a #{NS.VAR} is the namespace's
// declaration.
func (s *server) locations(u uri.URI, pos protocol.Position, definition, decls bool) []protocol.Location {
	out := []protocol.Location{}
	snap, name := s.snapshotOf(u)
	if snap == nil || snap.texts[name] == nil {
		return out
	}
	ix := snap.index()
	o, ok := ix.at(name, snap.texts[name].offset(pos))
	if !ok {
		return out
	}
	occs := ix.of(o.sym)
	if o.sym.kind == symNamespaceVar && definition {
		ns, _, _ := cutDot(o.sym.name)
		occs = ix.of(symbol{symNamespace, o.sym.scope, ns})
	}
	for _, x := range occs {
		if x.decl && decls || !x.decl && !definition {
			out = append(out, s.location(snap, x))
		}
	}
	return out
}

func (s *server) location(snap *snapshot, o occurrence) protocol.Location {
	loc := protocol.Location{URI: s.uriOf(snap.dir, o.rng.Filename)}
	if t := snap.texts[o.rng.Filename]; t != nil {
		loc.Range = t.rng(o.rng)
	}
	return loc
}

func cutDot(s string) (string, string, bool) {
	for i := range s {
		if s[i] == '.' {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}
