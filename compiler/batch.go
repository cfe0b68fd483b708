package compiler

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/dag"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/constraints"
)

// batchKind is the kind of a batch block: the kind written, else the one
// its blocks make (a build with depend_on makes a build graph).
func batchKind(b *config.Batch) string {
	switch {
	case b.Kind != "":
		return b.Kind
	case b.Matrix != nil:
		return "build-matrix"
	case b.Fanout != nil:
		return "build-fanout"
	}
	for _, bb := range b.Builds {
		if len(bb.DependOn) > 0 {
			return "build-graph"
		}
	}
	return "build-list"
}

// lowerBatch writes a batch block as the buildspec's batch section, with
// the key names and value types of the YAML (AWS's batch buildspec
// reference), which the buildspec target emits and the executor reads.
func lowerBatch(b *config.Batch) map[string]any {
	m := map[string]any{}
	if b.FastFail != nil {
		m["fast-fail"] = *b.FastFail
	}
	switch kind := batchKind(b); kind {
	case "build-matrix":
		mx := map[string]any{}
		if x := b.Matrix; x != nil {
			static := map[string]any{}
			putBool(static, "ignore-failure", x.IgnoreFailure)
			putBool(static, "debug-session", x.DebugSession)
			if x.StaticEnv != nil {
				static["env"] = batchEnv(x.StaticEnv)
			}
			if len(static) > 0 {
				mx["static"] = static
			}
			dynamic := map[string]any{}
			if x.Buildspecs != nil {
				dynamic["buildspec"] = anyList(x.Buildspecs)
			}
			if e := x.DynamicEnv; e != nil {
				env := map[string]any{}
				if e.ComputeTypes != nil {
					env["compute-type"] = anyList(e.ComputeTypes)
				}
				if e.Images != nil {
					env["image"] = anyList(e.Images)
				}
				if e.MatrixVariables != nil {
					vars := map[string]any{}
					for k, v := range e.MatrixVariables {
						vars[k] = anyList(v)
					}
					env["variables"] = vars
				}
				dynamic["env"] = env
			}
			if len(dynamic) > 0 {
				mx["dynamic"] = dynamic
			}
		}
		m[kind] = mx
	case "build-fanout":
		f := map[string]any{}
		if b.Fanout != nil {
			f["parallelism"] = b.Fanout.Parallelism
			putBool(f, "ignore-failure", b.Fanout.IgnoreFailure)
		}
		m[kind] = f
	default:
		tasks := []any{}
		for _, bb := range b.Builds {
			t := map[string]any{"identifier": bb.Identifier}
			if bb.Buildspec != "" {
				t["buildspec"] = bb.Buildspec
			}
			if bb.DependOn != nil {
				t["depend-on"] = anyList(bb.DependOn)
			}
			putBool(t, "debug-session", bb.DebugSession)
			putBool(t, "ignore-failure", bb.IgnoreFailure)
			if bb.Env != nil {
				t["env"] = batchEnv(bb.Env)
			}
			tasks = append(tasks, t)
		}
		m[kind] = tasks
	}
	return m
}

func batchEnv(e *config.BatchEnv) map[string]any {
	env := map[string]any{}
	for k, v := range map[string]string{"compute-type": e.ComputeType, "image": e.Image, "type": e.Type, "fleet": e.Fleet} {
		if v != "" {
			env[k] = v
		}
	}
	putBool(env, "privileged-mode", e.PrivilegedMode)
	if e.Variables != nil {
		vars := map[string]any{}
		for k, v := range e.Variables {
			vars[k] = v
		}
		env["variables"] = vars
	}
	return env
}

func putBool(m map[string]any, key string, b *bool) {
	if b != nil {
		m[key] = *b
	}
}

func anyList(ss []string) []any {
	out := make([]any, len(ss))
	for i, s := range ss {
		out[i] = s
	}
	return out
}

func lowerBatchConfig(b *config.Batch) *graph.BatchConfig {
	if b == nil {
		return nil
	}
	return &graph.BatchConfig{
		CombineArtifacts: b.CombineArtifacts, TimeoutInMins: b.Timeout, ReportMode: b.ReportMode,
		MaximumBuilds: b.MaximumBuilds, ComputeTypesAllowed: copyStrings(b.ComputeTypesAllowed),
	}
}

