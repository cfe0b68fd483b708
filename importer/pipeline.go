package importer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/providers"
	"github.com/pipeform/pipeform/targets/codepipeline"
)

// writer writes pipeline and project blocks and collects warnings about
// what they cannot hold.
type writer struct {
	path  string
	src   []byte
	diags hcl.Diagnostics
	// projects maps a CodeBuild project name to the label of the project
	// block written for it; actions that run it refer to project.<label>.
	projects map[string]string
	// notifications are the notification blocks of each pipeline, by
	// pipeline name (from a template's EventBridge rules).
	notifications map[string][]notification
	// region is the pipeline's own Region, when known.
	region string
}

// notification is a pipeline's notification block.
type notification struct {
	name, target        string
	detailTypes, states []string
}

// warn adds a warning placed at the first occurrence of key in the source.
func (w *writer) warn(key, summary, detail string) {
	rng := jsonKeyRange(w.path, w.src, key)
	w.diags = append(w.diags, &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: summary, Detail: detail, Subject: &rng})
}

// fail records an error at key: something the file means to hold could not
// be imported at all, so the output is not the file's equivalent.
func (w *writer) fail(key, summary, detail string) {
	rng := jsonKeyRange(w.path, w.src, key)
	w.diags = append(w.diags, &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail, Subject: &rng})
}

// pipeline appends the pipeline block of d.
func (w *writer) pipeline(body *hclwrite.Body, d *codepipeline.PipelineDeclaration, tags []*codepipeline.Tag) {
	p := body.AppendNewBlock("pipeline", []string{d.Name}).Body()
	typ := d.PipelineType
	if typ == "" {
		typ = "V1" // the API's default when pipelineType is left out
	}
	p.SetAttributeValue("type", cty.StringVal(typ))
	if d.ExecutionMode != "" && d.ExecutionMode != "SUPERSEDED" {
		p.SetAttributeValue("execution_mode", cty.StringVal(d.ExecutionMode))
	}
	setString(p, "role_arn", d.RoleArn)
	if len(tags) > 0 {
		m := map[string]cty.Value{}
		for _, t := range tags {
			m[t.Key] = cty.StringVal(t.Value)
		}
		p.SetAttributeValue("tags", cty.MapVal(m))
	}
	stores := d.ArtifactStores
	if own := stores[w.region]; d.ArtifactStore == nil && own != nil {
		// The API lists the pipeline's own store among the others, by
		// its Region; pipeform writes it without one.
		w.artifactStore(p, "", own)
		stores = maps.Clone(stores)
		delete(stores, w.region)
	} else if d.ArtifactStore == nil && len(stores) > 0 {
		w.warn("artifactStores", "Pipeline Region unknown",
			"The pipeline has artifact stores in several Regions, and which Region is its own is not known, so every store is written with its region. Give the pipeline's Region with --region (get-pipeline output names it in metadata.pipelineArn), or remove region from the pipeline's own artifact_store.")
	}
	if s := d.ArtifactStore; s != nil {
		w.artifactStore(p, "", s)
	}
	for _, region := range sortedKeys(stores) {
		w.artifactStore(p, region, stores[region])
	}
	for _, v := range d.Variables {
		b := p.AppendNewBlock("variable", []string{v.Name}).Body()
		setString(b, "default", v.DefaultValue)
		setString(b, "description", v.Description)
	}
	for _, t := range d.Triggers {
		w.trigger(p, t)
	}
	for _, n := range w.notifications[d.Name] {
		b := p.AppendNewBlock("notification", []string{n.name}).Body()
		setList(b, "detail_types", n.detailTypes)
		setList(b, "states", n.states)
		setString(b, "target_arn", n.target)
	}
	for _, s := range d.Stages {
		w.stage(p, s)
	}
}

