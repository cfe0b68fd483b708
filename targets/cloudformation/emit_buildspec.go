package cloudformation

import "github.com/pipeform/pipeform/targets/buildspec"

// emitBuildspec renders a project's buildspec for the inline
// Source.BuildSpec: the buildspec target's own emitter, so the template and
// buildspec/<project>.yml hold the same text.
var emitBuildspec = buildspec.Emit
