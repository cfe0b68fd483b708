package local

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"sort"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Forecast is what `apply` would do with one cacheable action (CodeBuild or
// Commands): reuse an identical earlier success, or run it and why.
type Forecast struct {
	// Cached: the action's cache key has an intact entry; RunID is the run
	// whose result would be reused.
	Cached bool
	RunID  string
	// Reason says why it runs: what changed since its last success (a
	// source file, the project definition, an upstream artifact, a
	// variable, a secret it uses), that it never succeeded, or that an
	// input is known only once an earlier action has run.
	Reason string
}

// ForecastRun computes each cacheable action's cache key the way a run
// would, without running anything: sources are snapshotted into a
// temporary folder (as their actions would) and hashed, an action whose
// inputs are all known is looked up in the cache, and a hit's outputs and
// variables feed the actions after it. Actions that always run (sources,
// approvals, deployments, local blocks) make what they produce unknown, and
// so the forecast of what consumes it. The result maps "Stage.Action" to
// its forecast.
func ForecastRun(ctx context.Context, o Options) map[string]*Forecast {
	o.defaults()
	vars, _ := o.pipelineVariables()
	run := &Run{ID: "forecast", Pipeline: o.Pipeline.Name, Variables: vars}
	for _, st := range o.Pipeline.Stages {
		run.Stages = append(run.Stages, newStageState(st))
	}
	s := &scheduler{opts: o, store: Store{Dir: o.Layout.ArtifactsDir()}, run: run, vars: Variables{}}
	for k, v := range vars {
		s.vars.Set("variables", k, v)
	}
	tmp, release, err := runners.NewTempDir("pipeform-forecast-")
	if err != nil {
		return nil
	}
	defer release()
	defer os.RemoveAll(tmp)
	f := &forecaster{s: s, tmp: tmp, known: map[*graph.Action]bool{}, snapshots: map[string]string{}, out: map[string]*Forecast{}}
	for _, st := range o.Pipeline.Stages {
		for _, group := range st.RunGroups() {
			for _, a := range group {
				f.action(ctx, a)
			}
		}
	}
	return f.out
}

type forecaster struct {
	s   *scheduler
	tmp string
	// known: the action's outputs and variables are known (a source, a
	// cache hit).
	known map[*graph.Action]bool
	// snapshots maps a source artifact's digest to its snapshot folder.
	snapshots map[string]string
	out       map[string]*Forecast
}

func (f *forecaster) action(ctx context.Context, a *graph.Action) {
	s := f.s
	st := s.state(a)
	st.Inputs = map[string]string{}
	mode, _ := a.LocalMode()
	switch {
	case a.Type.Category == graph.CategorySource && a.Local == nil && mode == graph.LocalRun:
		f.source(ctx, a, st)
		return
	case !a.Cacheable():
		return
	}
	fc := &Forecast{}
	f.out[a.ID()] = fc
	for _, in := range a.Inputs {
		if in.Producer == nil {
			continue
		}
		if !f.known[in.Producer] {
			fc.Reason = fmt.Sprintf("its input artifact %s comes from %s, which runs first; whether this action is cached is known once it has", in.Name, in.Producer.ID())
			return
		}
		st.Inputs[in.Name] = s.state(in.Producer).Outputs[in.Name]
	}
	for _, ref := range a.References {
		if ref.Producer != nil && !f.known[ref.Producer] {
			fc.Reason = fmt.Sprintf("it uses #{%s.%s} of %s, which runs first; whether this action is cached is known once it has", ref.Producer.Namespace, ref.Name, ref.Producer.ID())
			return
		}
	}
	j, early := s.resolve(a, st)
	if early != nil {
		fc.Reason = early.summary
		if len(early.diags) > 0 {
			fc.Reason = early.diags[0].Detail
		}
		if strings.Contains(fc.Reason, "codepipeline.PipelineExecutionId") {
			fc.Reason = "it uses #{codepipeline.PipelineExecutionId}, which is new for every run"
		}
		return
	}
	parts := s.keyParts(j)
	if e := s.lookupCache(parts.key(s.run.Pipeline, a.ID()), nil); e != nil {
		fc.Cached, fc.RunID = true, e.RunID
		st.Outputs, st.Variables = e.Outputs, e.Variables
		if a.Namespace != "" {
			for k, v := range e.Variables {
				s.vars.Set(a.Namespace, k, v)
			}
		}
		f.known[a] = true
		return
	}
	fc.Reason = f.explain(a, parts)
}

// source snapshots a source action's folder as its run would and records
// the artifact's digest and the action's variables.
func (f *forecaster) source(ctx context.Context, a *graph.Action, st *ActionState) {
	s := f.s
	j, early := s.resolve(a, st)
	if early != nil {
		return
	}
	j.work = filepath.Join(f.tmp, a.ID())
	j.log = runners.NewMasker(io.Discard, nil)
	j.outputs = map[string]string{}
	for _, o := range a.Outputs {
		j.outputs[o.Name] = filepath.Join(j.work, "out", o.Name)
		if err := os.MkdirAll(j.outputs[o.Name], 0o755); err != nil {
			return
		}
	}
	out := s.source(ctx, j)
	if out.status != StatusSucceeded {
		return
	}
	st.Outputs = map[string]string{}
	for name, dir := range j.outputs {
		d, err := TreeDigest(dir)
		if err != nil {
			return
		}
		st.Outputs[name] = d
		f.snapshots[d] = dir
	}
	st.Variables = out.vars
	if a.Namespace != "" {
		for k, v := range out.vars {
			s.vars.Set(a.Namespace, k, v)
		}
	}
	f.known[a] = true
}

// explain says what differs from the action's last success.
func (f *forecaster) explain(a *graph.Action, parts *keyParts) string {
	s := f.s
	data, err := os.ReadFile(s.opts.Layout.lastSuccessPath(s.run.Pipeline, a.ID()))
	var last lastSuccess
	if err != nil || json.Unmarshal(data, &last) != nil || last.Parts == nil {
		return "no earlier success"
	}
	var why []string
	for _, name := range sortedKeys(parts.Inputs) {
		now, before := parts.Inputs[name], last.Parts.Inputs[name]
		if now == before {
			continue
		}
		producer := producerOf(a, name)
		if producer != nil && producer.Type.Category == graph.CategorySource {
			why = append(why, f.sourceChange(name, producer, before, now))
		} else if producer != nil {
			why = append(why, fmt.Sprintf("upstream artifact %s from %s changed", name, producer.ID()))
		} else {
			why = append(why, fmt.Sprintf("input artifact %s changed", name))
		}
	}
	if parts.Definition != last.Parts.Definition {
		what := "the project definition changed"
		if a.Type.Provider == "Commands" {
			what = "the action's definition (commands, outputs, configuration) changed"
		} else if a.Project != nil {
			what = fmt.Sprintf("the definition of project %s or of the action changed", a.Project.Name)
		}
		why = append(why, what)
	}
	if parts.Variables != last.Parts.Variables {
		why = append(why, "a variable it uses changed (its configuration or environment resolves differently)")
	}
	if parts.Secrets != last.Parts.Secrets {
		why = append(why, "a secret it uses changed")
	}
	if len(why) == 0 {
		return fmt.Sprintf("its result from run %s is no longer in the cache or the artifact store", last.RunID)
	}
	return strings.Join(why, "; ") + fmt.Sprintf(" since run %s", last.RunID)
}

// sourceChange names the files of a source artifact that differ from the
// snapshot the action last consumed, when the store still holds it.
func (f *forecaster) sourceChange(name string, producer *graph.Action, before, now string) string {
	where := fmt.Sprintf("(artifact %s of %s)", name, producer.ID())
	newDir := f.snapshots[now]
	oldDir := filepath.Join(f.s.store.Dir, before)
	if newDir == "" || !ValidDigest(before) || !f.s.store.Has(before) {
		return "the source changed " + where
	}
	changed := diffTrees(oldDir, newDir)
	switch len(changed) {
	case 0:
		return "the source changed " + where
	case 1:
		return fmt.Sprintf("source file %s changed %s", changed[0], where)
	case 2, 3:
		return fmt.Sprintf("source files %s changed %s", strings.Join(changed, ", "), where)
	}
	return fmt.Sprintf("source files %s and %d more changed %s", strings.Join(changed[:3], ", "), len(changed)-3, where)
}

func producerOf(a *graph.Action, artifact string) *graph.Action {
	for _, in := range a.Inputs {
		if in.Name == artifact {
			return in.Producer
		}
	}
	return nil
}

// diffTrees lists, sorted, the paths that are in one folder and not the
// other, or whose kind, executable bit or content differ.
func diffTrees(a, b string) []string {
	ea, eb := treeEntries(a), treeEntries(b)
	var out []string
	for p, d := range ea {
		if eb[p] != d {
			out = append(out, p)
		}
	}
	for p := range eb {
		if _, ok := ea[p]; !ok {
			out = append(out, p)
		}
	}
	sort.Strings(out)
	return out
}

// treeEntries maps each file of a folder (slash paths) to a digest of its
// kind, executable bit and content.
func treeEntries(root string) map[string]string {
	m := map[string]string{}
	_ = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == root || d.IsDir() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		m[filepath.ToSlash(rel)] = fileDigest(p)
		return nil
	})
	return m
}

// fileDigest digests one file's kind, executable bit and content (a link's
// target).
func fileDigest(p string) string {
	st, err := os.Lstat(p)
	if err != nil {
		return "?"
	}
	h := sha256.New()
	switch {
	case st.Mode()&fs.ModeSymlink != 0:
		target, _ := os.Readlink(p)
		fmt.Fprintf(h, "l %s", target)
	case !st.Mode().IsRegular():
		fmt.Fprintf(h, "o %v", st.Mode().Type()) // a pipe is never opened
	default:
		fmt.Fprintf(h, "f %v ", st.Mode()&0o111 != 0)
		if hashFile(h, p) != nil {
			return "?"
		}
	}
	return hex.EncodeToString(h.Sum(nil))
}