func (w *writer) artifactStore(p *hclwrite.Body, region string, s *codepipeline.ArtifactStore) {
	if s.Type != "" && s.Type != "S3" {
		w.warn("type", "Artifact store type not imported",
			fmt.Sprintf("The artifact store type is %q; CodePipeline knows only S3, which pipeform writes.", s.Type))
	}
	b := p.AppendNewBlock("artifact_store", nil).Body()
	setString(b, "location", s.Location)
	if s.EncryptionKey != nil {
		setString(b, "encryption_key", s.EncryptionKey.ID)
	}
	setString(b, "region", region)
}

func (w *writer) trigger(p *hclwrite.Body, t *codepipeline.Trigger) {
	b := p.AppendNewBlock("trigger", nil).Body()
	if t.ProviderType != "" && t.ProviderType != "CodeStarSourceConnection" {
		setString(b, "provider_type", t.ProviderType)
	}
	gc := t.GitConfiguration
	if gc == nil {
		return
	}
	setString(b, "source_action", gc.SourceActionName)
	for _, f := range gc.Push {
		x := b.AppendNewBlock("push", nil).Body()
		criteria(x, "branches", f.Branches)
		criteria(x, "tags", f.Tags)
		criteria(x, "file_paths", f.FilePaths)
	}
	for _, f := range gc.PullRequest {
		x := b.AppendNewBlock("pull_request", nil).Body()
		setList(x, "events", f.Events)
		criteria(x, "branches", f.Branches)
		criteria(x, "file_paths", f.FilePaths)
	}
}

func criteria(b *hclwrite.Body, name string, c *codepipeline.Criteria) {
	if c == nil {
		return
	}
	x := b.AppendNewBlock(name, nil).Body()
	setList(x, "includes", c.Includes)
	setList(x, "excludes", c.Excludes)
}

func (w *writer) stage(p *hclwrite.Body, s *codepipeline.StageDeclaration) {
	b := p.AppendNewBlock("stage", []string{s.Name}).Body()
	if f := s.OnFailure; f != nil {
		x := b.AppendNewBlock("on_failure", nil).Body()
		setString(x, "result", f.Result)
		if f.RetryConfiguration != nil {
			setString(x, "retry_mode", f.RetryConfiguration.RetryMode)
		}
		w.conditions(x, f.Conditions)
	}
	if s.OnSuccess != nil {
		w.conditions(b.AppendNewBlock("on_success", nil).Body(), s.OnSuccess.Conditions)
	}
	if s.BeforeEntry != nil {
		w.conditions(b.AppendNewBlock("before_entry", nil).Body(), s.BeforeEntry.Conditions)
	}
	for _, a := range s.Actions {
		w.action(b, s.Name, a)
	}
}

func (w *writer) conditions(b *hclwrite.Body, cs []*codepipeline.Condition) {
	for _, c := range cs {
		x := b.AppendNewBlock("condition", nil).Body()
		setString(x, "result", c.Result)
		for _, r := range c.Rules {
			y := x.AppendNewBlock("rule", []string{r.Name}).Body()
			if t := r.RuleTypeID; t != nil {
				if t.Category != "Rule" || (t.Owner != "" && t.Owner != "AWS") || (t.Version != "" && t.Version != "1") {
					w.warn(r.Name, "Rule type not imported",
						fmt.Sprintf("Rule %q has the type %s/%s/%s version %s; pipeform writes rules of category Rule, owner AWS, version 1, so only its provider is kept.", r.Name, t.Category, t.Owner, t.Provider, t.Version))
				}
				setString(y, "provider", t.Provider)
			}
			setStringMap(y, "configuration", r.Configuration)
			setList(y, "commands", r.Commands)
			if len(r.InputArtifacts) > 0 {
				setArtifacts(y, "inputs", r.InputArtifacts)
			}
			setString(y, "role_arn", r.RoleArn)
			if r.Region != w.region {
				setString(y, "region", r.Region)
			}
		}
	}
}

