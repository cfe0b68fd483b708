package buildspec

import (
	"errors"
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
		if errors.Is(err, ErrNoPhases) {
			diags = append(diags, NoPhasesDiagnostic(p))
			continue
		}
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

// NoPhasesDiagnostic is the error for a project whose buildspec has no
// phases (and no batch): the same summary [Parse] gives such a buildspec.
func NoPhasesDiagnostic(p *graph.Project) *hcl.Diagnostic {
	return &hcl.Diagnostic{
		Severity: hcl.DiagError,
		Summary:  "Missing phases",
		Detail:   fmt.Sprintf("Project %q has no phases, so its buildspec would run nothing and CodeBuild requires a phases section. Add at least one of install, pre_build, build and post_build with its commands.", p.Name),
		Subject:  p.DeclRange.Ptr(),
	}
}
