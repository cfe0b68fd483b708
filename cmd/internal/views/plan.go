package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// PlanFormatVersion is the version of the `plan --json` document [contract].
// A new field is a minor change; a removed or retyped field a major one.
const PlanFormatVersion = "1.3"

// Plan is the `plan --json` document: the local run plan of one or more
// pipelines, with one entry per action in execution order.
type Plan struct {
	FormatVersion string         `json:"format_version"`
	Pipelines     []PlanPipeline `json:"pipelines"`
	Actions       []PlanAction   `json:"actions"`
}

// PlanPipeline summarises one pipeline of the plan.
type PlanPipeline struct {
	Name          string         `json:"name"`
	Type          string         `json:"type"`
	ExecutionMode string         `json:"execution_mode"`
	Stages        []string       `json:"stages"`
	Steps         int            `json:"steps"`
	Counts        map[string]int `json:"counts"` // by status
	// StageRules (since 1.2) are the stages' failure rules and conditions
	// and how a local run applies them.
	StageRules []PlanStageRule `json:"stage_rules,omitempty"`
}

// PlanStageRule is one stage's on_failure result or one condition.
type PlanStageRule struct {
	Stage string `json:"stage"`
	Kind  string `json:"kind"` // before_entry, on_success, on_failure
	// Result is what happens when the condition fails (or, for on_failure
	// without conditions, when the stage fails): FAIL, SKIP, ROLLBACK, RETRY.
	Result    string     `json:"result"`
	RetryMode string     `json:"retry_mode,omitempty"`
	Rules     []PlanRule `json:"rules,omitempty"`
}

// PlanRule is one rule of a condition.
type PlanRule struct {
	Name     string `json:"name"`
	Provider string `json:"provider"`
	Status   string `json:"status"` // run or not-emulated
	Reason   string `json:"reason"`
}

// PlanAction is one action of the plan. Step numbers the pipeline's run
// groups from 1 in execution order: actions with the same step run in
// parallel, and a step starts when every earlier step succeeded.
type PlanAction struct {
	Pipeline  string   `json:"pipeline"`
	Stage     string   `json:"stage"`
	Name      string   `json:"name"`
	ID        string   `json:"id"` // "Stage.Action"
	Step      int      `json:"step"`
	RunOrder  int      `json:"run_order"`
	Category  string   `json:"category"`
	Provider  string   `json:"provider"`
	Project   string   `json:"project,omitempty"`
	Namespace string   `json:"namespace,omitempty"`
	Consumes  []string `json:"consumes"`
	Produces  []string `json:"produces"`
	// DependsOn lists the actions whose artifacts or variables this one
	// reads, as "Stage.Action", in execution order.
	DependsOn []string `json:"depends_on"`
	Status    string   `json:"status"` // run, approval, not-emulated
	Reason    string   `json:"reason"`
	// Cacheable (since 1.1): apply skips the action as cached when an
	// identical earlier run succeeded; whether it does is known only at run
	// time, once its input artifacts are.
	Cacheable bool `json:"cacheable"`
	// Checks (since 1.2) are what a CodeBuild action's build checks or
	// keeps before it runs: its runtime-versions against this machine's
	// tools, and its cache paths.
	Checks []string `json:"checks,omitempty"`
	// Cache (since 1.3) is the forecast for a cacheable action: "cached",
	// with CachedFrom the run whose result apply would reuse, or "run",
	// with CacheReason saying why.
	Cache       string `json:"cache,omitempty"`
	CachedFrom  string `json:"cached_from,omitempty"`
	CacheReason string `json:"cache_reason,omitempty"`
}

