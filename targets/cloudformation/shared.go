package cloudformation

import (
	"fmt"
	"slices"
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

// The same holds for a CodeDeploy application (and its deployment groups)
// that several pipelines deploy to: the owner's template creates the
// application with every group any of them names, and the others use the
// names. Their stacks hold no reference to it, so the deploy order is what
// makes it exist first.

// sharing records, for the named resources that more than one pipeline
// uses, which pipeline's template creates them.
type sharing struct {
	projects map[string]*ownership // by project name
	apps     map[string]*ownership // by CodeDeploy application name
}

// ownership records which pipeline's template creates a shared resource.
type ownership struct {
	owner  string   // pipeline name
	users  []string // every pipeline using it, in order
	groups []string // a CodeDeploy application's groups, in order of first use
}

// sharedResources finds the projects that more than one pipeline runs in
// its own Region and the CodeDeploy applications more than one deploys to,
// with their owners. Resources one pipeline uses are absent.
func sharedResources(pipelines []*graph.Pipeline) *sharing {
	// Name order as the template files sort ("a.json" before "a-b.json"
	// is "a." before "a-b."), so that deploy commands listed in file order
	// deploy each owner before the templates that use what it creates.
	sorted := append([]*graph.Pipeline(nil), pipelines...)
	sort.SliceStable(sorted, func(i, j int) bool { return sorted[i].Name+"." < sorted[j].Name+"." })
	projects, apps := map[string]*ownership{}, map[string]*ownership{}
	use := func(m map[string]*ownership, name, pipeline string) *ownership {
		o := m[name]
		if o == nil {
			o = &ownership{owner: pipeline}
			m[name] = o
		}
		if n := len(o.users); n == 0 || o.users[n-1] != pipeline {
			o.users = append(o.users, pipeline)
		}
		return o
	}
	for _, p := range sorted {
		home, _ := projectsByRegion(p)
		for _, name := range sortedKeys(home) {
			use(projects, name, p.Name)
		}
		for _, dg := range codeDeployGroups(p) {
			o := use(apps, dg.app, p.Name)
			if !slices.Contains(o.groups, dg.group) {
				o.groups = append(o.groups, dg.group)
			}
		}
	}
	return &sharing{projects: onlyShared(projects), apps: onlyShared(apps)}
}

func onlyShared(m map[string]*ownership) map[string]*ownership {
	out := map[string]*ownership{}
	for name, o := range m {
		if len(o.users) > 1 {
			out[name] = o
		}
	}
	return out
}

// roleExport is the export name of a shared project's role name.
func roleExport(project string) string { return exportName("codebuild-role", project) }

// appExport is the export name of a shared CodeDeploy application's name.
func appExport(app string) string { return exportName("codedeploy-app", app) }

// exportName is pipeform:<kind>:<name>. Export names hold letters, digits,
// colons and hyphens, so every other byte of name is written as ":" and
// two hex digits ("_" is ":5f"); a raw name never holds ":", so distinct
// names give distinct exports.
func exportName(kind, name string) string {
	var sb strings.Builder
	sb.WriteString("pipeform:" + kind + ":")
	for i := 0; i < len(name); i++ {
		c := name[i]
		if c == '-' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' {
			sb.WriteByte(c)
		} else {
			fmt.Fprintf(&sb, ":%02x", c)
		}
	}
	return sb.String()
}

// sharedProjectOutputs exports the role name of every shared project this
// template creates.
func (b *builder) sharedProjectOutputs() {
	for _, name := range sortedKeys(b.shared.projects) {
		o := b.shared.projects[name]
		id := b.projectIDs[name]
		if o.owner != b.p.Name || id == "" {
			continue
		}
		b.outputs.Set(id+"RoleName", Obj(
			"Description", "Service role of CodeBuild project "+name+", which "+others(o),
			"Value", Ref(b.ids.id("Project", name, "Role")),
			"Export", Obj("Name", roleExport(name)),
		))
	}
}

// others names the templates that import a shared resource: by name while
// that keeps an output's Description well under its 1,024 characters.
func others(o *ownership) string {
	names := "the templates of pipelines " + strings.Join(o.users[1:], ", ") + " import"
	if len(o.users) == 2 {
		names = "the template of pipeline " + o.users[1] + " imports"
	}
	if len(names) > 800 {
		names = fmt.Sprintf("the templates of %d other pipelines import", len(o.users)-1)
	}
	return names
}

// sharedAppOutputs exports the name of every shared CodeDeploy application
// this template creates; the other templates import it into their deploy
// actions, which makes their stacks depend on this one.
func (b *builder) sharedAppOutputs() {
	for _, app := range sortedKeys(b.shared.apps) {
		o := b.shared.apps[app]
		id := b.codeDeploy[app]
		if o.owner != b.p.Name || id == "" {
			continue
		}
		b.outputs.Set(id+"Name", Obj(
			"Description", "CodeDeploy application "+app+", which "+others(o),
			"Value", Ref(id),
			"Export", Obj("Name", appExport(app)),
		))
	}
}

// sharedProjectPolicies gives the role of every shared project another
// template creates what it needs in this pipeline: its artifact stores and
// its clone sources.
func (b *builder) sharedProjectPolicies() {
	home, _ := projectsByRegion(b.p)
	var ids []string
	for _, name := range sortedKeys(b.shared.projects) {
		o := b.shared.projects[name]
		pr := home[name]
		if o.owner == b.p.Name || pr == nil {
			continue
		}
		var pol policy
		b.artifactAccess(&pol)
		b.cloneSourcePermissions(&pol, pr)
		id := b.ids.id("Project", name, "Policy")
		ids = append(ids, id)
		b.resources.Set(id, Obj("Type", "AWS::IAM::Policy", "Properties", Obj(
			"PolicyName", "pipeform-"+b.p.Name,
			"PolicyDocument", pol.document(),
			"Roles", []any{Obj("Fn::ImportValue", roleExport(name))},
		)))
	}
	// CodePipeline starts the pipeline when it is created: its builds need
	// these permissions from the first run.
	if pl, ok := b.resources.Get("Pipeline").(*Object); ok && len(ids) > 0 {
		pl.Set("DependsOn", ids)
	}
}
