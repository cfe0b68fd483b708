package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// codebuild runs a CodeBuild action through the same runner as
// `pipeform exec`: the primary input in CODEBUILD_SRC_DIR, the others in
// CODEBUILD_SRC_DIR_<artifact>, the action's EnvironmentVariables over the
// buildspec's, the project timeout as the build timeout.
func (s *scheduler) codebuild(ctx context.Context, j *job) *outcome {
	return s.build(ctx, j, j.a.Project)
}

// commands runs a Compute/Commands action as CodePipeline does, on
// CodeBuild compute: its commands are the build phase of a buildspec whose
// exported-variables are the action's output variables and whose artifact
// is the action's output files; the timeout is the action's 55 minutes.
func (s *scheduler) commands(ctx context.Context, j *job) *outcome {
	a := j.a
	bs := &graph.Buildspec{Version: "0.2"}
	bs.Phases[2] = &graph.Phase{Commands: a.Commands}
	if len(a.OutputVariables) > 0 {
		bs.Env = &graph.BuildEnv{ExportedVariables: a.OutputVariables}
	}
	if len(a.Outputs) > 0 {
		files := a.OutputFiles
		if len(files) == 0 {
			files = []string{"**/*"}
		}
		bs.Artifacts = &graph.Artifacts{Files: files}
	}
	p := &graph.Project{
		Name: safeName(s.run.Pipeline + "-" + a.Stage.Name + "-" + a.Name), Image: "aws/codebuild/amazonlinux-x86_64-standard:5.0",
		ComputeType: j.cfg["ComputeType"], EnvironmentType: j.cfg["EnvironmentType"], TimeoutInMinutes: 55, Buildspec: bs,
	}
	return s.build(ctx, j, p)
}

// build runs one build of project p for the action.
func (s *scheduler) build(ctx context.Context, j *job, p *graph.Project) *outcome {
	if p == nil || p.Buildspec == nil {
		return failed("no project", execDiag("Missing CodeBuild project",
			fmt.Sprintf("Action %s has no CodeBuild project to run; set codebuild = project.<name>.", j.a.ID()), &j.a.DeclRange))
	}
	src, secondary := primaryInput(j)
	if src == "" {
		src = filepath.Join(j.work, "src")
		os.MkdirAll(src, 0o755)
	}
	if override := j.cfg["BuildspecOverride"]; override != "" {
		bs, diags := s.buildspecOverride(j, override, src)
		if diags.HasErrors() {
			return failed(firstSummary(diags, "Invalid BuildspecOverride"), failDiags(diags)...)
		}
		if bs != nil {
			q := *p
			q.Buildspec = bs
			p = &q
		}
	}
	if p.Buildspec.Batch != nil && j.cfg["BatchEnabled"] == "true" {
		return s.batch(ctx, j, p, src, secondary)
	}
	buildID := p.Name + ":" + s.opts.NewID()
	arn := fmt.Sprintf("arn:aws:codebuild:%s:%s:build/%s", s.opts.Region, s.opts.Account, buildID)
	minutes := p.TimeoutInMinutes
	if minutes == 0 {
		minutes = 60
	}
	image := p.Image
	if image == "" {
		image = "aws/codebuild/standard:7.0"
	}
	add := s.buildAdditional(j, p, image, minutes)
	_, stream, _ := strings.Cut(buildID, ":")
	add.Logs = &BuildLogs{GroupName: "/aws/codebuild/" + p.Name, StreamName: stream,
		DeepLink: "file://" + filepath.ToSlash(filepath.Join(s.opts.Layout.RunDir(s.run.ID), j.st.Log))}
	s.events.emit(DetailBuildState, "aws.codebuild", arn, &BuildStateDetail{
		BuildStatus: "IN_PROGRESS", ProjectName: p.Name, BuildID: arn, CurrentPhase: "SUBMITTED",
		CurrentPhaseContext: "[]", Version: "1", AdditionalInformation: add,
	})
	artifacts := filepath.Join(j.work, "artifacts")
	if err := os.MkdirAll(filepath.Join(j.work, "agent"), 0o700); err != nil {
		return failed("cannot prepare the build", execDiag("Cannot write the run record", err.Error()+".", nil))
	}
	cb := s.newCodeBuild(j, p, src, secondary, image, buildID, minutes, j.work, j.sink)
	var failure *runners.FailureState
	cb.Failure = func(f runners.FailureState) { failure = &f }
	b, diags := cb.Run(ctx)
	if failure != nil { // kept for pipeform debug (debug.go)
		s.saveDebugState(j, p, failure)
	}
	if b == nil {
		if ctx.Err() != nil {
			return stopped()
		}
		return failed(firstSummary(diags, "Build could not start"), failDiags(diags)...)
	}
	s.events.buildEvents(b, arn, add)
	out := &outcome{externalID: buildID, diags: failDiags(diags), reports: s.storeReports(j, b)}
	switch b.BuildStatus {
	case runners.StatusSucceeded:
		out.status, out.summary = StatusSucceeded, "Build succeeded"
	case runners.StatusStopped:
		return stopped()
	case runners.StatusTimedOut:
		out.status, out.errorCode = StatusTimedOut, "JobFailed"
		out.summary = fmt.Sprintf("Build timed out after %d minutes", minutes)
	default:
		if ctx.Err() != nil {
			return stopped()
		}
		out.status, out.errorCode = StatusFailed, "JobFailed"
		out.summary = "Build terminated with state: " + b.BuildStatus
	}
	if t := reports.Totals(out.reports); t != "" {
		out.summary += " (" + t + ")"
	}
	if out.status != StatusSucceeded {
		return out
	}
	if d := handOver(j, artifacts); d != nil {
		return failed("cannot store the output artifacts", d)
	}
	out.vars, out.shown = b.ExportedValues(), map[string]string{}
	for _, v := range b.ExportedEnvironmentVariables {
		out.shown[v.Name] = v.Value
	}
	maskSensitiveExports(p.Buildspec.Env, j, out)
	return out
}

