package trigger

import (
	"fmt"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/glob"
	"github.com/pipeform/pipeform/compiler/graph"
)

// Event kinds and pull-request events.
const (
	Push        = "push"
	PullRequest = "pull_request"
)

// PREvents are the pull-request events a filter can name, in CodePipeline's
// order. A filter that names none reacts to all three (CDK fills them in,
// and pipeform's generate writes them out).
var PREvents = []string{"OPEN", "UPDATED", "CLOSED"}

// Event is one git event: a push of a branch or a tag, or a pull request.
type Event struct {
	Kind string `json:"event"` // Push or PullRequest
	// PREvent is OPEN, UPDATED or CLOSED (pull requests only).
	PREvent string `json:"pr_event,omitempty"`
	// Branch is the pushed branch, or a pull request's target branch.
	Branch string `json:"branch,omitempty"`
	// Tag is the pushed tag (a push of a tag has no branch).
	Tag string `json:"tag,omitempty"`
	// Base and Head are the revisions the changed files were computed
	// between, as resolved commit ids (informational).
	Base string `json:"base,omitempty"`
	Head string `json:"head,omitempty"`
	// Files are the changed files, relative to the repository's root with
	// `/` separators, sorted.
	Files []string `json:"changed_files"`
}

// Describe says the event in a few words: "push to branch main".
func (e Event) Describe() string {
	switch {
	case e.Kind == PullRequest:
		return fmt.Sprintf("pull request %s into branch %s", e.PREvent, e.Branch)
	case e.Tag != "":
		return "push of tag " + e.Tag
	}
	return "push to branch " + e.Branch
}

// Result is the verdict for one pipeline.
type Result struct {
	Pipeline string `json:"pipeline"`
	Starts   bool   `json:"starts"`
	// Sources has one entry per source action of the first stage.
	Sources []*SourceResult `json:"sources"`
}

// SourceResult is the verdict for one source action: its trigger's filters,
// or its default change detection when it has no trigger.
type SourceResult struct {
	Action   string `json:"source_action"`
	Provider string `json:"provider"`
	// Default is true when the action has no trigger: CodePipeline's
	// default change detection decides (Reason says how).
	Default bool            `json:"default"`
	Starts  bool            `json:"starts"`
	Reason  string          `json:"reason,omitempty"`
	Filters []*FilterResult `json:"filters,omitempty"`
}

// FilterResult is one push or pull_request filter: every criterion must
// match for the filter to match; any matching filter starts the pipeline.
type FilterResult struct {
	Kind    string   `json:"kind"`  // Push or PullRequest
	Index   int      `json:"index"` // 1-based, among the filters of its kind
	Matched bool     `json:"matched"`
	Checks  []*Check `json:"checks"`
}

// Check is one criterion of a filter (branches, tags, file_paths, events).
type Check struct {
	Criterion string `json:"criterion"`
	Matched   bool   `json:"matched"`
	// Reason says in words what decided it.
	Reason string `json:"reason"`
	// Files are the changed files that decided a file_paths criterion:
	// the ones that matched, else the ones that were looked at.
	Files []string `json:"files,omitempty"`
}

// Evaluate decides whether the event starts each pipeline and why. A
// pattern that is not a valid glob is an error diagnostic at the trigger
// (its filter then does not match).
func Evaluate(pipelines []*graph.Pipeline, ev Event) ([]*Result, hcl.Diagnostics) {
	var out []*Result
	var diags hcl.Diagnostics
	for _, p := range pipelines {
		r := &Result{Pipeline: p.Name}
		if len(p.Stages) > 0 {
			for _, a := range p.Stages[0].Actions {
				if a.Type.Category != graph.CategorySource {
					continue
				}
				sr, d := evalSource(p, a, ev)
				diags = append(diags, d...)
				r.Sources = append(r.Sources, sr)
				r.Starts = r.Starts || sr.Starts
			}
		}
		out = append(out, r)
	}
	return out, diags
}

