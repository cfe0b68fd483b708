// Package lang reads a directory of *.pf.hcl files (plus *.pfvars variable
// files) and turns it into the evaluated configuration model of lang/config.
//
// Load works in explicit stages, like Terraform's configs loader: parse every
// file; decode the top-level blocks against package-level schemas; resolve
// input variables (default < PF_VAR_ < *.pfvars < -var/-var-file) and run
// their validations; evaluate locals in dependency order (cycles are one
// diagnostic naming the whole chain); expand for_each and dynamic blocks of
// projects and pipelines; then evaluate every attribute with every reference
// (var, local, project, artifact, each) checked first, so a bad reference is
// one diagnostic on the exact traversal with a "Did you mean" suggestion. An
// expression that fails becomes cty.DynamicVal and is otherwise ignored, so
// one mistake yields one diagnostic.
//
// The top-level schema is complete, so each file is decoded once with
// Content (which reports unknown blocks with hcl's "Did you mean"), and the
// blocks are then handled kind by kind in the stage order above; the
// PartialContent style of Terraform's parser is used where one body is read
// twice (for_each before the rest of a block).
//
// lang checks the language only (schema, types, references, duplicates,
// cycles, variables); CodePipeline's structural rules are the compiler's.
// It is pure: it reads through fs.FS and its Options, never the process
// environment, working directory or clock. A caller that loads one folder
// again and again (the language server) may pass a DecodeCache: pipelines
// whose inputs did not change are then not decoded again, with the same
// result (decodecache.go lists what a pipeline's decoding reads).
//
// lang imports lang/config, lang/providers, lang/funcs, hcl and cty; never
// compiler, targets or cmd.
package lang
