package cloudformation

// EmitBuildspec is the buildspec emitter the target embeds, for tests.
var EmitBuildspec = emitBuildspec