func evalSource(p *graph.Pipeline, a *graph.Action, ev Event) (*SourceResult, hcl.Diagnostics) {
	sr := &SourceResult{Action: a.Name, Provider: a.Type.Provider}
	var t *graph.Trigger
	for _, x := range p.Triggers {
		if x.SourceActionName == a.Name {
			t = x
		}
	}
	if t == nil {
		sr.Default = true
		sr.Starts, sr.Reason = defaultDetection(a, ev)
		return sr, nil
	}
	var diags hcl.Diagnostics
	e := &evaluator{ev: ev, rng: t.DeclRange}
	filters, kind := t.Push, Push
	if ev.Kind == PullRequest {
		filters, kind = t.PullRequest, PullRequest
	}
	for i, f := range filters {
		fr := e.filter(f, kind, i+1)
		sr.Filters = append(sr.Filters, fr)
		sr.Starts = sr.Starts || fr.Matched
	}
	diags = append(diags, e.diags...)
	switch {
	case len(filters) == 0:
		sr.Reason = fmt.Sprintf("its trigger has no %s filter, so a %s never starts it", kind, kindWords(ev))
	case sr.Starts:
		sr.Reason = "a filter matched"
	default:
		sr.Reason = "no filter matched"
	}
	return sr, diags
}

func kindWords(ev Event) string {
	if ev.Kind == PullRequest {
		return "pull request"
	}
	return "push"
}

// defaultDetection is a source without a trigger: CodePipeline starts the
// pipeline on a push to the action's BranchName ("No filter" in the user
// guide's "Automate starting pipelines using triggers and filtering"),
// unless change detection is switched off; never on a tag push or a pull
// request. S3 and ECR sources react to no git event.
func defaultDetection(a *graph.Action, ev Event) (bool, string) {
	branch := a.Configuration["BranchName"]
	switch {
	case a.Type.Provider != "CodeStarSourceConnection" && a.Type.Provider != "CodeCommit":
		return false, fmt.Sprintf("a %s source reacts to no git event", a.Type.Provider)
	case strings.EqualFold(a.Configuration["DetectChanges"], "false"):
		return false, "it has no trigger and detect_changes is false"
	case ev.Kind == PullRequest:
		return false, "it has no trigger, and without one only pushes to its branch " + quote(branch) + " start the pipeline"
	case ev.Tag != "":
		return false, "it has no trigger, and without one a tag push does not start the pipeline (only pushes to its branch " + quote(branch) + ")"
	case ev.Branch != branch:
		return false, fmt.Sprintf("it has no trigger, and without one only pushes to its branch %s start the pipeline, not to %s", quote(branch), quote(ev.Branch))
	}
	return true, "it has no trigger: a push to its branch " + quote(branch) + " starts the pipeline"
}

type evaluator struct {
	ev    Event
	rng   hcl.Range
	diags hcl.Diagnostics
	cache map[string]*glob.Glob
}

// filter evaluates one filter; its criteria are ANDed. A push of a tag is
// decided by the filter's tags alone and a push of a branch by its
// branches and file paths: the user guide lists tags and branches (+ file
// paths) as separate combinations and is silent on a filter holding both,
// so such a filter matches either kind of push by the criteria of that
// kind.
func (e *evaluator) filter(f *graph.GitFilter, kind string, index int) *FilterResult {
	fr := &FilterResult{Kind: kind, Index: index}
	add := func(c *Check) { fr.Checks = append(fr.Checks, c) }
	switch {
	case kind == PullRequest:
		add(e.events(f.Events))
		add(e.names("branches", f.Branches, e.ev.Branch))
		if f.FilePaths != nil {
			add(e.files(f.FilePaths))
		}
	case e.ev.Tag != "":
		if f.Tags == nil {
			add(&Check{Criterion: "tags", Reason: "the filter has no tags, so a tag push does not match it"})
		} else {
			add(e.names("tags", f.Tags, e.ev.Tag))
		}
	default:
		if f.Branches == nil {
			add(&Check{Criterion: "branches", Reason: "the filter has no branches, so a branch push does not match it"})
			break
		}
		add(e.names("branches", f.Branches, e.ev.Branch))
		if f.FilePaths != nil {
			add(e.files(f.FilePaths))
		}
	}
	fr.Matched = true
	for _, c := range fr.Checks {
		fr.Matched = fr.Matched && c.Matched
	}
	return fr
}

func (e *evaluator) events(events []string) *Check {
	c := &Check{Criterion: "events"}
	if len(events) == 0 {
		events = PREvents
	}
	for _, x := range events {
		if x == e.ev.PREvent {
			c.Matched = true
		}
	}
	if c.Matched {
		c.Reason = fmt.Sprintf("%s is one of %s", e.ev.PREvent, strings.Join(events, ", "))
	} else {
		c.Reason = fmt.Sprintf("%s is not one of %s", e.ev.PREvent, strings.Join(events, ", "))
	}
	return c
}

