package importer

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/targets/codepipeline"
)

// template is a CloudFormation template being imported.
type template struct {
	*writer
	params map[string]any
	// mappings and conditions are the template's Mappings and Conditions.
	mappings, conditions map[string]any
	resources            map[string]map[string]any // logical id -> resource
	// used are the resources the imported blocks stand for.
	used map[string]bool
	opts Options
	// projectNames are the names of the template's CodeBuild projects by
	// logical id, as their import wrote them: what a Ref to one names.
	projectNames map[string]string
	// inConfig is set while an action's Configuration is resolved.
	inConfig bool
}

// omit is what an intrinsic function resolves to when the value is one
// pipeform's own template creates (a role, the artifact bucket): the key is
// left out and generate makes it again.
type omitted struct{}

// Template imports the AWS::CodePipeline::Pipeline and
// AWS::CodeBuild::Project resources of a CloudFormation template (JSON or
// YAML, short-form intrinsics included).
func Template(path string, src []byte, opts Options) ([]byte, hcl.Diagnostics) {
	t := &template{writer: &writer{path: path, src: src, projects: map[string]string{}}, used: map[string]bool{}, opts: opts,
		projectNames: map[string]string{}}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil || len(doc.Content) == 0 {
		r := hcl.Range{Filename: path, Start: hcl.InitialPos, End: hcl.InitialPos}
		msg := "the file is empty"
		if err != nil {
			msg = err.Error()
		}
		return nil, hcl.Diagnostics{{Severity: hcl.DiagError, Summary: "Invalid template",
			Detail: fmt.Sprintf("The file is not a CloudFormation template in JSON or YAML: %s.", msg), Subject: &r}}
	}
	root, _ := generic(doc.Content[0]).(map[string]any)
	t.params = mapOf(root["Parameters"])
	t.mappings, t.conditions = mapOf(root["Mappings"]), mapOf(root["Conditions"])
	t.resources = map[string]map[string]any{}
	for id, r := range mapOf(root["Resources"]) {
		if m, ok := r.(map[string]any); ok {
			t.resources[id] = m
		}
	}
	f := hclwrite.NewEmptyFile()
	for _, id := range t.ofType("AWS::CodeBuild::Project") {
		t.project(f.Body(), id)
	}
	t.notificationRules()
	for _, id := range t.ofType("AWS::CodePipeline::Pipeline") {
		t.pipelineResource(f.Body(), id)
	}
	spaceBlocks(f.Body())
	t.unused()
	if len(f.Body().Blocks()) == 0 && !t.diags.HasErrors() {
		t.fail("Resources", "Nothing to import",
			"The template has no AWS::CodePipeline::Pipeline and no AWS::CodeBuild::Project that could be imported, so there is no HCL to write. Import the template that declares the pipeline, or give the buildspec of a project with --buildspec NAME=FILE.")
	}
	return hclwrite.Format(f.Bytes()), t.diags
}

// shapeError says in the template's terms which property has the wrong
// kind of value: the JSON decoder's message names Go types.
func shapeError(err error) string {
	var te *json.UnmarshalTypeError
	if !errors.As(err, &te) || te.Field == "" {
		return err.Error()
	}
	var path []string
	for _, f := range strings.Split(te.Field, ".") {
		path = append(path, strings.ToUpper(f[:1])+f[1:])
	}
	want := "an object"
	switch te.Type.Kind() {
	case reflect.Slice:
		want = "a list"
	case reflect.String:
		want = "a string"
	case reflect.Int, reflect.Int64, reflect.Float64:
		want = "a number"
	case reflect.Bool:
		want = "a boolean"
	}
	return fmt.Sprintf("%s is a %s where CloudFormation expects %s", strings.Join(path, "."), te.Value, want)
}

