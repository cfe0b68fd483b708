package compiler

import (
	"fmt"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
)

// command is one shell command the lint rules read: a project phase's
// commands or finally, or a Commands action's commands.
type command struct {
	text string
	// list is the range of the list the command is element index of,
	// of count elements; rangeOf finds the command's own range.
	list         hcl.Range
	index, count int
	context      hcl.Range
	// where says whose command it is: `phase "build" of project "web"`.
	where   string
	phase   string          // the buildspec phase; "" for an action
	project *config.Project // nil for an action
}

// commands lists every command in configuration order.
func (l *linter) commands() []command {
	if !l.cmdsSet {
		l.cmds, l.cmdsSet = l.findCommands(), true
	}
	return l.cmds
}

func (l *linter) findCommands() []command {
	var out []command
	forProjects(l.s, func(cp *config.Project, _ *graph.Project) {
		for _, ph := range cp.Phases {
			where := fmt.Sprintf("phase %q of project %q", ph.Name, cp.Name)
			for _, attr := range []struct {
				name string
				list []string
			}{{"commands", ph.Commands}, {"finally", ph.Finally}} {
				rng, ok := ph.Ranges.Get(attr.name)
				if !ok {
					continue
				}
				for i, text := range attr.list {
					out = append(out, command{text: text, list: rng, index: i, count: len(attr.list), context: ph.DeclRange, where: where, phase: ph.Name, project: cp})
				}
			}
		}
	})
	for _, p := range l.s.cfg.Pipelines {
		for _, st := range p.Stages {
			for _, a := range st.Actions {
				rng, ok := a.Ranges.Get("commands")
				if !ok {
					continue
				}
				where := fmt.Sprintf("action %q of pipeline %q", st.Name+"."+a.Name, p.Name)
				for i, text := range a.Commands {
					out = append(out, command{text: text, list: rng, index: i, count: len(a.Commands), context: a.DeclRange, where: where})
				}
			}
		}
	}
	return out
}

var pipeToShell = regexp.MustCompile(`\b(curl|wget)\b[^|]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:env\s+)?((?:ba|z|da|k|fi)?sh|python3?|perl|ruby|node)\b`)

// lintPipeToShell: a script fetched over the network and run unseen.
func lintPipeToShell(l *linter, code Code) {
	for _, c := range l.commands() {
		fetch, shell, ok := downloadRun(c.text)
		if !ok {
			continue
		}
		l.warn(code, "Downloaded script piped to a shell", l.rangeOf(c), c.context,
			"A command of %s pipes what %s downloads straight into %s: whoever controls the server, the DNS or the network path runs code in your build with its credentials, and a truncated download runs half a script. Download the file first, check its SHA-256 against a known value (sha256sum -c), then run it; or install the tool from a package manager or a pinned image.", c.where, fetch, shell)
	}
}

var (
	// credentialName: a name whose last word says it holds a credential
	// (DB_PASSWORD, GITHUB_TOKEN, AWS_SECRET_ACCESS_KEY), not one that
	// names or locates one (SECRET_NAME, TOKEN_URL, PASSWORD_FILE).
	credentialName  = regexp.MustCompile(`(?i)(^|_)(secret|password|passwd|pwd|pass|token|api_?key|access_?key|secret_?key|private_?key|credentials?)$`)
	credentialValue = []struct {
		why string
		re  *regexp.Regexp
	}{
		{"its value looks like an AWS access key ID", regexp.MustCompile(`\b(AKIA|ASIA)[0-9A-Z]{16}\b`)},
		{"its value looks like a GitHub token", regexp.MustCompile(`\b(gh[pousr]_[A-Za-z0-9]{36,}|github_pat_[A-Za-z0-9_]{40,})\b`)},
		{"its value looks like a Slack token", regexp.MustCompile(`\bxox[abposr]-[A-Za-z0-9-]{10,}`)},
		{"its value looks like a private key", regexp.MustCompile(`-----BEGIN [A-Z ]*PRIVATE KEY-----`)},
		// user:password@ in a URL, unless the password is a reference
		// ($VAR, ${VAR}, #{ns.name}) filled in at build time.
		{"its value holds a password inside a URL", regexp.MustCompile(`\b[A-Za-z][A-Za-z0-9+.-]*://[^/\s:@]+:[^/\s@$#]{3,}@`)},
		{"its value looks like a Stripe secret key", regexp.MustCompile(`\b[rs]k_live_[0-9A-Za-z]{16,}\b`)},
		{"its value looks like a GitLab token", regexp.MustCompile(`\bglpat-[0-9A-Za-z_-]{20,}\b`)},
		{"its value looks like an npm token", regexp.MustCompile(`\bnpm_[A-Za-z0-9]{36}\b`)},
		{"its value looks like a Slack webhook URL", regexp.MustCompile(`https://hooks\.slack\.com/services/T[0-9A-Z]+/B[0-9A-Z]+/[0-9A-Za-z]+`)},
	}
	// notALiteral are values that name a secret rather than hold one.
	notALiteral = regexp.MustCompile(`^(\$\{?[A-Za-z_][A-Za-z0-9_]*\}?|#\{[^}]*\}|arn:aws[\w-]*:(secretsmanager|ssm):.*|/[\w./-]+)$`)
)

