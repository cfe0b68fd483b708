package buildspec

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
)

// Target writes buildspec/<project>.yml for every project of the graph that
// has a buildspec. It has no options.
type Target struct{}

var _ targets.Target = Target{}

// Name is "buildspec".
func (Target) Name() string { return "buildspec" }

// Emit returns one file per project, in path order. A project whose buildspec
// cannot be written as YAML, or whose name cannot be a file name, gets an
// error diagnostic at its declaration instead of a file.
func (Target) Emit(g *graph.Graph, _ targets.Options) ([]targets.File, hcl.Diagnostics) {
	var files []targets.File
	var diags hcl.Diagnostics
	for _, p := range g.Projects {
		if p.Buildspec == nil {
			continue
		}
		rng := p.DeclRange
		if p.Name == "" || p.Name == "." || p.Name == ".." || strings.ContainsAny(p.Name, `/\`+"\x00") {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Invalid project name for a file",
				Detail:   fmt.Sprintf("The buildspec of project %q is written to buildspec/<name>.yml, so the name cannot be empty, \".\" or \"..\" or contain a slash or backslash.", p.Name),
				Subject:  &rng,
			})
			continue
		}
		data, err := Emit(p.Buildspec)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Unrepresentable buildspec",
				Detail:   fmt.Sprintf("The buildspec of project %q cannot be written as YAML: %s.", p.Name, err),
				Subject:  &rng,
			})
			continue
		}
		files = append(files, targets.File{Path: "buildspec/" + p.Name + ".yml", Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, diags
}
