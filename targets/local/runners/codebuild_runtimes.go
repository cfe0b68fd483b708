package runners

import (
	"context"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

// Runtime versions (BUILDSPEC.md §7). CodeBuild selects each runtime the
// install phase names from the versions its image carries and fails the
// build in DOWNLOAD_SOURCE when the image has no such version:
//
//	Selecting 'nodejs' runtime version '10' based on manual selections...
//	Phase complete: DOWNLOAD_SOURCE State: FAILED
//	Phase context status code: YAML_FILE_ERROR Message: Unknown runtime version named '10' of nodejs. This build image has the following versions: 12, 14
//
// (a CodeBuild log quoted in awslabs/open-data-registry#1082). Locally the
// "image" is this machine: the runtime's tool on the build's PATH is asked
// for its version. A version older than the one requested, or no tool at
// all, fails the build the same way; a newer one is a warning in the log
// (code written for the requested version usually runs on a newer one, and
// failing would make every local build need the exact image). Versions are
// written as on AWS: "20", "20.x", "3.11", "corretto17", "latest"
// (https://docs.aws.amazon.com/codebuild/latest/userguide/runtime-versions.html).

// runtimeTool says how to ask this machine for one runtime's version.
type runtimeTool struct {
	command string
	args    []string
	version *regexp.Regexp // first group: the version
}

var runtimeTools = map[string]runtimeTool{
	"nodejs": {"node", []string{"--version"}, regexp.MustCompile(`v?(\d+(?:\.\d+)*)`)},
	"python": {"python3", []string{"--version"}, regexp.MustCompile(`Python (\d+(?:\.\d+)*)`)},
	"golang": {"go", []string{"version"}, regexp.MustCompile(`go(\d+(?:\.\d+)*)`)},
	"java":   {"java", []string{"-version"}, regexp.MustCompile(`version "(\d+(?:\.\d+)*)`)},
	"ruby":   {"ruby", []string{"--version"}, regexp.MustCompile(`ruby (\d+(?:\.\d+)*)`)},
	"php":    {"php", []string{"--version"}, regexp.MustCompile(`PHP (\d+(?:\.\d+)*)`)},
	"dotnet": {"dotnet", []string{"--version"}, regexp.MustCompile(`(\d+(?:\.\d+)*)`)},
	"docker": {"docker", []string{"--version"}, regexp.MustCompile(`version (\d+(?:\.\d+)*)`)},
}

// RuntimeCheck is the outcome of checking one runtime-versions entry.
type RuntimeCheck struct {
	Runtime, Requested string
	// Command is how the version was asked ("node --version"); empty for a
	// runtime pipeform cannot check.
	Command string
	// Found is the version the machine has; empty when the tool is missing.
	Found string
	// Result: "ok", "newer" (a warning), "older" or "missing" (failures),
	// "unchecked" (a runtime pipeform knows no tool for).
	Result string
}

// Failed reports whether the check fails the build.
func (c RuntimeCheck) Failed() bool { return c.Result == "older" || c.Result == "missing" }

// RuntimeChecks describes what checking the install phase's
// runtime-versions will do, without running anything: one line per entry.
func RuntimeChecks(bs *graph.Buildspec) []string {
	if bs == nil || bs.Phases[0] == nil {
		return nil
	}
	var out []string
	for _, kv := range bs.Phases[0].RuntimeVersions {
		t, ok := runtimeTools[kv.Key]
		if !ok {
			out = append(out, fmt.Sprintf("runtime %s %s: not checked (pipeform knows no tool for %s)", kv.Key, kv.Value, kv.Key))
			continue
		}
		out = append(out, fmt.Sprintf("runtime %s %s: checked against %s %s on PATH (older or missing fails the build, newer warns)",
			kv.Key, kv.Value, t.command, strings.Join(t.args, " ")))
	}
	return out
}

// checkRuntime checks one entry against the tool found on path.
func checkRuntime(ctx context.Context, runtime, requested, path string) RuntimeCheck {
	c := RuntimeCheck{Runtime: runtime, Requested: requested}
	t, ok := runtimeTools[runtime]
	if !ok {
		c.Result = "unchecked"
		return c
	}
	c.Command = t.command + " " + strings.Join(t.args, " ")
	bin := lookPath(t.command, path)
	if bin == "" {
		c.Result = "missing"
		return c
	}
	ctx, cancel := context.WithTimeout(ctx, 30*time.Second)
	defer cancel()
	out, _ := exec.CommandContext(ctx, bin, t.args...).CombinedOutput()
	m := t.version.FindSubmatch(out)
	if m == nil {
		c.Result = "missing"
		return c
	}
	c.Found = string(m[1])
	c.Result = compareRuntime(runtime, requested, c.Found)
	return c
}

// compareRuntime compares a requested version ("20", "20.x", "3.11",
// "corretto17", "latest") with the one found: "ok", "newer" or "older".
func compareRuntime(runtime, requested, found string) string {
	want := strings.TrimSuffix(strings.TrimLeft(strings.ToLower(requested), "abcdefghijklmnopqrstuvwxyz"), ".x")
	if want == "" || strings.EqualFold(requested, "latest") {
		return "ok"
	}
	have := strings.Split(found, ".")
	if runtime == "java" && len(have) > 1 && have[0] == "1" { // java -version says 1.8.0 for 8
		have = have[1:]
	}
	for i, w := range strings.Split(want, ".") {
		if i >= len(have) {
			return "ok"
		}
		wn, err1 := strconv.Atoi(w)
		hn, err2 := strconv.Atoi(have[i])
		if err1 != nil || err2 != nil || wn == hn {
			continue
		}
		if hn > wn {
			return "newer"
		}
		return "older"
	}
	return "ok"
}

// lookPath finds name on the PATH list path, as the build's shell would.
func lookPath(name, path string) string {
	for _, dir := range filepath.SplitList(path) {
		if dir == "" {
			continue
		}
		p := filepath.Join(dir, name)
		if st, err := os.Stat(p); err == nil && !st.IsDir() && st.Mode()&0o111 != 0 {
			return p
		}
	}
	return ""
}

// selectRuntimes checks the install phase's runtime-versions the way
// CodeBuild selects them in DOWNLOAD_SOURCE. It returns the phase context
// of the first failure, or nil.
func (a *agent) selectRuntimes(ctx context.Context) *PhaseContext {
	ph := a.bs.Phases[0]
	if ph == nil || len(ph.RuntimeVersions) == 0 {
		a.logf("No runtime version selected in buildspec.")
		return nil
	}
	path := a.sh.initial.exported["PATH"]
	var failure *PhaseContext
	for _, kv := range ph.RuntimeVersions {
		a.logf("Selecting '%s' runtime version '%s' based on manual selections...", kv.Key, kv.Value)
		c := checkRuntime(ctx, kv.Key, kv.Value, path)
		a.runtimes = append(a.runtimes, c)
		switch c.Result {
		case "unchecked":
			a.logf("Runtime %s is not checked locally: pipeform knows no tool that reports its version; the tools on PATH are used", kv.Key)
		case "newer":
			a.logf("Warning: runtime %s %s requested, but this machine has %s %s (%s), which is newer; the build uses it", kv.Key, kv.Value, runtimeTools[kv.Key].command, c.Found, c.Command)
		case "older", "missing":
			if failure != nil {
				continue
			}
			has := "no " + runtimeTools[kv.Key].command + " on PATH"
			if c.Result == "older" {
				has = fmt.Sprintf("%s %s (%s)", runtimeTools[kv.Key].command, c.Found, c.Command)
			}
			failure = &PhaseContext{StatusCode: "YAML_FILE_ERROR",
				Message: fmt.Sprintf("Unknown runtime version named '%s' of %s. This machine has %s; install %s %s or change runtime-versions.", kv.Value, kv.Key, has, kv.Key, kv.Value)}
		}
	}
	return failure
}
