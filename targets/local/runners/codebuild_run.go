package runners

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
)

// agent is one running build: the CodeBuild agent's view of it.
type agent struct {
	cb         *CodeBuild
	bs         *graph.Buildspec
	now        func() time.Time
	log        *Masker
	sh         *shell
	build      *Build
	policies   [4]failurePolicy
	exported   []string // exported-variables to capture
	succeeding bool
	ctx        context.Context
	runtimes   []RuntimeCheck // the runtime-versions checks, in order
	key        *string        // the evaluated cache key, once known
	// pending and failure are the shell state after the last failed
	// command and after the one that failed the build
	// (codebuild_failure.go).
	pending, failure *FailureState
}

func (cb *CodeBuild) run(ctx context.Context) (*Build, hcl.Diagnostics) {
	a := &agent{cb: cb, bs: cb.Buildspec, now: cb.Now, succeeding: true, ctx: ctx}
	if a.now == nil {
		a.now = time.Now
	}
	if a.bs == nil {
		return nil, hcl.Diagnostics{cb.errorf("Missing buildspec", "The build has no buildspec to run.")}
	}
	diags := a.checkBuildspec()
	if st, err := os.Stat(cb.SrcDir); err != nil || !st.IsDir() || !filepath.IsAbs(cb.SrcDir) {
		diags = append(diags, cb.errorf("Source directory not found",
			"CODEBUILD_SRC_DIR %q is not an existing directory given as an absolute path.", cb.SrcDir))
	}
	initial, secrets, envDiags := a.environment()
	diags = append(diags, envDiags...)
	shellPath, shDiags := a.shellPath()
	diags = append(diags, shDiags...)
	if diags.HasErrors() {
		return nil, diags
	}
	// The agent's files hold the build's environment, secrets included
	// (BUILDSPEC.md §3: the shell state carried from command to command).
	// They live in a private folder made for this build and removed when
	// it ends, whatever its status: succeeded, failed, stopped (Ctrl-C) or
	// timed out.
	work, err := os.MkdirTemp(cb.WorkDir, "pipeform-agent-")
	if err != nil {
		where := cb.WorkDir
		if where == "" {
			where = os.TempDir()
		}
		return nil, append(diags, cb.errorf("Cannot prepare the build",
			"The agent's scratch folder cannot be created in %s: %s. Check that the folder exists and is writable.", where, IOReason(err)))
	}
	defer os.RemoveAll(work)
	if strings.ContainsAny(work, "\n\x00") {
		return nil, append(diags, cb.errorf("Cannot prepare the build",
			"The agent's scratch directory %q contains a line break, which the build shell scripts cannot hold; use a path without one.", work))
	}
	a.log = NewMasker(cb.Log, secrets)
	sh, err := newShell(shellPath, work, a.bs.Version != "0.1", initial, a.log)
	if err != nil {
		return nil, append(diags, cb.errorf("Cannot prepare the build", "Starting the build shell failed: %v.", err))
	}
	a.sh = sh
	a.build = a.newBuild()

	stop := context.AfterFunc(ctx, func() { sh.abort(StatusStopped) })
	defer stop()
	if cb.Timeout > 0 {
		t := time.AfterFunc(cb.Timeout, func() { sh.abort(StatusTimedOut) })
		defer t.Stop()
	}
	a.phases()
	sh.close()
	a.log.Flush()
	if a.failure != nil && cb.Failure != nil {
		cb.Failure(*a.failure)
	}
	return a.build, diags
}

func (cb *CodeBuild) errorf(summary, format string, args ...any) *hcl.Diagnostic {
	detail := fmt.Sprintf(format, args...)
	if cb.Action != "" {
		detail = "In " + cb.Action + ": " + detail
	}
	return &hcl.Diagnostic{Severity: hcl.DiagError, Summary: summary, Detail: detail}
}

// sentence ends err's message with a period unless it already ends with
// punctuation (a did-you-mean question).
func sentence(err error) string {
	msg := err.Error()
	if strings.HasSuffix(msg, ".") || strings.HasSuffix(msg, "?") || strings.HasSuffix(msg, ")") {
		return msg
	}
	return msg + "."
}

