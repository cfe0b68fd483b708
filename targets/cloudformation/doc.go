// Package cloudformation is the cloudformation target: one template per
// pipeline, cloudformation/<pipeline>.json (or .yaml with Format "yaml"),
// holding everything the pipeline needs to run on AWS:
//
//   - the AWS::CodePipeline::Pipeline;
//   - one AWS::CodeBuild::Project per project the pipeline uses (inline
//     buildspec from targets/buildspec, source and artifacts CODEPIPELINE)
//     with its log group (a project several pipelines run is created by the
//     first of their templates only; see shared.go);
//   - least-privilege service roles for the pipeline and each project,
//     scoped to the artifact bucket, the named projects, the log groups and
//     exactly the Parameter Store / Secrets Manager names the buildspecs use;
//   - an encrypted, versioned, public-access-blocked, TLS-only artifact
//     bucket unless the pipeline names its own store;
//   - CodeDeploy applications and deployment groups used by deploy actions
//     (one shared by several pipelines in the first of their templates);
//   - EventBridge rules for the pipeline's notifications, and a rule that
//     starts the pipeline for each CodeCommit source (whose
//     PollForSourceChanges becomes "false" unless set to "true");
//   - Parameters for pipeline variables with defaults, and Outputs.
//
// Templates are built as ordered objects (Object) so output is stable: JSON
// with 2-space indentation, or YAML through go.yaml.in/yaml/v3 nodes with
// intrinsic functions in long form (Ref:, Fn::GetAtt:, Fn::Sub:) so any YAML
// parser reads them. Logical IDs are derived from names (see ids.go), and
// StackNames says which stack each template is deployed to (stack.go).
//
// It imports compiler/graph, targets, targets/buildspec (for the inline
// buildspec), hcl and yaml.
package cloudformation
