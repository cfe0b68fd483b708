package importer

import (
	"fmt"
	"reflect"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/targets/codepipeline"
)

var reflectDecl = reflect.TypeOf(codepipeline.PipelineDeclaration{})

// project imports one AWS::CodeBuild::Project: its buildspec (inline, or a
// file given with Options.Buildspecs) and the settings a project block has.
func (t *template) project(body *hclwrite.Body, id string) {
	props := mapOf(t.resources[id]["Properties"])
	name := t.str(props["Name"], "Name")
	if name == "" {
		t.warn(id, "Project not imported",
			fmt.Sprintf("CodeBuild project %s has no Name, so CloudFormation makes one up and actions cannot refer to it by name; give it a Name and import again.", id))
		return
	}
	src := mapOf(props["Source"])
	spec := t.str(src["BuildSpec"], "BuildSpec")
	var f File
	switch {
	case strings.Contains(spec, "\n"):
		f = File{Path: t.path + ": " + id + ".Source.BuildSpec", Src: []byte(spec)}
	default:
		given, ok := t.opts.Buildspecs[name]
		if !ok {
			where := "buildspec.yml in its source"
			if spec != "" {
				where = spec
			}
			t.used[id] = true // said here; not again among the resources left out
			t.warn(id, "Project not imported",
				fmt.Sprintf("CodeBuild project %s reads its buildspec from %s, which is not in the template, so actions refer to it by name and the local executor cannot run it. Pass the file with --buildspec %s=FILE to import it.", name, where, name))
			return
		}
		f = given
	}
	extra := projectExtra{settings: func(p *hclwrite.Body) { t.projectSettings(p, name, props) }}
	if bc := mapOf(props["BuildBatchConfig"]); bc != nil {
		extra.batch = func(b *hclwrite.Body) { t.batchConfig(b, name, bc) }
	}
	if t.givenProject(body, name, f, extra) {
		t.used[id] = true
	}
}

// projectKeys are the properties a project block holds, or that generate
// makes the same way (role, logs, artifacts and source of a pipeline's
// project).
var projectKeys = map[string]bool{"Name": true, "Description": true, "Source": true, "Artifacts": true, "Environment": true,
	"ServiceRole": true, "TimeoutInMinutes": true, "BuildBatchConfig": true, "QueuedTimeoutInMinutes": true, "EncryptionKey": true, "LogsConfig": true, "Tags": true}

// projectSettings sets the attributes of the project block p and warns
// about the properties it cannot hold.
func (t *template) projectSettings(p *hclwrite.Body, name string, props map[string]any) {
	add := p.SetAttributeValue
	if t.projects[name] != name {
		add("name", cty.StringVal(name))
	}
	if d := t.str(props["Description"], "Description"); d != "" {
		add("description", cty.StringVal(d))
	}
	env := mapOf(props["Environment"])
	if s := t.str(env["Image"], "Image"); s != "" && s != "aws/codebuild/standard:7.0" {
		add("image", cty.StringVal(s))
	}
	if s := t.str(env["ComputeType"], "ComputeType"); s != "" && s != "BUILD_GENERAL1_SMALL" {
		add("compute_type", cty.StringVal(s))
	}
	if s := t.str(env["Type"], "Type"); s != "" && s != "LINUX_CONTAINER" {
		add("environment_type", cty.StringVal(s))
	}
	if b, _ := t.resolve(env["PrivilegedMode"], "PrivilegedMode").(bool); b {
		add("privileged", cty.True)
	}
	for _, k := range []string{"TimeoutInMinutes", "QueuedTimeoutInMinutes"} {
		if n, ok := t.resolve(props[k], k).(float64); ok {
			add(map[string]string{"TimeoutInMinutes": "timeout", "QueuedTimeoutInMinutes": "queued_timeout"}[k], cty.NumberIntVal(int64(n)))
		}
	}
	if tags := listOf(props["Tags"]); len(tags) > 0 {
		m := map[string]cty.Value{}
		for _, x := range tags {
			tm := mapOf(x)
			m[t.str(tm["Key"], "Tags")] = cty.StringVal(t.str(tm["Value"], "Tags"))
		}
		add("tags", cty.MapVal(m))
	}
	for _, k := range []string{"EnvironmentVariables", "Certificate", "ImagePullCredentialsType", "RegistryCredential", "Fleet"} {
		if _, ok := env[k]; ok {
			t.warn(k, "Project setting not imported",
				fmt.Sprintf("Project %s sets Environment.%s, which a pipeform project does not have; it was left out. Environment variables belong in the project's env block.", name, k))
		}
	}
	for _, k := range sortedKeys(props) {
		if !projectKeys[k] {
			t.warn(k, "Project setting not imported",
				fmt.Sprintf("Project %s sets %s, which a pipeform project does not have; it was left out.", name, k))
		}
	}
	if s := mapOf(props["Source"]); s["Type"] != nil && s["Type"] != "CODEPIPELINE" {
		t.warn("Source", "Project source not imported",
			fmt.Sprintf("Project %s builds from a %v source; pipeform projects run in a pipeline, whose input artifacts are their source.", name, s["Type"]))
	}
	if r := t.resolve(props["ServiceRole"], "ServiceRole"); r != (omitted{}) && r != nil {
		t.warn("ServiceRole", "Project setting not imported",
			fmt.Sprintf("Project %s uses the service role %v; pipeform generate creates a least-privilege role for each project instead.", name, r))
	}
}

// batchConfig writes a project's BuildBatchConfig as batch attributes; its
// service role is left to generate when it is the template's own.
func (t *template) batchConfig(b *hclwrite.Body, name string, bc map[string]any) {
	if v, ok := t.resolve(bc["CombineArtifacts"], "CombineArtifacts").(bool); ok {
		b.SetAttributeValue("combine_artifacts", cty.BoolVal(v))
	}
	if n, ok := t.resolve(bc["TimeoutInMins"], "TimeoutInMins").(float64); ok {
		b.SetAttributeValue("timeout", cty.NumberIntVal(int64(n)))
	}
	if s := t.str(bc["BatchReportMode"], "BatchReportMode"); s != "" {
		b.SetAttributeValue("report_mode", cty.StringVal(s))
	}
	r := mapOf(bc["Restrictions"])
	if n, ok := t.resolve(r["MaximumBuildsAllowed"], "MaximumBuildsAllowed").(float64); ok {
		b.SetAttributeValue("maximum_builds", cty.NumberIntVal(int64(n)))
	}
	if l := strs(r["ComputeTypesAllowed"]); l != nil {
		setList(b, "compute_types_allowed", l)
	}
	if sr := t.resolve(bc["ServiceRole"], "ServiceRole"); sr != (omitted{}) && sr != nil {
		t.warn("ServiceRole", "Project setting not imported",
			fmt.Sprintf("The batch of project %s runs with the service role %v; pipeform generate gives the batch the project's own role.", name, sr))
	}
	for _, k := range sortedKeys(bc) {
		switch k {
		case "CombineArtifacts", "TimeoutInMins", "BatchReportMode", "Restrictions", "ServiceRole":
		default:
			t.warn(k, "Project setting not imported", fmt.Sprintf("Project %s sets BuildBatchConfig.%s, which a pipeform batch does not have; it was left out.", name, k))
		}
	}
}
