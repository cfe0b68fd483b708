// Package runners runs one pipeline action the way its AWS service would:
// the CodeBuild agent (buildspec phases in the build shell, secrets, masking,
// artifacts), source snapshots, approvals and deployments. A runner knows
// nothing about ordering; the scheduler in targets/local decides what runs
// when.
//
// It may import compiler/graph and the standard library; it never imports
// lang, the compiler or another target. Runners are the one place besides
// the CLI that runs processes and writes files, but every directory and the
// clock are given to them as inputs.
package runners
