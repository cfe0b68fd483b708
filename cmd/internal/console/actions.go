package console

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/pipeform/pipeform/targets/local"
)

// The state changes. Approve and stop call local.Control, as `pipeform
// approve` and `pipeform stop` do; retry and start run `pipeform resume`
// and `pipeform apply` themselves. Each answers with a redirect to the page
// that shows the result (POST, then GET).

func (s *Server) approve(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	action := r.PostForm.Get("action")
	approved := r.PostForm.Get("decision") == "approve"
	if !approved && r.PostForm.Get("decision") != "reject" {
		http.Error(w, "Bad request: decision must be approve or reject", http.StatusBadRequest)
		return
	}
	d := local.Decision{Approved: approved, By: s.cfg.User, Comment: strings.TrimSpace(r.PostForm.Get("comment"))}
	if err := s.cfg.Control.Approve(run, action, d, s.actor(r)); err != nil {
		refusal(w, err)
		return
	}
	verb := "Approved "
	if !approved {
		verb = "Rejected "
	}
	redirect(w, r, "/runs/"+url.PathEscape(run.ID), verb+action)
}

func (s *Server) stop(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	req := local.StopRequest{Abandon: r.PostForm.Get("abandon") != "", Reason: strings.TrimSpace(r.PostForm.Get("reason")), By: s.cfg.User}
	if err := s.cfg.Control.RequestStop(run, req, s.actor(r)); err != nil {
		refusal(w, err)
		return
	}
	redirect(w, r, "/runs/"+url.PathEscape(run.ID), "Asked the run to stop")
}

func (s *Server) retry(w http.ResponseWriter, r *http.Request) {
	run, ok := s.findRun(w, r)
	if !ok {
		return
	}
	mode := r.PostForm.Get("mode")
	if mode != local.RetryFailedActions && mode != local.RetryAllActions {
		http.Error(w, "Bad request: mode must be "+local.RetryFailedActions+" or "+local.RetryAllActions, http.StatusBadRequest)
		return
	}
	if status := s.cfg.Layout.Status(run); status != local.StatusFailed && status != local.StatusStopped && status != "Interrupted" {
		http.Error(w, fmt.Sprintf("Conflict: run %s is %s; only a failed, stopped or interrupted run can be retried", run.ID, status), http.StatusConflict)
		return
	}
	p, err := s.cfg.Launch([]string{"resume", "--dir", s.cfg.Dir, "--retry-mode", mode, "--", run.ID}, s.env(r))
	if err != nil {
		http.Error(w, "Internal error: cannot start pipeform resume: "+err.Error(), http.StatusInternalServerError)
		return
	}
	attempt := run.Attempt
	if msg := s.await(p, func() bool {
		now, err := s.cfg.Layout.Run(run.ID)
		return err == nil && now.Attempt > attempt
	}); msg != "" {
		http.Error(w, msg, http.StatusConflict)
		return
	}
	redirect(w, r, "/runs/"+url.PathEscape(run.ID), "Retrying "+run.ID)
}

func (s *Server) start(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("name")
	g, _ := s.cfg.Load()
	if g == nil || g.Pipeline(name) == nil {
		notFound(w, "no pipeline "+strconv.Quote(name)+" in the configuration")
		return
	}
	id := local.NewUUID()
	args := []string{"apply", s.cfg.Dir, "--pipeline", name, "--run-id", id}
	for _, v := range g.Pipeline(name).Variables {
		if val, ok := r.PostForm["var."+v.Name]; ok && (!v.HasDefault || val[0] != v.DefaultValue) && !(v.Sensitive && val[0] == local.MaskedValue) {
			args = append(args, "--variable", v.Name+"="+val[0])
		}
	}
	p, err := s.cfg.Launch(args, s.env(r))
	if err != nil {
		http.Error(w, "Internal error: cannot start pipeform apply: "+err.Error(), http.StatusInternalServerError)
		return
	}
	if msg := s.await(p, func() bool {
		_, err := s.cfg.Layout.Run(id)
		return err == nil
	}); msg != "" {
		http.Error(w, msg, http.StatusConflict)
		return
	}
	redirect(w, r, "/runs/"+url.PathEscape(id), "Started run "+id)
}

// env tells the command the console starts who asked and from where, for
// the audit trail.
func (s *Server) env(r *http.Request) []string {
	a := s.actor(r)
	return []string{"PIPEFORM_USER=" + a.User, "PIPEFORM_AUDIT_SOURCE_IP=" + a.SourceIP, "PIPEFORM_AUDIT_USER_AGENT=" + a.UserAgent}
}

// await waits until shown reports the run's record changed, or the command
// ended first (it refused, or the configuration has errors): then it
// returns what the command printed.
func (s *Server) await(p Process, shown func() bool) string {
	deadline := time.Now().Add(s.cfg.Wait)
	for time.Now().Before(deadline) {
		if shown() {
			return ""
		}
		if done, out := p.Exited(); done {
			if shown() {
				return ""
			}
			return "Conflict: pipeform ended before the run started:\n\n" + out
		}
		time.Sleep(50 * time.Millisecond)
	}
	return "Conflict: the run did not show within " + s.cfg.Wait.String() + "; look at the pipeline's page"
}

func refusal(w http.ResponseWriter, err error) {
	var re *local.RefusedError
	if errors.As(err, &re) {
		http.Error(w, "Conflict: "+re.Msg, http.StatusConflict)
		return
	}
	http.Error(w, "Internal error: "+err.Error(), http.StatusInternalServerError)
}

func redirect(w http.ResponseWriter, r *http.Request, to, flash string) {
	http.Redirect(w, r, to+"?flash="+url.QueryEscape(flash), http.StatusSeeOther)
}