// maskSensitiveExports shows as *** an exported variable that still holds
// the value a sensitive variable of the configuration gave the build's
// variable of that name: the project's env.variables entry, or the
// action's own environment variable (its EnvironmentVariables, which
// override the project's, as StartBuild's overrides do), also when it
// refers to a variable the run records masked (job.sensitiveEnv). The
// masking of
// text finds a sensitive string anyway, but not a sensitive bool's "true"
// or "false" (it would hide every true of a log); an output variable is a
// structured field, masked exactly. Its real value still goes to later
// actions, and the action is then not cached, as for a secret.
func maskSensitiveExports(env *graph.BuildEnv, j *job, out *outcome) {
	sensitive := map[string]string{} // name -> the value a sensitive variable gave it
	if env != nil {
		for _, kv := range env.Variables {
			if slices.Contains(env.SensitiveVariables, kv.Key) {
				sensitive[kv.Key] = kv.Value
			}
		}
	}
	for _, kv := range j.env {
		delete(sensitive, kv.Key)
		if slices.Contains(j.sensitiveEnv, kv.Key) {
			sensitive[kv.Key] = kv.Value
		}
	}
	for _, k := range sortedKeys(sensitive) {
		if v, ok := out.vars[k]; ok && v == sensitive[k] {
			out.shown[k] = runners.Mask
			out.fieldOnly = append(out.fieldOnly, k)
		}
	}
}

// newCodeBuild prepares the CodeBuild runner of one build of project p:
// its artifacts go to work/artifacts and the agent's scratch folder is made
// in work/agent.
func (s *scheduler) newCodeBuild(j *job, p *graph.Project, src string, secondary map[string]string, image, buildID string, minutes int, work string, log io.Writer) *runners.CodeBuild {
	return &runners.CodeBuild{
		Buildspec: p.Buildspec, SrcDir: src, SecondarySrc: secondary, Env: j.env,
		Secrets: s.opts.Secrets, ArtifactsDir: filepath.Join(work, "artifacts"), WorkDir: filepath.Join(work, "agent"),
		CacheDir: filepath.Join(s.opts.Layout.BuildCacheDir(), p.Name), NoCacheRestore: s.opts.NoCache,
		ProjectName: p.Name, BuildID: buildID, BuildNumber: 1, Region: s.opts.Region, Account: s.opts.Account,
		Image: image, Initiator: "codepipeline/" + s.run.Pipeline, ResolvedSourceVersion: j.sourceVersion,
		Action: "action " + j.a.ID(), Timeout: time.Duration(minutes) * s.opts.Minute,
		Log: log, Mask: j.mask, Now: s.opts.Now, BaseEnv: j.base,
	}
}

// storeReports puts each report group's files into the artifact store, so
// they outlive the work folder as artifacts of the run, and returns the
// groups with their digests.
func (s *scheduler) storeReports(j *job, b *runners.Build) []*reports.Group {
	for i, g := range b.Reports {
		if loc := b.ReportLocations[i]; loc != "" {
			d, err := s.store.Put(loc)
			if err != nil {
				fmt.Fprintf(j.log, "Report %s: cannot store its files: %s\n", g.Name, runners.IOReason(err))
				continue
			}
			g.Artifact = d
		}
	}
	return b.Reports
}

