package runners

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const testAppSpec = `version: 0.0
os: linux
files:
  - source: /
    destination: /srv/app
permissions:
  - object: /srv/app
    pattern: "*.sh"
    mode: 750
    owner: app
hooks:
  ApplicationStop:
    - location: stop.sh
  BeforeInstall:
    - location: hook.sh
  AfterInstall:
    - location: hook.sh
  ApplicationStart:
    - location: hook.sh
  ValidateService:
    - location: hook.sh
`

func TestCodeDeployRunsHooksInOrder(t *testing.T) {
	bundle, root, state := t.TempDir(), filepath.Join(t.TempDir(), "target"), filepath.Join(t.TempDir(), "state")
	srcWrite(t, bundle, map[string]string{
		"appspec.yml": testAppSpec,
		"hook.sh":     "echo \"$LIFECYCLE_EVENT $APPLICATION_NAME $DEPLOYMENT_GROUP_NAME $DEPLOYMENT_ID\"\n",
		"stop.sh":     "echo stopping the previous revision\n",
		"app/run.sh":  "echo run\n",
	})
	deploy := func(id string) string {
		var log bytes.Buffer
		cd := &CodeDeploy{Bundle: bundle, Target: root, State: state, Application: "web", DeploymentGroup: "staging",
			DeploymentID: id, DeploymentGroupID: "g", Env: []string{"PATH=" + os.Getenv("PATH")}, Log: &log}
		if diags := cd.Run(context.Background()); diags.HasErrors() {
			t.Fatalf("%s\n%s", diags.Error(), log.String())
		}
		return log.String()
	}
	first := deploy("d-1")
	var events []string
	for _, l := range strings.Split(first, "\n") {
		if ev, ok := strings.CutPrefix(l, "LifecycleEvent - "); ok {
			events = append(events, ev)
		}
	}
	if got := strings.Join(events, ","); got != "BeforeInstall,Install,AfterInstall,ApplicationStart,ValidateService" {
		t.Errorf("events %s\n%s", got, first)
	}
	if !strings.Contains(first, "ValidateService web staging d-1\n") || !strings.Contains(first, "owner/group of /srv/app not applied") {
		t.Errorf("log:\n%s", first)
	}
	if _, err := os.Stat(filepath.Join(root, "srv/app/app/run.sh")); err != nil {
		t.Errorf("files not installed: %v", err)
	}
	if _, err := os.Stat(filepath.Join(root, "srv/app/appspec.yml")); err == nil {
		t.Errorf("appspec.yml was installed")
	}
	if st, _ := os.Stat(filepath.Join(root, "srv/app/hook.sh")); st == nil || st.Mode().Perm() != 0o750 {
		t.Errorf("permissions not applied: %v", st)
	}
	// The second deployment stops the first revision and may overwrite its
	// own files (they are removed first, as the agent does).
	second := deploy("d-2")
	if !strings.Contains(second, "LifecycleEvent - ApplicationStop\nScript - stop.sh\nstopping the previous revision\n") {
		t.Errorf("second deployment:\n%s", second)
	}
}

func TestCodeDeployFailures(t *testing.T) {
	for name, tc := range map[string]struct {
		files   map[string]string
		summary string
	}{
		"no appspec":   {map[string]string{"a.txt": "a"}, "Missing appspec.yml"},
		"bad version":  {map[string]string{"appspec.yml": "version: 1.0\n"}, "Invalid appspec.yml"},
		"bad hook":     {map[string]string{"appspec.yml": "version: 0.0\nhooks:\n  Install:\n    - location: x.sh\n"}, "Invalid appspec.yml"},
		"failing hook": {map[string]string{"appspec.yml": "version: 0.0\nhooks:\n  BeforeInstall:\n    - location: x.sh\n", "x.sh": "exit 4\n"}, "Script failed"},
		"missing hook": {map[string]string{"appspec.yml": "version: 0.0\nhooks:\n  BeforeInstall:\n    - location: nope.sh\n"}, "Script does not exist at specified location"},
		"timeout":      {map[string]string{"appspec.yml": "version: 0.0\nhooks:\n  BeforeInstall:\n    - location: x.sh\n      timeout: 1\n", "x.sh": "sleep 30\n"}, "Script timed out"},
	} {
		t.Run(name, func(t *testing.T) {
			bundle := t.TempDir()
			srcWrite(t, bundle, tc.files)
			var log bytes.Buffer
			diags := (&CodeDeploy{Bundle: bundle, Target: t.TempDir(), State: t.TempDir(), Log: &log,
				Env: []string{"PATH=" + os.Getenv("PATH")}}).Run(context.Background())
			if !diags.HasErrors() || diags[0].Summary != tc.summary {
				t.Errorf("got %v, want %q", diags, tc.summary)
			}
		})
	}
}

