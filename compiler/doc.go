// Package compiler turns the evaluated configuration (lang/config) into the
// immutable execution graph (compiler/graph) and enforces every rule that
// CodePipeline and CodeBuild would otherwise only enforce at deploy time.
//
// Compile runs a named list of small passes (see Passes): lowering projects
// and pipelines into graph nodes, linking artifacts, variable references and
// upstream edges, then the checks. Evaluation and for_each expansion already
// happened in lang.Load. Every check has a stable name that becomes the
// diagnostic's code (see Code), documented in docs/diagnostics.md.
//
// The compiler is pure: it reads only its input and never touches the
// filesystem, the environment or the clock. It imports lang/config,
// lang/providers, compiler/graph and compiler/dag, hcl and cty; never a
// target or the CLI.
package compiler