// lintPlaintextCredential: env.variables that hold a credential in plain
// text, where anyone who can read the configuration, the buildspec or the
// CodeBuild project can read it.
func lintPlaintextCredential(l *linter, code Code) {
	forProjects(l.s, func(cp *config.Project, _ *graph.Project) {
		if cp.Env == nil {
			return
		}
		names := make([]string, 0, len(cp.Env.Variables))
		for k := range cp.Env.Variables {
			names = append(names, k)
		}
		sort.Strings(names)
		for _, name := range names {
			value := cp.Env.Variables[name]
			why := ""
			for _, cv := range credentialValue {
				if cv.re.MatchString(value) {
					why = cv.why
				}
			}
			if why == "" && credentialName.MatchString(name) && len(value) >= 8 && !strings.ContainsAny(value, " \t") && !notALiteral.MatchString(value) {
				why = "its name says it is a credential and it holds a literal value"
			}
			if why == "" {
				continue
			}
			rng := l.mapEntry(cp.Env.Ranges.Rng("variables", cp.Env.DeclRange), name)
			l.warn(code, "Credential in plain text", rng, cp.Env.DeclRange,
				"Variable %s of project %q is a plaintext environment variable, and %s: it is stored in the buildspec, the CodeBuild project and the generated templates, readable by anyone who can read them, and printed by any command that echoes the environment. Move the value to Secrets Manager or Parameter Store and name it in env.secrets_manager or env.parameter_store instead (CodeBuild then masks it in logs).", name, cp.Name, why)
		}
	})
}

// lintSetXSecrets: shell tracing in a project that uses secrets.
func lintSetXSecrets(l *linter, code Code) {
	for _, c := range l.commands() {
		if c.project == nil || c.project.Env == nil || len(c.project.Env.SecretsManager)+len(c.project.Env.ParameterStore) == 0 {
			continue
		}
		if !tracing(c.text) {
			continue
		}
		l.warn(code, "Shell tracing in a project with secrets", l.rangeOf(c), c.context,
			"A command of %s turns on shell tracing (set -x), which prints every later command with its variables expanded, and project %q takes secrets from Secrets Manager or Parameter Store. CodeBuild masks a secret only where its exact value appears, so a secret that is encoded, cut or joined on the way leaks into the build log. Remove set -x, or turn it off (set +x) around the commands that use secrets.", c.where, c.project.Name)
	}
}

var dockerCommand = regexp.MustCompile(`\b(docker|dockerd|docker-compose|buildah|podman|buildx|kaniko|nerdctl)\b`)

// lintPrivileged: privileged mode without a command that needs it.
func lintPrivileged(l *linter, code Code) {
	cmds := l.commands()
	forProjects(l.s, func(cp *config.Project, gp *graph.Project) {
		// On Lambda compute privileged mode is an error of its own
		// (compute-env): one mistake, one diagnostic.
		if !cp.Privileged || lambdaEnvironment(gp.EnvironmentType) {
			return
		}
		for _, c := range cmds {
			if c.project == cp && dockerCommand.MatchString(c.text) {
				return
			}
		}
		l.warn(code, "Privileged mode without Docker", cp.Ranges.Rng("privileged", cp.DeclRange), cp.DeclRange,
			"Project %q sets privileged = true, which gives the build container root access to its host (CodeBuild needs it only to run the Docker daemon), but none of its commands runs docker or another container tool. Remove privileged = true; if a script run by the build does use Docker, keep it and silence this warning.", cp.Name)
	})
}

// lintChmod777: files every user may write.
func lintChmod777(l *linter, code Code) {
	for _, c := range l.commands() {
		mode, ok := worldWritable(c.text)
		if !ok {
			continue
		}
		l.warn(code, "World-writable permissions", l.rangeOf(c), c.context,
			"A command of %s runs chmod %s, which lets every user and process on the machine change the files: any of them can then alter what the build runs or ships. Grant only what is needed, such as chmod 755 for a program, chmod 644 for a file, or chmod u+x.", c.where, mode)
	}
}

var (
	npmGlobal  = regexp.MustCompile(`\bnpm\s+(?:install|i|add)\b([^;&|]*)`)
	pipInstall = regexp.MustCompile(`\b(?:pip3?|python3?\s+-m\s+pip)\s+install\b([^;&|]*)`)
)

