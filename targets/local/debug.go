package local

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local/runners"
)

// DebugFormatVersion is the format_version of debug.json.
const DebugFormatVersion = "1.0"

// DebugState is what `pipeform debug` opens a shell in: the shell state a
// failed CodeBuild action's build left, saved as debug.json (owner-only) in
// the action's kept work folder. Secret values are never written: the
// variables that held one are named, with where their value comes from
// (SecretSources), so the debug shell reads them again from the secrets
// file.
type DebugState struct {
	FormatVersion string `json:"format_version"`
	Run           string `json:"run"`
	Action        string `json:"action"`
	runners.FailureState
	// Shell is the build shell (env.shell): "bash" or "" for /bin/sh.
	Shell string `json:"shell,omitempty"`
	// SecretSources maps a variable named in SecretNames to the Parameter
	// Store or Secrets Manager entry it was read from; a variable derived
	// from a secret has none.
	SecretSources map[string]SecretSource `json:"secret_sources,omitempty"`
	// ExportedVariables are the buildspec's exported-variables.
	ExportedVariables []string `json:"exported_variables,omitempty"`
}

// SecretSource is where a secret variable's value comes from.
type SecretSource struct {
	Type string `json:"type"` // PARAMETER_STORE or SECRETS_MANAGER
	Ref  string `json:"ref"`
}

// DebugFile is the debug state of an action of a run.
func (l Layout) DebugFile(runID, actionID string) string {
	return filepath.Join(l.RunDir(runID), "work", actionID, "debug.json")
}

// saveDebugState writes the failed build's state next to its kept work
// folder; a write that fails only costs the debug shell.
func (s *scheduler) saveDebugState(j *job, p *graph.Project, f *runners.FailureState) {
	d := &DebugState{FormatVersion: DebugFormatVersion, Run: s.run.ID, Action: j.a.ID(), FailureState: *f,
		SecretSources: map[string]SecretSource{}}
	if env := p.Buildspec.Env; env != nil {
		d.Shell = env.Shell
		d.ExportedVariables = env.ExportedVariables
		for _, kv := range env.ParameterStore {
			d.SecretSources[kv.Key] = SecretSource{Type: "PARAMETER_STORE", Ref: kv.Value}
		}
		for _, kv := range env.SecretsManager {
			d.SecretSources[kv.Key] = SecretSource{Type: "SECRETS_MANAGER", Ref: kv.Value}
		}
	}
	var vars []envVar
	if raw := j.a.Configuration["EnvironmentVariables"]; raw != "" {
		vars, _ = parseEnvironmentVariables(raw)
	}
	for _, ev := range j.a.EnvironmentVariables {
		vars = append(vars, envVar{Name: ev.Name, Value: ev.Value, Type: ev.Type})
	}
	s.mu.Lock()
	for _, v := range vars {
		switch t := strings.ToUpper(v.Type); t {
		case "PARAMETER_STORE", "SECRETS_MANAGER":
			ref, _ := s.vars.Resolve(v.Value)
			d.SecretSources[v.Name] = SecretSource{Type: t, Ref: ref}
		default:
			delete(d.SecretSources, v.Name)
		}
	}
	s.mu.Unlock()
	for name := range d.SecretSources {
		if !has(d.SecretNames, name) {
			delete(d.SecretSources, name)
		}
	}
	data, err := json.MarshalIndent(d, "", "  ")
	if err == nil {
		err = os.WriteFile(filepath.Join(j.work, "debug.json"), append(data, '\n'), 0o600)
	}
	if err != nil {
		fmt.Fprintf(j.log, "The build's state for pipeform debug cannot be saved: %s\n", runners.IOReason(err))
	}
}

// LoadDebugState reads the debug state of a failed action.
func (l Layout) LoadDebugState(runID, actionID string) (*DebugState, error) {
	data, err := os.ReadFile(l.DebugFile(runID, actionID))
	if err != nil {
		return nil, err
	}
	var d DebugState
	if err := json.Unmarshal(data, &d); err != nil {
		return nil, fmt.Errorf("%s is not valid: %v; it was edited or damaged, so run the action again to save a new one", l.DebugFile(runID, actionID), err)
	}
	// A file of the wrong shape (null, {}, another version) or saved for
	// another run or action is refused, not opened as an empty state.
	why := ""
	switch {
	case d.FormatVersion != DebugFormatVersion:
		why = fmt.Sprintf("its format_version is %q, not %q", d.FormatVersion, DebugFormatVersion)
	case d.Run != runID || d.Action != actionID:
		why = fmt.Sprintf("it names run %q and action %q, not %s of run %s", d.Run, d.Action, actionID, runID)
	}
	if why != "" {
		return nil, fmt.Errorf("%s is not valid: %s; it was edited or damaged, so run the action again to save a new one", l.DebugFile(runID, actionID), why)
	}
	return &d, nil
}

// Environ is the debug shell's environment: base (this process's
// environment, standing in for the one the build started from) without the
// variables the build unset, with the build's exported variables and the
// secret variables read again from secrets. It also returns the secret
// values (to mask in what pipeform prints) and the secret variables it
// could not set, with why.
func (d *DebugState) Environ(base []string, secrets *runners.Secrets) (env, values, missing []string) {
	for _, kv := range base {
		k, _, _ := strings.Cut(kv, "=")
		if _, set := d.Exported[k]; !set && !has(d.Unset, k) && !has(d.SecretNames, k) {
			env = append(env, kv)
		}
	}
	for _, k := range sortedKeys(d.Exported) {
		env = append(env, k+"="+d.Exported[k])
	}
	for _, name := range d.SecretNames {
		src, ok := d.SecretSources[name]
		if !ok {
			missing = append(missing, name+" (derived from a secret, never saved)")
			continue
		}
		var v string
		var err error
		if src.Type == "PARAMETER_STORE" {
			v, err = secrets.Parameter(src.Ref)
		} else {
			v, err = secrets.Secret(src.Ref)
		}
		if err != nil {
			missing = append(missing, fmt.Sprintf("%s (%s %s: pass the --secrets-file that has it)", name, strings.ToLower(strings.ReplaceAll(src.Type, "_", " ")), src.Ref))
			continue
		}
		env = append(env, name+"="+v)
		values = append(values, v)
	}
	return env, values, missing
}

// HasName reports whether names holds name.
func HasName(names []string, name string) bool { return has(names, name) }
