package runners

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// BuildPlan is what a build would do, worked out without running anything
// (`pipeform exec --dry-run`).
type BuildPlan struct {
	Version   string
	Shell     string
	Variables []PlanVariable
	Exported  []string
	Phases    []PlanPhase
	Artifacts []PlanArtifact // primary (Identifier "") first, then secondary
	Reports   []PlanArtifact // Identifier is the report group
	// Notes say what the local executor does not emulate and does instead.
	Notes []string
}

// PlanVariable is one variable the buildspec or the overrides set. Source
// is "variables", "parameter-store", "secrets-manager" or "override"; the
// Value of a secret is its reference, never the secret.
type PlanVariable struct {
	Name, Value, Source string
}

// PlanPhase is one buildspec phase with its commands; variables whose
// value is static are substituted.
type PlanPhase struct {
	Type      string
	OnFailure string
	Commands  []string
	Finally   []string
	Notes     []string
}

// PlanArtifact is one artifact or report group's selection.
type PlanArtifact struct {
	Identifier    string
	Files         []string
	BaseDirectory string
	DiscardPaths  bool
	ExcludePaths  []string
}

// Plan works out a build without running it. Only errors that would stop
// the build from starting (an invalid on-failure) are diagnostics; what is
// not emulated becomes a note.
func (cb *CodeBuild) Plan() (*BuildPlan, hcl.Diagnostics) {
	bs := cb.Buildspec
	if bs == nil {
		return nil, hcl.Diagnostics{cb.errorf("Missing buildspec", "The build has no buildspec to plan.")}
	}
	a := &agent{cb: cb, bs: bs}
	diags := a.checkBuildspec()
	p := &BuildPlan{Version: bs.Version, Exported: a.exported}
	if bs.Version == "" {
		p.Version = "0.2"
	}
	if sh, d := a.shellPath(); d.HasErrors() {
		p.Shell = bs.Env.Shell
		p.Notes = append(p.Notes, fmt.Sprintf("env.shell %s is not emulated: the build would fail to start", bs.Env.Shell))
	} else {
		p.Shell = sh
	}
	static := p.addVariables(bs.Env, cb.Env)
	dropAssigned(bs, static)
	for i, ph := range bs.Phases {
		p.Phases = append(p.Phases, planPhase(phaseTypes[i], ph, static))
	}
	p.Phases[0].Notes = append(RuntimeChecks(bs), p.Phases[0].Notes...)
	if art := bs.Artifacts; art != nil {
		if len(art.Files) > 0 {
			p.Artifacts = append(p.Artifacts, planArtifact("", art))
		}
		for _, s := range art.Secondary {
			p.Artifacts = append(p.Artifacts, planArtifact(s.Identifier, &s.Artifacts))
		}
	}
	for _, r := range bs.Reports {
		p.Reports = append(p.Reports, PlanArtifact{Identifier: r.Name, Files: r.Files,
			BaseDirectory: r.BaseDirectory, DiscardPaths: isTrue(r.DiscardPaths)})
	}
	p.Notes = append(p.Notes, planNotes(bs)...)
	if bs.Cache != nil {
		p.Notes = append(p.Notes, CacheNote(bs.Cache, cb.CacheDir != ""))
	}
	return p, diags
}

// addVariables lists the variables and returns those whose value is
// static and safe to show in place of a reference.
func (p *BuildPlan) addVariables(env *graph.BuildEnv, overrides []graph.KeyValue) map[string]string {
	static := map[string]string{}
	if env != nil {
		for _, kv := range env.Variables {
			p.Variables = append(p.Variables, PlanVariable{kv.Key, kv.Value, "variables"})
			static[kv.Key] = kv.Value
		}
		for _, kv := range env.ParameterStore {
			p.Variables = append(p.Variables, PlanVariable{kv.Key, kv.Value, "parameter-store"})
			delete(static, kv.Key)
		}
		for _, kv := range env.SecretsManager {
			p.Variables = append(p.Variables, PlanVariable{kv.Key, kv.Value, "secrets-manager"})
			delete(static, kv.Key)
		}
	}
	for _, kv := range overrides {
		p.Variables = append(p.Variables, PlanVariable{kv.Key, kv.Value, "override"})
		static[kv.Key] = kv.Value
	}
	for k, v := range static {
		// A value with shell syntax in it would read as if the shell
		// expanded it, which it never does: show the reference instead.
		if reserved(k) || strings.ContainsAny(v, "$`\"'\\\n") {
			delete(static, k)
		}
	}
	return static
}

// planPhase describes one phase, substituting static variables.
func planPhase(phaseType string, ph *graph.Phase, static map[string]string) PlanPhase {
	pp := PlanPhase{Type: phaseType}
	if ph == nil {
		return pp
	}
	pp.OnFailure = ph.OnFailure
	pp.Commands = substitute(ph.Commands, static)
	pp.Finally = substitute(ph.Finally, static)
	if ph.RunAs != "" {
		pp.Notes = append(pp.Notes, fmt.Sprintf("run-as %s not emulated: commands run as the current user", ph.RunAs))
	}
	return pp
}