// at gives d the position of the env entry section.name, when Locate
// knows it.
func (cb *CodeBuild) at(section, name string, d *hcl.Diagnostic) *hcl.Diagnostic {
	if cb.Locate != nil {
		if r := cb.Locate(section, name); r != nil {
			d.Subject = r
		}
	}
	return d
}

func (cb *CodeBuild) warnf(summary, format string, args ...any) *hcl.Diagnostic {
	d := cb.errorf(summary, format, args...)
	d.Severity = hcl.DiagWarning
	return d
}

// shellPath picks the build shell: CodeBuild.Shell, else env.shell, else
// /bin/sh (dash on Debian and Ubuntu, as on CodeBuild's Ubuntu images).
func (a *agent) shellPath() (string, hcl.Diagnostics) {
	if a.cb.Shell != "" {
		return a.cb.Shell, nil
	}
	name := ""
	if a.bs.Env != nil {
		name = a.bs.Env.Shell
	}
	switch name {
	case "", "/bin/sh", "sh":
		return "/bin/sh", nil
	case "bash", "/bin/bash":
		p, err := exec.LookPath("bash")
		if err != nil {
			return "", hcl.Diagnostics{a.cb.errorf("Build shell not found", "env.shell is bash, but bash is not installed on this machine. Install bash or remove env.shell to use /bin/sh.")}
		}
		return p, nil
	default:
		return "", hcl.Diagnostics{a.cb.errorf("Unsupported build shell",
			"env.shell is %q. The local executor runs Linux builds only, with bash or /bin/sh; Windows shells (powershell.exe, cmd.exe) are not emulated.", name)}
	}
}

func (a *agent) newBuild() *Build {
	cb := a.cb
	b := &Build{
		ID:                    cb.buildID(),
		Arn:                   cb.buildArn(),
		BuildNumber:           cb.buildNumber(),
		StartTime:             Timestamp(a.now()),
		BuildStatus:           StatusInProgress,
		ResolvedSourceVersion: cb.ResolvedSourceVersion,
		ProjectName:           cb.projectName(),
		Initiator:             cb.Initiator,
		Phases:                []*BuildPhase{},
	}
	if cb.Timeout > 0 {
		b.TimeoutInMinutes = int64((cb.Timeout + time.Minute - 1) / time.Minute)
	}
	return b
}

func (cb *CodeBuild) projectName() string {
	if cb.ProjectName == "" {
		return "local"
	}
	return cb.ProjectName
}

func (cb *CodeBuild) buildID() string {
	if cb.BuildID == "" {
		return cb.projectName() + ":00000000-0000-0000-0000-000000000000"
	}
	return cb.BuildID
}

func (cb *CodeBuild) buildNumber() int64 {
	if cb.BuildNumber == 0 {
		return 1
	}
	return cb.BuildNumber
}

func (cb *CodeBuild) region() string {
	if cb.Region == "" {
		return "us-east-1"
	}
	return cb.Region
}

func (cb *CodeBuild) account() string {
	if cb.Account == "" {
		return "000000000000"
	}
	return cb.Account
}

func (cb *CodeBuild) image() string {
	if cb.Image == "" {
		return "aws/codebuild/standard:7.0"
	}
	return cb.Image
}

func (cb *CodeBuild) buildArn() string {
	return fmt.Sprintf("arn:aws:codebuild:%s:%s:build/%s", cb.region(), cb.account(), cb.buildID())
}

