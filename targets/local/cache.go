package local

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/reports"
)

// cacheEntry is what a successful action left for later runs.
type cacheEntry struct {
	RunID     string            `json:"run_id"`
	Action    string            `json:"action"`
	Outputs   map[string]string `json:"outputs,omitempty"`
	Variables map[string]string `json:"variables,omitempty"`
	// Reports are the build's report groups, shown again on a cache hit.
	Reports []*reports.Group `json:"reports,omitempty"`
}

// cacheKey is the digest of everything that decides a build's result: the
// action's type and resolved configuration and environment, the project
// definition (buildspec and image included), the local block, the input
// artifact digests and the secret values. Only CodeBuild and Commands
// actions are cached: sources, approvals, deployments and local blocks (which stand in
// for actions with side effects) always run. "" means not cacheable.
func (s *scheduler) cacheKey(j *job) string {
	a := j.a
	if !a.Cacheable() {
		return ""
	}
	var project *graph.Project
	if a.Project != nil {
		p := *a.Project
		p.DeclRange = hcl.Range{}
		project = &p
	}
	local := a.Local
	if local != nil {
		l := *local
		l.Commands = j.localCommands // resolved: a new variable value is a new key
		local = &l
	}
	data, err := json.Marshal(struct {
		// Format 2: entries never hold masked variables (earlier ones
		// could, and would hand *** on).
		Format           int
		Pipeline, Action string
		Type             graph.ActionType
		Config           map[string]string
		Env              []graph.KeyValue
		Project          *graph.Project
		Local            *graph.Local
		Commands         []string
		OutputVariables  []string
		OutputFiles      []string
		Inputs           map[string]string
		Variables        []string
		Secrets          []string
	}{2, s.run.Pipeline, a.ID(), a.Type, j.cfg, j.env, project, local, a.Commands, a.OutputVariables, a.OutputFiles, j.st.Inputs, a.Variables, s.opts.Secrets.Values()})
	if err != nil {
		return ""
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

// cached returns the outcome of an identical earlier success, or nil.
func (s *scheduler) cached(j *job) *outcome {
	if s.opts.NoCache {
		return nil
	}
	key := s.cacheKey(j)
	if key == "" {
		return nil
	}
	data, err := os.ReadFile(filepath.Join(s.opts.Layout.CacheDir(), key+".json"))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil {
		return nil
	}
	for _, d := range e.Outputs {
		if !s.store.Has(d) {
			return nil
		}
	}
	summary := "Cached from run " + e.RunID
	if t := reports.Totals(e.Reports); t != "" {
		summary += " (" + t + ")"
	}
	return &outcome{status: StatusSucceeded, summary: summary, vars: e.Variables, cached: true, cachedOutputs: e.Outputs, reports: e.Reports}
}

// saveCache records a success for later runs.
func (s *scheduler) saveCache(j *job, out *outcome, digests map[string]string) {
	key := s.cacheKey(j)
	if key == "" {
		return
	}
	data, err := json.MarshalIndent(cacheEntry{RunID: s.run.ID, Action: j.a.ID(), Outputs: digests, Variables: out.vars, Reports: out.reports}, "", "  ")
	if err != nil {
		return
	}
	_ = WriteFileAtomic(filepath.Join(s.opts.Layout.CacheDir(), key+".json"), data)
}