// checkBatch: a batch block is one kind of batch (build blocks, a matrix or
// a fanout), its depend_on names builds of the batch without a cycle, and
// its settings take values CodeBuild accepts (batch build buildspec
// reference; ProjectBuildBatchConfig).
func checkBatch(s *state, code Code) {
	forProjects(s, func(cp *config.Project, gp *graph.Project) {
		b := cp.Batch
		if b == nil {
			return
		}
		bad := func(rng hcl.Range, format string, args ...any) {
			s.d.errorf(code, "Invalid batch", rng, b.DeclRange, format, args...)
		}
		n := 0
		for _, has := range []bool{len(b.Builds) > 0, b.Matrix != nil, b.Fanout != nil} {
			if has {
				n++
			}
		}
		kind := batchKind(b)
		switch {
		case !contains(graph.BatchKinds, kind):
			bad(b.Ranges.Rng("kind", b.DeclRange), "The batch of project %q has kind %q; CodeBuild's batch kinds are build-list, build-graph, build-matrix and build-fanout.%s",
				cp.Name, kind, constraints.DidYouMean(kind, graph.BatchKinds))
			return
		case n != 1:
			bad(b.DeclRange, "The batch of project %q must have either build blocks (a build list or graph), one matrix block or one fanout block; it has %d of those kinds. A batch is one kind of batch.", cp.Name, n)
			return
		case (kind == "build-matrix") != (b.Matrix != nil), (kind == "build-fanout") != (b.Fanout != nil):
			bad(b.Ranges.Rng("kind", b.DeclRange), "The batch of project %q has kind %q, which does not match its blocks: build blocks make a build-list or build-graph, a matrix block a build-matrix, a fanout block a build-fanout. Remove kind to derive it.", cp.Name, kind)
			return
		}
		// report_mode, compute_types_allowed and the builds' compute_type
		// and type are the constraint table's (checkConstraints).
		// The batch timeout's range is not in the API model (timeoutInMins
		// is a bare WrapperInt) nor in the user guide: 5 is CodeBuild's
		// minimum build timeout (the quotas page,
		// https://docs.aws.amazon.com/codebuild/latest/userguide/limits.html),
		// and the console's batch timeout range has followed the build
		// timeout's (5-480 while builds ran at most 480 minutes,
		// https://github.com/aws/aws-sdk/issues/624), whose maximum is now
		// 2160, the API's default for timeoutInMins.
		if b.Ranges.Has("timeout") && (b.Timeout < 5 || b.Timeout > 2160) {
			bad(b.Ranges.Rng("timeout", b.DeclRange), "The batch of project %q has timeout %d; CodeBuild accepts 5 to 2160 minutes for a batch. Set one in that range, or leave timeout out for CodeBuild's default.", cp.Name, b.Timeout)
		}
		checkBatchRestrictions(s, code, cp, gp)
		if f := b.Fanout; f != nil && f.Parallelism < 1 {
			bad(f.Ranges.Rng("parallelism", f.DeclRange), "The fanout of project %q needs parallelism, the number of builds to run (at least 1).", cp.Name)
		}
		if x := b.Matrix; x != nil && len(x.Buildspecs) == 0 && (x.DynamicEnv == nil || len(x.DynamicEnv.ComputeTypes)+len(x.DynamicEnv.Images)+len(x.DynamicEnv.MatrixVariables) == 0) {
			bad(x.DeclRange, "The matrix of project %q has no dynamic values, so it makes no builds. Add a dynamic block with buildspec, or an env with compute_type, image or variables lists.", cp.Name)
		}
		checkBatchBuilds(s, code, cp, kind)
	})
}