func TestCodeDeployDisallowsExistingFiles(t *testing.T) {
	bundle, root := t.TempDir(), t.TempDir()
	srcWrite(t, bundle, map[string]string{"appspec.yml": "version: 0.0\nfiles:\n  - source: a.txt\n    destination: /etc\n", "a.txt": "new"})
	srcWrite(t, root, map[string]string{"etc/a.txt": "someone else's"})
	diags := (&CodeDeploy{Bundle: bundle, Target: root, State: t.TempDir(), Log: &bytes.Buffer{}}).Run(context.Background())
	if !diags.HasErrors() || diags[0].Summary != "File already exists at location" {
		t.Errorf("got %v", diags)
	}
}

// An ApplicationStart hook that starts a daemon succeeds; the daemon runs
// through ValidateService and is stopped when the deployment ends.
func TestCodeDeployDaemon(t *testing.T) {
	bundle, root, state := t.TempDir(), filepath.Join(t.TempDir(), "target"), filepath.Join(t.TempDir(), "state")
	pidFile := filepath.Join(t.TempDir(), "pid")
	srcWrite(t, bundle, map[string]string{
		"appspec.yml": "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start.sh\n  ValidateService:\n    - location: check.sh\n",
		"start.sh":    "sleep 25 &\necho $! > " + pidFile + "\necho started\n",
		"check.sh":    "kill -0 $(cat " + pidFile + ") && echo running\n",
	})
	var log bytes.Buffer
	cd := &CodeDeploy{Bundle: bundle, Target: root, State: state, Application: "web", DeploymentGroup: "staging",
		DeploymentID: "d-1", DeploymentGroupID: "g", Env: []string{"PATH=" + os.Getenv("PATH")}, Log: &log}
	if diags := cd.Run(context.Background()); diags.HasErrors() {
		t.Fatalf("%s\n%s", diags.Error(), log.String())
	}
	for _, want := range []string{"started\n", "running\n", "Stopped the background processes the hook scripts started"} {
		if !strings.Contains(log.String(), want) {
			t.Errorf("log lacks %q:\n%s", want, log.String())
		}
	}
	assertGone(t, pidFile)
}

// A daemon that keeps writing to its output after ApplicationStart exits
// must still be alive for ValidateService: the hook's output pipe is drained
// until the deployment ends, never closed under it (a closed pipe would kill
// it with SIGPIPE on its next write).
func TestCodeDeployChattyDaemon(t *testing.T) {
	bundle, root, state := t.TempDir(), filepath.Join(t.TempDir(), "target"), filepath.Join(t.TempDir(), "state")
	pidFile := filepath.Join(t.TempDir(), "pid")
	srcWrite(t, bundle, map[string]string{
		"appspec.yml": "version: 0.0\nos: linux\nhooks:\n  ApplicationStart:\n    - location: start.sh\n  ValidateService:\n    - location: check.sh\n",
		"start.sh":    "(while true; do echo tick; sleep 0.1; done) &\necho $! > " + pidFile + "\necho started\n",
		"check.sh":    "sleep 1\nkill -0 $(cat " + pidFile + ") && echo still running\n",
	})
	var log bytes.Buffer
	cd := &CodeDeploy{Bundle: bundle, Target: root, State: state, Application: "web", DeploymentGroup: "staging",
		DeploymentID: "d-1", DeploymentGroupID: "g", Env: []string{"PATH=" + os.Getenv("PATH")}, Log: &log}
	diags := cd.Run(context.Background())
	out := log.String()
	if diags.HasErrors() {
		t.Fatalf("%s\n%s", diags.Error(), out)
	}
	for _, want := range []string{"started\n", "tick\n", "still running\n"} {
		if !strings.Contains(out, want) {
			t.Errorf("log lacks %q:\n%s", want, out)
		}
	}
	// Each hook's output stays under its own event: the daemon's later
	// output comes under its own heading at the end, never inside
	// ValidateService's.
	validate := strings.Index(out, "LifecycleEvent - ValidateService")
	late := strings.Index(out, "Output of the background processes the ApplicationStart hook started:")
	if validate < 0 || late < validate || strings.Contains(out[validate:late], "tick") {
		t.Errorf("daemon output inside a later hook:\n%s", out)
	}
	assertGone(t, pidFile)
}
