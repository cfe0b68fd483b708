// Package check is the one analysis of a configuration folder: lang.Load
// followed by compiler.CompileWith with the options the targets supply,
// diagnostics sorted. `pipeform validate` (and every command that reads a
// configuration) and the language server both call Run, so the editor shows
// exactly what the CLI prints. Format is likewise the one formatter of
// `pipeform fmt` and the server's formatting.
//
// check imports lang, compiler, targets/buildspec (for the exact buildspec
// size and its parser) and cmd/internal/views (for the diagnostic order). It
// reads only the fs.FS it is given.
package check
