// Package limits bounds what pipeform's language accepts, so that no input
// can exhaust the stack or the memory: how deep an expression may nest
// (checked on the source text before the HCL parser, which recurses once or
// more per level, ever sees it) and how long a string value may grow.
//
// It imports only hcl and the standard library, so lang and lang/funcs can
// both use it.
package limits
