package cli

import "github.com/pipeform/pipeform/targets/buildspec"

// emitBuildspec writes buildspec/<project>.yml for generate.
var emitBuildspec = buildspec.Emit