// NewPlan builds the plan of the given pipelines.
func NewPlan(pipelines []*graph.Pipeline) *Plan {
	pl := &Plan{FormatVersion: PlanFormatVersion, Pipelines: []PlanPipeline{}, Actions: []PlanAction{}}
	for _, p := range pipelines {
		pp := PlanPipeline{Name: p.Name, Type: p.Type, ExecutionMode: p.ExecutionMode, Stages: []string{},
			Counts: map[string]int{graph.LocalRun: 0, graph.LocalApproval: 0, graph.LocalNotEmulated: 0}}
		step := 0
		for _, s := range p.Stages {
			pp.Stages = append(pp.Stages, s.Name)
			for _, group := range s.RunGroups() {
				step++
				for _, a := range group {
					pa := planAction(a, step)
					pp.Counts[pa.Status]++
					pl.Actions = append(pl.Actions, pa)
				}
			}
		}
		pp.Steps = step
		pp.StageRules = planStageRules(p)
		pl.Pipelines = append(pl.Pipelines, pp)
	}
	return pl
}

func planAction(a *graph.Action, step int) PlanAction {
	status, reason := a.LocalMode()
	pa := PlanAction{
		Pipeline: a.Pipeline.Name, Stage: a.Stage.Name, Name: a.Name, ID: a.ID(),
		Step: step, RunOrder: a.RunOrder, Category: a.Type.Category, Provider: a.Type.Provider,
		Namespace: a.Namespace, Consumes: []string{}, Produces: []string{}, DependsOn: []string{},
		Status: status, Reason: reason, Cacheable: a.Cacheable(),
	}
	if a.Project != nil {
		pa.Project = a.Project.Name
		if bs := a.Project.Buildspec; bs != nil && status == graph.LocalRun {
			pa.Checks = runners.RuntimeChecks(bs)
			if bs.Cache != nil {
				pa.Checks = append(pa.Checks, runners.CacheNote(bs.Cache, true))
			}
		}
	}
	deps := map[*graph.Action]bool{}
	for _, in := range a.Inputs {
		pa.Consumes = append(pa.Consumes, in.Name)
		if in.Producer != nil {
			deps[in.Producer] = true
		}
	}
	for _, o := range a.Outputs {
		pa.Produces = append(pa.Produces, o.Name)
	}
	for _, r := range a.References {
		if r.Producer != nil {
			deps[r.Producer] = true
		}
	}
	for _, u := range a.Upstream { // execution order
		if deps[u] {
			pa.DependsOn = append(pa.DependsOn, u.ID())
		}
	}
	return pa
}

// WritePlan renders the plan for people: per pipeline, its steps in
// execution order, each action with its status, what it consumes and
// produces, and why.
func WritePlan(w io.Writer, pl *Plan) error {
	b := &strings.Builder{}
	i := 0
	for pi, pp := range pl.Pipelines {
		if pi > 0 {
			b.WriteString("\n")
		}
		fmt.Fprintf(b, "Pipeline %s (type %s, execution mode %s): %d stages, %d steps\n",
			pp.Name, pp.Type, pp.ExecutionMode, len(pp.Stages), pp.Steps)
		step := 0
		for ; i < len(pl.Actions) && pl.Actions[i].Pipeline == pp.Name; i++ {
			a := pl.Actions[i]
			if a.Step != step {
				step = a.Step
				n := countStep(pl.Actions[i:], pp.Name, step)
				par := ""
				if n > 1 {
					par = fmt.Sprintf(", %d actions in parallel", n)
				}
				fmt.Fprintf(b, "\n  Step %d: stage %s, run order %d%s\n", step, a.Stage, a.RunOrder, par)
			}
			fmt.Fprintf(b, "    %-14s %s\n", a.Status, a.ID)
			fmt.Fprintf(b, "      %s\n", a.Reason)
			switch {
			case a.Cache == "cached":
				fmt.Fprintf(b, "      cached: reuses the result of run %s (apply --no-cache runs it anyway)\n", a.CachedFrom)
			case a.Cache == "run":
				fmt.Fprintf(b, "      not cached: %s\n", a.CacheReason)
			case a.Cacheable:
				b.WriteString("      cached (not run again) if an identical earlier run succeeded; apply --no-cache runs it anyway\n")
			}
			for _, c := range a.Checks {
				fmt.Fprintf(b, "      %s\n", c)
			}
			if len(a.Consumes) > 0 {
				fmt.Fprintf(b, "      consumes: %s\n", strings.Join(a.Consumes, ", "))
			}
			if len(a.Produces) > 0 {
				fmt.Fprintf(b, "      produces: %s\n", strings.Join(a.Produces, ", "))
			}
		}
		writeStageRules(b, pp.StageRules)
		fmt.Fprintf(b, "\n  %d to run, %d waiting for approval, %d not emulated.\n",
			pp.Counts[graph.LocalRun], pp.Counts[graph.LocalApproval], pp.Counts[graph.LocalNotEmulated])
	}
	_, err := io.WriteString(w, b.String())
	return err
}

