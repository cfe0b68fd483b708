package codepipeline

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
)

// Target is the codepipeline target.
type Target struct {
	// Optional is set when another target covers the pipelines too (the
	// cloudformation target under generate --target all, whose template
	// creates the role and the bucket): a pipeline that lacks what the
	// create-pipeline input needs from outside (a role_arn, an
	// artifact_store, its Region) gets one warning saying what is missing
	// and no file, in place of an error for each.
	Optional bool
}

// New returns the codepipeline target.
func New() targets.Target { return Target{} }

// Name is "codepipeline".
func (Target) Name() string { return "codepipeline" }

// Emit writes codepipeline/<pipeline>.json for every pipeline. A pipeline
// without a role ARN or an artifact store gets an error diagnostic and no
// file (a warning when t.Optional).
func (t Target) Emit(g *graph.Graph, opts targets.Options) ([]targets.File, hcl.Diagnostics) {
	var files []targets.File
	var diags hcl.Diagnostics
	for _, p := range g.Pipelines {
		in, ds := Input(p, opts.Region)
		skip := ds.HasErrors()
		if t.Optional {
			ds = missingAsWarning(ds)
		}
		diags = append(diags, ds...)
		if skip {
			continue
		}
		data, err := Marshal(in)
		if err != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot encode pipeline",
				Detail:   fmt.Sprintf("Pipeline %q could not be written as JSON: %s. This is a bug in pipeform.", p.Name, err),
				Subject:  p.DeclRange.Ptr(),
			})
			continue
		}
		files = append(files, targets.File{Path: "codepipeline/" + p.Name + ".json", Data: data})
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, diags
}

// Summaries of the errors for what a pipeline's create-pipeline input
// lacks and the cloudformation target does without (it creates the role
// and the bucket, and needs no Region); missingWhat says each in the words
// of the warning an Optional target gives instead.
const (
	summaryNoRole   = "Missing pipeline role"
	summaryNoStore  = "Missing artifact store"
	summaryNoRegion = "Pipeline Region required"
)

var missingWhat = map[string]string{
	summaryNoRole:   "a role_arn",
	summaryNoStore:  "an artifact_store",
	summaryNoRegion: "its Region (--region)",
}

// missingAsWarning replaces the errors of one pipeline's ds that say what
// the pipeline lacks with one warning that lists them, where the first
// was; its other diagnostics stay as they are.
func missingAsWarning(ds hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	var w *hcl.Diagnostic
	var whats []string
	for _, d := range ds {
		what, ok := missingWhat[d.Summary]
		if !ok {
			out = append(out, d)
			continue
		}
		if w == nil {
			w = &hcl.Diagnostic{Severity: hcl.DiagWarning, Summary: "No codepipeline file for pipeline", Subject: d.Subject}
			out = append(out, w)
		}
		whats = append(whats, what)
	}
	if w != nil {
		w.Detail = fmt.Sprintf("The create-pipeline input needs %s, which this pipeline does not give, so only its CloudFormation template (which creates what is missing) is written. "+
			"Add them to the pipeline to get codepipeline JSON too.", strings.Join(whats, " and "))
	}
	return out
}

