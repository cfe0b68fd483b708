package views

import (
	"fmt"
	"io"
	"strings"

	"github.com/pipeform/pipeform/targets/trigger"
)

// TriggerFormatVersion is the format_version of trigger --json.
const TriggerFormatVersion = "1.0"

// TriggerReport is trigger --json: the event as read from git and, per
// pipeline, whether it would start and why.
type TriggerReport struct {
	FormatVersion string            `json:"format_version"`
	Event         trigger.Event     `json:"event"`
	Pipelines     []*trigger.Result `json:"pipelines"`
	// Starts names the pipelines that would start, in name order.
	Starts []string `json:"starts"`
}

// NewTriggerReport builds the report of an evaluated event.
func NewTriggerReport(ev trigger.Event, results []*trigger.Result) *TriggerReport {
	r := &TriggerReport{FormatVersion: TriggerFormatVersion, Event: ev, Pipelines: results, Starts: []string{}}
	if r.Event.Files == nil {
		r.Event.Files = []string{}
	}
	for _, p := range results {
		if p.Starts {
			r.Starts = append(r.Starts, p.Pipeline)
		}
	}
	return r
}

// WriteTriggerReport prints the report for people: the event, then each
// pipeline with each source's verdict and every filter's criteria.
func WriteTriggerReport(w io.Writer, r *TriggerReport) error {
	ev := r.Event
	fmt.Fprintf(w, "Event: %s", ev.Describe())
	if ev.Head != "" {
		fmt.Fprintf(w, " at %s", shortCommit(ev.Head))
	}
	fmt.Fprintln(w)
	if ev.Tag == "" || ev.Kind == trigger.PullRequest {
		from := "root commit"
		if ev.Base != "" {
			from = shortCommit(ev.Base)
		}
		fmt.Fprintf(w, "Changed files (%s..%s): %d\n", from, shortCommit(ev.Head), len(ev.Files))
		for _, f := range ev.Files {
			fmt.Fprintf(w, "  %s\n", f)
		}
	}
	for _, p := range r.Pipelines {
		verdict := "does not start"
		if p.Starts {
			verdict = "starts"
		}
		fmt.Fprintf(w, "\nPipeline %s: %s\n", p.Pipeline, verdict)
		if len(p.Sources) == 0 {
			fmt.Fprintln(w, "  it has no source action")
		}
		for _, s := range p.Sources {
			WriteSourceVerdict(w, "  ", s)
		}
	}
	fmt.Fprintf(w, "\n%d of %d pipelines would start", len(r.Starts), len(r.Pipelines))
	if len(r.Starts) > 0 {
		fmt.Fprintf(w, ": %s", strings.Join(r.Starts, ", "))
	}
	_, err := fmt.Fprintln(w, ".")
	return err
}

// WriteSourceVerdict prints one source action's verdict and its filters.
func WriteSourceVerdict(w io.Writer, indent string, s *trigger.SourceResult) {
	mark := "✗"
	if s.Starts {
		mark = "✓"
	}
	if s.Default {
		fmt.Fprintf(w, "%s%s source %s (no trigger): %s\n", indent, mark, s.Action, s.Reason)
		return
	}
	fmt.Fprintf(w, "%s%s source %s trigger: %s\n", indent, mark, s.Action, s.Reason)
	for _, f := range s.Filters {
		state := "does not match"
		if f.Matched {
			state = "matches"
		}
		fmt.Fprintf(w, "%s    %s filter %d %s\n", indent, f.Kind, f.Index, state)
		for _, c := range f.Checks {
			m := "✗"
			if c.Matched {
				m = "✓"
			}
			fmt.Fprintf(w, "%s      %s %s: %s\n", indent, m, c.Criterion, c.Reason)
		}
	}
}

func shortCommit(id string) string {
	if len(id) > 12 {
		return id[:12]
	}
	return id
}
