package console

import (
	"fmt"
	"maps"
	"net/url"
	"slices"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local"
)

// The view models: what the templates and pictures show, built from the
// graph (the pipeline's shape) and run records (what happened).

// stageView is one stage of the diagram.
type stageView struct {
	Name, Status string
	// Groups are the run orders in order; the actions of one run in
	// parallel.
	Groups [][]*actionView
}

// actionView is one action, with its latest outcome.
type actionView struct {
	ID, Stage, Name, Provider, Status, Summary string
	Start, End                                 *time.Time
	Duration                                   string
	// LogURL is empty when the action has no log yet.
	LogURL    string
	Variables []keyValue
	Inputs    []artifactView
	Outputs   []artifactView
	Approval  *local.Decision
	Cached    bool
}

type keyValue struct{ Key, Value string }

type artifactView struct{ Name, Digest, URL string }

// stagesOf lays a run out as the pipeline p draws it: p's stages and run
// orders (p may be nil, when the pipeline left the configuration: each
// stage's actions are then one group), each action with its state in r (r
// may be nil: no run yet).
func (s *Server) stagesOf(p *graph.Pipeline, r *local.Run) []*stageView {
	if r == nil {
		return s.latestStages(p, nil)
	}
	return s.latestStages(p, []*local.Run{r})
}

// latestStages is stagesOf with each action's most recent execution among
// runs (newest first), as CodePipeline's pipeline view shows each stage's
// latest execution: an action a newer run has not reached yet shows how
// it last ran.
func (s *Server) latestStages(p *graph.Pipeline, runs []*local.Run) []*stageView {
	pick := func(id string) *local.Run {
		for _, r := range runs {
			if a := r.Action(id); a != nil && a.StartTime != nil {
				return r
			}
		}
		if len(runs) > 0 {
			return runs[0]
		}
		return nil
	}
	stageStatus := func(sv *stageView, r *local.Run) {
		if r == nil {
			return
		}
		for _, st := range r.Stages {
			if st.Name == sv.Name {
				sv.Status = st.Status
			}
		}
	}
	var out []*stageView
	if p != nil {
		for _, gs := range p.Stages {
			sv := &stageView{Name: gs.Name, Status: local.StatusPending}
			for _, group := range gs.RunGroups() {
				var g []*actionView
				for _, a := range group {
					g = append(g, s.actionOf(pick(a.ID()), a.ID(), a.Stage.Name, a.Name, a.Type.Provider))
				}
				sv.Groups = append(sv.Groups, g)
			}
			if len(gs.Actions) > 0 {
				stageStatus(sv, pick(gs.Actions[0].ID()))
			}
			out = append(out, sv)
		}
		return out
	}
	if len(runs) == 0 {
		return nil
	}
	for _, st := range runs[0].Stages {
		sv := &stageView{Name: st.Name, Status: st.Status}
		var g []*actionView
		for _, a := range st.Actions {
			g = append(g, s.actionOf(pick(a.ID()), a.ID(), a.Stage, a.Name, a.Provider))
		}
		if len(st.Actions) > 0 {
			stageStatus(sv, pick(st.Actions[0].ID()))
		}
		sv.Groups = [][]*actionView{g}
		out = append(out, sv)
	}
	return out
}

func (s *Server) actionOf(r *local.Run, id, stage, name, provider string) *actionView {
	v := &actionView{ID: id, Stage: stage, Name: name, Provider: provider, Status: local.StatusPending}
	if r == nil {
		return v
	}
	a := r.Action(id)
	if a == nil {
		return v
	}
	v.Status, v.Summary, v.Start, v.End, v.Cached, v.Approval = a.Status, a.Summary, a.StartTime, a.EndTime, a.Cached, a.Approval
	if a.Provider != "" {
		v.Provider = a.Provider
	}
	v.Duration = s.duration(a.StartTime, a.EndTime)
	if a.Log != "" {
		v.LogURL = "/runs/" + url.PathEscape(r.ID) + "/logs/" + url.PathEscape(id)
	}
	for _, k := range slices.Sorted(maps.Keys(a.Variables)) {
		v.Variables = append(v.Variables, keyValue{k, a.Variables[k]})
	}
	v.Inputs = artifactsOf(a.Inputs)
	v.Outputs = artifactsOf(a.Outputs)
	return v
}

func artifactsOf(m map[string]string) []artifactView {
	var out []artifactView
	for _, name := range slices.Sorted(maps.Keys(m)) {
		if m[name] == "" {
			continue
		}
		out = append(out, artifactView{Name: name, Digest: m[name],
			URL: "/artifacts/" + url.PathEscape(m[name]) + "?name=" + url.QueryEscape(name)})
	}
	return out
}

// duration is how long something took, or has taken so far.
func (s *Server) duration(start, end *time.Time) string {
	if start == nil {
		return ""
	}
	stop := s.cfg.Now()
	if end != nil {
		stop = *end
	}
	return formatDuration(stop.Sub(*start))
}

func formatDuration(d time.Duration) string {
	switch {
	case d < 0:
		return "0s"
	case d < time.Second:
		return fmt.Sprintf("%dms", d.Milliseconds())
	case d < time.Minute:
		return fmt.Sprintf("%.1fs", d.Seconds())
	case d < time.Hour:
		return fmt.Sprintf("%dm%02ds", int(d.Minutes()), int(d.Seconds())%60)
	}
	return fmt.Sprintf("%dh%02dm", int(d.Hours()), int(d.Minutes())%60)
}

// runRow is one line of an execution history.
type runRow struct {
	ID, Pipeline, Status, Trigger, Revision, Duration, Started, Message string
	Attempt                                                             int
}

func (s *Server) rowOf(r *local.Run) runRow {
	row := runRow{ID: r.ID, Pipeline: r.Pipeline, Status: s.cfg.Layout.Status(r), Attempt: r.Attempt,
		Started: r.StartTime.Local().Format("2006-01-02 15:04:05"), Message: r.Message}
	end := r.EndTime
	if end == nil && row.Status != local.StatusInProgress && row.Status != "Stopping" {
		end = &r.StartTime // interrupted: no end to measure to
	}
	row.Duration = s.duration(&r.StartTime, end)
	switch t := s.cfg.Layout.Trigger(r.ID); {
	case r.Trigger != nil:
		// A git event (apply --event): CodePipeline's WebhookV2.
		row.Trigger = "WebhookV2 (" + r.Trigger.Detail + ")"
	case t != nil:
		row.Trigger = t.TriggerType
		if t.TriggerDetail != "" {
			row.Trigger += " (" + t.TriggerDetail + ")"
		}
	}
	row.Revision = revision(r)
	return row
}

// revision is the source revision of a run: each source action's commit
// and branch, as its output variables say.
func revision(r *local.Run) string {
	out := ""
	for _, st := range r.Stages {
		for _, a := range st.Actions {
			c := a.Variables["CommitId"]
			if c == "" {
				continue
			}
			if len(c) > 12 {
				c = c[:12]
			}
			if b := a.Variables["BranchName"]; b != "" {
				c += " on " + b
			}
			if out != "" {
				out += ", "
			}
			out += a.Name + ": " + c
		}
	}
	return out
}

// runsOf lists a pipeline's runs, newest first ("" for every pipeline).
func (s *Server) runsOf(pipeline string) ([]*local.Run, error) {
	runs, err := s.cfg.Layout.ListRuns()
	if err != nil {
		return nil, err
	}
	var out []*local.Run
	for i := len(runs) - 1; i >= 0; i-- {
		if pipeline == "" || runs[i].Pipeline == pipeline {
			out = append(out, runs[i])
		}
	}
	return out, nil
}
