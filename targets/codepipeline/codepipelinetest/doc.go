// Package codepipelinetest holds test helpers for the AWS targets: a
// realistic hand-built execution graph and a validator that checks a
// create-pipeline document against the botocore model of the CodePipeline API.
// Only tests import it.
//
// It imports compiler/graph and hcl only (and testing, for LoadModel).
package codepipelinetest