func (t *template) ofType(typ string) []string {
	var ids []string
	for id, r := range t.resources {
		if r["Type"] == typ {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	return ids
}

// unused warns, once, about the resources no imported block stands for.
func (t *template) unused() {
	var left []string
	for _, id := range sortedKeys(t.resources) {
		if !t.used[id] {
			left = append(left, fmt.Sprintf("%s (%v)", id, t.resources[id]["Type"]))
		}
	}
	if len(left) == 0 {
		return
	}
	t.warn("Resources", "Resources not imported",
		fmt.Sprintf("These resources are not pipelines or CodeBuild projects, so they were left out: %s. pipeform generate creates the service roles, log groups, artifact bucket, CodeDeploy applications and groups, and event rules a pipeline needs; keep anything else in a template of your own.", strings.Join(left, ", ")))
}

// notificationRules reads the EventBridge rules that notify about a
// pipeline of the template (source aws.codepipeline, detail.pipeline its
// Ref, one target) as that pipeline's notification blocks.
func (t *template) notificationRules() {
	t.notifications = map[string][]notification{}
	for _, id := range t.ofType("AWS::Events::Rule") {
		props := mapOf(t.resources[id]["Properties"])
		pat := mapOf(props["EventPattern"])
		detail := mapOf(pat["detail"])
		refs := listOf(detail["pipeline"])
		targets := listOf(props["Targets"])
		if len(refs) != 1 || len(targets) != 1 || fmt.Sprint(pat["source"]) != "[aws.codepipeline]" || len(pat) != 3 || len(detail) > 2 {
			continue
		}
		pid, _ := mapOf(refs[0])["Ref"].(string)
		if t.resources[pid]["Type"] != "AWS::CodePipeline::Pipeline" {
			continue
		}
		pname := t.str(mapOf(t.resources[pid]["Properties"])["Name"], "Name")
		if pname == "" {
			pname = pid
		}
		target := mapOf(targets[0])
		n := notification{name: t.str(target["Id"], "Id"), target: t.str(target["Arn"], "Arn"),
			detailTypes: strs(pat["detail-type"]), states: strs(detail["state"])}
		t.notifications[pname] = append(t.notifications[pname], n)
		t.used[id] = true
	}
}

// strs is a list of strings, nil when v is not one.
func strs(v any) []string {
	var out []string
	for _, x := range listOf(v) {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// pipelineResource imports one AWS::CodePipeline::Pipeline.
func (t *template) pipelineResource(body *hclwrite.Body, id string) {
	t.used[id] = true
	t.resourceCondition(id)
	props := mapOf(t.resources[id]["Properties"])
	for _, k := range []string{"RestartExecutionOnUpdate", "DisableInboundStageTransitions"} {
		if _, ok := props[k]; ok {
			t.warn(k, "Setting not imported", fmt.Sprintf("The pipeline of resource %s sets %s, which pipeform does not have; it was left out.", id, k))
			delete(props, k)
		}
	}
	var tags []*codepipeline.Tag
	for _, x := range listOf(props["Tags"]) {
		m := mapOf(x)
		tags = append(tags, &codepipeline.Tag{Key: t.str(m["Key"], "Tags"), Value: t.str(m["Value"], "Tags")})
	}
	delete(props, "Tags")
	decl := t.resolve(props, "").(map[string]any)
	api := camel(decl).(map[string]any)
	if stores, ok := api["artifactStores"].([]any); ok {
		m := map[string]any{}
		for _, s := range stores {
			sm := mapOf(s)
			region, _ := sm["region"].(string)
			if region == "" {
				api["artifactStore"] = sm["artifactStore"]
				continue
			}
			m[region] = sm["artifactStore"]
		}
		api["artifactStores"] = m
	}
	if s, ok := api["artifactStore"].(map[string]any); ok {
		if _, ok := s["location"]; !ok && s["encryptionKey"] == nil {
			delete(api, "artifactStore") // the template's own bucket: generate makes one
		}
	}
	api = scalarsAs(api, reflectDecl).(map[string]any)
	data, _ := json.Marshal(api)
	var d codepipeline.PipelineDeclaration
	if err := json.Unmarshal(data, &d); err != nil {
		t.fail(id, "Pipeline not imported", fmt.Sprintf("Resource %s does not have the shape of an AWS::CodePipeline::Pipeline: %s. Correct the resource's Properties (the template would not deploy either) and import again.", id, shapeError(err)))
		return
	}
	t.unknownKeys(api, reflectDecl, "Properties")
	if d.Name == "" {
		d.Name = id
	}
	t.pipeline(body, &d, tags)
}

// scalarsAs converts the scalars of v to the types the wire struct t has
// for them, as CloudFormation does: a template may write Version: 1 or
// RunOrder: "2", and CloudFormation passes the API "1" and 2.
func scalarsAs(v any, t reflect.Type) any {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		m, ok := v.(map[string]any)
		if !ok {
			return v
		}
		for tag, ft := range jsonFields(t) {
			if x, ok := m[tag]; ok {
				m[tag] = scalarsAs(x, ft)
			}
		}
	case reflect.Slice:
		if l, ok := v.([]any); ok {
			for i, x := range l {
				l[i] = scalarsAs(x, t.Elem())
			}
		}
	case reflect.Map:
		if m, ok := v.(map[string]any); ok {
			for k, x := range m {
				m[k] = scalarsAs(x, t.Elem())
			}
		}
	case reflect.String:
		switch x := v.(type) {
		case float64, bool:
			return configString(x)
		}
	case reflect.Int:
		if s, ok := v.(string); ok {
			if n, err := strconv.Atoi(strings.TrimSpace(s)); err == nil {
				return n
			}
		}
	}
	return v
}

// camel turns the template's property names into the API's member names
// (Stages -> stages), leaving configuration maps, whose keys are the
// providers' own, as they are.
func camel(v any) any {
	switch v := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, x := range v {
			name := strings.ToLower(k[:1]) + k[1:]
			if name == "configuration" {
				out[name] = x
				continue
			}
			out[name] = camel(x)
		}
		return out
	case []any:
		out := make([]any, len(v))
		for i, x := range v {
			out[i] = camel(x)
		}
		return out
	}
	return v
}

// resolve evaluates the intrinsic functions of v: Ref to a parameter is its
// default, Ref to a resource is the name that resource has (a project's
// name, a CodeDeploy application's), Fn::Sub and Fn::Join of such parts
// are evaluated, GetAtt of a role or a Ref to a bucket
// of the template is left out (generate creates them; not a role in an
// action's configuration, which it does not), and Ref
// AWS::Region marks the pipeline's own artifact store. Everything else is
// kept as text with a warning. Configuration values become strings, as
// the API holds them.
func (t *template) resolve(v any, key string) any {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 1 {
			for fn, arg := range v {
				if fn == "Ref" || strings.HasPrefix(fn, "Fn::") {
					return t.intrinsic(fn, arg, key)
				}
			}
		}
		out := map[string]any{}
		if key == "Configuration" {
			t.inConfig = true
			defer func() { t.inConfig = false }()
		}
		for k, x := range v {
			r := t.resolve(x, k)
			if _, skip := r.(omitted); skip {
				continue
			}
			if key == "Configuration" {
				r = configString(r)
			}
			out[k] = r
		}
		return out
	case []any:
		var out []any
		for _, x := range v {
			if r := t.resolve(x, key); r != (omitted{}) {
				out = append(out, r)
			}
		}
		return out
	}
	return v
}

// configString writes a configuration value as the API's string.
func configString(v any) any {
	switch v := v.(type) {
	case string:
		return v
	case bool:
		return strconv.FormatBool(v)
	case nil:
		return ""
	case map[string]any, []any:
		data, _ := json.Marshal(v)
		return string(data)
	}
	return fmt.Sprint(v)
}

func (t *template) intrinsic(fn string, arg any, key string) any {
	switch fn {
	case "Ref":
		name, _ := arg.(string)
		if name == "AWS::NoValue" {
			return omitted{} // the property is left out, as CloudFormation does
		}
		if name == "AWS::Region" && key == "Region" {
			return "" // the pipeline's own Region: its own artifact store
		}
		if p, ok := t.params[name]; ok {
			if def, ok := mapOf(p)["Default"]; ok {
				if key != "DefaultValue" {
					t.warn(name, "Parameter imported as its default",
						fmt.Sprintf("%s refers to the template parameter %s, which pipeform has no equivalent of; its default %q was written instead. Use a variable or a pipeline variable for it.", key, name, fmt.Sprint(def)))
				}
				return def
			}
		}
		if r, ok := t.resources[name]; ok {
			return t.refName(name, r)
		}
	case "Fn::GetAtt":
		parts := getAttParts(arg)
		// A pipeline's or action's role is one generate creates; a role
		// in an action's configuration (the role CloudFormation deploys
		// with) is not, so it is kept as text with a warning.
		if len(parts) == 2 && t.resources[parts[0]] != nil && parts[1] == "Arn" && t.resources[parts[0]]["Type"] == "AWS::IAM::Role" && !t.inConfig {
			return omitted{}
		}
	case "Fn::Sub", "Fn::Join":
		if s, ok := t.joinOrSub(fn, arg, key); ok {
			return s
		}
	case "Fn::FindInMap":
		if v, ok := t.findInMap(arg, key); ok {
			return v
		}
	case "Fn::If":
		if v, ok := t.ifValue(arg, key); ok {
			return v
		}
	}
	text, _ := json.Marshal(map[string]any{fn: arg})
	t.warn(key, "Intrinsic function not imported",
		fmt.Sprintf("The value of %s is %s, which pipeform cannot resolve outside CloudFormation; it was written as that text. Replace it with the value it stands for.", key, text))
	return string(text)
}

// reSubVar is a ${NAME} of Fn::Sub; ${!NAME} is the literal ${NAME}.
var reSubVar = regexp.MustCompile(`\$\{(!?)([^}]*)\}`)

// joinOrSub evaluates Fn::Join and Fn::Sub when every part is known: a
// string, a parameter's default or a resource's name (each with the
// warnings a Ref of it gives). A part that is not known (a pseudo
// parameter such as AWS::StackName, an attribute) leaves the whole
// function to the caller, with no warning about its parts.
func (t *template) joinOrSub(fn string, arg any, key string) (string, bool) {
	mark := len(t.diags)
	ok := true
	part := func(v any) string {
		r, isStr := t.resolve(v, key).(string)
		ok = ok && isStr
		return r
	}
	var out string
	switch fn {
	case "Fn::Join":
		l := listOf(arg)
		parts := listOf(ifLen(l, 2, 1))
		delim, isStr := ifLen(l, 2, 0).(string)
		ok = isStr && parts != nil
		var strs []string
		for _, p := range parts {
			strs = append(strs, part(p))
		}
		out = strings.Join(strs, delim)
	case "Fn::Sub":
		text, isStr := arg.(string)
		var vars map[string]any
		if l := listOf(arg); len(l) == 2 {
			text, isStr = l[0].(string)
			vars = mapOf(l[1])
		}
		ok = isStr
		out = reSubVar.ReplaceAllStringFunc(text, func(m string) string {
			g := reSubVar.FindStringSubmatch(m)
			if g[1] == "!" {
				return "${" + g[2] + "}"
			}
			if v, found := vars[g[2]]; found {
				return part(v)
			}
			return part(map[string]any{"Ref": g[2]})
		})
	}
	ok = ok && !t.unresolvedSince(mark)
	if !ok {
		t.diags = t.diags[:mark]
	}
	return out, ok
}

// unresolvedSince reports whether a diagnostic added since mark (the
// length of t.diags before a resolve) says a value needs something only
// CloudFormation knows.
func (t *template) unresolvedSince(mark int) bool {
	for _, d := range t.diags[mark:] {
		if d.Summary == "Intrinsic function not imported" || d.Summary == "Reference not imported" {
			return true
		}
	}
	return false
}

// ifLen is l[i] when l has n elements, else nil.
func ifLen(l []any, n, i int) any {
	if len(l) != n {
		return nil
	}
	return l[i]
}

func getAttParts(arg any) []string {
	switch a := arg.(type) {
	case []any:
		var out []string
		for _, p := range a {
			s, _ := p.(string)
			out = append(out, s)
		}
		return out
	}
	return nil
}

// refName is what Ref of a template resource names.
func (t *template) refName(id string, r map[string]any) any {
	props := mapOf(r["Properties"])
	nameProp := map[string]string{
		"AWS::CodeBuild::Project":          "Name",
		"AWS::CodeDeploy::Application":     "ApplicationName",
		"AWS::CodeDeploy::DeploymentGroup": "DeploymentGroupName",
		"AWS::S3::Bucket":                  "BucketName",
	}[fmt.Sprint(r["Type"])]
	if s, ok := props[nameProp].(string); ok && nameProp != "" {
		return s
	}
	if s := t.projectNames[id]; s != "" {
		return s // a name made by an intrinsic function, already warned about
	}
	if r["Type"] == "AWS::S3::Bucket" {
		return omitted{} // a bucket named by CloudFormation: the artifact bucket generate creates
	}
	t.warn(id, "Reference not imported",
		fmt.Sprintf("A value refers to resource %s (%v), whose name CloudFormation makes up; it was left empty. Give the resource a name, or write the name in the imported HCL.", id, r["Type"]))
	return ""
}

func (t *template) str(v any, key string) string {
	switch r := t.resolve(v, key).(type) {
	case string:
		return r
	case omitted, nil:
		return ""
	default:
		return fmt.Sprint(r)
	}
}

func mapOf(v any) map[string]any {
	m, _ := v.(map[string]any)
	return m
}

func listOf(v any) []any {
	l, _ := v.([]any)
	return l
}

// generic converts a YAML node to maps, lists and scalars, turning the
// short-form intrinsics (!Ref x, !GetAtt a.b, !Sub s, ...) into their long
// form ({"Ref": x}, {"Fn::GetAtt": [a, b]}).
func generic(n *yaml.Node) any {
	var v any
	switch n.Kind {
	case yaml.DocumentNode:
		if len(n.Content) > 0 {
			return generic(n.Content[0])
		}
		return nil
	case yaml.AliasNode:
		return generic(n.Alias)
	case yaml.MappingNode:
		m := map[string]any{}
		for i := 0; i+1 < len(n.Content); i += 2 {
			m[n.Content[i].Value] = generic(n.Content[i+1])
		}
		v = m
	case yaml.SequenceNode:
		l := []any{}
		for _, c := range n.Content {
			l = append(l, generic(c))
		}
		v = l
	default:
		switch n.Tag {
		case "!!int", "!!float":
			var f float64
			n.Decode(&f)
			v = f
		case "!!bool":
			var b bool
			n.Decode(&b)
			v = b
		case "!!null":
			v = nil
		default:
			v = n.Value
		}
	}
	if strings.HasPrefix(n.Tag, "!") && !strings.HasPrefix(n.Tag, "!!") {
		fn := strings.TrimPrefix(n.Tag, "!")
		switch fn {
		case "Ref", "Condition":
			return map[string]any{fn: n.Value}
		case "GetAtt":
			if s, ok := v.(string); ok {
				x, y, _ := strings.Cut(s, ".")
				return map[string]any{"Fn::GetAtt": []any{x, y}}
			}
		}
		return map[string]any{"Fn::" + fn: v}
	}
	return v
}