// checkBatchBuilds checks the build blocks: depend_on only in a graph,
// naming builds of the batch, without a cycle; compute_type and fleet not
// both.
func checkBatchBuilds(s *state, code Code, cp *config.Project, kind string) {
	b := cp.Batch
	ids := map[string]bool{}
	var names []string
	for _, bb := range b.Builds {
		ids[bb.Identifier] = true
		names = append(names, bb.Identifier)
	}
	g := dag.New[string]()
	for _, bb := range b.Builds {
		g.Add(bb.Identifier)
		if e := bb.Env; e != nil && e.ComputeType != "" && e.Fleet != "" {
			s.d.errorf(code, "Invalid batch", e.Ranges.Rng("fleet", e.DeclRange), bb.DeclRange,
				"Batch build %q of project %q sets both compute_type and fleet; CodeBuild takes one of them for a build.", bb.Identifier, cp.Name)
		}
		if len(bb.DependOn) > 0 && kind != "build-graph" {
			s.d.errorf(code, "Invalid batch", bb.Ranges.Rng("depend_on", bb.DeclRange), bb.DeclRange,
				"Batch build %q of project %q has depend_on, which only a build-graph has; the batch's kind is %s. Remove kind (depend_on makes a build graph) or set kind = \"build-graph\".", bb.Identifier, cp.Name, kind)
			continue
		}
		for _, d := range bb.DependOn {
			if !ids[d] {
				s.d.errorf(code, "Unknown batch build", bb.Ranges.Rng("depend_on", bb.DeclRange), bb.DeclRange,
					"Batch build %q of project %q depends on %q, which is no build of the batch; the builds are %s.%s", bb.Identifier, cp.Name, d, quoteList(names), constraints.DidYouMean(d, names))
				continue
			}
			g.Connect(d, bb.Identifier)
		}
	}
	if c := g.Cycles(); c != nil {
		s.d.errorf(code, "Cycle in batch builds", b.DeclRange, cp.DeclRange,
			"The builds of project %q depend on each other in a loop (%s). CodeBuild would never start them; remove one of the depend_on entries.", cp.Name, c.Error())
	}
}

// checkBatchEnabled: an action that runs its project as a batch
// (batch_enabled) needs a project with a batch block, as StartBuildBatch
// needs the buildspec's batch section; an action that runs a batch-only
// project (no phases) needs batch_enabled, or its single build runs
// nothing.
func checkBatchEnabled(s *state, code Code) {
	for _, p := range s.g.Pipelines {
		for _, a := range p.Actions() {
			if a.Project == nil || a.Project.Buildspec == nil {
				continue
			}
			bs := a.Project.Buildspec
			switch batch := a.Configuration["BatchEnabled"] == "true"; {
			case batch && bs.Batch == nil:
				s.d.errorf(code, "Batch not configured", a.DeclRange, hcl.Range{},
					"Action %s runs project %q as a batch (batch_enabled = true), but the project has no batch block, so CodeBuild has no builds to start. Add a batch block to the project, or remove batch_enabled.", a.ID(), a.Project.Name)
			case !batch && bs.Batch != nil && !graphHasPhases(bs):
				s.d.errorf(code, "Batch not enabled", a.DeclRange, hcl.Range{},
					"Action %s runs project %q as a single build, but the project has only a batch and no phases, so the build would run nothing (CodeBuild starts the batch only for StartBuildBatch). Set batch_enabled = true in the codebuild block, or give the project phases.", a.ID(), a.Project.Name)
			}
		}
	}
}

func graphHasPhases(b *graph.Buildspec) bool {
	for _, ph := range b.Phases {
		if ph != nil {
			return true
		}
	}
	return false
}

