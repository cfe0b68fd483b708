package console

import (
	"errors"
	"html/template"
	"io"
	"maps"
	"mime"
	"net/http"
	"net/url"
	"path"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local"
)

// page is what every template gets.
type page struct {
	Title string
	CSRF  string
	// Live is the /live query the page follows ("" for a page that does
	// not change).
	Live string
	// Problems are the configuration's diagnostics, as text.
	Problems string
	// Version is the fingerprint of what the page shows (Live).
	Version string
	// Flash is a message from the action that led here.
	Flash string
	Data  any
}

func (s *Server) funcs() template.FuncMap {
	return template.FuncMap{
		"statusClass": statusClass,
		"pathEscape":  url.PathEscape,
		"queryEscape": url.QueryEscape,
		"time": func(t *time.Time) string {
			if t == nil {
				return ""
			}
			return t.Local().Format("15:04:05")
		},
	}
}

func (s *Server) render(w http.ResponseWriter, r *http.Request, name string, p page) {
	p.CSRF = s.csrf
	p.Flash = r.URL.Query().Get("flash")
	if v, ok := r.Context().Value(versionKey{}).(version); ok && v.live == p.Live {
		p.Version = v.fingerprint
	} else if q, err := url.ParseQuery(p.Live); err == nil && p.Live != "" {
		p.Version = s.fingerprint(q) // a page that follows something else than its route says
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	if err := s.pages.ExecuteTemplate(w, name, p); err != nil {
		http.Error(w, "Internal error: cannot render the page: "+err.Error(), http.StatusInternalServerError)
	}
}

func notFound(w http.ResponseWriter, what string) {
	http.Error(w, "Not found: "+what, http.StatusNotFound)
}

func storeError(w http.ResponseWriter, err error) {
	http.Error(w, "Internal error: cannot read the run store: "+err.Error(), http.StatusInternalServerError)
}

// pipelineCard is a pipeline on the index page.
type pipelineCard struct {
	Name    string
	Diagram template.HTML
	Latest  *runRow
}

func (s *Server) index(w http.ResponseWriter, r *http.Request) {
	g, problems := s.cfg.Load()
	runs, err := s.runsOf("")
	if err != nil {
		storeError(w, err)
		return
	}
	var cards []pipelineCard
	seen := map[string]bool{}
	add := func(name string, p *graph.Pipeline) {
		seen[name] = true
		c := pipelineCard{Name: name}
		var mine []*local.Run
		for _, r := range runs {
			if r.Pipeline == name {
				mine = append(mine, r)
			}
		}
		c.Diagram = diagramSVG(s.latestStages(p, mine))
		latest := latestOf(mine)
		if latest != nil {
			row := s.rowOf(latest)
			c.Latest = &row
		}
		cards = append(cards, c)
	}
	if g != nil {
		for _, p := range g.Pipelines {
			add(p.Name, p)
		}
	}
	// Pipelines that left the configuration but have runs.
	for i := len(runs) - 1; i >= 0; i-- {
		if !seen[runs[i].Pipeline] {
			add(runs[i].Pipeline, nil)
		}
	}
	var rows []runRow
	for i, run := range runs {
		if i == 20 {
			break
		}
		rows = append(rows, s.rowOf(run))
	}
	s.render(w, r, "index.html", page{Title: "Pipelines", Live: "all=1", Problems: problems,
		Data: struct {
			Pipelines []pipelineCard
			Runs      []runRow
		}{cards, rows}})
}

func latestOf(runs []*local.Run) *local.Run {
	if len(runs) == 0 {
		return nil
	}
	return runs[0] // newest first
}

// variableField is a pipeline variable of the Release change form.
type variableField struct{ Name, Default, Description string }

func (s *Server) pipeline(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	g, problems := s.cfg.Load()
	var p *graph.Pipeline
	if g != nil {
		p = g.Pipeline(name)
	}
	runs, err := s.runsOf(name)
	if err != nil {
		storeError(w, err)
		return
	}
	if p == nil && len(runs) == 0 {
		notFound(w, "no pipeline "+strconv.Quote(name)+" in the configuration or the runs")
		return
	}
	var latest *local.Run
	if len(runs) > 0 {
		latest = runs[0]
	}
	stages := s.latestStages(p, runs)
	var rows []runRow
	for _, run := range runs {
		rows = append(rows, s.rowOf(run))
	}
	var vars []variableField
	if p != nil {
		for _, v := range p.Variables {
			def := v.DefaultValue
			if v.Sensitive {
				def = local.MaskedValue // kept as the default when sent back (actions.go)
			}
			vars = append(vars, variableField{v.Name, def, v.Description})
		}
	}
	s.render(w, r, "pipeline.html", page{Title: name, Live: "pipeline=" + url.QueryEscape(name), Problems: problems,
		Data: struct {
			Name      string
			CanStart  bool
			Variables []variableField
			Diagram   template.HTML
			Stages    []*stageView
			Latest    *local.Run
			Runs      []runRow
		}{name, p != nil, vars, diagramSVG(stages), stages, latest, rows}})
}

// runPage is one run.
type runPage struct {
	Row        runRow
	Run        *local.Run
	Diagram    template.HTML
	Timeline   template.HTML
	Stages     []*stageView
	Waiting    []*actionView
	Running    bool
	CanRetry   bool
	Events     []eventRow
	Audit      []auditRow
	Variables  []keyValue
	RetryStage string
}

type eventRow struct{ Time, Type, Where, State string }

func (s *Server) run(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	g, problems := s.cfg.Load()
	var p *graph.Pipeline
	if g != nil {
		p = g.Pipeline(run.Pipeline)
	}
	rp := runPage{Row: s.rowOf(run), Run: run, Stages: s.stagesOf(p, run)}
	rp.Diagram = diagramSVG(rp.Stages)
	rp.Timeline = timelineSVG(run, s.cfg.Now())
	rp.Running = rp.Row.Status == local.StatusInProgress
	rp.CanRetry = run.Status == local.StatusFailed || run.Status == local.StatusStopped || rp.Row.Status == "Interrupted"
	for _, st := range run.Stages {
		if rp.RetryStage == "" && st.Status != local.StatusSucceeded {
			rp.RetryStage = st.Name
		}
	}
	for _, sv := range rp.Stages {
		for _, grp := range sv.Groups {
			for _, a := range grp {
				if a.Status == local.StatusWaiting && rp.Running {
					rp.Waiting = append(rp.Waiting, a)
				}
			}
		}
	}
	for _, k := range slices.Sorted(maps.Keys(run.Variables)) {
		rp.Variables = append(rp.Variables, keyValue{k, run.Variables[k]})
	}
	evs, err := s.cfg.Layout.Events(run.ID)
	if err != nil {
		storeError(w, err)
		return
	}
	for _, e := range evs {
		rp.Events = append(rp.Events, eventRowOf(e))
	}
	rp.Audit, err = s.auditRows(run.ID)
	if err != nil {
		storeError(w, err)
		return
	}
	s.render(w, r, "run.html", page{Title: "Run " + run.ID, Live: "run=" + url.QueryEscape(run.ID), Problems: problems, Data: rp})
}

func eventRowOf(e local.StoredEvent) eventRow {
	row := eventRow{Time: e.Time, Type: e.DetailType}
	if d := e.PipelineDetail(); d != nil {
		row.State = d.State
		row.Where = strings.Trim(d.Stage+"."+d.Action, ".")
		return row
	}
	var b struct {
		Status  string `json:"build-status"`
		Phase   string `json:"completed-phase"`
		PStatus string `json:"completed-phase-status"`
		Project string `json:"project-name"`
	}
	_ = jsonUnmarshal(e.Detail, &b)
	row.Where = b.Project
	row.State = b.Status
	if b.Phase != "" {
		row.State = b.Phase + " " + b.PStatus
	}
	return row
}

// findRun resolves the {id} of the path through the store, answering 404
// itself when there is no such run.
func (s *Server) findRun(w http.ResponseWriter, r *http.Request) (*local.Run, bool) {
	run, err := s.cfg.Layout.Run(r.PathValue("id"))
	switch {
	case errors.Is(err, local.ErrNotFound):
		notFound(w, "no run "+strconv.Quote(r.PathValue("id")))
		return nil, false
	case err != nil:
		storeError(w, err)
		return nil, false
	}
	return run, true
}

type logPage struct {
	RunID, Action, Status, Summary, Text string
	Offset                               int64
	Running                              bool
}

// actionLog reads the log of the {action} of the run {id} from offset on,
// answering the error itself when it cannot (ok false). running is true
// while the action may still write to it.
func (s *Server) actionLog(w http.ResponseWriter, r *http.Request, offset int64) (run *local.Run, a *local.ActionState, data []byte, next int64, running, ok bool) {
	run, ok = s.findRun(w, r)
	if !ok {
		return
	}
	id := r.PathValue("action")
	if a = run.Action(id); a == nil {
		notFound(w, "run "+run.ID+" has no action "+strconv.Quote(id))
		return run, nil, nil, 0, false, false
	}
	data, next, err := s.cfg.Layout.ReadLog(run, id, offset)
	if err != nil {
		storeError(w, err)
		return run, a, nil, 0, false, false
	}
	running = !run.Finished() && (a.Status == local.StatusInProgress || a.Status == local.StatusWaiting)
	return run, a, data, next, running, true
}

func (s *Server) log(w http.ResponseWriter, r *http.Request) {
	run, a, data, off, running, ok := s.actionLog(w, r, 0)
	if !ok {
		return
	}
	if r.URL.Query().Get("raw") != "" {
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.Write(data)
		return
	}
	s.render(w, r, "log.html", page{Title: a.ID() + " log", Live: "run=" + url.QueryEscape(run.ID),
		Data: logPage{RunID: run.ID, Action: a.ID(), Status: a.Status, Summary: a.Summary, Text: string(data), Offset: off, Running: running}})
}

// logTail is the part of a log after ?offset=, for the page's script to
// append while the action runs.
func (s *Server) logTail(w http.ResponseWriter, r *http.Request) {
	off, _ := strconv.ParseInt(r.URL.Query().Get("offset"), 10, 64)
	_, a, data, next, running, ok := s.actionLog(w, r, off)
	if !ok {
		return
	}
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	writeJSON(w, map[string]any{"text": string(data), "offset": next, "reset": next-int64(len(data)) != off,
		"status": a.Status, "running": running})
}

type artifactPage struct {
	Name, Digest string
	Files        []local.ArtifactFile
}

func (s *Server) artifact(w http.ResponseWriter, r *http.Request) {
	digest := r.PathValue("digest")
	files, err := s.cfg.Layout.ArtifactFiles(digest)
	if errors.Is(err, local.ErrNotFound) {
		notFound(w, "no artifact "+strconv.Quote(digest)+" in the store")
		return
	}
	if err != nil {
		storeError(w, err)
		return
	}
	s.render(w, r, "artifact.html", page{Title: "Artifact " + r.URL.Query().Get("name"),
		Data: artifactPage{Name: r.URL.Query().Get("name"), Digest: digest, Files: files}})
}

func (s *Server) artifactFile(w http.ResponseWriter, r *http.Request) {
	digest, rel := r.PathValue("digest"), r.PathValue("path")
	f, err := s.cfg.Layout.OpenArtifactFile(digest, rel)
	if err != nil {
		notFound(w, "no file "+strconv.Quote(rel)+" in artifact "+strconv.Quote(digest))
		return
	}
	defer f.Close()
	w.Header().Set("Content-Type", "application/octet-stream")
	w.Header().Set("Content-Disposition", mime.FormatMediaType("attachment", map[string]string{"filename": path.Base(rel)}))
	io.Copy(w, f)
}

type auditRow struct {
	Time, Who, Where, Agent, What, Run string
}

func (s *Server) auditRows(runID string) ([]auditRow, error) {
	evs, err := s.cfg.Layout.Audit(runID)
	var rows []auditRow
	for i := len(evs) - 1; i >= 0; i-- {
		e := evs[i]
		rows = append(rows, auditRow{Time: e.EventTime, Who: e.UserIdentity.UserName, Where: e.SourceIPAddress,
			Agent: e.UserAgent, What: describeAudit(&e), Run: e.RunID()})
	}
	return rows, err
}

// describeAudit says what a record asked for, in words.
func describeAudit(e *local.AuditEvent) string {
	p := e.RequestParameters
	str := func(k string) string { v, _ := p[k].(string); return v }
	switch e.EventName {
	case local.AuditApprove:
		res, _ := p["result"].(map[string]any)
		status, _ := res["status"].(string)
		summary, _ := res["summary"].(string)
		out := status + " " + str("stageName") + "." + str("actionName")
		if summary != "" {
			out += ": " + summary
		}
		return out
	case local.AuditRetry:
		return "Retried stage " + str("stageName") + " (" + str("retryMode") + ")"
	case local.AuditStop:
		out := "Stop"
		if ab, _ := p["abandon"].(bool); ab {
			out += " and abandon"
		}
		if r := str("reason"); r != "" {
			out += ": " + r
		}
		return out
	case local.AuditStart:
		return "Started pipeline " + str("name")
	}
	return e.EventName
}

func (s *Server) audit(w http.ResponseWriter, r *http.Request) {
	rows, err := s.auditRows("")
	if err != nil {
		storeError(w, err)
		return
	}
	s.render(w, r, "audit.html", page{Title: "Audit trail", Live: "all=1", Data: rows})
}
