package lsp

import "go.lsp.dev/protocol"

// capabilities says what the server answers.
func capabilities() protocol.ServerCapabilities {
	yes := true
	full := protocol.TextDocumentSyncKindFull
	return protocol.ServerCapabilities{
		TextDocumentSync: &protocol.TextDocumentSyncOptions{
			OpenClose: &yes,
			Change:    &full,
			Save:      protocol.Boolean(true),
		},
		CompletionProvider: &protocol.CompletionOptions{TriggerCharacters: []string{".", "{", "\""}},
		HoverProvider:      protocol.Boolean(true),
		DefinitionProvider: protocol.Boolean(true),
		ReferencesProvider: protocol.Boolean(true),
		RenameProvider:     &protocol.RenameOptions{PrepareProvider: &yes},
		CodeActionProvider: &protocol.CodeActionOptions{
			CodeActionKinds: []protocol.CodeActionKind{protocol.CodeActionKindQuickFix, protocol.CodeActionKindSource},
		},
		DocumentSymbolProvider:     protocol.Boolean(true),
		DocumentFormattingProvider: protocol.Boolean(true),
		SemanticTokensProvider: &protocol.SemanticTokensOptions{
			Legend: protocol.SemanticTokensLegend{TokenTypes: tokenTypes, TokenModifiers: []string{}},
			Full:   protocol.Boolean(true),
		},
		InlayHintProvider: protocol.Boolean(true),
	}
}
