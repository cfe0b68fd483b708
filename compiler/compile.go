package compiler

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// Compile turns an evaluated configuration into the execution graph and
// checks every CodePipeline and CodeBuild rule. The graph is returned even
// when there are errors, as far as it could be built, so editors can still
// show it; callers must not run or emit a graph whose diagnostics have errors.
func Compile(cfg *config.Config) (*graph.Graph, hcl.Diagnostics) {
	panic("compiler.Compile: not yet implemented")
}
