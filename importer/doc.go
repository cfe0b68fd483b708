// Package importer turns what AWS already runs into pipeform HCL: a
// buildspec into a project block, the output of `aws codepipeline
// get-pipeline` into a pipeline block, and a CloudFormation template's
// AWS::CodePipeline::Pipeline and AWS::CodeBuild::Project resources into
// pipeline and project blocks. The HCL is formatted like `pipeform fmt`.
//
// Nothing is dropped silently: whatever the HCL cannot hold is reported as
// a warning (hcl.Diagnostic) naming the key or resource and what to do.
// Typed provider blocks are written wherever lang/providers has one for the
// action type and its configuration fits the block; custom otherwise.
//
// It is the reverse of the targets, so it reads their models: it may import
// compiler/graph (the buildspec model), targets/buildspec (the buildspec
// parser), targets/codepipeline (the API's wire shapes), lang/providers (the
// typed blocks) and hcl; never lang's loader, the compiler or cmd. Only the
// CLI imports it.
package importer
