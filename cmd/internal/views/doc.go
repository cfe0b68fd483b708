// Package views is all of pipeform's rendering: diagnostics (hcl's text
// writer and the `terraform validate -json` shape), the local run plan
// (text and versioned JSON), the file changes of `plan --target aws` (text
// and versioned JSON), the dry-run plan and the summary of `exec`,
// execution graphs (Graphviz DOT and Mermaid) and run progress. Views write
// to an io.Writer and never touch files, the environment or the clock
// themselves.
//
// It imports compiler/graph, targets/local and below (for run progress
// events and exec's build plan and result), targets/outdir and
// targets/docdiff (for the file changes), hcl and the standard library;
// the CLI (cmd/internal/cli) and the analysis it shares with the language
// server (cmd/internal/check) are its users.
package views
