package local

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/cron"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// Stage conditions (CODEPIPELINE.md §2): a condition fails when any of its
// rules fails, and its result then applies. The rules that need no AWS are
// evaluated here: VariableCheck, DeploymentWindow and Commands. The others
// (CloudWatchAlarm, LambdaInvoke, CodeBuild) are not emulated: they take
// their status from Options.RuleResults, else succeed, and the log says so.

// emulatedRules are the rule providers the local executor evaluates.
var emulatedRules = []string{"Commands", "DeploymentWindow", "VariableCheck"}

// RuleEmulated reports whether the local executor evaluates a rule of this
// provider (plan shows the others as not emulated).
func RuleEmulated(provider string) bool { return slices.Contains(emulatedRules, provider) }

// evalCondition evaluates the conditions of one kind of stage i (at most
// one, as CodePipeline allows) and records them. It returns the failed
// condition, or nil when every condition held.
func (s *scheduler) evalCondition(ctx context.Context, i int, kind string, conds *graph.Conditions, defaultResult string) *ConditionState {
	var failed *ConditionState
	for _, c := range conds.Conditions {
		cs := &ConditionState{Kind: kind, Result: c.Result, Status: StatusSucceeded}
		if cs.Result == "" {
			cs.Result = defaultResult
		}
		s.logf(i, "%s condition (result %s if it fails): checking %d rule(s)", kind, cs.Result, len(c.Rules))
		for _, r := range c.Rules {
			rs := s.evalRule(ctx, i, r)
			cs.Rules = append(cs.Rules, rs)
			mark := "succeeded"
			if rs.Status != StatusSucceeded {
				mark = "failed"
				cs.Status = StatusFailed
			}
			s.logf(i, "  rule %s (%s) %s: %s", r.Name, r.Provider, mark, rs.Summary)
		}
		s.mu.Lock()
		st := s.run.Stages[i]
		st.Conditions = append(st.Conditions, cs)
		s.save()
		s.mu.Unlock()
		if cs.Status == StatusFailed && failed == nil {
			failed = cs
		}
	}
	return failed
}

// evalRule evaluates one rule.
func (s *scheduler) evalRule(ctx context.Context, i int, r *graph.Rule) *RuleState {
	rs := &RuleState{Name: r.Name, Provider: r.Provider, Status: StatusSucceeded}
	key := s.opts.Pipeline.Stages[i].Name + "." + r.Name
	if forced, ok := s.opts.RuleResults[key]; ok {
		rs.NotEmulated = !RuleEmulated(r.Provider)
		rs.Status = forced
		rs.Summary = fmt.Sprintf("%s by --rule-result %s", strings.ToLower(forced), key)
		return rs
	}
	var ok bool
	switch r.Provider {
	case "VariableCheck":
		ok, rs.Summary = s.variableCheck(r)
	case "DeploymentWindow":
		ok, rs.Summary = s.deploymentWindow(r)
	case "Commands":
		ok, rs.Summary = s.commandsRule(ctx, i, r)
	default:
		rs.NotEmulated = true
		rs.Summary = fmt.Sprintf("not emulated locally (a %s rule needs AWS); counted as succeeded: give --rule-result %s=failed to see the condition fail", r.Provider, key)
		return rs
	}
	if !ok {
		rs.Status = StatusFailed
	}
	return rs
}

// variableCheck compares a resolved variable with a value: EQ, NE,
// CONTAINS or MATCHES (a regular expression; CodePipeline's is Java's,
// pipeform's Go's RE2, which lacks backreferences and lookaround).
func (s *scheduler) variableCheck(r *graph.Rule) (bool, string) {
	s.mu.Lock()
	v, missing := s.vars.Resolve(r.Configuration["Variable"])
	want, missing2 := s.vars.Resolve(r.Configuration["Value"])
	s.mu.Unlock()
	if missing = append(missing, missing2...); len(missing) > 0 {
		return false, unresolvedError(missing)
	}
	op := strings.ToUpper(r.Configuration["Operator"])
	var ok bool
	switch op {
	case "EQ":
		ok = v == want
	case "NE":
		ok = v != want
	case "CONTAINS":
		ok = strings.Contains(v, want)
	case "MATCHES":
		re, err := regexp.Compile(want)
		if err != nil {
			return false, fmt.Sprintf("the MATCHES pattern %q is not a regular expression: %v", want, err)
		}
		ok = re.MatchString(v)
	default:
		return false, fmt.Sprintf("operator %q is not EQ, NE, CONTAINS or MATCHES", op)
	}
	verdict := "holds"
	if !ok {
		verdict = "does not hold"
	}
	return ok, fmt.Sprintf("%s is %q: %s %s %q %s", r.Configuration["Variable"], v, r.Configuration["Variable"], op, want, verdict)
}

// deploymentWindow succeeds when the rule time (Options.RuleTime, else
// now) is inside the Cron window, in TimeZone (default UTC).
func (s *scheduler) deploymentWindow(r *graph.Rule) (bool, string) {
	w, err := cron.Parse(r.Configuration["Cron"])
	if err != nil {
		return false, fmt.Sprintf("Cron %q cannot be read: %v", r.Configuration["Cron"], err)
	}
	tz := r.Configuration["TimeZone"]
	loc := time.UTC
	if tz != "" {
		if loc, err = time.LoadLocation(tz); err != nil {
			return false, fmt.Sprintf("TimeZone %q is not a time zone this machine knows (give an IANA name such as Europe/Paris)", tz)
		}
	}
	now := s.opts.RuleTime
	if now.IsZero() {
		now = s.opts.Now()
	}
	t := now.In(loc)
	if w.Contains(t) {
		return true, fmt.Sprintf("%s is inside the window %q", t.Format(time.RFC3339), w)
	}
	return false, fmt.Sprintf("%s is outside the window %q", t.Format(time.RFC3339), w)
}

