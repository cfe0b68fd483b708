// Package cli is pipeform's command line: a CLI struct with injected
// streams and environment, one cobra command per file whose RunE hands off
// to a plain method, and the exit codes of the contract.
//
// It only orchestrates: it reads the flags, the environment and the clock,
// calls the packages that do the work (lang and the compiler to load a
// configuration, the targets to emit files, targets/outdir to bring an
// output folder in line with them, targets/local and its runners to run a
// pipeline or a buildspec) and prints through cmd/internal/views. Logic
// that is not orchestration belongs in those packages, with their tests;
// the CLI is tested end to end by the scripts under
// cmd/pipeform/testdata/script.
package cli