// environment builds the state the first command starts from: the base
// environment, the agent's CODEBUILD_* variables, the buildspec's env
// (variables, then parameter-store, then secrets-manager; never expanded)
// and the overrides. It returns the secret values to mask.
func (a *agent) environment() (shellState, []string, hcl.Diagnostics) {
	cb := a.cb
	var diags hcl.Diagnostics
	st := shellState{exported: map[string]string{}, plain: map[string]string{}, cwd: cb.SrcDir}
	for _, kv := range cb.BaseEnv {
		if k, v, ok := strings.Cut(kv, "="); ok && validName.MatchString(k) && !reserved(k) && !exportedSpecial[k] && k != "OLDPWD" {
			st.exported[k] = v
		}
	}
	for k, v := range a.agentVariables() {
		st.exported[k] = v
	}
	secrets := append(cb.Secrets.Values(), cb.Mask...)
	assign := func(section, name, value string) {
		if reserved(name) {
			diags = append(diags, cb.at(section, name, cb.warnf("Reserved environment variable",
				"env.%s sets %s, but names starting with CODEBUILD_ are reserved for CodeBuild; the value is ignored. Rename the variable.", section, name)))
			return
		}
		st.exported[name] = value
	}
	if env := a.bs.Env; env != nil {
		for _, kv := range env.Variables {
			assign("variables", kv.Key, kv.Value)
		}
		for _, kv := range env.ParameterStore {
			v, err := cb.Secrets.Parameter(kv.Value)
			if err != nil {
				diags = append(diags, cb.at("parameter-store", kv.Key, cb.errorf("Unknown parameter", "env.parameter-store %s: %s", kv.Key, sentence(err))))
				continue
			}
			assign("parameter-store", kv.Key, v)
			secrets = append(secrets, v)
		}
		for _, kv := range env.SecretsManager {
			v, err := cb.Secrets.Secret(kv.Value)
			if err != nil {
				diags = append(diags, cb.at("secrets-manager", kv.Key, cb.errorf("Unknown secret", "env.secrets-manager %s: %s", kv.Key, sentence(err))))
				continue
			}
			assign("secrets-manager", kv.Key, v)
			secrets = append(secrets, v)
		}
	}
	for _, kv := range cb.Env {
		if reserved(kv.Key) {
			diags = append(diags, cb.warnf("Reserved environment variable",
				"The override %s=... is ignored: names starting with CODEBUILD_ are reserved for the variables CodeBuild sets itself. Rename the variable.", kv.Key))
			continue
		}
		st.exported[kv.Key] = kv.Value
	}
	return st, secrets, diags
}

func reserved(name string) bool { return strings.HasPrefix(name, "CODEBUILD_") }

// agentVariables are the CODEBUILD_* and AWS_* variables of BUILDSPEC.md §12.
func (a *agent) agentVariables() map[string]string {
	cb := a.cb
	id := cb.buildID()
	uuid := id[strings.LastIndexByte(id, ':')+1:]
	region := cb.region()
	m := map[string]string{
		"AWS_REGION":                 region,
		"AWS_DEFAULT_REGION":         region,
		"CODEBUILD_SRC_DIR":          cb.SrcDir,
		"CODEBUILD_BUILD_ID":         id,
		"CODEBUILD_BUILD_ARN":        cb.buildArn(),
		"CODEBUILD_BUILD_NUMBER":     strconv.FormatInt(cb.buildNumber(), 10),
		"CODEBUILD_BUILD_SUCCEEDING": "1",
		"CODEBUILD_BUILD_IMAGE":      cb.image(),
		"CODEBUILD_START_TIME":       strconv.FormatInt(a.now().UnixMilli(), 10),
		"CODEBUILD_PROJECT_ARN":      fmt.Sprintf("arn:aws:codebuild:%s:%s:project/%s", region, cb.account(), cb.projectName()),
		"CODEBUILD_LOG_PATH":         uuid,
		"CODEBUILD_BUILD_URL": fmt.Sprintf("https://%s.console.aws.amazon.com/codesuite/codebuild/%s/projects/%s/build/%s/?region=%s",
			region, cb.account(), cb.projectName(), strings.ReplaceAll(id, ":", "%3A"), region),
		"CODEBUILD_INITIATOR": cb.Initiator,
	}
	if cb.ResolvedSourceVersion != "" {
		m["CODEBUILD_RESOLVED_SOURCE_VERSION"] = cb.ResolvedSourceVersion
		m["CODEBUILD_SOURCE_VERSION"] = cb.ResolvedSourceVersion
	}
	for id, dir := range cb.SecondarySrc {
		m["CODEBUILD_SRC_DIR_"+id] = dir
	}
	if cb.BatchIdentifier != "" {
		m["CODEBUILD_BATCH_BUILD_IDENTIFIER"] = cb.BatchIdentifier
	}
	return m
}
