package console

import (
	"crypto/sha256"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"time"
)

// live streams server-sent events: one "change" event whenever what a page
// shows changed (?run=ID: that run, its stop request and audit records;
// ?pipeline=NAME: its runs; ?all=1: every run and the audit trail). The
// page's script then fetches itself again and swaps the parts marked
// data-live.
func (s *Server) live(w http.ResponseWriter, r *http.Request) {
	fl, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "Internal error: streaming is not supported", http.StatusInternalServerError)
		return
	}
	q := r.URL.Query()
	fingerprint := func() string { return s.fingerprint(q) }
	w.Header().Set("Content-Type", "text/event-stream")
	w.Header().Set("Cache-Control", "no-store")
	last := fingerprint()
	fmt.Fprintf(w, "retry: 2000\nevent: hello\ndata: %s\n\n", last)
	fl.Flush()
	t := time.NewTicker(s.cfg.Poll)
	defer t.Stop()
	keepalive := 0
	for {
		select {
		case <-r.Context().Done():
			return
		case <-t.C:
		}
		now := fingerprint()
		keepalive++
		switch {
		case now != last:
			last = now
			keepalive = 0
			fmt.Fprintf(w, "event: change\ndata: %s\n\n", now)
		case keepalive*int(s.cfg.Poll/time.Millisecond) >= 15000:
			keepalive = 0
			fmt.Fprint(w, ": keep-alive\n\n")
		default:
			continue
		}
		fl.Flush()
	}
}

// fingerprint is a short digest of what a page following q shows: the run
// (?run=ID) with its stop request and audit records, or the runs of a
// pipeline (?pipeline=NAME; every run without it) and the audit trail. A
// page carries the one it was rendered at, and the stream says the current
// one first, so a change between the two is not missed.
func (s *Server) fingerprint(q url.Values) string {
	h := sha256.New()
	switch {
	case q.Get("run") != "":
		run, err := s.cfg.Layout.Run(q.Get("run"))
		if err != nil {
			return "gone"
		}
		json.NewEncoder(h).Encode(run)
		fmt.Fprint(h, s.cfg.Layout.Status(run))
		audit, _ := s.cfg.Layout.Audit(run.ID)
		fmt.Fprint(h, len(audit))
	default:
		runs, _ := s.runsOf(q.Get("pipeline"))
		for _, run := range runs {
			json.NewEncoder(h).Encode(run)
			fmt.Fprint(h, s.cfg.Layout.Status(run))
		}
		audit, _ := s.cfg.Layout.Audit("")
		fmt.Fprint(h, len(audit))
	}
	return fmt.Sprintf("%x", h.Sum(nil))[:16]
}

func writeJSON(w http.ResponseWriter, v any) {
	_ = json.NewEncoder(w).Encode(v)
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
