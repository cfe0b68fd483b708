package views

import (
	"fmt"
	"io"
	"strings"
	"sync"
	"time"

	"github.com/pipeform/pipeform/targets/local"
)

// TTYProgress is the terminal view: a compact block of stages and their
// actions with timings and each running action's last log line, redrawn in
// place with ANSI cursor movement. Only for a terminal; the CLI picks
// PlainProgress otherwise.
type TTYProgress struct {
	w     io.Writer
	now   func() time.Time
	width int

	mu        sync.Mutex
	snap      ttySnapshot
	drawn     int // lines of the block currently on screen
	suspended bool
	done      chan struct{}
	finished  bool
}

// ttySnapshot is the view's own copy of what it shows, so the redraw ticker
// never reads the scheduler's run record.
type ttySnapshot struct {
	id, pipeline string
	start        time.Time
	end          *time.Time
	status       string
	stages       []ttyStage
	tails        map[string][]string // action id -> last log lines
}

type ttyStage struct {
	name, status string
	start, end   *time.Time
	actions      []ttyAction
}

type ttyAction struct {
	id, name, status, summary string
	start, end                *time.Time
}

// tailLines is how many log lines a failed action shows at the end.
const tailLines = 10

// NewTTYProgress returns the terminal view; width is the terminal's width
// (lines are cut to fit, so the redraw stays in place). It redraws twice a
// second for the timings until RunFinished.
func NewTTYProgress(w io.Writer, width int, now func() time.Time) *TTYProgress {
	if width <= 20 {
		width = 100
	}
	t := &TTYProgress{w: w, now: now, width: width, done: make(chan struct{}), snap: ttySnapshot{tails: map[string][]string{}}}
	go t.tick()
	return t
}

func (t *TTYProgress) tick() {
	tk := time.NewTicker(500 * time.Millisecond)
	defer tk.Stop()
	for {
		select {
		case <-t.done:
			return
		case <-tk.C:
			t.mu.Lock()
			t.redraw()
			t.mu.Unlock()
		}
	}
}

// Suspend clears the block and stops drawing (for a prompt); Resume draws
// again.
func (t *TTYProgress) Suspend() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.clear()
	t.suspended = true
}

func (t *TTYProgress) Resume() {
	t.mu.Lock()
	defer t.mu.Unlock()
	t.suspended = false
	t.redraw()
}

// update copies the run into the snapshot and redraws.
func (t *TTYProgress) update(r *local.Run) {
	t.mu.Lock()
	defer t.mu.Unlock()
	s := &t.snap
	s.id, s.pipeline, s.start, s.end, s.status = r.ID, r.Pipeline, r.StartTime, r.EndTime, r.Status
	s.stages = s.stages[:0]
	for _, st := range r.Stages {
		ts := ttyStage{name: st.Name, status: st.Status, start: st.StartTime, end: st.EndTime}
		for _, a := range st.Actions {
			ts.actions = append(ts.actions, ttyAction{id: a.ID(), name: a.Name, status: a.Status, summary: a.Summary, start: a.StartTime, end: a.EndTime})
		}
		s.stages = append(s.stages, ts)
	}
	t.redraw()
}

func (t *TTYProgress) RunStarted(r *local.Run)                        { t.update(r) }
func (t *TTYProgress) StageStarted(r *local.Run, _ *local.StageState) { t.update(r) }
func (t *TTYProgress) ActionStarted(r *local.Run, a *local.ActionState) {
	t.mu.Lock()
	delete(t.snap.tails, a.ID())
	t.mu.Unlock()
	t.update(r)
}
func (t *TTYProgress) ActionFinished(r *local.Run, _ *local.ActionState) { t.update(r) }
func (t *TTYProgress) StageFinished(r *local.Run, _ *local.StageState)   { t.update(r) }

func (t *TTYProgress) ActionLog(r *local.Run, a *local.ActionState, line string) {
	t.mu.Lock()
	defer t.mu.Unlock()
	tail := append(t.snap.tails[a.ID()], line)
	if len(tail) > tailLines {
		tail = tail[len(tail)-tailLines:]
	}
	t.snap.tails[a.ID()] = tail
}

// StageLog prints a line of a stage's own log above the block.
func (t *TTYProgress) StageLog(r *local.Run, s *local.StageState, line string) {
	t.mu.Lock()
	t.clear()
	fmt.Fprintf(t.w, "[%s] %s\n", s.Name, truncate(line, t.width-1))
	t.mu.Unlock()
	t.update(r)
}

func (t *TTYProgress) ActionWaiting(r *local.Run, a *local.ActionState, message string) {
	t.mu.Lock()
	t.snap.tails[a.ID()] = append(t.snap.tails[a.ID()], message)
	t.mu.Unlock()
	t.update(r)
}

// RunFinished draws the final block, then the last log lines of each failed
// action and what to do next.
func (t *TTYProgress) RunFinished(r *local.Run) {
	t.update(r)
	t.mu.Lock()
	defer t.mu.Unlock()
	if !t.finished {
		t.finished = true
		close(t.done)
	}
	t.drawn = 0 // the final block stays on screen
	for _, st := range t.snap.stages {
		for _, a := range st.actions {
			if a.status != local.StatusFailed && a.status != local.StatusTimedOut {
				continue
			}
			fmt.Fprintf(t.w, "\nLast lines of %s's log:\n", a.id)
			for _, l := range t.snap.tails[a.id] {
				fmt.Fprintf(t.w, "  %s\n", truncate(l, t.width-3))
			}
		}
	}
	writeRunHints(t.w, r)
}

func (t *TTYProgress) clear() {
	if t.drawn > 0 {
		fmt.Fprintf(t.w, "\x1b[%dA\r\x1b[J", t.drawn)
		t.drawn = 0
	}
}

// redraw replaces the block on screen; the caller holds mu.
func (t *TTYProgress) redraw() {
	if t.suspended || t.snap.id == "" || t.finished {
		return
	}
	now := t.now()
	var b strings.Builder
	n := 0
	line := func(s string) {
		b.WriteString(truncate(s, t.width-1))
		b.WriteString("\n")
		n++
	}
	s := t.snap
	line(fmt.Sprintf("%s %s  run %s  %s", statusMark(s.status), s.pipeline, shortID(s.id), elapsed(&s.start, s.end, now)))
	for _, st := range s.stages {
		line(fmt.Sprintf("  %s %-16s %s", statusMark(st.status), st.name, elapsed(st.start, st.end, now)))
		if st.status == local.StatusPending || st.status == local.StatusSkipped {
			continue
		}
		for _, a := range st.actions {
			detail := ""
			switch a.status {
			case local.StatusInProgress, local.StatusWaiting:
				if tail := s.tails[a.id]; len(tail) > 0 {
					detail = tail[len(tail)-1]
				}
			default:
				detail = a.summary
			}
			line(fmt.Sprintf("      %s %-14s %6s  %s", statusMark(a.status), a.name, elapsed(a.start, a.end, now), detail))
		}
	}
	t.clear()
	io.WriteString(t.w, b.String())
	t.drawn = n
}

func elapsed(start, end *time.Time, now time.Time) string {
	if start == nil {
		return ""
	}
	if end != nil {
		return FormatDuration(end.Sub(*start))
	}
	return FormatDuration(now.Sub(*start))
}

func shortID(id string) string {
	if len(id) > 8 {
		return id[:8]
	}
	return id
}
