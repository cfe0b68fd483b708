// Package buildspec owns the CodeBuild buildspec YAML format in both
// directions.
//
// [Parse] reads any buildspec (version 0.1 or 0.2) into the shared model
// graph.Buildspec, with YAML 1.1 booleans, scalars kept exactly as written and
// hcl.Diagnostics that carry the file, line and column of the offending
// token; `pipeform exec` and `pipeform import` use it, and [EnvLocator]
// finds an env entry's key in the text for the diagnostics exec raises
// while the build runs. [Emit] writes the model back as deterministic YAML
// in AWS's documented key order, quoting and choosing block scalars so that
// every string survives emit → parse byte for byte. [Target] is the output
// target that writes buildspec/<project>.yml for every project of a graph.
//
// The parser walks yaml.Node trees rather than decoding into structs: the
// tree keeps positions for diagnostics, keeps scalars as their source text
// (`CI: true` stays "true", `1.10` stays "1.10"), and lets the parser report
// every problem instead of stopping at the first. The emitter writes text
// itself rather than using the yaml encoder, because the encoder cannot be
// told to quote YAML 1.1 booleans such as `on`, to pick literal block scalars
// with the right chomping and indentation indicators, or to keep AWS's key
// order.
//
// Imports: compiler/graph and targets only (plus hcl and the yaml library);
// never lang, compiler or another target.
package buildspec
