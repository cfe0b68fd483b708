package lsp

import (
	"context"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"go.lsp.dev/protocol"
)

// DocumentSymbol outlines a file: pipelines with their variables, stages
// and actions, projects, variables and locals.
func (s *server) DocumentSymbol(ctx context.Context, p *protocol.DocumentSymbolParams) (protocol.DocumentSymbolResult, error) {
	out := protocol.DocumentSymbolSlice{}
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil || snap.res.Files[name] == nil {
		return out, nil
	}
	body, ok := snap.res.Files[name].Body.(*hclsyntax.Body)
	if !ok {
		return out, nil
	}
	t := snap.texts[name]
	for _, b := range body.Blocks {
		switch b.Type {
		case "pipeline":
			if sym, ok := blockSymbol(t, b, protocol.SymbolKindModule, "pipeline"); ok {
				sym.Children = pipelineSymbols(t, b.Body)
				out = append(out, sym)
			}
		case "project":
			if sym, ok := blockSymbol(t, b, protocol.SymbolKindClass, "project"); ok {
				out = append(out, sym)
			}
		case "variable":
			if sym, ok := blockSymbol(t, b, protocol.SymbolKindVariable, "variable"); ok {
				out = append(out, sym)
			}
		case "locals":
			for _, a := range sortedAttrs(b.Body) {
				out = append(out, protocol.DocumentSymbol{Name: a.Name, Detail: ptr("local"), Kind: protocol.SymbolKindConstant,
					Range: t.rng(a.SrcRange), SelectionRange: t.rng(a.NameRange)})
			}
		}
	}
	return out, nil
}

func pipelineSymbols(t *text, body *hclsyntax.Body) []protocol.DocumentSymbol {
	var out []protocol.DocumentSymbol
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if sym, ok := blockSymbol(t, b, protocol.SymbolKindVariable, "pipeline variable"); ok {
				out = append(out, sym)
			}
		case "stage":
			sym, ok := blockSymbol(t, b, protocol.SymbolKindNamespace, "stage")
			if !ok {
				continue
			}
			for _, ab := range b.Body.Blocks {
				if ab.Type != "action" {
					continue
				}
				if as, ok := blockSymbol(t, ab, protocol.SymbolKindFunction, actionKind(ab.Body)); ok {
					sym.Children = append(sym.Children, as)
				}
			}
			out = append(out, sym)
		}
	}
	return out
}

// actionKind names an action's provider for the outline.
func actionKind(body *hclsyntax.Body) string {
	if _, ok := body.Attributes["codebuild"]; ok {
		return "codebuild"
	}
	for _, b := range body.Blocks {
		if b.Type != "local" && b.Type != "dynamic" {
			return b.Type
		}
	}
	return "action"
}

func blockSymbol(t *text, b *hclsyntax.Block, kind protocol.SymbolKind, detail string) (protocol.DocumentSymbol, bool) {
	if len(b.Labels) == 0 {
		return protocol.DocumentSymbol{}, false
	}
	return protocol.DocumentSymbol{Name: b.Labels[0], Detail: ptr(detail), Kind: kind,
		Range: t.rng(b.Range()), SelectionRange: t.rng(b.LabelRanges[0])}, true
}

// sortedAttrs lists a body's attributes in source order.
func sortedAttrs(body *hclsyntax.Body) []*hclsyntax.Attribute {
	out := make([]*hclsyntax.Attribute, 0, len(body.Attributes))
	for _, a := range body.Attributes {
		out = append(out, a)
	}
	sortByPos(out, func(a *hclsyntax.Attribute) hcl.Range { return a.SrcRange })
	return out
}

func ptr[T any](v T) *T { return &v }
