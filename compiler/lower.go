package compiler

import (
	"sort"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// DefaultPipelineType is the pipeline type used when `type` is not written:
// V2, the console's default. The graph always carries it explicitly, because
// an API or CloudFormation request without it creates a V1 pipeline.
const DefaultPipelineType = "V2"

// DefaultExecutionMode is the execution mode when none is written.
const DefaultExecutionMode = "SUPERSEDED"

// lowerProjects builds the graph's CodeBuild projects, buildspecs included.
func lowerProjects(s *state) []*graph.Project {
	out := make([]*graph.Project, 0, len(s.cfg.Projects))
	for _, p := range s.cfg.Projects {
		gp := lowerProject(p)
		s.projects[p] = gp
		out = append(out, gp)
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func lowerProject(p *config.Project) *graph.Project {
	return &graph.Project{
		Name:                   p.Name,
		Description:            p.Description,
		Image:                  p.Image,
		ComputeType:            p.ComputeType,
		EnvironmentType:        p.EnvironmentType,
		Privileged:             p.Privileged,
		TimeoutInMinutes:       p.Timeout,
		QueuedTimeoutInMinutes: p.QueuedTimeout,
		Tags:                   copyMap(p.Tags),
		Buildspec:              lowerBuildspec(p),
		Batch:                  lowerBatchConfig(p.Batch),
		DeclRange:              p.DeclRange,
	}
}

// lowerBuildspec builds the version 0.2 buildspec of a project. Maps become
// key-sorted lists, so the emitted file is deterministic.
func lowerBuildspec(p *config.Project) *graph.Buildspec {
	bs := &graph.Buildspec{Version: "0.2", RunAs: p.RunAs}
	if e := p.Env; e != nil {
		bs.Env = &graph.BuildEnv{
			Shell:               e.Shell,
			Variables:           keyValues(e.Variables),
			ParameterStore:      keyValues(e.ParameterStore),
			SecretsManager:      keyValues(e.SecretsManager),
			ExportedVariables:   copyStrings(e.Exported),
			GitCredentialHelper: e.GitCredentialHelper,
			SensitiveVariables:  copyStrings(e.SensitiveVariables),
		}
	}
	if p.Proxy != nil {
		bs.Proxy = &graph.Proxy{UploadArtifacts: p.Proxy.UploadArtifacts, Logs: p.Proxy.Logs}
	}
	for _, ph := range p.Phases {
		i := phaseIndex(ph.Name)
		if i < 0 {
			continue // the decoder rejects unknown phase names
		}
		gp := &graph.Phase{
			RunAs:           ph.RunAs,
			OnFailure:       ph.OnFailure,
			RuntimeVersions: keyValues(ph.RuntimeVersions),
			Commands:        copyStrings(ph.Commands),
			Finally:         copyStrings(ph.Finally),
		}
		if ph.CommandsSet && gp.Commands == nil {
			gp.Commands = []string{}
		}
		bs.Phases[i] = gp
	}
	for _, r := range p.Reports {
		bs.Reports = append(bs.Reports, &graph.Report{
			Name:          r.Name,
			Files:         copyStrings(r.Files),
			BaseDirectory: r.BaseDirectory,
			DiscardPaths:  r.DiscardPaths,
			FileFormat:    r.Format,
		})
	}
	if p.Artifacts != nil || len(p.SecondaryArtifacts) > 0 {
		a := &graph.Artifacts{}
		if p.Artifacts != nil {
			*a = lowerArtifacts(p.Artifacts)
		}
		if a.Files == nil {
			// CodeBuild requires the top-level files list even when only
			// secondary artifacts are used (BUILDSPEC.md §10).
			a.Files = []string{"**/*"}
		}
		for _, s := range p.SecondaryArtifacts {
			a.Secondary = append(a.Secondary, &graph.SecondaryArtifact{
				Identifier: s.Identifier,
				Artifacts:  lowerArtifacts(s),
			})
		}
		bs.Artifacts = a
	}
	if c := p.Cache; c != nil {
		bs.Cache = &graph.Cache{
			Key:          c.Key,
			FallbackKeys: copyStrings(c.FallbackKeys),
			Action:       c.Action,
			Paths:        copyStrings(c.Paths),
		}
	}
	if p.Batch != nil {
		bs.Batch = lowerBatch(p.Batch)
	}
	return bs
}

func lowerArtifacts(a *config.Artifacts) graph.Artifacts {
	return graph.Artifacts{
		Files:          copyStrings(a.Files),
		Name:           a.Name,
		DiscardPaths:   a.DiscardPaths,
		BaseDirectory:  a.BaseDirectory,
		ExcludePaths:   copyStrings(a.ExcludePaths),
		EnableSymlinks: a.EnableSymlinks,
		S3Prefix:       a.S3Prefix,
	}
}

func phaseIndex(name string) int {
	for i, n := range graph.PhaseNames {
		if n == name {
			return i
		}
	}
	return -1
}

// lowerPipelines builds every pipeline's nodes. Actions get their type,
// configuration and project here; link fills in producers, references and
// upstream edges.
func lowerPipelines(s *state) []*graph.Pipeline {
	byName := map[string]*graph.Project{}
	for _, p := range s.g.Projects {
		byName[p.Name] = p
	}
	out := make([]*graph.Pipeline, 0, len(s.cfg.Pipelines))
	for _, cp := range s.cfg.Pipelines {
		out = append(out, lowerPipeline(s, cp, byName))
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func lowerPipeline(st *state, cp *config.Pipeline, projects map[string]*graph.Project) *graph.Pipeline {
	p := &graph.Pipeline{
		Name:          cp.Name,
		Type:          cp.Type,
		ExecutionMode: cp.ExecutionMode,
		RoleARN:       cp.RoleARN,
		Region:        cp.Region,
		Tags:          copyMap(cp.Tags),
		DeclRange:     cp.DeclRange,
	}
	st.pipelines[p] = cp
	if p.Type == "" {
		p.Type = DefaultPipelineType
	}
	if p.ExecutionMode == "" {
		p.ExecutionMode = DefaultExecutionMode
	}
	for _, s := range cp.ArtifactStores {
		st := &graph.ArtifactStore{Type: "S3", Location: s.Location, EncryptionKey: s.EncryptionKey}
		if s.Region == "" {
			p.ArtifactStore = st
			continue
		}
		if p.ArtifactStores == nil {
			p.ArtifactStores = map[string]*graph.ArtifactStore{}
		}
		p.ArtifactStores[s.Region] = st
	}
	for _, v := range cp.Variables {
		p.Variables = append(p.Variables, &graph.PipelineVariable{
			Name: v.Name, DefaultValue: v.Default, HasDefault: v.HasDefault,
			Sensitive: v.Sensitive, Description: v.Description, DeclRange: v.DeclRange,
		})
	}
	for _, t := range cp.Triggers {
		p.Triggers = append(p.Triggers, &graph.Trigger{
			ProviderType:     t.ProviderType,
			SourceActionName: t.SourceActionName,
			Push:             lowerFilters(t.Push),
			PullRequest:      lowerFilters(t.PullRequest),
			DeclRange:        t.DeclRange,
		})
	}
	for _, n := range cp.Notifications {
		p.Notifications = append(p.Notifications, &graph.Notification{
			Name: n.Name, DetailTypes: copyStrings(n.DetailTypes), States: copyStrings(n.States),
			TargetARN: n.TargetARN, DeclRange: n.DeclRange,
		})
	}
	for _, rs := range cp.RoleStatements {
		effect := rs.Effect
		if effect == "" {
			effect = "Allow"
		}
		p.RoleStatements = append(p.RoleStatements, &graph.PolicyStatement{
			Sid: rs.Sid, Effect: effect, Actions: copyStrings(rs.Actions), Resources: copyStrings(rs.Resources), DeclRange: rs.DeclRange,
		})
	}
	for i, cs := range cp.Stages {
		s := &graph.Stage{
			Name:        cs.Name,
			Index:       i,
			BeforeEntry: lowerConditions(cs.BeforeEntry),
			OnSuccess:   lowerConditions(cs.OnSuccess),
			DeclRange:   cs.DeclRange,
		}
		st.stages[s] = cs
		if f := cs.OnFailure; f != nil {
			s.OnFailure = &graph.FailureConditions{Result: f.Result, RetryMode: f.RetryMode}
			if c := lowerConditions(&f.Conditions); c != nil {
				s.OnFailure.Conditions = *c
			}
		}
		for _, ca := range cs.Actions {
			a := lowerAction(ca, projects)
			a.Pipeline, a.Stage = p, s
			if a.Region == p.Region {
				// The pipeline's own Region: not a cross-Region action, so
				// it needs no extra artifact store and emits no region.
				a.Region = ""
			}
			s.Actions = append(s.Actions, a)
			st.actions[a] = ca
		}
		// Stable: actions of one run order keep their declaration order.
		sort.SliceStable(s.Actions, func(i, j int) bool { return s.Actions[i].RunOrder < s.Actions[j].RunOrder })
		p.Stages = append(p.Stages, s)
	}
	return p
}

func lowerFilters(fs []*config.GitFilter) []*graph.GitFilter {
	var out []*graph.GitFilter
	for _, f := range fs {
		out = append(out, &graph.GitFilter{
			Branches:  lowerIncEx(f.Branches),
			Tags:      lowerIncEx(f.Tags),
			FilePaths: lowerIncEx(f.FilePaths),
			Events:    copyStrings(f.Events),
		})
	}
	return out
}

func lowerIncEx(ie *config.IncludeExclude) *graph.IncludeExclude {
	if ie == nil {
		return nil
	}
	return &graph.IncludeExclude{Includes: copyStrings(ie.Includes), Excludes: copyStrings(ie.Excludes)}
}

func lowerConditions(c *config.Conditions) *graph.Conditions {
	if c == nil || len(c.Conditions) == 0 {
		return nil
	}
	out := &graph.Conditions{}
	for _, cc := range c.Conditions {
		gc := &graph.Condition{Result: cc.Result}
		for _, r := range cc.Rules {
			gc.Rules = append(gc.Rules, &graph.Rule{
				Name: r.Name, Provider: r.Provider, Version: "1",
				Configuration:  copyMap(r.Configuration),
				Commands:       copyStrings(r.Commands),
				InputArtifacts: copyStrings(r.InputArtifacts),
				RoleARN:        r.RoleARN, Region: r.Region, DeclRange: r.DeclRange,
			})
		}
		out.Conditions = append(out.Conditions, gc)
	}
	return out
}

func keyValues(m map[string]string) []graph.KeyValue {
	// An empty map (often a for_each instance with nothing to set) writes no
	// key at all rather than an empty mapping.
	if len(m) == 0 {
		return nil
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	out := make([]graph.KeyValue, 0, len(keys))
	for _, k := range keys {
		out = append(out, graph.KeyValue{Key: k, Value: m[k]})
	}
	return out
}

func copyStrings(s []string) []string {
	if s == nil {
		return nil
	}
	return append([]string{}, s...)
}

func copyMap(m map[string]string) map[string]string {
	if m == nil {
		return nil
	}
	out := make(map[string]string, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}
