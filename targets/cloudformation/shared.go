package cloudformation

import (
	"sort"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// A CodeBuild project has one name per account and Region, so when several
// pipelines run the same project only one template may create it (with its
// role and log group): the template of the first of those pipelines in the
// order of their template files, the owner. It exports the project role's name; every other
// pipeline's template refers to the project by name (its pipeline role may
// start builds on the ARN built with Fn::Sub) and attaches an
// AWS::IAM::Policy to the imported role that lets the project use that
// pipeline's artifact stores and clone sources. The owner's stack must be
// deployed first, and cannot be deleted while the others import from it.

// ownership records which pipeline's template creates a shared project.
type ownership struct {
	owner string   // pipeline name
	users []string // every pipeline running it in its own Region, in name order
}

// projectOwners maps each project that more than one pipeline runs in its
// own Region to its ownership. Projects run by one pipeline are absent.
func projectOwners(pipelines []*graph.Pipeline) map[string]*ownership {
	// Name order as the template files sort ("a.json" before "a-b.json"
	// is "a." before "a-b."), so that deploy commands listed in file order
	// deploy each owner before the templates that import from it.
	sorted := append([]*graph.Pipeline(nil), pipelines...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name+"." < sorted[j].Name+"." })
	all := map[string]*ownership{}
	for _, p := range sorted {
		home, _ := projectsByRegion(p)
		for name := range home {
			o := all[name]
			if o == nil {
				o = &ownership{owner: p.Name}
				all[name] = o
			}
			o.users = append(o.users, p.Name)
		}
	}
	out := map[string]*ownership{}
	for name, o := range all {
		if len(o.users) > 1 {
			out[name] = o
		}
	}
	return out
}

// roleExport is the export name of a shared project's role name. Export
// names hold letters, digits, colons and hyphens, so "_" (allowed in
// project names) becomes ":", which project names never contain.
func roleExport(project string) string {
	return "pipeform:codebuild-role:" + strings.ReplaceAll(project, "_", ":")
}

// sharedProjectOutputs exports the role name of every shared project this
// template creates.
func (b *builder) sharedProjectOutputs() {
	for _, name := range sortedKeys(b.owners) {
		o := b.owners[name]
		id := b.projectIDs[name]
		if o.owner != b.p.Name || id == "" {
			continue
		}
		b.outputs.Set(id+"RoleName", Obj(
			"Description", "Service role of CodeBuild project "+name+", shared with pipelines "+strings.Join(o.users[1:], ", "),
			"Value", Ref(b.ids.id("Project", name, "Role")),
			"Export", Obj("Name", roleExport(name)),
		))
	}
}

// sharedProjectPolicies gives the role of every shared project another
// template creates what it needs in this pipeline: its artifact stores and
// its clone sources.
func (b *builder) sharedProjectPolicies() {
	home, _ := projectsByRegion(b.p)
	for _, name := range sortedKeys(b.owners) {
		o := b.owners[name]
		pr := home[name]
		if o.owner == b.p.Name || pr == nil {
			continue
		}
		var pol policy
		b.artifactAccess(&pol)
		b.cloneSourcePermissions(&pol, pr)
		b.resources.Set(b.ids.id("Project", name, "Policy"), Obj("Type", "AWS::IAM::Policy", "Properties", Obj(
			"PolicyName", "pipeform-"+b.p.Name,
			"PolicyDocument", pol.document(),
			"Roles", []any{Obj("Fn::ImportValue", roleExport(name))},
		)))
	}
}