// Marshal encodes a document as 2-space indented JSON with a final newline,
// without HTML escaping (so "<" and "&" stay readable in configuration).
func Marshal(v any) ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Input builds the create-pipeline input for p. region is the pipeline's own
// Region (p.Region, the pipeline's region attribute, wins when set); it is
// needed only when p has cross-Region artifact stores (the API
// then wants a map keyed by Region that includes the pipeline's own).
func Input(p *graph.Pipeline, region string) (*CreatePipelineInput, hcl.Diagnostics) {
	var diags hcl.Diagnostics
	decl := Declaration(p)
	if p.Region != "" {
		// The pipeline's own region attribute wins over --region.
		region = p.Region
	}
	if p.RoleARN == "" {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summaryNoRole,
			Detail: fmt.Sprintf("Pipeline %q has no role_arn, and the codepipeline target needs the ARN of an existing CodePipeline service role. "+
				"Add role_arn = \"arn:aws:iam::<account>:role/<name>\" to the pipeline, or use the cloudformation target, which creates a least-privilege role.", p.Name),
			Subject: p.DeclRange.Ptr(),
		})
	}
	if p.ArtifactStore == nil {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  summaryNoStore,
			Detail: fmt.Sprintf("Pipeline %q names no artifact bucket, and the codepipeline target needs an existing one. "+
				"Add artifact_store { location = \"<bucket>\" } to the pipeline, or use the cloudformation target, which creates a hardened bucket.", p.Name),
			Subject: p.DeclRange.Ptr(),
		})
	}
	if len(p.ArtifactStores) > 0 && p.ArtifactStore != nil {
		if region == "" {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  summaryNoRegion,
				Detail: fmt.Sprintf("Pipeline %q has cross-Region artifact stores, so its create-pipeline input lists every store by Region, the pipeline's own included. "+
					"Give the pipeline's Region with --region (or AWS_REGION).", p.Name),
				Subject: p.DeclRange.Ptr(),
			})
		} else if s := p.ArtifactStores[region]; s != nil {
			diags = append(diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Conflicting artifact store Region",
				Detail: fmt.Sprintf("Pipeline %q is created in %s, but it also has an artifact_store for region %s (bucket %q) besides its own store (bucket %q). "+
					"Remove one of the two, or give the pipeline's real Region with --region.", p.Name, region, region, s.Location, p.ArtifactStore.Location),
				Subject: p.DeclRange.Ptr(),
			})
		} else {
			decl.ArtifactStores = map[string]*ArtifactStore{region: decl.ArtifactStore}
			for r, s := range p.ArtifactStores {
				decl.ArtifactStores[r] = artifactStore(s)
			}
			decl.ArtifactStore = nil
		}
	}
	return &CreatePipelineInput{Pipeline: decl, Tags: Tags(p.Tags)}, diags
}

// Declaration converts p into a PipelineDeclaration with RoleArn and
// ArtifactStore as the pipeline gives them (possibly empty); cross-Region
// stores are left to the caller, who knows the pipeline's own Region.
func Declaration(p *graph.Pipeline) *PipelineDeclaration {
	d := &PipelineDeclaration{
		Name:          p.Name,
		PipelineType:  p.Type,
		ExecutionMode: p.ExecutionMode,
		RoleArn:       p.RoleARN,
	}
	if p.ArtifactStore != nil {
		d.ArtifactStore = artifactStore(p.ArtifactStore)
	}
	for _, v := range p.Variables {
		d.Variables = append(d.Variables, &PipelineVariable{Name: v.Name, DefaultValue: v.DefaultValue, Description: v.Description})
	}
	for _, t := range p.Triggers {
		d.Triggers = append(d.Triggers, trigger(t))
	}
	for _, s := range p.Stages {
		d.Stages = append(d.Stages, stage(s))
	}
	return d
}

// Tags converts a tag map to the API's list, sorted by key; nil when empty.
func Tags(m map[string]string) []*Tag {
	var out []*Tag
	for _, k := range sortedKeys(m) {
		out = append(out, &Tag{Key: k, Value: m[k]})
	}
	return out
}

func artifactStore(s *graph.ArtifactStore) *ArtifactStore {
	typ := s.Type
	if typ == "" {
		typ = "S3"
	}
	out := &ArtifactStore{Type: typ, Location: s.Location}
	if s.EncryptionKey != "" {
		out.EncryptionKey = &EncryptionKey{ID: s.EncryptionKey, Type: "KMS"}
	}
	return out
}

func trigger(t *graph.Trigger) *Trigger {
	gc := &GitConfiguration{SourceActionName: t.SourceActionName}
	for _, f := range t.Push {
		gc.Push = append(gc.Push, gitFilter(f, false))
	}
	for _, f := range t.PullRequest {
		gc.PullRequest = append(gc.PullRequest, gitFilter(f, true))
	}
	typ := t.ProviderType
	if typ == "" {
		typ = "CodeStarSourceConnection"
	}
	return &Trigger{ProviderType: typ, GitConfiguration: gc}
}

func gitFilter(f *graph.GitFilter, pullRequest bool) *GitFilter {
	out := &GitFilter{Branches: criteria(f.Branches), FilePaths: criteria(f.FilePaths)}
	if pullRequest {
		out.Events = f.Events
	} else {
		out.Tags = criteria(f.Tags)
	}
	return out
}