// buildspecOverride reads a CodeBuild action's BuildspecOverride as
// CodeBuild's StartBuild does: an inline buildspec (a value with a line
// break, or a JSON object), else a path relative to CODEBUILD_SRC_DIR. An S3
// object cannot be read without AWS, so it fails the action. nil without
// diagnostics means "run the project's buildspec" (no parser configured).
func (s *scheduler) buildspecOverride(j *job, override, src string) (*graph.Buildspec, hcl.Diagnostics) {
	if s.opts.ParseBuildspec == nil {
		j.log.Own("BuildspecOverride is not applied locally: the project's buildspec runs")
		return nil, nil
	}
	subject := &j.a.DeclRange
	trimmed := strings.TrimSpace(override)
	switch {
	case strings.HasPrefix(trimmed, "arn:"):
		return nil, hcl.Diagnostics{execDiag("BuildspecOverride not emulated",
			fmt.Sprintf("Action %s overrides its buildspec with the S3 object %s, which cannot be read locally. Use a path relative to the primary input (for example \"ci/buildspec.yml\") or an inline buildspec.", j.a.ID(), trimmed), subject)}
	case graph.InlineBuildspec(override): // the rule validate checks with, too
		j.log.Own("Using the inline BuildspecOverride")
		return s.opts.ParseBuildspec("BuildspecOverride of "+j.a.ID(), []byte(override))
	}
	rel := filepath.Clean(filepath.FromSlash(trimmed))
	if filepath.IsAbs(rel) || rel == ".." || strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
		return nil, hcl.Diagnostics{execDiag("Invalid BuildspecOverride",
			fmt.Sprintf("Action %s overrides its buildspec with %q, which is outside the primary input; CodeBuild reads a buildspec path relative to CODEBUILD_SRC_DIR.", j.a.ID(), trimmed), subject)}
	}
	data, err := os.ReadFile(filepath.Join(src, rel))
	if err != nil { // the error's text would name a scratch folder of the run
		return nil, hcl.Diagnostics{execDiag("BuildspecOverride file not found",
			fmt.Sprintf("Action %s overrides its buildspec with %q, but the primary input has no such file. CodeBuild reads the path relative to CODEBUILD_SRC_DIR; check the path, or that the file is part of the input artifact.", j.a.ID(), trimmed), subject)}
	}
	j.log.Own("Using the buildspec %s from BuildspecOverride", filepath.ToSlash(rel))
	return s.opts.ParseBuildspec(filepath.ToSlash(rel), data)
}

// buildAdditional is the additional-information of the build's events.
func (s *scheduler) buildAdditional(j *job, p *graph.Project, image string, minutes int) *BuildAdditional {
	primary := j.cfg["PrimarySource"]
	if primary == "" && len(j.a.Inputs) > 0 {
		primary = j.a.Inputs[0].Name
	}
	return &BuildAdditional{
		Initiator: "codepipeline/" + s.run.Pipeline, BuildStartTime: s.opts.Now().UTC().Format(codebuildTime),
		TimeoutInMinutes: minutes,
		Source:           &BuildSource{Type: "CODEPIPELINE", Location: ".pipeform/artifacts/" + j.st.Inputs[primary]},
		Environment: &BuildEnvironment{Image: image, PrivilegedMode: p.Privileged, ComputeType: orDefault(p.ComputeType, "BUILD_GENERAL1_SMALL"),
			Type: orDefault(p.EnvironmentType, "LINUX_CONTAINER"), EnvironmentVariables: []string{}},
	}
}

// handOver moves the build's collected artifacts into the action's output
// folders: one output is the primary artifact, several are the secondary
// artifacts by identifier.
func handOver(j *job, artifacts string) *hcl.Diagnostic {
	for _, o := range j.a.Outputs {
		from := filepath.Join(artifacts, "secondary", o.Name)
		if len(j.a.Outputs) == 1 {
			from = filepath.Join(artifacts, "primary")
		}
		if _, err := os.Stat(from); err != nil {
			continue
		}
		os.RemoveAll(j.outputs[o.Name])
		if err := os.Rename(from, j.outputs[o.Name]); err != nil {
			return execDiag("Cannot store an artifact", err.Error()+".", nil)
		}
	}
	return nil
}

func firstSummary(diags []*hcl.Diagnostic, def string) string {
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			return d.Summary
		}
	}
	return def
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}
