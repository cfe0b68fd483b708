// Package graph is the execution-graph IR: what compiler.Compile produces
// and every target, the plan and graph views and the local executor read.
// Nodes are actions (with their resolved project, typed configuration,
// artifacts, namespace, run order, Region and source range) grouped into
// stages and pipelines; edges are stage order, run order (Upstream) and
// artifact and variable flow (ArtifactRef.Producer, VariableRef.Producer).
// The graph is read-only after Compile; Action.LocalMode says what the local
// executor does with each action.
//
// It imports only hcl (for source ranges) and the standard library.
package graph
