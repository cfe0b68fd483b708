package local

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/dag"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Batch builds (batch build buildspec reference,
// https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build-buildspec.html).
// A CodeBuild action whose project has a batch section and whose
// BatchEnabled is "true" runs the batch instead of one build, as
// StartBuildBatch does:
//
//   - each build is a build of its own: a fresh copy of the source, its
//     own environment (the task's image, compute type and variables over
//     the project's; CODEBUILD_BATCH_BUILD_IDENTIFIER), its own buildspec
//     file when the task names one, and its own log;
//   - builds run in parallel, at most Options.Parallelism at once; a
//     build-graph task starts once every task in its depend-on has
//     completed ("This task will not run until these tasks are complete"),
//     and does not run at all when one of them failed;
//   - ignore-failure: "If this build task fails, the batch build can still
//     succeed" — its failure neither fails the batch nor stops its
//     dependents; any other failure fails the batch;
//   - fast-fail: true stops every running build when one fails; false (the
//     default) lets running builds complete;
//   - artifacts (CodePipeline's CombineArtifacts, action reference of the
//     CodeBuild action): combined, the action's output holds each build's
//     artifact in a folder named by its identifier; not combined, an output
//     artifact named like a build's identifier gets that build's artifact
//     (AWS's "batch build with individual artifacts" sample).
func (s *scheduler) batch(ctx context.Context, j *job, p *graph.Project, src string, secondary map[string]string) *outcome {
	plan, err := graph.ReadBatch(p.Buildspec.Batch)
	if err != nil {
		return failed("invalid batch", execDiag("Invalid batch", fmt.Sprintf("The batch of project %s cannot run: %v.", p.Name, err), &j.a.DeclRange))
	}
	specs, d := s.memberBuildspecs(j, p, plan, src)
	if d != nil {
		return failed("invalid batch", d)
	}
	fmt.Fprintf(j.log, "Batch %s of project %s: %d builds, at most %d at once%s\n", plan.Kind, p.Name, len(plan.Members), s.opts.Parallelism, map[bool]string{true: ", fast-fail"}[plan.FastFail])
	g := dag.New[string]()
	states := map[string]*BatchBuild{}
	var order []*BatchBuild
	for _, m := range plan.Members {
		g.Add(m.Identifier)
		st := &BatchBuild{Identifier: m.Identifier, Status: "SKIPPED", DependOn: m.DependOn, IgnoreFailure: m.IgnoreFailure,
			Image: orDefault(m.Image, orDefault(p.Image, "aws/codebuild/standard:7.0")), ComputeType: orDefault(m.ComputeType, orDefault(p.ComputeType, "BUILD_GENERAL1_SMALL")),
			Log: filepath.Join("logs", j.a.ID()+"."+m.Identifier+".log")}
		states[m.Identifier], order = st, append(order, st)
	}
	for _, m := range plan.Members {
		for _, dep := range m.DependOn {
			g.Connect(dep, m.Identifier)
		}
	}
	members := map[string]graph.BatchMember{}
	for _, m := range plan.Members {
		members[m.Identifier] = m
	}
	bctx, cancel := context.WithCancel(ctx)
	defer cancel()
	var mu sync.Mutex
	var groups []*reports.Group
	shared := &syncWriter{w: j.log}
	g.Walk(bctx, s.opts.Parallelism, func(ctx context.Context, id string) error {
		m := members[id]
		b, rs := s.member(ctx, j, p, m, specs[id], src, secondary, states[id], shared)
		mu.Lock()
		defer mu.Unlock()
		groups = append(groups, rs...)
		states[id].Status = runners.StatusStopped
		if b != nil {
			states[id].Status = b.BuildStatus
		}
		if states[id].Status == runners.StatusSucceeded || m.IgnoreFailure {
			return nil // an ignored failure does not hold up its dependents
		}
		if plan.FastFail && ctx.Err() == nil {
			fmt.Fprintf(shared, "Batch: build %s %s; fast-fail stops the other builds\n", id, states[id].Status)
			cancel()
		}
		return fmt.Errorf("%s", states[id].Status)
	})
	return s.batchOutcome(ctx, j, plan, order, groups)
}