// lintUnpinnedInstall: tools installed at whatever version is newest.
func lintUnpinnedInstall(l *linter, code Code) {
	for _, c := range l.commands() {
		if c.phase != "install" {
			continue
		}
		var unpinned []string
		if m := npmGlobal.FindStringSubmatch(c.text); m != nil && hasFlag(m[1], "-g", "--global") {
			for _, pkg := range packageArgs(m[1]) {
				if !npmPinned(pkg) {
					unpinned = append(unpinned, pkg)
				}
			}
		}
		if m := pipInstall.FindStringSubmatch(c.text); m != nil && !hasFlag(m[1], "-r", "--requirement", "-e", "--editable", "-c", "--constraint") {
			for _, pkg := range packageArgs(m[1]) {
				if !pipPinned(pkg) {
					unpinned = append(unpinned, pkg)
				}
			}
		}
		if len(unpinned) == 0 {
			continue
		}
		l.warn(code, "Unpinned package install", l.rangeOf(c), c.context,
			"A command of %s installs %s without an exact version, so each build gets whatever version is newest at that moment: builds stop being reproducible, and a compromised or broken release lands in your build unreviewed. Pin each package (npm install -g name@1.2.3, pip install name==1.2.3), or install from a lock or requirements file with hashes.", c.where, strings.Join(unpinned, ", "))
	}
}

// exactVersion is a version that names one release: 1.2.3, v1.2.3-beta.1.
var exactVersion = regexp.MustCompile(`^v?[0-9]+\.[0-9]+\.[0-9]+([-+][0-9A-Za-z.-]+)?$`)

// npmPinned: name@1.2.3 names one release; name, name@latest (a dist-tag)
// and name@^5 or name@1.x (ranges) install the newest match. A path, URL or
// tarball is not a registry package and is left alone.
func npmPinned(pkg string) bool {
	if strings.HasPrefix(pkg, ".") || strings.HasPrefix(pkg, "/") || strings.Contains(pkg, ":") || strings.HasSuffix(pkg, ".tgz") {
		return true
	}
	scoped := strings.HasPrefix(pkg, "@")
	name, spec, ok := strings.Cut(strings.TrimPrefix(pkg, "@"), "@")
	switch {
	case !scoped && strings.Contains(name, "/"):
		return true // user/repo: a git dependency
	case !ok:
		return false
	}
	return exactVersion.MatchString(spec)
}

// pipPinned: name==1.2.3 (or ===) names one release; a bare name or a
// range (>=, ~=, <, !=) does not. Paths, URLs, wheels and direct
// references (name @ URL) are left alone.
func pipPinned(pkg string) bool {
	if strings.Contains(pkg, "/") || strings.Contains(pkg, "@") || strings.HasSuffix(pkg, ".whl") || strings.HasSuffix(pkg, ".tar.gz") || strings.HasSuffix(pkg, ".zip") {
		return true
	}
	_, v, ok := strings.Cut(pkg, "==")
	return ok && !strings.ContainsAny(strings.TrimPrefix(v, "="), "<>=~!*,")
}

// hasFlag reports whether args holds one of flags as a word.
func hasFlag(args string, flags ...string) bool {
	for _, f := range strings.Fields(args) {
		for _, want := range flags {
			if f == want || strings.HasPrefix(f, want+"=") {
				return true
			}
		}
	}
	return false
}

// packageArgs are the words of args that name packages: not flags, not
// shell redirections or substitutions.
func packageArgs(args string) []string {
	var out []string
	for _, f := range strings.Fields(args) {
		// A word quoted whole ('requests>=2.0') is read without its quotes.
		if len(f) > 1 && (f[0] == '\'' || f[0] == '"') && f[len(f)-1] == f[0] && !strings.ContainsAny(f[1:len(f)-1], "'\"$`") {
			f = f[1 : len(f)-1]
		} else if strings.ContainsAny(f, "$<>`(){}\"'") || f == "2" || f == "1" {
			continue
		}
		if strings.HasPrefix(f, "-") {
			continue
		}
		out = append(out, f)
	}
	return out
}

// lintCommandsVariables: a #{Namespace.Variable} in the commands of a
// Commands stage rule. CodePipeline resolves variables in configuration
// values and environment variable values (reference/CODEPIPELINE.md,
// "Variables"); a rule's commands are neither, and a Commands rule has no
// environment variables, so the shell gets the text as written, where a
// word starting with # is a comment.
func lintCommandsVariables(l *linter, code Code) {
	for _, p := range l.s.g.Pipelines {
		for _, st := range p.Stages {
			for _, r := range stageRules(st) {
				if r.Provider != "Commands" {
					continue
				}
				list := l.s.ruleRange(r, "commands")
				for i, text := range r.Commands {
					ref := varRefPattern.FindString(text)
					if ref == "" {
						continue
					}
					rng := l.rangeOf(command{list: list, index: i, count: len(r.Commands)})
					l.warn(code, "Variable in rule commands", rng, r.DeclRange,
						"Command %d of rule %q (Commands) holds %s, but CodePipeline substitutes variables only in configuration and environment variable values, not in a rule's commands: the shell gets the text %s as written (a word starting with # even begins a comment). Compare the variable with a VariableCheck rule, or run the commands in a Commands action, whose environment_variables may hold %s.", i+1, r.Name, ref, ref, ref)
				}
			}
		}
	}
}
