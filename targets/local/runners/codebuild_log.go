package runners

import (
	"strings"
	"time"
)

// logTime is the agent's timestamp layout: [Container] 2026/11/26 12:00:00.123456
const logTime = "2006/01/02 15:04:05.000000"

// logf writes one agent line ("[Container] <time> <text>"). The agent's own
// words are never masked, the values filled into them are (Masker.Own).
func (a *agent) logf(format string, args ...any) {
	a.log.Own("[Container] %s "+format, append([]any{Masked(a.now().UTC().Format(logTime))}, args...)...)
}

// beginPhase starts a phase record; agentPhase phases log "Entering phase".
func (a *agent) beginPhase(phaseType string, logged bool) *BuildPhase {
	p := &BuildPhase{PhaseType: phaseType, StartTime: Timestamp(a.now())}
	a.build.Phases = append(a.build.Phases, p)
	a.build.CurrentPhase = phaseType
	if logged {
		a.logf("Entering phase %s", Masked(phaseType))
	}
	return p
}

// endPhase completes a phase record. withContext phases carry a contexts
// entry, empty on success, as the API returns them.
func (a *agent) endPhase(p *BuildPhase, status string, pctx PhaseContext, withContext bool) {
	end := a.now()
	p.PhaseStatus = status
	et := Timestamp(end)
	p.EndTime = &et
	d := int64(end.Sub(time.Time(p.StartTime)) / time.Second)
	p.DurationInSeconds = &d
	if withContext {
		// Messages are built with their values masked (the failing
		// command, an artifact path).
		p.Contexts = []PhaseContext{pctx}
	}
	if p.PhaseType == "INSTALL" || p.PhaseType == "PRE_BUILD" || p.PhaseType == "BUILD" ||
		p.PhaseType == "POST_BUILD" || p.PhaseType == "DOWNLOAD_SOURCE" || p.PhaseType == "UPLOAD_ARTIFACTS" {
		a.logf("Phase complete: %s State: %s", Masked(p.PhaseType), Masked(status))
		a.logf("Phase context status code: %s Message: %s", Masked(pctx.StatusCode), Masked(pctx.Message))
	}
}

// downloadSource is the DOWNLOAD_SOURCE phase: the source is already in
// place, so this logs what the agent would, notes what is not emulated,
// checks the runtime versions and restores the cache. It reports whether
// the build goes on.
func (a *agent) downloadSource() bool {
	p := a.beginPhase("DOWNLOAD_SOURCE", false)
	a.logf("Waiting for agent ping")
	a.logf("Waiting for DOWNLOAD_SOURCE")
	a.logf("Phase is DOWNLOAD_SOURCE")
	a.logf("CODEBUILD_SRC_DIR=%s", a.cb.SrcDir)
	for _, id := range sortedKeys(a.cb.SecondarySrc) {
		a.logf("CODEBUILD_SRC_DIR_%s=%s", id, a.cb.SecondarySrc[id])
	}
	if a.cb.BuildspecPath != "" {
		a.logf("YAML location is %s", a.cb.BuildspecPath)
	}
	a.notEmulated()
	a.logf("Processing environment variables")
	if f := a.selectRuntimes(a.ctx); f != nil {
		a.endPhase(p, StatusFailed, *f, true)
		return false
	}
	a.logf("Moving to directory %s", a.cb.SrcDir)
	n := 0
	for _, ph := range a.bs.Phases {
		if ph != nil {
			n++
		}
	}
	a.logf("Phases found in YAML: %d", n)
	for i, ph := range a.bs.Phases {
		if ph != nil {
			a.logf(" %s: %d commands", Masked(phaseTypes[i]), len(ph.Commands))
		}
	}
	a.restoreCache()
	a.endPhase(p, StatusSucceeded, PhaseContext{}, true)
	return true
}

// notEmulated logs the buildspec features the local agent does not
// reproduce, and what it does instead.
func (a *agent) notEmulated() {
	bs := a.bs
	if bs.RunAs != "" {
		a.logf("run-as %s is not emulated: commands run as the current user", bs.RunAs)
	}
	if bs.Env != nil && bs.Env.GitCredentialHelper != nil && *bs.Env.GitCredentialHelper {
		a.logf("git-credential-helper is not emulated: git uses this machine's own credentials")
	}
	if bs.Proxy != nil {
		a.logf("proxy settings are not emulated: artifacts and logs are written locally")
	}
	if len(bs.Batch) > 0 {
		a.logf("batch is not emulated: running the buildspec as a single build")
	}
	if bs.Cache != nil && a.cb.CacheDir == "" {
		a.logf("cache is not used here: paths %s are neither restored nor saved", strings.Join(bs.Cache.Paths, ", "))
	}
}

// captureExported records exported-variables as they stand now: at the end
// of POST_BUILD, or wherever the build stopped.
// The record gets the masked values; the real ones are kept apart for
// Build.ExportedValues.
func (a *agent) captureExported() {
	a.build.exported = map[string]string{}
	for _, name := range a.exported {
		v, _ := a.sh.state.lookup(name)
		a.build.exported[name] = v
		a.build.ExportedEnvironmentVariables = append(a.build.ExportedEnvironmentVariables,
			ExportedEnvironmentVariable{Name: name, Value: a.log.String(v)})
	}
}

// finish runs FINALIZING and COMPLETED and settles the build status.
func (a *agent) finish() {
	p := a.beginPhase("FINALIZING", false)
	if reason := a.sh.abortReason(); reason != "" {
		a.build.BuildStatus = reason
	} else if a.build.BuildStatus == StatusInProgress {
		a.build.BuildStatus = StatusSucceeded
	}
	a.endPhase(p, StatusSucceeded, PhaseContext{}, true)
	c := &BuildPhase{PhaseType: "COMPLETED", StartTime: Timestamp(a.now())}
	a.build.Phases = append(a.build.Phases, c)
	a.build.CurrentPhase = "COMPLETED"
	a.build.BuildComplete = true
	end := Timestamp(a.now())
	a.build.EndTime = &end
}
