// Package glob compiles the glob patterns of CodePipeline trigger filters
// (branches, tags, file paths). The compiler uses it to reject a pattern
// CodePipeline would not understand; the trigger evaluator (targets/trigger)
// uses it to match.
//
// It uses the standard library only.
package glob
