package cloudformation

import (
	"strings"

	"github.com/pipeform/pipeform/targets/codepipeline"
)

// pipelineResource builds AWS::CodePipeline::Pipeline from the codepipeline
// target's declaration, in CloudFormation's PascalCase, with the project,
// CodeDeploy, role and bucket names replaced by references to the
// resources of this template.
func (b *builder) pipelineResource() *Object {
	p := b.p
	d := codepipeline.Declaration(p)
	props := Obj("Name", p.Name, "PipelineType", d.PipelineType, "ExecutionMode", d.ExecutionMode)
	if p.RoleARN != "" {
		props.Set("RoleArn", p.RoleARN)
	} else {
		props.Set("RoleArn", GetAtt("PipelineRole", "Arn"))
	}
	key := ""
	if p.ArtifactStore != nil {
		key = p.ArtifactStore.EncryptionKey
	}
	own := cfnStore(b.bucket, key)
	if len(p.ArtifactStores) == 0 {
		props.Set("ArtifactStore", own)
	} else {
		stores := []any{Obj("Region", Ref("AWS::Region"), "ArtifactStore", own)}
		for _, r := range sortedKeys(p.ArtifactStores) {
			s := p.ArtifactStores[r]
			stores = append(stores, Obj("Region", r, "ArtifactStore", cfnStore(s.Location, s.EncryptionKey)))
		}
		props.Set("ArtifactStores", stores)
	}
	var vars []any
	for _, v := range p.Variables {
		val := any(nil)
		if v.HasDefault {
			id := b.ids.id("Variable", v.Name, "")
			b.params.Set(id, Obj("Type", "String", "Default", v.DefaultValue,
				"Description", "Default of pipeline variable "+v.Name+describe(v.Description)))
			val = Ref(id)
		}
		vars = append(vars, Obj("Name", v.Name, "DefaultValue", val, "Description", v.Description))
	}
	props.Set("Variables", vars)
	props.Set("Triggers", b.triggers(d))
	props.Set("Stages", b.stages(d))
	props.Set("Tags", cfnTags(p.Tags))
	return Obj("Type", "AWS::CodePipeline::Pipeline", "Properties", props)
}

func describe(s string) string {
	if s == "" {
		return ""
	}
	return ": " + s
}

// cfnStore is an ArtifactStore; location is a bucket name or a Ref.
func cfnStore(location any, key string) *Object {
	o := Obj("Type", "S3", "Location", location)
	if key != "" {
		o.Set("EncryptionKey", Obj("Id", key, "Type", "KMS"))
	}
	return o
}

func (b *builder) triggers(d *codepipeline.PipelineDeclaration) []any {
	var out []any
	for _, t := range d.Triggers {
		gc := t.GitConfiguration
		var push, pr []any
		for _, f := range gc.Push {
			push = append(push, Obj("Tags", criteria(f.Tags), "Branches", criteria(f.Branches), "FilePaths", criteria(f.FilePaths)))
		}
		for _, f := range gc.PullRequest {
			pr = append(pr, Obj("Events", f.Events, "Branches", criteria(f.Branches), "FilePaths", criteria(f.FilePaths)))
		}
		out = append(out, Obj("ProviderType", t.ProviderType, "GitConfiguration",
			Obj("SourceActionName", gc.SourceActionName, "Push", push, "PullRequest", pr)))
	}
	return out
}

func criteria(c *codepipeline.Criteria) *Object {
	if c == nil {
		return nil
	}
	return Obj("Includes", c.Includes, "Excludes", c.Excludes)
}

func (b *builder) stages(d *codepipeline.PipelineDeclaration) []any {
	var out []any
	for _, s := range d.Stages {
		var actions []any
		for _, a := range s.Actions {
			actions = append(actions, b.action(a))
		}
		st := Obj("Name", s.Name, "Actions", actions)
		if f := s.OnFailure; f != nil {
			of := Obj("Result", f.Result, "Conditions", conditions(f.Conditions))
			if f.RetryConfiguration != nil {
				of.Set("RetryConfiguration", Obj("RetryMode", f.RetryConfiguration.RetryMode))
			}
			st.Set("OnFailure", of)
		}
		if s.OnSuccess != nil {
			st.Set("OnSuccess", Obj("Conditions", conditions(s.OnSuccess.Conditions)))
		}
		if s.BeforeEntry != nil {
			st.Set("BeforeEntry", Obj("Conditions", conditions(s.BeforeEntry.Conditions)))
		}
		out = append(out, st)
	}
	return out
}