// names matches a branch or tag name: an exclude that matches wins; else
// it must match an include (no includes: every name).
func (e *evaluator) names(criterion string, ie *graph.IncludeExclude, name string) *Check {
	c := &Check{Criterion: criterion}
	if pat, ok := e.first(ie.Excludes, name); ok {
		c.Reason = fmt.Sprintf("%s matches exclude %s", quote(name), quote(pat))
		return c
	}
	if len(ie.Includes) == 0 {
		c.Matched = true
		c.Reason = fmt.Sprintf("%s matches no exclude, and there are no includes", quote(name))
		return c
	}
	if pat, ok := e.first(ie.Includes, name); ok {
		c.Matched = true
		c.Reason = fmt.Sprintf("%s matches include %s", quote(name), quote(pat))
		return c
	}
	c.Reason = fmt.Sprintf("%s matches no include (%s)", quote(name), quoteList(ie.Includes))
	return c
}

// files matches the changed files: a file counts when it matches an
// include (or there are none) and no exclude; the criterion matches when
// at least one file counts. (The user guide: excludes take priority over
// includes.)
func (e *evaluator) files(ie *graph.IncludeExclude) *Check {
	c := &Check{Criterion: "file_paths"}
	if len(e.ev.Files) == 0 {
		c.Reason = "no file changed between base and head"
		return c
	}
	var matched, excluded, other []string
	var why []string
	for _, f := range e.ev.Files {
		if pat, ok := e.first(ie.Excludes, f); ok {
			excluded = append(excluded, f)
			why = append(why, fmt.Sprintf("%s (exclude %s)", f, quote(pat)))
			continue
		}
		if len(ie.Includes) == 0 {
			matched = append(matched, f)
			continue
		}
		if _, ok := e.first(ie.Includes, f); ok {
			matched = append(matched, f)
		} else {
			other = append(other, f)
		}
	}
	switch {
	case len(matched) > 0:
		c.Matched = true
		c.Files = matched
		how := "match an include"
		if len(ie.Includes) == 0 {
			how = "match no exclude"
		}
		c.Reason = fmt.Sprintf("%d changed file(s) %s: %s", len(matched), how, someOf(matched))
	default:
		c.Files = append(append([]string{}, excluded...), other...)
		sort.Strings(c.Files)
		var parts []string
		if len(why) > 0 {
			parts = append(parts, someOf(why))
		}
		if len(other) > 0 {
			parts = append(parts, fmt.Sprintf("%s (no include of %s)", someOf(other), quoteList(ie.Includes)))
		}
		c.Reason = "no changed file counts: " + strings.Join(parts, "; ")
	}
	return c
}

// first returns the first pattern that matches s.
func (e *evaluator) first(patterns []string, s string) (string, bool) {
	for _, p := range patterns {
		g := e.pattern(p)
		if g != nil && g.Match(s) {
			return p, true
		}
	}
	return "", false
}

func (e *evaluator) pattern(p string) *glob.Glob {
	if g, ok := e.cache[p]; ok {
		return g
	}
	if e.cache == nil {
		e.cache = map[string]*glob.Glob{}
	}
	g, err := glob.Compile(p)
	if err != nil {
		rng := e.rng
		e.diags = append(e.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError, Summary: "Invalid trigger pattern", Subject: &rng,
			Detail: fmt.Sprintf("The pattern %q is not a valid glob: %s. Trigger patterns use CodePipeline's glob syntax: *, **, ?, [set], {a,b} and \\ to escape; see docs/triggers.md.", p, err),
		})
	}
	e.cache[p] = g
	return g
}

// shownFiles is how many files a reason lists; Check.Files has them all.
const shownFiles = 10

// someOf lists the first shownFiles items and says how many more there are.
func someOf(items []string) string {
	if len(items) <= shownFiles {
		return strings.Join(items, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(items[:shownFiles], ", "), len(items)-shownFiles)
}

func quote(s string) string { return fmt.Sprintf("%q", s) }

func quoteList(list []string) string {
	q := make([]string, len(list))
	for i, s := range list {
		q[i] = quote(s)
	}
	return strings.Join(q, ", ")
}