// action appends one action block.
func (w *writer) action(stage *hclwrite.Body, stageName string, a *codepipeline.ActionDeclaration) {
	b := stage.AppendNewBlock("action", []string{a.Name}).Body()
	w.provider(b, stageName, a)
	if len(a.InputArtifacts) > 0 {
		setArtifacts(b, "inputs", a.InputArtifacts)
	}
	if len(a.OutputArtifacts) > 0 {
		var names []string
		for i, o := range a.OutputArtifacts {
			names = append(names, o.Name)
			if len(o.Files) > 0 && i > 0 {
				w.warn(o.Name, "Output files not imported",
					fmt.Sprintf("Output artifact %q of action %s.%s lists files; pipeform writes files for the first output only (output_files).", o.Name, stageName, a.Name))
			}
		}
		setList(b, "outputs", names)
		setList(b, "output_files", a.OutputArtifacts[0].Files)
	}
	setString(b, "namespace", a.Namespace)
	if a.RunOrder > 1 {
		b.SetAttributeValue("run_order", cty.NumberIntVal(int64(a.RunOrder)))
	}
	if a.Region != w.region { // get-pipeline names the pipeline's own Region on every action
		setString(b, "region", a.Region)
	}
	setString(b, "role_arn", a.RoleArn)
	if a.TimeoutInMinutes > 0 {
		if t := a.ActionTypeID; t != nil && t.Category == "Approval" && t.Provider == "Manual" {
			b.SetAttributeValue("timeout_in_minutes", cty.NumberIntVal(int64(a.TimeoutInMinutes)))
		} else {
			w.warn("timeoutInMinutes", "Setting not imported",
				fmt.Sprintf("Action %s.%s sets timeoutInMinutes, which CodePipeline honours only for manual approval actions; it was left out.", stageName, a.Name))
		}
	}
	setList(b, "commands", a.Commands)
	setList(b, "output_variables", a.OutputVariables)
	if len(a.EnvironmentVariables) > 0 {
		m := map[string]string{}
		for _, e := range a.EnvironmentVariables {
			if e.Type != "" && e.Type != "PLAINTEXT" {
				w.warn(e.Name, "Environment variable not imported",
					fmt.Sprintf("Action %s.%s sets %s from %s; pipeform's environment_variables are PLAINTEXT only. Read the value in the commands instead (aws ssm get-parameter, aws secretsmanager get-secret-value).", stageName, a.Name, e.Name, e.Type))
				continue
			}
			m[e.Name] = e.Value
		}
		setStringMap(b, "environment_variables", m)
	}
}

// provider writes the action's provider: a typed block when one exists and
// the configuration fits it, custom otherwise.
func (w *writer) provider(b *hclwrite.Body, stageName string, a *codepipeline.ActionDeclaration) {
	t := a.ActionTypeID
	if t == nil {
		w.warn(a.Name, "Action type missing", fmt.Sprintf("Action %s.%s has no actionTypeId; it is written as a custom block to fill in.", stageName, a.Name))
		t = &codepipeline.ActionTypeID{}
	}
	for _, k := range sortedKeys(a.Configuration) {
		if a.Configuration[k] == maskedSecret {
			w.warn(k, "Secret not imported",
				fmt.Sprintf("The %s of action %s.%s is %s: get-pipeline hides secret configuration values, so the real value is not in the file. Replace %s with the value before generating, or CodePipeline is given %s itself.", k, stageName, a.Name, maskedSecret, maskedSecret, maskedSecret))
		}
	}
	p := providers.ByActionType(t.Category, t.Owner, t.Provider)
	if p == nil && t.Provider == "CodeBuild" && t.Owner == "AWS" && t.Category == "Test" {
		p = providers.Lookup("codebuild")
	}
	if p != nil && (t.Version == p.Version || t.Version == "") {
		attrs, why := typedAttrs(p, a.Configuration)
		if why == "" {
			w.typed(b, p, t, a, attrs)
			return
		}
		w.warn(a.Name, "Action written as custom",
			fmt.Sprintf("Action %s.%s is a %s action, but %s, so it is written as a custom block with its configuration as it is.", stageName, a.Name, p.Block, why))
	}
	x := b.AppendNewBlock(providers.CustomBlock, nil).Body()
	x.SetAttributeValue("category", cty.StringVal(t.Category))
	x.SetAttributeValue("owner", cty.StringVal(t.Owner))
	x.SetAttributeValue("provider", cty.StringVal(t.Provider))
	x.SetAttributeValue("version", cty.StringVal(t.Version))
	setStringMap(x, "configuration", a.Configuration)
}

