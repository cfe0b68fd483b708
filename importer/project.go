package importer

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/codepipeline"
)

var reflectDecl = reflect.TypeOf(codepipeline.PipelineDeclaration{})

// project imports one AWS::CodeBuild::Project: its buildspec (inline, or a
// file given with Options.Buildspecs) and the settings a project block has.
func (t *template) project(body *hclwrite.Body, id string) {
	props := mapOf(t.resources[id]["Properties"])
	t.resourceCondition(id)
	name := t.projectName(id, props)
	t.projectNames[id] = name
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
	if vars := listOf(mapOf(props["Environment"])["EnvironmentVariables"]); len(vars) > 0 {
		extra.env = func(b *graph.Buildspec) { t.projectEnv(b, name, vars) }
	}
	if bc := mapOf(props["BuildBatchConfig"]); bc != nil {
		extra.batch = func(b *hclwrite.Body) { t.batchConfig(b, name, bc) }
	}
	if t.givenProject(body, name, f, extra) {
		t.used[id] = true
	}
}

// projectName is the name of project resource id: its Name, or its logical
// ID when CloudFormation makes the name up (no Name) or only CloudFormation
// can work it out (a pseudo parameter such as AWS::StackName). An action's
// Ref to the resource then refers to the project imported under that ID.
func (t *template) projectName(id string, props map[string]any) string {
	mark := len(t.diags)
	name := t.str(props["Name"], "Name")
	why := "has no Name, so CloudFormation makes one up"
	if t.unresolvedSince(mark) {
		t.diags = t.diags[:mark]
		why = fmt.Sprintf("has the Name %s, which only CloudFormation can work out", name)
		name = ""
	}
	if name != "" {
		return name
	}
	t.warn(id, "Project named after its logical ID",
		fmt.Sprintf("CodeBuild project %s %s; it was imported under its logical ID, and generate names the CodeBuild project %q. Set name in the project block to the name the project has on AWS if it must keep it.", id, why, id))
	return id
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
	if b, _ := t.boolean(env["PrivilegedMode"], "PrivilegedMode"); b {
		add("privileged", cty.True)
	}
	for _, k := range []string{"TimeoutInMinutes", "QueuedTimeoutInMinutes"} {
		if n, ok := t.integer(props[k], k); ok {
			add(map[string]string{"TimeoutInMinutes": "timeout", "QueuedTimeoutInMinutes": "queued_timeout"}[k], cty.NumberIntVal(n))
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
	for _, k := range []string{"Certificate", "ImagePullCredentialsType", "RegistryCredential", "Fleet"} {
		if _, ok := env[k]; ok {
			t.warn(k, "Project setting not imported",
				fmt.Sprintf("Project %s sets Environment.%s, which a pipeform project does not have; it was left out.", name, k))
		}
	}
	for _, k := range sortedKeys(props) {
		if !projectKeys[k] {
			t.warn(k, "Project setting not imported",
				fmt.Sprintf("Project %s sets %s, which a pipeform project does not have; it was left out.", name, k))
		}
	}
	t.logsAndKey(name, props)
	if s := mapOf(props["Source"]); s["Type"] != nil && s["Type"] != "CODEPIPELINE" {
		t.warn("Source", "Project source not imported",
			fmt.Sprintf("Project %s builds from a %v source; pipeform projects run in a pipeline, whose input artifacts are their source.", name, s["Type"]))
	}
	if r := t.resolve(props["ServiceRole"], "ServiceRole"); r != (omitted{}) && r != nil {
		t.warn("ServiceRole", "Project setting not imported",
			fmt.Sprintf("Project %s uses the service role %v; pipeform generate creates a least-privilege role for each project instead.", name, r))
	}
}

// logsAndKey warns about a project's LogsConfig and EncryptionKey when
// they are not what generate writes again: CloudWatch Logs to a log group
// of the template, and the key of the pipeline's artifact store (or the
// AWS managed key alias/aws/s3).
func (t *template) logsAndKey(name string, props map[string]any) {
	if lc := mapOf(props["LogsConfig"]); lc != nil {
		cw, s3 := mapOf(lc["CloudWatchLogs"]), mapOf(lc["S3Logs"])
		group, _ := mapOf(cw["GroupName"])["Ref"].(string)
		own := cw != nil && cw["Status"] == "ENABLED" && cw["StreamName"] == nil &&
			(cw["GroupName"] == nil || t.resources[group]["Type"] == "AWS::Logs::LogGroup")
		if !own || (s3 != nil && s3["Status"] != "DISABLED") {
			t.warn("LogsConfig", "Project setting not imported",
				fmt.Sprintf("Project %s sets a LogsConfig of its own; pipeform generate sends the logs of each project to a CloudWatch log group it creates, so it was left out.", name))
		}
	}
	key, ok := props["EncryptionKey"]
	if !ok {
		return
	}
	text, _ := json.Marshal(key)
	if key == "alias/aws/s3" {
		return
	}
	for _, id := range t.ofType("AWS::CodePipeline::Pipeline") {
		pp := mapOf(t.resources[id]["Properties"])
		stores := []any{mapOf(pp["ArtifactStore"])}
		for _, x := range listOf(pp["ArtifactStores"]) {
			stores = append(stores, mapOf(mapOf(x)["ArtifactStore"]))
		}
		for _, st := range stores {
			if k, _ := json.Marshal(mapOf(mapOf(st)["EncryptionKey"])["Id"]); string(k) == string(text) {
				return
			}
		}
	}
	t.warn("EncryptionKey", "Project setting not imported",
		fmt.Sprintf("Project %s encrypts its artifacts with the key %s; pipeform generate gives a project the key of its pipeline's artifact store, so it was left out. Set encryption_key on the pipeline's artifact_store to keep it.", name, text))
}

// projectEnv moves a project's Environment.EnvironmentVariables into the
// buildspec's env, by type: PLAINTEXT (the default) to variables,
// PARAMETER_STORE to parameter-store, SECRETS_MANAGER to secrets-manager.
// A project's variable takes precedence over the buildspec's of the same
// name (CodeBuild's order: start-build, then project, then buildspec), so
// it replaces that one.
func (t *template) projectEnv(b *graph.Buildspec, name string, vars []any) {
	if b.Env == nil {
		b.Env = &graph.BuildEnv{}
	}
	e := b.Env
	for _, x := range vars {
		m := mapOf(x)
		k, v := t.str(m["Name"], "EnvironmentVariables"), t.str(m["Value"], "EnvironmentVariables")
		typ := t.str(m["Type"], "EnvironmentVariables")
		var to *[]graph.KeyValue
		switch typ {
		case "", "PLAINTEXT":
			to = &e.Variables
		case "PARAMETER_STORE":
			to = &e.ParameterStore
		case "SECRETS_MANAGER":
			to = &e.SecretsManager
		default:
			t.warn("EnvironmentVariables", "Project setting not imported",
				fmt.Sprintf("Project %s sets variable %s of type %s, which is not PLAINTEXT, PARAMETER_STORE or SECRETS_MANAGER; it was left out.", name, k, typ))
			continue
		}
		for _, l := range []*[]graph.KeyValue{&e.Variables, &e.ParameterStore, &e.SecretsManager} {
			*l = slices.DeleteFunc(*l, func(kv graph.KeyValue) bool { return kv.Key == k })
		}
		*to = append(*to, graph.KeyValue{Key: k, Value: v})
	}
}

// batchConfig writes a project's BuildBatchConfig as batch attributes; its
// service role is left to generate when it is the template's own.
func (t *template) batchConfig(b *hclwrite.Body, name string, bc map[string]any) {
	if v, ok := t.boolean(bc["CombineArtifacts"], "CombineArtifacts"); ok {
		b.SetAttributeValue("combine_artifacts", cty.BoolVal(v))
	}
	if n, ok := t.integer(bc["TimeoutInMins"], "TimeoutInMins"); ok {
		b.SetAttributeValue("timeout", cty.NumberIntVal(n))
	}
	if s := t.str(bc["BatchReportMode"], "BatchReportMode"); s != "" {
		b.SetAttributeValue("report_mode", cty.StringVal(s))
	}
	r := mapOf(bc["Restrictions"])
	if n, ok := t.integer(r["MaximumBuildsAllowed"], "MaximumBuildsAllowed"); ok {
		b.SetAttributeValue("maximum_builds", cty.NumberIntVal(n))
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

// boolean reads a Boolean property, which CloudFormation also takes as the
// string "true" or "false".
func (t *template) boolean(v any, key string) (value, ok bool) {
	switch r := t.resolve(v, key).(type) {
	case bool:
		return r, true
	case string:
		if b, err := strconv.ParseBool(r); err == nil && (r == "true" || r == "false") {
			return b, true
		}
	}
	t.notScalar(v, key, "true or false")
	return false, false
}

// integer reads an Integer property, which CloudFormation also takes as a
// string of digits.
func (t *template) integer(v any, key string) (int64, bool) {
	switch r := t.resolve(v, key).(type) {
	case float64:
		if r == float64(int64(r)) {
			return int64(r), true
		}
	case string:
		if n, err := strconv.ParseInt(strings.TrimSpace(r), 10, 64); err == nil {
			return n, true
		}
	}
	t.notScalar(v, key, "a whole number")
	return 0, false
}

// notScalar warns about a property set to what its type does not allow;
// an intrinsic function was already warned about when resolved.
func (t *template) notScalar(v any, key, want string) {
	if _, fn := v.(map[string]any); v == nil || fn {
		return
	}
	t.warn(key, "Project setting not imported",
		fmt.Sprintf("%s is %v, which is not %s; it was left out.", key, v, want))
}