// checkBatchRestrictions: the batch's restrictions admit the builds its
// block makes. CodeBuild fails a batch that makes more builds than
// maximum_builds ("If a batch exceeds this limit, the batch will fail",
// the console's batch configuration:
// https://docs.aws.amazon.com/codebuild/latest/userguide/create-project.html#create-project-console-batch-config),
// so a maximum below 1 fails every batch; and compute_types_allowed
// restricts the compute types the batch's builds may use (Batch builds,
// security role: https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build.html).
// The API model puts no bounds on maximumBuildsAllowed, and no upper one is
// documented, so none is checked.
func checkBatchRestrictions(s *state, code Code, cp *config.Project, gp *graph.Project) {
	b := cp.Batch
	bad := func(rng hcl.Range, format string, args ...any) {
		s.d.errorf(code, "Invalid batch", rng, b.DeclRange, format, args...)
	}
	if b.Ranges.Has("maximum_builds") {
		n := batchSize(b)
		switch {
		case b.MaximumBuilds < 1:
			bad(b.Ranges.Rng("maximum_builds", b.DeclRange), "The batch of project %q has maximum_builds %d, but a batch makes at least one build, so CodeBuild would fail every batch for exceeding it. Set maximum_builds to at least %d (the builds this batch makes), or leave it out.", cp.Name, b.MaximumBuilds, max(n, 1))
		case n > b.MaximumBuilds:
			bad(b.Ranges.Rng("maximum_builds", b.DeclRange), "The batch of project %q makes %d builds (its %s), more than its maximum_builds of %d, and CodeBuild fails a batch that exceeds its maximum. Raise maximum_builds to at least %d, or make fewer builds.", cp.Name, n, batchKind(b), b.MaximumBuilds, n)
		}
	}
	if len(b.ComputeTypesAllowed) == 0 {
		return
	}
	for _, u := range batchComputeUses(b, gp.ComputeType) {
		// A value CodeBuild does not know is the constraint table's error.
		if contains(constraints.Enum("project", "compute_type"), u.computeType) && !contains(b.ComputeTypesAllowed, u.computeType) {
			bad(u.rng, "%s of project %q runs on compute type %q, which the batch's compute_types_allowed (%s) does not allow, so CodeBuild refuses to run it. Add %q to compute_types_allowed, or give the build an allowed compute_type.", u.who, cp.Name, u.computeType, quoteList(b.ComputeTypesAllowed), u.computeType)
			return // one is enough: the others usually share the cause
		}
	}
}

// batchSize is the number of builds a batch block makes: its build blocks,
// its fan-out's parallelism, or the product of its matrix's dynamic lists
// (batch build buildspec reference).
func batchSize(b *config.Batch) int {
	switch {
	case b.Fanout != nil:
		return b.Fanout.Parallelism
	case b.Matrix != nil:
		n := max(len(b.Matrix.Buildspecs), 1)
		if e := b.Matrix.DynamicEnv; e != nil {
			n *= max(len(e.ComputeTypes), 1) * max(len(e.Images), 1)
			for _, vs := range e.MatrixVariables {
				n *= max(len(vs), 1)
			}
		}
		return n
	}
	return len(b.Builds)
}

// batchComputeUse is a compute type a batch build runs on, and where it
// comes from.
type batchComputeUse struct {
	who         string
	computeType string
	rng         hcl.Range
}

// batchComputeUses lists the compute types the builds of a batch run on:
// their own, else the project's (def). A build on a fleet has none.
func batchComputeUses(b *config.Batch, def string) []batchComputeUse {
	allowedRng := b.Ranges.Rng("compute_types_allowed", b.DeclRange)
	own := func(e *config.BatchEnv) (string, hcl.Range, bool) {
		switch {
		case e != nil && e.Fleet != "":
			return "", hcl.Range{}, false
		case e != nil && e.ComputeType != "":
			return e.ComputeType, e.Ranges.Rng("compute_type", e.DeclRange), true
		}
		return def, allowedRng, true
	}
	var out []batchComputeUse
	switch {
	case b.Fanout != nil:
		out = append(out, batchComputeUse{"Every build of the fan-out", def, allowedRng})
	case b.Matrix != nil:
		if d := b.Matrix.DynamicEnv; d != nil && len(d.ComputeTypes) > 0 {
			for i, ct := range d.ComputeTypes {
				out = append(out, batchComputeUse{"A build of the matrix", ct, d.Ranges.Rng(config.ElemKey("compute_type", i), d.DeclRange)})
			}
		} else if ct, rng, ok := own(b.Matrix.StaticEnv); ok {
			out = append(out, batchComputeUse{"Every build of the matrix", ct, rng})
		}
	default:
		for _, bb := range b.Builds {
			if ct, rng, ok := own(bb.Env); ok {
				out = append(out, batchComputeUse{fmt.Sprintf("Batch build %q", bb.Identifier), ct, rng})
			}
		}
	}
	return out
}
