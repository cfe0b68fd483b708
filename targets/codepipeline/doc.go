// Package codepipeline is the codepipeline target: it turns each pipeline of
// the execution graph into the CreatePipelineInput JSON document that
// `aws codepipeline create-pipeline --cli-input-json` takes
// ({"pipeline": …, "tags": …}), one file per pipeline at
// codepipeline/<pipeline>.json.
//
// The package owns its wire structs (lowerCamelCase json tags, in the order
// the AWS API reference lists them) so the output is byte-for-byte stable:
// maps are marshalled by encoding/json, which sorts keys, and tags are sorted
// by key. The AWS SDK is not used: its serialiser ranges over Go maps.
//
// The API needs an existing service role and artifact bucket; a pipeline that
// names neither gets a diagnostic saying what to add (the cloudformation
// target creates both instead). A Target with Optional set, as generate
// --target all makes it, says so in one warning per pipeline instead of an
// error for each missing setting, since the template covers that pipeline.
//
// It imports compiler/graph, targets and hcl only. The codepipelinetest
// subpackage holds a realistic hand-built graph and a validator that checks a
// document against the CreatePipelineInput shape of the botocore model.
package codepipeline