func planArtifact(id string, a *graph.Artifacts) PlanArtifact {
	return PlanArtifact{Identifier: id, Files: a.Files, BaseDirectory: a.BaseDirectory,
		DiscardPaths: isTrue(a.DiscardPaths), ExcludePaths: a.ExcludePaths}
}

func planNotes(bs *graph.Buildspec) []string {
	var notes []string
	if bs.RunAs != "" {
		notes = append(notes, fmt.Sprintf("run-as %s is not emulated: commands run as the current user", bs.RunAs))
	}
	if bs.Env != nil && isTrue(bs.Env.GitCredentialHelper) {
		notes = append(notes, "git-credential-helper is not emulated: git uses this machine's own credentials")
	}
	if bs.Proxy != nil {
		notes = append(notes, "proxy is not emulated: artifacts and logs are written locally")
	}
	if len(bs.Batch) > 0 {
		notes = append(notes, "batch is not emulated: the buildspec runs as a single build")
	}
	if bs.Version == "0.1" {
		notes = append(notes, "version 0.1: every command starts in a fresh shell in CODEBUILD_SRC_DIR")
	}
	return notes
}

// CacheNote says what happens to a buildspec's cache paths; kept says
// whether the build has a cache folder (apply's builds do).
func CacheNote(c *graph.Cache, kept bool) string {
	switch {
	case c == nil || len(c.Paths) == 0:
		return "cache has no paths: nothing is cached"
	case !kept:
		return "cache paths " + strings.Join(c.Paths, ", ") + " are neither restored nor saved here (pipeform apply keeps a build cache)"
	}
	var inside, outside []string
	for _, p := range c.Paths {
		if strings.HasPrefix(p, "/") || strings.HasPrefix(p, "~") {
			outside = append(outside, p)
		} else {
			inside = append(inside, p)
		}
	}
	out := ""
	if len(outside) > 0 {
		out = "; " + strings.Join(outside, ", ") + " outside CODEBUILD_SRC_DIR not cached locally (this machine's own folders are never overwritten)"
	}
	if len(inside) == 0 {
		return "cache paths" + strings.TrimPrefix(out, ";")
	}
	what := "restored before INSTALL (unless --no-cache) and saved after POST_BUILD"
	switch strings.ToLower(c.Action) {
	case "restore":
		what = "restored before INSTALL (unless --no-cache), never saved (action: restore)"
	case "save":
		what = "saved after POST_BUILD, never restored (action: save)"
	}
	key := "the project's one cache"
	if c.Key != "" {
		key = "key " + c.Key
		if len(c.FallbackKeys) > 0 {
			key += ", fallback keys " + strings.Join(c.FallbackKeys, ", ")
		}
	}
	return fmt.Sprintf("cache paths %s: %s, %s%s", strings.Join(inside, ", "), what, key, out)
}

var varRef = regexp.MustCompile(`\$\{([A-Za-z_][A-Za-z0-9_]*)\}|\$([A-Za-z_][A-Za-z0-9_]*)`)

// substitute replaces references to static variables in commands. It is a
// display aid: quoting is not interpreted, so '$X' is substituted too.
func substitute(cmds []string, static map[string]string) []string {
	if len(static) == 0 {
		return cmds
	}
	out := make([]string, len(cmds))
	for i, c := range cmds {
		out[i] = varRef.ReplaceAllStringFunc(c, func(m string) string {
			name := strings.Trim(m, "${}")
			if v, ok := static[name]; ok {
				return v
			}
			return m
		})
	}
	return out
}

// dropAssigned forgets variables that some command assigns, export, read
// or unset: their value is no longer static.
func dropAssigned(bs *graph.Buildspec, static map[string]string) {
	for name := range static {
		assign := regexp.MustCompile(`(^|[^A-Za-z0-9_$])` + regexp.QuoteMeta(name) + `(\+?=|\b)`)
		for _, ph := range bs.Phases {
			if ph == nil {
				continue
			}
			for _, c := range append(append([]string{}, ph.Commands...), ph.Finally...) {
				for _, m := range assign.FindAllStringSubmatchIndex(c, -1) {
					// A bare word counts only after export/read/unset/for.
					op := c[m[4]:m[5]]
					if op != "" || precededByKeyword(c[:m[2]+len(c[m[2]:m[3]])]) {
						delete(static, name)
					}
				}
			}
		}
	}
}

var keywordBefore = regexp.MustCompile(`\b(export|read|unset|for|local|readonly|declare)\s+(-\w+\s+)*([A-Za-z_][A-Za-z0-9_]*\s+)*$`)

func precededByKeyword(prefix string) bool {
	return keywordBefore.MatchString(prefix)
}
