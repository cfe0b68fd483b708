package local

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

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

// keyParts are the inputs of an action's cache key, each digested on its
// own, so that a plan can say which one changed since the action last
// succeeded. The key is the digest of all of them. Only CodeBuild and
// Commands actions are cached: sources, approvals, deployments and local
// blocks (which stand in for actions with side effects) always run.
type keyParts struct {
	// Definition is the action as written: its type, configuration and
	// environment variables before #{...} is resolved, the project
	// (buildspec, image, timeout...) or the Commands action's commands,
	// output variables and files.
	Definition string `json:"definition"`
	// Variables is the configuration and environment once #{...} is
	// resolved (pipeline variables, other actions' output variables); the
	// values of secrets are not part of it.
	Variables string `json:"variables"`
	// Secrets is the values of the secrets the action uses (its
	// Parameter Store and Secrets Manager environment variables and its
	// buildspec's), not the whole secrets file.
	Secrets string `json:"secrets"`
	// Inputs are the input artifacts' store digests.
	Inputs map[string]string `json:"inputs"`
}

// cacheFormat changes whenever the key's meaning does. Format 3: the key
// is made of keyParts and covers only the secrets the action uses.
const cacheFormat = 3

func (p *keyParts) key(pipeline, action string) string {
	data, _ := json.Marshal(struct {
		Format           int
		Pipeline, Action string
		Parts            *keyParts
	}{cacheFormat, pipeline, action, p})
	return digestOf(data)
}

func digestOf(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}

func digestJSON(v any) string {
	data, err := json.Marshal(v)
	if err != nil {
		return ""
	}
	return digestOf(data)
}

// keyParts computes the parts of j's key; nil when the action is not
// cacheable.
func (s *scheduler) keyParts(j *job) *keyParts {
	a := j.a
	if !a.Cacheable() {
		return nil
	}
	var project *graph.Project
	if a.Project != nil {
		p := *a.Project
		p.DeclRange = hcl.Range{}
		project = &p
	}
	definition := digestJSON(struct {
		Type            graph.ActionType
		Config          map[string]string
		Env             []*graph.EnvironmentVariable
		Project         *graph.Project
		Local           *graph.Local
		Commands        []string
		OutputVariables []string
		OutputFiles     []string
		Variables       []string
	}{a.Type, a.Configuration, a.EnvironmentVariables, project, a.Local, a.Commands, a.OutputVariables, a.OutputFiles, a.Variables})
	// The resolved environment without secret values: a secret-typed
	// variable counts by the reference it names.
	vars, _ := actionEnvVars(a)
	env := make([]envVar, len(vars))
	for i, v := range vars {
		env[i] = v
		env[i].Value, _ = s.vars.Resolve(v.Value)
	}
	variables := digestJSON(struct {
		Config        map[string]string
		Env           []envVar
		LocalCommands []string
	}{j.cfg, env, j.localCommands})
	inputs := j.st.Inputs
	if inputs == nil {
		inputs = map[string]string{}
	}
	return &keyParts{Definition: definition, Variables: variables, Secrets: digestJSON(s.usedSecrets(a, env)), Inputs: inputs}
}

// usedSecrets lists "kind name=value" for every secret the action uses:
// its environment variables of type PARAMETER_STORE and SECRETS_MANAGER
// (env, resolved) and its project's env.parameter-store and
// env.secrets-manager. A secret missing from the file counts as missing.
func (s *scheduler) usedSecrets(a *graph.Action, env []envVar) []string {
	var used []string
	add := func(kind, ref string) {
		var val string
		var err error
		if kind == "parameter-store" {
			val, err = s.opts.Secrets.Parameter(ref)
		} else {
			val, err = s.opts.Secrets.Secret(ref)
		}
		if err != nil {
			val = "(missing)"
		}
		used = append(used, kind+" "+ref+"="+val)
	}
	for _, v := range env {
		switch strings.ToUpper(v.Type) {
		case "PARAMETER_STORE":
			add("parameter-store", v.Value)
		case "SECRETS_MANAGER":
			add("secrets-manager", v.Value)
		}
	}
	if a.Project != nil && a.Project.Buildspec != nil && a.Project.Buildspec.Env != nil {
		for _, kv := range a.Project.Buildspec.Env.ParameterStore {
			add("parameter-store", kv.Value)
		}
		for _, kv := range a.Project.Buildspec.Env.SecretsManager {
			add("secrets-manager", kv.Value)
		}
	}
	sort.Strings(used)
	return used
}

// lookupCache returns the entry of an identical earlier success whose
// outputs are intact in the store (see Store.Verify), or nil; a damaged
// entry is said in the action's log when log is not nil.
func (s *scheduler) lookupCache(key string, log func(format string, args ...any)) *cacheEntry {
	data, err := os.ReadFile(filepath.Join(s.opts.Layout.CacheDir(), key+".json"))
	if err != nil {
		return nil
	}
	var e cacheEntry
	if json.Unmarshal(data, &e) != nil {
		return nil
	}
	// The outputs are checked, not just found: a stored file edited since
	// would otherwise be handed on as this action's output.
	for _, name := range sortedKeys(e.Outputs) {
		if !s.store.Verify(e.Outputs[name]) {
			if log != nil {
				log("Cache entry of run %s not used: its output artifact %s is missing from the store or changed since it was stored; running the action\n", e.RunID, name)
			}
			return nil
		}
	}
	return &e
}

// cached returns the outcome of an identical earlier success, or nil.
func (s *scheduler) cached(j *job) *outcome {
	if s.opts.NoCache {
		return nil
	}
	parts := s.keyParts(j)
	if parts == nil {
		return nil
	}
	e := s.lookupCache(parts.key(s.run.Pipeline, j.a.ID()), func(format string, args ...any) { fmt.Fprintf(j.log, format, args...) })
	if e == nil {
		return nil
	}
	summary := "Cached from run " + e.RunID
	if t := reports.Totals(e.Reports); t != "" {
		summary += " (" + t + ")"
	}
	return &outcome{status: StatusSucceeded, summary: summary, vars: e.Variables, cached: true, cachedOutputs: e.Outputs, reports: e.Reports}
}

// lastSuccess is the key parts of an action's latest success, kept so a
// plan can say what changed since.
type lastSuccess struct {
	RunID string    `json:"run_id"`
	Parts *keyParts `json:"parts"`
}

// lastSuccessPath names the record of one action of one pipeline.
func (l Layout) lastSuccessPath(pipeline, action string) string {
	return filepath.Join(l.CacheDir(), "last", digestOf([]byte(pipeline + "\x00" + action))[:32]+".json")
}

// saveCache records a success for later runs: the entry under its key and
// the action's last success.
func (s *scheduler) saveCache(j *job, out *outcome, digests map[string]string) {
	parts := s.keyParts(j)
	if parts == nil {
		return
	}
	data, err := json.MarshalIndent(cacheEntry{RunID: s.run.ID, Action: j.a.ID(), Outputs: digests, Variables: out.vars, Reports: out.reports}, "", "  ")
	if err != nil {
		return
	}
	// Renamed into place, not fsynced: an entry a crash of the machine
	// leaves empty or torn does not parse and is a miss.
	_ = writeFileRenamed(filepath.Join(s.opts.Layout.CacheDir(), parts.key(s.run.Pipeline, j.a.ID())+".json"), data, false)
	if data, err := json.Marshal(lastSuccess{RunID: s.run.ID, Parts: parts}); err == nil {
		_ = writeFileRenamed(s.opts.Layout.lastSuccessPath(s.run.Pipeline, j.a.ID()), data, false)
	}
}