// commandsRule runs the rule's commands in a folder holding a copy of its
// first input artifact (the others as CODEBUILD_SRC_DIR_<name>), like the
// Commands action; it succeeds when every command exits 0.
func (s *scheduler) commandsRule(ctx context.Context, i int, r *graph.Rule) (bool, string) {
	work := filepath.Join(s.opts.Layout.RunDir(s.run.ID), "work", s.opts.Pipeline.Stages[i].Name+".rule."+r.Name)
	os.RemoveAll(work)
	defer os.RemoveAll(work)
	src := filepath.Join(work, "src")
	env := append([]string{}, s.opts.Env...)
	for n, name := range r.InputArtifacts {
		dir := filepath.Join(work, "in", name)
		if n == 0 {
			dir = src
		}
		digest := s.artifactDigest(name)
		if digest == "" {
			return false, fmt.Sprintf("input artifact %q was not produced in this run", name)
		}
		if err := s.store.CopyOut(digest, dir); err != nil {
			return false, err.Error()
		}
		if n > 0 {
			env = append(env, "CODEBUILD_SRC_DIR_"+name+"="+dir)
		}
	}
	if err := os.MkdirAll(src, 0o755); err != nil {
		return false, runners.IOReason(err)
	}
	env = append(env, "CODEBUILD_SRC_DIR="+src)
	out := &lineWriter{f: func(line string) { s.logf(i, "    %s", line) }}
	masker := runners.NewMasker(out, s.maskValues())
	res, diags := (&runners.LocalBlock{Commands: r.Commands, Dir: src, Env: env, Scratch: filepath.Join(work, "local"), Stdout: masker}).Run(ctx)
	masker.Flush()
	out.flush()
	switch {
	case diags.HasErrors():
		return false, diags[0].Summary
	case !res.Succeeded:
		return false, "a command failed: " + res.Failed
	}
	return true, fmt.Sprintf("%d command(s) succeeded", len(r.Commands))
}

// artifactDigest finds the stored digest of an artifact of this run.
func (s *scheduler) artifactDigest(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, a := range s.opts.Pipeline.Actions() {
		for _, o := range a.Outputs {
			if o.Name == name {
				return s.state(a).Outputs[name]
			}
		}
	}
	return ""
}

// checkRuleResults validates --rule-result: each names a rule of a stage
// condition, with succeeded or failed.
func (o *Options) checkRuleResults() hcl.Diagnostics {
	var rules []string
	for _, st := range o.Pipeline.Stages {
		for _, c := range stageConditions(st) {
			for _, r := range c.Rules {
				rules = append(rules, st.Name+"."+r.Name)
			}
		}
	}
	var diags hcl.Diagnostics
	for _, k := range sortedKeys(o.RuleResults) {
		if !has(rules, k) {
			diags = append(diags, execDiag("Unknown condition rule",
				fmt.Sprintf("--rule-result %s=... names no rule of a stage condition of pipeline %q. Rules: %s.%s", k, o.Pipeline.Name, listOrNone(rules), didYouMean(k, rules)), nil))
		}
		if v := o.RuleResults[k]; v != StatusSucceeded && v != StatusFailed {
			diags = append(diags, execDiag("Invalid rule result",
				fmt.Sprintf("--rule-result %s=%s: the result is succeeded or failed.", k, strings.ToLower(v)), nil))
		}
	}
	return diags
}

// stageConditions lists every condition of a stage.
func stageConditions(st *graph.Stage) []*graph.Condition {
	var out []*graph.Condition
	for _, c := range []*graph.Conditions{st.BeforeEntry, st.OnSuccess} {
		if c != nil {
			out = append(out, c.Conditions...)
		}
	}
	if st.OnFailure != nil {
		out = append(out, st.OnFailure.Conditions.Conditions...)
	}
	return out
}

// logf writes a line to stage i's own log and to the hooks.
func (s *scheduler) logf(i int, format string, args ...any) {
	line := fmt.Sprintf(format, args...)
	s.mu.Lock()
	defer s.mu.Unlock()
	st := s.run.Stages[i]
	if st.Log == "" {
		st.Log = LogFile(st.Name)
	}
	if f, err := os.OpenFile(filepath.Join(s.opts.Layout.RunDir(s.run.ID), st.Log), os.O_CREATE|os.O_APPEND|os.O_WRONLY, 0o644); err == nil {
		fmt.Fprintln(f, line)
		f.Close()
	}
	if h, ok := s.opts.Hooks.(StageLogger); ok {
		h.StageLog(s.run, st, line)
	}
}

// lineWriter hands each complete line written to it to f.
type lineWriter struct {
	f   func(string)
	buf []byte
}

func (w *lineWriter) Write(p []byte) (int, error) {
	w.buf = append(w.buf, p...)
	for {
		i := slices.Index(w.buf, '\n')
		if i < 0 {
			return len(p), nil
		}
		w.f(strings.TrimRight(string(w.buf[:i]), "\r"))
		w.buf = w.buf[i+1:]
	}
}

func (w *lineWriter) flush() {
	if len(w.buf) > 0 {
		w.f(string(w.buf))
		w.buf = nil
	}
}
