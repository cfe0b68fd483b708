// Package trigger decides which pipelines a git event would start, the way
// CodePipeline evaluates V2 pipeline triggers (CODEPIPELINE.md §1 and §11.9):
// push and pull-request filters with include and exclude glob patterns for
// branches, tags and changed file paths, pull-request events, excludes
// winning over includes; and, for a source action without a trigger, the
// default change detection on its BranchName.
//
// Evaluate is pure: it takes the compiled pipeline and an Event (the kind
// of event, the branch or tag, and the changed files) and explains its
// verdict criterion by criterion, with the patterns and files that decided
// it. ChangedFiles reads the changed files from a git repository.
//
// Patterns are compiled by compiler/glob (the compiler rejects invalid
// ones at validate).
//
// It may import compiler/graph, compiler/glob and the standard library; never lang,
// compiler, another target or cmd.
package trigger