// maskedSecret is what get-pipeline shows for a secret configuration value
// (the OAuthToken of a GitHub version 1 source, a custom action's secret
// properties); CodePipeline User Guide, "Use GitHub and the CodePipeline
// CLI to create and rotate your GitHub personal access token".
const maskedSecret = "****"

// typedAttr is one attribute of a typed block, ready to write.
type typedAttr struct {
	name string
	val  cty.Value
}

// typedAttrs maps a configuration to the attributes of provider p; why
// says what does not fit.
func typedAttrs(p *providers.Provider, cfg map[string]string) ([]typedAttr, string) {
	var out []typedAttr
	for _, key := range sortedKeys(cfg) {
		var at *providers.Attr
		for i := range p.Attrs {
			if p.Attrs[i].Key == key {
				at = &p.Attrs[i]
			}
		}
		if at == nil {
			return nil, fmt.Sprintf("its configuration key %s is not one the %s block has", key, p.Block)
		}
		if at.Encoding == providers.Special {
			continue // ProjectName: written by typed
		}
		v, err := decodeConfig(at, cfg[key])
		if err != nil {
			return nil, fmt.Sprintf("its %s %q %v", key, cfg[key], err)
		}
		out = append(out, typedAttr{at.Name, v})
	}
	for _, at := range p.Attrs {
		if at.Required && at.Encoding != providers.Special {
			if _, ok := cfg[at.Key]; !ok {
				return nil, fmt.Sprintf("it has no %s, which the %s block requires", at.Key, p.Block)
			}
		}
	}
	return out, ""
}

// decodeConfig turns a configuration string back into the attribute's
// value, the inverse of the attribute's encoding.
func decodeConfig(at *providers.Attr, s string) (cty.Value, error) {
	switch at.Encoding {
	case providers.Bool:
		switch s {
		case "true", "false":
			return cty.BoolVal(s == "true"), nil
		}
		return cty.NilVal, fmt.Errorf("is not true or false")
	case providers.Number:
		if _, err := strconv.ParseFloat(s, 64); err != nil || strings.ContainsAny(s, "eE+ ") {
			return cty.NilVal, fmt.Errorf("is not a number")
		}
		v, err := cty.ParseNumberVal(s)
		if err != nil || v.AsBigFloat().Text('f', -1) != s {
			return cty.NilVal, fmt.Errorf("is not written as pipeform writes numbers")
		}
		return v, nil
	case providers.CommaList:
		var vals []cty.Value
		for _, x := range strings.Split(s, ",") {
			vals = append(vals, cty.StringVal(x))
		}
		return cty.ListVal(vals), nil
	case providers.JSON:
		return jsonValue(at, s)
	case providers.NameValueJSON:
		var vars []struct{ Name, Value, Type string }
		if err := json.Unmarshal([]byte(s), &vars); err != nil {
			return cty.NilVal, fmt.Errorf("is not a JSON array of name and value")
		}
		m := map[string]cty.Value{}
		for _, v := range vars {
			if v.Type != "" && v.Type != "PLAINTEXT" {
				return cty.NilVal, fmt.Errorf("sets %s from %s, and the block's map holds PLAINTEXT values only", v.Name, v.Type)
			}
			m[v.Name] = cty.StringVal(v.Value)
		}
		if len(m) == 0 {
			return cty.MapValEmpty(cty.String), nil
		}
		return cty.MapVal(m), nil
	}
	return cty.StringVal(s), nil
}

