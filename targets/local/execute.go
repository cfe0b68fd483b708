package local

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// execute runs the action through the runner its kind needs, as
// graph.Action.LocalMode decides (so plan and apply agree).
func (s *scheduler) execute(ctx context.Context, j *job) *outcome {
	a := j.a
	mode, reason := a.LocalMode()
	if mode == graph.LocalNotEmulated {
		j.log.Own("Not emulated locally: %s", reason)
		return &outcome{status: StatusNotEmulated, summary: "Not emulated locally"}
	}
	if out := s.cached(j); out != nil {
		j.log.Own("Cache hit: %s", out.summary)
		return out
	}
	if d := s.prepare(j); d != nil {
		return failed("cannot prepare the inputs", d)
	}
	switch {
	case mode == graph.LocalApproval:
		return s.approval(ctx, j)
	case a.Local != nil:
		return s.localBlock(ctx, j)
	case a.Type.Category == graph.CategorySource:
		return s.source(ctx, j)
	case a.Type.Provider == "CodeBuild":
		return s.codebuild(ctx, j)
	case a.Type.Provider == "Commands":
		return s.commands(ctx, j)
	case a.Type.Provider == "CodeDeploy":
		return s.codedeploy(ctx, j)
	case a.Type.Provider == "S3" && a.Type.Category == graph.CategoryDeploy:
		return s.s3deploy(j)
	}
	j.log.Own("Not emulated locally: %s", reason)
	return &outcome{status: StatusNotEmulated, summary: "Not emulated locally"}
}

// stopped is the outcome of an action ended by cancellation.
func stopped() *outcome { return &outcome{status: StatusStopped, summary: "Stopped"} }

func (s *scheduler) source(ctx context.Context, j *job) *outcome {
	dir := s.opts.ConfigDir
	if p, ok := s.opts.Sources[j.a.Name]; ok {
		dir = p
	}
	var out string
	for _, o := range j.a.Outputs {
		out = j.outputs[o.Name]
	}
	if out == "" {
		out = filepath.Join(j.work, "snapshot")
	}
	r, diags := (&runners.Source{
		Provider: j.a.Type.Provider, Config: j.cfg, Dir: dir, Out: out,
		Exclude: []string{filepath.Base(s.opts.Layout.Root)}, Env: j.base, Log: j.log,
		Omit: nonEmpty(s.opts.SecretsFile), Name: j.a.Name, MaxEntries: s.opts.SourceEntries,
	}).Run(ctx)
	if ctx.Err() != nil {
		return stopped()
	}
	if diags.HasErrors() {
		return failed(diags[0].Summary, diags...)
	}
	return &outcome{status: StatusSucceeded, summary: fmt.Sprintf("Snapshot of %d files", r.Files), vars: r.Variables}
}

func (s *scheduler) approval(ctx context.Context, j *job) *outcome {
	id := j.a.ID()
	auto := false
	for _, x := range s.opts.Approve {
		auto = auto || x == "all" || x == id
	}
	minutes := j.a.TimeoutInMinutes
	if minutes == 0 {
		minutes = 7 * 24 * 60 // CodePipeline's default: seven days
	}
	file := s.opts.Layout.ApprovalFile(s.run.ID, id)
	os.Remove(file) // an earlier attempt's decision does not count
	ap := &runners.Approval{
		Message: j.cfg["CustomData"], Link: j.cfg["ExternalEntityLink"],
		AutoApprove: auto, By: orUnknown(s.opts.User),
		DecisionFile: file, Poll: s.opts.ApprovalPoll,
		Timeout: time.Duration(minutes) * s.opts.Minute,
		Now:     s.opts.Now, Log: j.log,
		Waiting: func() {
			s.mu.Lock()
			defer s.mu.Unlock()
			j.st.Status = StatusWaiting
			// The run may wait for days: its snapshot says so.
			s.recordAction(j.a)
			s.save()
			s.opts.Hooks.ActionWaiting(s.run, j.st, fmt.Sprintf("waiting for approval: pipeform approve %s %s", s.run.ID, id))
		},
	}
	if s.opts.Prompt != nil {
		ap.Prompt = func(ctx context.Context, q string) (bool, string, error) { return s.opts.Prompt(ctx, id, q) }
	}
	d, diags := ap.Run(ctx)
	if ctx.Err() != nil {
		return stopped()
	}
	if diags.HasErrors() {
		return failed(diags[0].Summary, diags...)
	}
	s.mu.Lock()
	j.st.Approval = d
	s.mu.Unlock()
	summary := "Approved by " + d.By
	if !d.Approved {
		summary = "Rejected by " + d.By
	}
	if d.Comment != "" {
		summary += ": " + d.Comment
	}
	if !d.Approved {
		return &outcome{status: StatusFailed, summary: summary, errorCode: "ActionRejected"}
	}
	return &outcome{status: StatusSucceeded, summary: summary}
}

