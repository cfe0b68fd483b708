// Package lsp is pipeform's language server: `pipeform lsp` speaks the
// Language Server Protocol over standard input and output.
//
// One analysis, two front ends: a folder is checked by cmd/internal/check,
// the code `pipeform validate` runs, reading through an fs.FS overlay that
// holds the editor's unsaved buffers on top of the disk. The server adds no
// check of its own; every diagnostic it publishes is one validate prints.
// Everything else (completion, hover, definition, references, rename, code
// actions, symbols, semantic tokens, inlay hints) reads the parsed files,
// the evaluated configuration and the compiled graph of the last analysis,
// and formatting is hclwrite.Format, the code of `pipeform fmt`.
//
// Requests are handled one at a time in the order they arrive, so a request
// always sees every change sent before it; a request on a folder whose
// buffers changed since the last analysis analyses it first. Diagnostics
// are published after a short pause in typing (the debounce). Parses, and
// the index of names made from each, are cached by file name and contents,
// so an edit re-parses and re-indexes one file; a lang.DecodeCache per
// folder keeps the decoded pipelines and project bodies, so it decodes
// again only the pipelines and projects the edit can change (all of them
// when it changes a variable, a local or a project's name).
//
// Protocol types and JSON-RPC framing come from go.lsp.dev/protocol and
// go.lsp.dev/jsonrpc2; the connection is served without the library's
// asynchronous middleware (which runs requests concurrently and out of
// order) and with a recover around every handler, so a bug answers one
// request with an error instead of ending the session.
//
// lsp imports cmd/internal/check (the analysis and the formatter), lang
// (block schemas), lang/constraints (enum values), lang/providers, compiler
// (diagnostic codes), docs (docs/language.md for hover),
// hcl, cty and the protocol library. It never writes files: edits go back
// to the editor as text edits.
package lsp