func conditions(cs []*codepipeline.Condition) []any {
	var out []any
	for _, c := range cs {
		var rules []any
		for _, r := range c.Rules {
			rules = append(rules, Obj(
				"Name", r.Name,
				"RuleTypeId", Obj("Category", r.RuleTypeID.Category, "Owner", r.RuleTypeID.Owner, "Provider", r.RuleTypeID.Provider, "Version", r.RuleTypeID.Version),
				"Configuration", stringMap(r.Configuration),
				"Commands", r.Commands,
				"InputArtifacts", inputArtifacts(r.InputArtifacts),
				"RoleArn", r.RoleArn,
				"Region", r.Region,
			))
		}
		out = append(out, Obj("Result", c.Result, "Rules", rules))
	}
	return out
}

func (b *builder) action(a *codepipeline.ActionDeclaration) *Object {
	t := a.ActionTypeID
	conf := a.Configuration
	if eventSource(t.Owner, t.Provider, conf["PollForSourceChanges"]) {
		conf = map[string]string{"PollForSourceChanges": "false"}
		for k, v := range a.Configuration {
			conf[k] = v
		}
		conf["PollForSourceChanges"] = "false"
	}
	cfg := stringMap(conf)
	if cfg != nil {
		b.refConfiguration(t, a.Region, cfg)
	}
	var outs []any
	for _, o := range a.OutputArtifacts {
		outs = append(outs, Obj("Name", o.Name, "Files", o.Files))
	}
	var env []any
	for _, e := range a.EnvironmentVariables {
		env = append(env, Obj("Name", e.Name, "Value", e.Value, "Type", e.Type))
	}
	o := Obj(
		"Name", a.Name,
		"ActionTypeId", Obj("Category", t.Category, "Owner", t.Owner, "Provider", t.Provider, "Version", t.Version),
		"RunOrder", a.RunOrder,
		"Configuration", cfg,
		"Commands", a.Commands,
		"InputArtifacts", inputArtifacts(a.InputArtifacts),
		"OutputArtifacts", outs,
		"OutputVariables", a.OutputVariables,
		"RoleArn", a.RoleArn,
		"Region", a.Region,
		"Namespace", a.Namespace,
		"EnvironmentVariables", env,
	)
	if a.TimeoutInMinutes > 0 {
		o.Set("TimeoutInMinutes", a.TimeoutInMinutes)
	}
	if a.RunOrder == 0 {
		o.Set("RunOrder", 1)
	}
	return o
}

// refConfiguration points configuration values at resources of this
// template, so CloudFormation creates them before the pipeline.
func (b *builder) refConfiguration(t *codepipeline.ActionTypeID, region string, cfg *Object) {
	switch {
	case t.Provider == "CodeBuild" && region == "":
		if name, ok := cfg.Get("ProjectName").(string); ok && b.projectIDs[name] != "" {
			cfg.Set("ProjectName", Ref(b.projectIDs[name]))
		}
	case t.Provider == "CodeDeploy" && region == "":
		app, _ := cfg.Get("ApplicationName").(string)
		group, _ := cfg.Get("DeploymentGroupName").(string)
		if id := b.codeDeploy[app]; id != "" && !strings.Contains(app, "#{") {
			cfg.Set("ApplicationName", Ref(id))
		} else if o := b.shared.apps[app]; o != nil && o.owner != b.p.Name {
			cfg.Set("ApplicationName", Obj("Fn::ImportValue", appExport(app)))
		}
		if id := b.codeDeploy[app+"/"+group]; id != "" {
			cfg.Set("DeploymentGroupName", Ref(id))
		}
	}
}

func stringMap(m map[string]string) *Object {
	if len(m) == 0 {
		return nil
	}
	o := Obj()
	for _, k := range sortedKeys(m) {
		o.Set(k, m[k])
	}
	return o
}

func inputArtifacts(in []*codepipeline.InputArtifact) []any {
	var out []any
	for _, a := range in {
		out = append(out, Obj("Name", a.Name))
	}
	return out
}