func criteria(ie *graph.IncludeExclude) *Criteria {
	if ie == nil || (len(ie.Includes) == 0 && len(ie.Excludes) == 0) {
		return nil
	}
	return &Criteria{Includes: ie.Includes, Excludes: ie.Excludes}
}

func stage(s *graph.Stage) *StageDeclaration {
	out := &StageDeclaration{Name: s.Name, Actions: []*ActionDeclaration{}}
	for _, a := range s.Actions {
		out.Actions = append(out.Actions, Action(a))
	}
	if f := s.OnFailure; f != nil {
		out.OnFailure = &FailureConditions{Result: f.Result, Conditions: conditions(f.Conditions.Conditions)}
		if f.RetryMode != "" {
			out.OnFailure.RetryConfiguration = &RetryConfiguration{RetryMode: f.RetryMode}
		}
	}
	if s.OnSuccess != nil && len(s.OnSuccess.Conditions) > 0 {
		out.OnSuccess = &Conditions{Conditions: conditions(s.OnSuccess.Conditions)}
	}
	if s.BeforeEntry != nil && len(s.BeforeEntry.Conditions) > 0 {
		out.BeforeEntry = &Conditions{Conditions: conditions(s.BeforeEntry.Conditions)}
	}
	return out
}

func conditions(cs []*graph.Condition) []*Condition {
	var out []*Condition
	for _, c := range cs {
		oc := &Condition{Result: c.Result}
		for _, r := range c.Rules {
			oc.Rules = append(oc.Rules, rule(r))
		}
		out = append(out, oc)
	}
	return out
}

func rule(r *graph.Rule) *RuleDeclaration {
	version := r.Version
	if version == "" {
		version = "1"
	}
	out := &RuleDeclaration{
		Name:          r.Name,
		RuleTypeID:    &RuleTypeID{Category: "Rule", Owner: "AWS", Provider: r.Provider, Version: version},
		Configuration: nonEmpty(r.Configuration),
		Commands:      r.Commands,
		RoleArn:       r.RoleARN,
		Region:        r.Region,
	}
	for _, name := range r.InputArtifacts {
		out.InputArtifacts = append(out.InputArtifacts, &InputArtifact{Name: name})
	}
	return out
}

// Action converts one action. CodeBuild actions always carry ProjectName.
func Action(a *graph.Action) *ActionDeclaration {
	out := &ActionDeclaration{
		Name: a.Name,
		ActionTypeID: &ActionTypeID{
			Category: a.Type.Category, Owner: a.Type.Owner,
			Provider: a.Type.Provider, Version: a.Type.Version,
		},
		RunOrder:         a.RunOrder,
		Configuration:    nonEmpty(a.Configuration),
		Commands:         a.Commands,
		OutputVariables:  a.OutputVariables,
		RoleArn:          a.RoleARN,
		Region:           a.Region,
		Namespace:        a.Namespace,
		TimeoutInMinutes: a.TimeoutInMinutes,
	}
	if out.ActionTypeID.Version == "" {
		out.ActionTypeID.Version = "1"
	}
	if a.Project != nil && out.Configuration["ProjectName"] == "" {
		cfg := map[string]string{"ProjectName": a.Project.Name}
		for k, v := range a.Configuration {
			cfg[k] = v
		}
		cfg["ProjectName"] = a.Project.Name
		out.Configuration = cfg
	}
	for _, in := range a.Inputs {
		out.InputArtifacts = append(out.InputArtifacts, &InputArtifact{Name: in.Name})
	}
	for i, o := range a.Outputs {
		oa := &OutputArtifact{Name: o.Name}
		if i == 0 && len(a.OutputFiles) > 0 {
			oa.Files = a.OutputFiles
		}
		out.OutputArtifacts = append(out.OutputArtifacts, oa)
	}
	for _, e := range a.EnvironmentVariables {
		out.EnvironmentVariables = append(out.EnvironmentVariables, &EnvironmentVariable{Name: e.Name, Value: e.Value, Type: e.Type})
	}
	return out
}

func nonEmpty(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return m
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