// primaryInput is the input that becomes CODEBUILD_SRC_DIR (PrimarySource,
// else the first input) and the other inputs by name.
func primaryInput(j *job) (string, map[string]string) {
	primary := j.cfg["PrimarySource"]
	if primary == "" && len(j.a.Inputs) > 0 {
		primary = j.a.Inputs[0].Name
	}
	secondary := map[string]string{}
	for name, dir := range j.inputs {
		if name != primary {
			secondary[name] = dir
		}
	}
	return j.inputs[primary], secondary
}

func (s *scheduler) localBlock(ctx context.Context, j *job) *outcome {
	src, secondary := primaryInput(j)
	if src == "" {
		src = filepath.Join(j.work, "src")
		os.MkdirAll(src, 0o755)
	}
	env := append([]string{}, j.base...)
	env = append(env, "CODEBUILD_SRC_DIR="+src, "PIPEFORM_PIPELINE="+s.run.Pipeline,
		"PIPEFORM_ACTION="+j.a.ID(), "PIPEFORM_EXECUTION_ID="+s.run.ID)
	for _, name := range sortedKeys(secondary) {
		env = append(env, "CODEBUILD_SRC_DIR_"+name+"="+secondary[name])
	}
	for _, name := range sortedKeys(j.outputs) {
		env = append(env, "PIPEFORM_OUTPUT_"+name+"="+j.outputs[name])
	}
	for _, k := range sortedKeys(j.cfg) {
		env = append(env, "PIPEFORM_CONFIG_"+k+"="+j.cfg[k])
	}
	for _, kv := range j.env {
		env = append(env, kv.Key+"="+kv.Value)
	}
	r, diags := (&runners.LocalBlock{
		Commands: j.localCommands, Shell: j.a.Local.Shell, Dir: src, Env: env,
		Export: j.a.Variables, Scratch: filepath.Join(j.work, "local"), Stdout: j.log,
	}).Run(ctx)
	if ctx.Err() != nil {
		return stopped()
	}
	if diags.HasErrors() {
		return failed(diags[0].Summary, diags...)
	}
	if !r.Succeeded {
		return failed("Local block failed: " + r.Failed)
	}
	return &outcome{status: StatusSucceeded, summary: "Local block succeeded", vars: r.Variables}
}

func (s *scheduler) codedeploy(ctx context.Context, j *job) *outcome {
	var bundle string
	for _, dir := range j.inputs {
		bundle = dir
	}
	app, group := j.cfg["ApplicationName"], j.cfg["DeploymentGroupName"]
	root := filepath.Join(s.opts.Layout.DeployDir(), safeName(app), safeName(group))
	deployID := "d-" + strings.ToUpper(strings.ReplaceAll(j.st.ExecutionID, "-", ""))
	if len(deployID) > 11 {
		deployID = deployID[:11]
	}
	diags := (&runners.CodeDeploy{
		Bundle: bundle, Target: root,
		State:       filepath.Join(s.opts.Layout.DeployDir(), safeName(app), "."+safeName(group)+".state"),
		Application: app, DeploymentGroup: group, DeploymentID: deployID, DeploymentGroupID: "local-" + safeName(group),
		Env: j.base, Log: j.log,
	}).Run(ctx)
	if ctx.Err() != nil {
		return stopped()
	}
	if diags.HasErrors() {
		return failed(diags[0].Summary, diags...)
	}
	return &outcome{status: StatusSucceeded, summary: "Deployed to " + root, externalID: deployID}
}

func (s *scheduler) s3deploy(j *job) *outcome {
	var art string
	for _, dir := range j.inputs {
		art = dir
	}
	bucket := filepath.Join(s.opts.Layout.DeployDir(), "s3", safeName(j.cfg["BucketName"]))
	diags := (&runners.S3Deploy{
		Artifact: art, Bucket: bucket, Extract: strings.EqualFold(j.cfg["Extract"], "true"),
		ObjectKey: j.cfg["ObjectKey"], Log: j.log,
	}).Run()
	if diags.HasErrors() {
		return failed(diags[0].Summary, diags...)
	}
	return &outcome{status: StatusSucceeded, summary: "Deployed to " + bucket}
}

// nonEmpty is the list of the given strings that are not empty.
func nonEmpty(ss ...string) []string {
	var out []string
	for _, s := range ss {
		if s != "" {
			out = append(out, s)
		}
	}
	return out
}

// safeName keeps a configuration value usable as one path element.
func safeName(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == '/' || r == '\\' || r == 0 {
			return '_'
		}
		return r
	}, s)
	if s == "" || s == "." || s == ".." {
		return "_"
	}
	return s
}

// envVar is one entry of CodePipeline's EnvironmentVariables JSON.
type envVar struct {
	Name  string `json:"name"`
	Value string `json:"value"`
	Type  string `json:"type"`
}

func parseEnvironmentVariables(raw string) ([]envVar, error) {
	var vars []envVar
	err := json.Unmarshal([]byte(raw), &vars)
	return vars, err
}

// failDiags keeps only the error diagnostics (warnings of a build that
// failed anyway would only repeat its log).
func failDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	var out hcl.Diagnostics
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			out = append(out, d)
		}
	}
	return out
}
