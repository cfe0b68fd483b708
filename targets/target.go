// Package targets defines what every output target implements: a pure
// function from the execution graph to files. Targets never write to disk;
// the CLI does, through targets/outdir (which, like targets/docdiff, is
// not a target). Targets read compiler/graph only: never lang/config or the
// compiler itself, and never each other (CloudFormation may embed what the
// buildspec and codepipeline targets produce, through their exported
// functions).
package targets

import (
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// File is one output file. Path is slash-separated and relative to the
// output directory, e.g. "buildspec/test.yml".
type File struct {
	Path string
	Data []byte
}

// Options are the target settings the CLI passes through.
type Options struct {
	// Format is "json" (default) or "yaml" for targets that offer both.
	Format string
	// Region is the AWS Region the pipelines are created in, for targets
	// that must spell it out (the codepipeline target, when a pipeline has
	// cross-Region artifact stores). Empty means unknown.
	Region string
}

// Target turns a graph into files. Emit must be deterministic: the same
// graph and options give byte-identical files, in Path order.
type Target interface {
	Name() string
	Emit(g *graph.Graph, opts Options) ([]File, hcl.Diagnostics)
}