// jsonValue reads a JSON attribute: a map of strings, or a list of
// objects of strings.
func jsonValue(at *providers.Attr, s string) (cty.Value, error) {
	var v any
	if err := json.Unmarshal([]byte(s), &v); err != nil {
		return cty.NilVal, fmt.Errorf("is not JSON")
	}
	val, ok := ctyOf(v)
	if !ok {
		return cty.NilVal, fmt.Errorf("holds values other than strings")
	}
	if at.Type.IsMapType() && !val.Type().IsObjectType() {
		return cty.NilVal, fmt.Errorf("is not a JSON object")
	}
	return val, nil
}

// ctyOf converts decoded JSON whose leaves are strings.
func ctyOf(v any) (cty.Value, bool) {
	switch v := v.(type) {
	case string:
		return cty.StringVal(v), true
	case map[string]any:
		m := map[string]cty.Value{}
		for k, x := range v {
			c, ok := ctyOf(x)
			if !ok {
				return cty.NilVal, false
			}
			m[k] = c
		}
		return cty.ObjectVal(m), true
	case []any:
		var vals []cty.Value
		for _, x := range v {
			c, ok := ctyOf(x)
			if !ok {
				return cty.NilVal, false
			}
			vals = append(vals, c)
		}
		return cty.TupleVal(vals), true
	}
	return cty.NilVal, false
}

// typed writes a typed provider block (codebuild with its project).
func (w *writer) typed(b *hclwrite.Body, p *providers.Provider, t *codepipeline.ActionTypeID, a *codepipeline.ActionDeclaration, attrs []typedAttr) {
	if p.Block == "codebuild" {
		project := w.projectRef(a.Configuration["ProjectName"])
		if len(attrs) == 0 && t.Category != "Test" {
			b.SetAttributeRaw("codebuild", project)
			return
		}
		x := b.AppendNewBlock("codebuild", nil).Body()
		x.SetAttributeRaw("project", project)
		if t.Category == "Test" {
			x.SetAttributeValue("category", cty.StringVal("Test"))
		}
		for _, at := range attrs {
			x.SetAttributeValue(at.name, at.val)
		}
		return
	}
	x := b.AppendNewBlock(p.Block, nil).Body()
	for _, at := range attrs {
		x.SetAttributeValue(at.name, at.val)
	}
}

// projectRef is project.<label> for an imported project, else its name.
func (w *writer) projectRef(name string) hclwrite.Tokens {
	if label, ok := w.projects[name]; ok && hclsyntax.ValidIdentifier(label) {
		return hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "project"}, hcl.TraverseAttr{Name: label}})
	}
	return hclwrite.TokensForValue(cty.StringVal(name))
}

// setArtifacts writes artifact names as artifact.<name> references.
func setArtifacts(b *hclwrite.Body, name string, arts []*codepipeline.InputArtifact) {
	var elems []hclwrite.Tokens
	for _, a := range arts {
		if hclsyntax.ValidIdentifier(a.Name) {
			elems = append(elems, hclwrite.TokensForTraversal(hcl.Traversal{hcl.TraverseRoot{Name: "artifact"}, hcl.TraverseAttr{Name: a.Name}}))
		} else {
			elems = append(elems, hclwrite.TokensForValue(cty.StringVal(a.Name)))
		}
	}
	b.SetAttributeRaw(name, hclwrite.TokensForTuple(elems))
}

// setStringMap writes a map of strings in key order; nil leaves it out.
func setStringMap(b *hclwrite.Body, name string, m map[string]string) {
	if m == nil {
		return
	}
	kvs := make([]graph.KeyValue, 0, len(m))
	for _, k := range sortedKeys(m) {
		kvs = append(kvs, graph.KeyValue{Key: k, Value: m[k]})
	}
	setMap(b, name, kvs)
}

func sortedKeys[V any](m map[string]V) []string { return slices.Sorted(maps.Keys(m)) }