func countStep(actions []PlanAction, pipeline string, step int) int {
	n := 0
	for _, a := range actions {
		if a.Pipeline != pipeline || a.Step != step {
			break
		}
		n++
	}
	return n
}

// planStageRules lists the stages' rules in stage order.
func planStageRules(p *graph.Pipeline) []PlanStageRule {
	var out []PlanStageRule
	for _, st := range p.Stages {
		add := func(kind, result string, conds *graph.Conditions) {
			for _, c := range conds.Conditions {
				r := PlanStageRule{Stage: st.Name, Kind: kind, Result: c.Result}
				if r.Result == "" {
					r.Result = result
				}
				for _, rule := range c.Rules {
					pr := PlanRule{Name: rule.Name, Provider: rule.Provider, Status: graph.LocalRun, Reason: "evaluated locally"}
					if !local.RuleEmulated(rule.Provider) {
						pr.Status = graph.LocalNotEmulated
						pr.Reason = fmt.Sprintf("a %s rule needs AWS: counted as succeeded unless --rule-result %s.%s=failed", rule.Provider, st.Name, rule.Name)
					}
					r.Rules = append(r.Rules, pr)
				}
				out = append(out, r)
			}
		}
		if st.BeforeEntry != nil {
			add("before_entry", "FAIL", st.BeforeEntry)
		}
		if f := st.OnFailure; f != nil {
			if f.Result != "" && (f.Result == "RETRY" || len(f.Conditions.Conditions) == 0) {
				out = append(out, PlanStageRule{Stage: st.Name, Kind: "on_failure", Result: f.Result, RetryMode: f.RetryMode})
			}
			add("on_failure", f.Result, &f.Conditions)
		}
		if st.OnSuccess != nil {
			add("on_success", "FAIL", st.OnSuccess)
		}
	}
	return out
}

// ruleMeaning says what a stage rule does in a local run.
var ruleMeaning = map[string]string{
	"FAIL":     "the stage fails",
	"SKIP":     "the stage is skipped and the run goes on",
	"ROLLBACK": "the stage runs again with the artifacts of the last run in which it succeeded",
	"RETRY":    "the stage runs once more",
}

func writeStageRules(b *strings.Builder, rules []PlanStageRule) {
	if len(rules) == 0 {
		return
	}
	b.WriteString("\n  Stage rules:\n")
	for _, r := range rules {
		if len(r.Rules) == 0 {
			mode := ""
			if r.RetryMode != "" {
				mode = " (" + r.RetryMode + ")"
			}
			fmt.Fprintf(b, "    %s on_failure: %s%s: when it fails, %s\n", r.Stage, r.Result, mode, ruleMeaning[r.Result])
			continue
		}
		fmt.Fprintf(b, "    %s %s condition: if a rule fails, %s (%s)\n", r.Stage, r.Kind, ruleMeaning[r.Result], r.Result)
		for _, rule := range r.Rules {
			fmt.Fprintf(b, "      %-14s rule %s (%s): %s\n", rule.Status, rule.Name, rule.Provider, rule.Reason)
		}
	}
}