// memberBuildspecs reads the buildspec of each build: its own file from
// the source, or the project's buildspec without its batch section.
func (s *scheduler) memberBuildspecs(j *job, p *graph.Project, plan *graph.BatchPlan, src string) (map[string]*graph.Buildspec, *hcl.Diagnostic) {
	own := *p.Buildspec
	own.Batch = nil
	out := map[string]*graph.Buildspec{}
	for _, m := range plan.Members {
		if m.Buildspec == "" {
			if !hasPhases(&own) {
				return nil, execDiag("Invalid batch", fmt.Sprintf("Build %s of the batch of project %s names no buildspec, and the project's own buildspec has no phases to run. Give the build a buildspec file, or the project a phase.", m.Identifier, p.Name), &j.a.DeclRange)
			}
			out[m.Identifier] = &own
			continue
		}
		rel := filepath.Clean(filepath.FromSlash(m.Buildspec))
		data, err := os.ReadFile(filepath.Join(src, rel))
		if err != nil || filepath.IsAbs(rel) || strings.HasPrefix(rel, "..") {
			return nil, execDiag("Batch buildspec not found", fmt.Sprintf("Build %s of the batch of project %s runs the buildspec %q, which the primary input does not have. CodeBuild reads it relative to CODEBUILD_SRC_DIR.", m.Identifier, p.Name, m.Buildspec), &j.a.DeclRange)
		}
		if s.opts.ParseBuildspec == nil {
			return nil, execDiag("Batch buildspec not read", "The batch names buildspec files, which this executor was given no parser for.", &j.a.DeclRange)
		}
		bs, diags := s.opts.ParseBuildspec(filepath.ToSlash(rel), data)
		if diags.HasErrors() {
			d := diags[0]
			return nil, execDiag("Invalid batch buildspec", fmt.Sprintf("Build %s of the batch of project %s: %s: %s", m.Identifier, p.Name, d.Summary, d.Detail), &j.a.DeclRange)
		}
		out[m.Identifier] = bs
	}
	return out, nil
}

func hasPhases(b *graph.Buildspec) bool {
	for _, ph := range b.Phases {
		if ph != nil {
			return true
		}
	}
	return false
}

// member runs one build of the batch in work/batch/<id>, logging to its
// own file and, prefixed with its identifier, to the action's log.
func (s *scheduler) member(ctx context.Context, j *job, p *graph.Project, m graph.BatchMember, bs *graph.Buildspec, src string, secondary map[string]string, st *BatchBuild, shared *syncWriter) (*runners.Build, []*reports.Group) {
	work := filepath.Join(j.work, "batch", m.Identifier)
	logPath := filepath.Join(s.opts.Layout.RunDir(s.run.ID), st.Log)
	f, err := os.Create(logPath)
	if err != nil {
		fmt.Fprintf(shared, "[%s] cannot write its log: %s\n", m.Identifier, runners.IOReason(err))
		return nil, nil
	}
	defer f.Close()
	prefixed := &prefixWriter{w: shared, prefix: "[" + m.Identifier + "] "}
	defer prefixed.flush()
	log := runners.NewMasker(io.MultiWriter(f, prefixed), j.mask)
	defer log.Flush()
	msrc := filepath.Join(work, "src")
	if err := runners.CopyTree(src, msrc); err != nil {
		fmt.Fprintf(log, "Cannot copy the source for this build: %s\n", runners.IOReason(err))
		return nil, nil
	}
	if err := os.MkdirAll(filepath.Join(work, "agent"), 0o700); err != nil {
		fmt.Fprintf(log, "Cannot prepare the build: %s\n", runners.IOReason(err))
		return nil, nil
	}
	q := *p
	q.Buildspec = bs
	if m.ComputeType != "" {
		q.ComputeType = m.ComputeType
	}
	minutes := orDefaultInt(p.TimeoutInMinutes, 60)
	buildID := p.Name + ":" + s.opts.NewID()
	st.BuildID = buildID
	cb := s.newCodeBuild(j, &q, msrc, secondary, st.Image, buildID, minutes, work, log)
	cb.BatchIdentifier = m.Identifier
	// The build's processes carry a tag of their own under the action's,
	// so the end of one build stops its own processes and not those of
	// the builds still running (the trailing "/" keeps build1 apart from
	// build10).
	cb.BaseEnv = runners.Tagged(j.base, s.actionTag(j.a)+"/"+m.Identifier+"/")
	cb.Env = append(append([]graph.KeyValue{}, j.env...), m.Variables...)
	b, diags := cb.Run(ctx)
	for _, d := range diags {
		fmt.Fprintf(log, "%s: %s\n", d.Summary, d.Detail)
	}
	if b == nil {
		return nil, nil
	}
	fmt.Fprintf(log, "Build %s %s\n", m.Identifier, b.BuildStatus)
	for _, g := range b.Reports {
		g.Name = m.Identifier + "/" + g.Name
	}
	return b, s.storeReports(j, b)
}

