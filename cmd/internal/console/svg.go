package console

import (
	"fmt"
	"html"
	"html/template"
	"strings"
	"time"

	"github.com/pipeform/pipeform/targets/local"
)

// The pictures, drawn as inline SVG on the server (no script needed to see
// them): the stage diagram and a run's timeline. Colours come from the
// page's style sheet through the st-<Status> classes.

const (
	boxW, boxH     = 200, 50 // one action
	boxGapY        = 10      // between stacked actions of one run order
	groupGapX      = 18      // between run orders
	stagePad       = 12
	stageHead      = 28 // the stage's name
	stageGapX      = 44 // between stages, where the arrow goes
	timelineLabelW = 200
	timelineW      = 560
	timelineRowH   = 22
)

// statusClass is a CSS class for a status (letters only).
func statusClass(status string) string {
	return "st-" + strings.Map(func(r rune) rune {
		if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' {
			return r
		}
		return -1
	}, status)
}

func esc(s string) string { return html.EscapeString(s) }

// clip shortens s to n runes, with an ellipsis.
func clip(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}

// diagramSVG draws stages left to right; in a stage, run orders left to
// right and the actions of one run order stacked. Each action links to its
// log.
func diagramSVG(stages []*stageView) template.HTML {
	if len(stages) == 0 {
		return ""
	}
	var b strings.Builder
	height := 0
	for _, st := range stages {
		n := 1
		for _, g := range st.Groups {
			n = max(n, len(g))
		}
		height = max(height, stageHead+n*(boxH+boxGapY)-boxGapY+stagePad)
	}
	x := 0
	var body strings.Builder
	for i, st := range stages {
		w := 2*stagePad + max(1, len(st.Groups))*boxW + max(0, len(st.Groups)-1)*groupGapX
		fmt.Fprintf(&body, `<g class="stage %s"><rect class="stage-box" x="%d" y="0" width="%d" height="%d" rx="6"/>`, statusClass(st.Status), x, w, height)
		fmt.Fprintf(&body, `<text class="stage-name" x="%d" y="19">%s</text>`, x+stagePad, esc(clip(st.Name, 24)))
		fmt.Fprintf(&body, `<text class="stage-status" x="%d" y="19" text-anchor="end">%s</text></g>`, x+w-stagePad, esc(st.Status))
		for gi, g := range st.Groups {
			gx := x + stagePad + gi*(boxW+groupGapX)
			for ai, a := range g {
				actionBox(&body, a, gx, stageHead+ai*(boxH+boxGapY))
			}
			if gi > 0 {
				ay := stageHead + boxH/2
				fmt.Fprintf(&body, `<path class="arrow" d="M%d %d h%d" marker-end="url(#arrow)"/>`, gx-groupGapX+2, ay, groupGapX-6)
			}
		}
		x += w
		if i < len(stages)-1 {
			fmt.Fprintf(&body, `<path class="arrow" d="M%d %d h%d" marker-end="url(#arrow)"/>`, x+4, height/2, stageGapX-12)
			x += stageGapX
		}
	}
	fmt.Fprintf(&b, `<svg class="diagram" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="Stage diagram">`, x+2, height+2, x+2, height+2)
	b.WriteString(`<defs><marker id="arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0 0L10 5L0 10z"/></marker></defs>`)
	b.WriteString(body.String())
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

func actionBox(b *strings.Builder, a *actionView, x, y int) {
	open, end := "", ""
	if a.LogURL != "" {
		open, end = fmt.Sprintf(`<a href="%s">`, esc(a.LogURL)), `</a>`
	}
	sub := a.Status
	if a.Duration != "" {
		sub += " · " + a.Duration
	}
	tip := a.ID + " (" + a.Provider + "): " + a.Status
	if a.Summary != "" {
		tip += " — " + a.Summary
	}
	fmt.Fprintf(b, `%s<g class="action %s"><title>%s</title><rect x="%d" y="%d" width="%d" height="%d" rx="4"/>`, open, statusClass(a.Status), esc(tip), x, y, boxW, boxH)
	fmt.Fprintf(b, `<text class="action-name" x="%d" y="%d">%s</text>`, x+8, y+19, esc(clip(a.Name, 22)))
	fmt.Fprintf(b, `<text class="action-sub" x="%d" y="%d">%s</text></g>%s`, x+8, y+38, esc(clip(a.Provider+" · "+sub, 32)), end)
}

// timelineSVG draws one bar per action that started, from its start to its
// end (to now while it runs), on the run's time axis: actions that ran in
// parallel overlap, and the chain of bars that reaches the end is the
// critical path.
func timelineSVG(r *local.Run, now time.Time) template.HTML {
	var rows []*local.ActionState
	for _, st := range r.Stages {
		for _, a := range st.Actions {
			if a.StartTime != nil {
				rows = append(rows, a)
			}
		}
	}
	if len(rows) == 0 {
		return ""
	}
	t0, t1 := r.StartTime, now
	if r.EndTime != nil {
		t1 = *r.EndTime
	}
	for _, a := range rows {
		if a.EndTime != nil && a.EndTime.After(t1) {
			t1 = *a.EndTime
		}
	}
	span := max(t1.Sub(t0), time.Millisecond)
	critical := criticalPath(rows, t1)
	pos := func(t time.Time) int {
		return timelineLabelW + int(float64(t.Sub(t0))/float64(span)*timelineW)
	}
	h := len(rows)*timelineRowH + 24
	var b strings.Builder
	fmt.Fprintf(&b, `<svg class="timeline" xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" role="img" aria-label="Run timeline">`, timelineLabelW+timelineW+60, h, timelineLabelW+timelineW+60, h)
	for i, a := range rows {
		y := i * timelineRowH
		end := t1
		if a.EndTime != nil {
			end = *a.EndTime
		}
		x0, x1 := pos(*a.StartTime), pos(end)
		fmt.Fprintf(&b, `<text class="tl-label" x="%d" y="%d" text-anchor="end">%s</text>`, timelineLabelW-8, y+15, esc(clip(a.ID(), 30)))
		class := statusClass(a.Status)
		if critical[a] {
			class += " critical"
		}
		fmt.Fprintf(&b, `<g class="%s"><title>%s: %s, %s</title><rect x="%d" y="%d" width="%d" height="%d" rx="3"/></g>`,
			class, esc(a.ID()), esc(a.Status), esc(formatDuration(end.Sub(*a.StartTime))), x0, y+4, max(2, x1-x0), timelineRowH-8)
	}
	axis := len(rows) * timelineRowH
	fmt.Fprintf(&b, `<path class="axis" d="M%d %d h%d"/>`, timelineLabelW, axis+2, timelineW)
	fmt.Fprintf(&b, `<text class="tl-tick" x="%d" y="%d">0s</text>`, timelineLabelW, axis+18)
	fmt.Fprintf(&b, `<text class="tl-tick" x="%d" y="%d" text-anchor="end">%s</text>`, timelineLabelW+timelineW, axis+18, esc(formatDuration(span)))
	if len(critical) > 0 {
		fmt.Fprintf(&b, `<text class="tl-tick" x="%d" y="%d" text-anchor="middle">outlined: the critical path</text>`, timelineLabelW+timelineW/2, axis+18)
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String())
}

// criticalPath is the chain of actions that decided the run's length: the
// action that ended last, then, going back, the action that ended last
// before it started (what it waited for), and so on. A running action ends
// at end.
func criticalPath(rows []*local.ActionState, end time.Time) map[*local.ActionState]bool {
	stop := func(a *local.ActionState) time.Time {
		if a.EndTime != nil {
			return *a.EndTime
		}
		return end
	}
	// Actions that start within this of another's end waited for it (the
	// scheduler's own bookkeeping takes a moment).
	const slack = 50 * time.Millisecond
	var cur *local.ActionState
	for _, a := range rows {
		if cur == nil || stop(a).After(stop(cur)) {
			cur = a
		}
	}
	path := map[*local.ActionState]bool{}
	for cur != nil && !path[cur] {
		path[cur] = true
		var prev *local.ActionState
		for _, a := range rows {
			if a != cur && !stop(a).After(cur.StartTime.Add(slack)) && (prev == nil || stop(a).After(stop(prev))) {
				prev = a
			}
		}
		cur = prev
	}
	return path
}
