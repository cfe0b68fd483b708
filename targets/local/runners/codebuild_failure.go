package runners

import (
	"sort"
	"strings"
)

// FailureState is the build shell's state right after the command that
// failed the build: what `pipeform debug` opens a shell in. Variables whose
// value holds a secret are left out (only their names are kept), so the
// state can be written to disk.
type FailureState struct {
	// Phase is the buildspec phase (INSTALL, PRE_BUILD, BUILD, POST_BUILD).
	Phase string `json:"phase"`
	// Command is the command that failed, and Reason how ("exit status 1").
	Command string `json:"command"`
	Reason  string `json:"reason"`
	// Dir is the working directory the command left.
	Dir string `json:"dir"`
	// Exported are the exported (environment) variables the build set or
	// changed (those of BaseEnv left as they were are not repeated, so the
	// machine's own environment is not copied to disk) and Plain the
	// shell's other variables, both without those that held a secret.
	Exported map[string]string `json:"exported"`
	// Unset are the variables of BaseEnv the build removed.
	Unset []string          `json:"unset,omitempty"`
	Plain map[string]string `json:"plain,omitempty"`
	// SecretNames are the variables left out because their value held a
	// secret, sorted.
	SecretNames []string `json:"secret_names,omitempty"`
}

// noteFailure remembers the state after a failed command; the build may
// still retry the phase or go on, so it counts once fail is called.
func (a *agent) noteFailure(command, reason string) {
	st := a.sh.state
	f := &FailureState{Phase: a.build.CurrentPhase, Command: a.log.String(command), Reason: reason, Dir: st.cwd,
		Exported: map[string]string{}, Plain: map[string]string{}}
	keep := func(into map[string]string, from map[string]string) {
		for k, v := range from {
			if a.log.String(v) != v {
				f.SecretNames = append(f.SecretNames, k)
				continue
			}
			into[k] = v
		}
	}
	base := map[string]string{}
	for _, kv := range a.cb.BaseEnv {
		if k, v, ok := strings.Cut(kv, "="); ok {
			base[k] = v
		}
	}
	changed := map[string]string{}
	for k, v := range st.exported {
		if bv, ok := base[k]; !ok || bv != v {
			changed[k] = v
		}
	}
	for k := range base {
		if _, ok := st.exported[k]; !ok {
			f.Unset = append(f.Unset, k)
		}
	}
	keep(f.Exported, changed)
	keep(f.Plain, st.plain)
	sort.Strings(f.SecretNames)
	sort.Strings(f.Unset)
	a.pending = f
}

// commitFailure keeps the failure that failed the build: the first one
// fail is called for.
func (a *agent) commitFailure() {
	if a.failure == nil {
		a.failure = a.pending
	}
}