// batchOutcome settles the batch: its status, the output artifacts and the
// record of each build.
func (s *scheduler) batchOutcome(ctx context.Context, j *job, plan *graph.BatchPlan, builds []*BatchBuild, groups []*reports.Group) *outcome {
	var failedIDs []string
	for _, b := range builds {
		fmt.Fprintf(j.log, "Batch build %s: %s\n", b.Identifier, b.Status)
		if b.Status != runners.StatusSucceeded && !b.IgnoreFailure {
			failedIDs = append(failedIDs, b.Identifier)
		}
	}
	out := &outcome{reports: groups, batch: builds}
	if t := reports.Totals(groups); t != "" {
		defer func() { out.summary += " (" + t + ")" }()
	}
	if len(failedIDs) > 0 {
		if ctx.Err() != nil {
			return stopped()
		}
		out.status, out.errorCode = StatusFailed, "JobFailed"
		out.summary = fmt.Sprintf("Batch FAILED: %d of %d builds did not succeed (%s)", len(failedIDs), len(builds), strings.Join(failedIDs, ", "))
		return out
	}
	if d := s.batchArtifacts(j, builds); d != nil {
		return failed("cannot store the output artifacts", d)
	}
	out.status, out.summary = StatusSucceeded, fmt.Sprintf("Batch succeeded: %d builds", len(builds))
	return out
}

// batchArtifacts fills the action's outputs from the builds' primary
// artifacts: combined into the one output by identifier, or one output per
// build named by its identifier.
func (s *scheduler) batchArtifacts(j *job, builds []*BatchBuild) *hcl.Diagnostic {
	combine := j.cfg["CombineArtifacts"] == "true"
	for _, b := range builds {
		from := filepath.Join(j.work, "batch", b.Identifier, "artifacts", "primary")
		if _, err := os.Stat(from); err != nil {
			continue
		}
		var to string
		switch {
		case combine && len(j.a.Outputs) > 0:
			to = filepath.Join(j.outputs[j.a.Outputs[0].Name], b.Identifier)
		case !combine && j.outputs[b.Identifier] != "":
			to = j.outputs[b.Identifier]
		default:
			continue
		}
		if err := runners.CopyTree(from, to); err != nil {
			return execDiag("Cannot store an artifact", runners.IOReason(err)+".", nil)
		}
	}
	return nil
}

func orDefaultInt(n, def int) int {
	if n == 0 {
		return def
	}
	return n
}

// syncWriter serialises writes from the builds of a batch to the action's
// log.
type syncWriter struct {
	mu sync.Mutex
	w  io.Writer
}

func (w *syncWriter) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.w.Write(p)
}

// prefixWriter writes whole lines, each with prefix.
type prefixWriter struct {
	w      io.Writer
	prefix string
	buf    []byte
}

func (p *prefixWriter) Write(b []byte) (int, error) {
	p.buf = append(p.buf, b...)
	for {
		i := strings.IndexByte(string(p.buf), '\n')
		if i < 0 {
			break
		}
		line := append([]byte(p.prefix), p.buf[:i+1]...)
		p.buf = p.buf[i+1:]
		if _, err := p.w.Write(line); err != nil {
			return 0, err
		}
	}
	return len(b), nil
}

func (p *prefixWriter) flush() {
	if len(p.buf) > 0 {
		p.w.Write(append([]byte(p.prefix), append(p.buf, '\n')...))
		p.buf = nil
	}
}
