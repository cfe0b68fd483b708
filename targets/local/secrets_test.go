package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/targets/local/runners"
)

// A secret an action's EnvironmentVariables take from the secrets file (a
// JSON secret's field, which the file's values alone do not mask) is
// masked in the action's log and stored nowhere.
func TestActionEnvironmentSecretIsMasked(t *testing.T) {
	b := newBuilder("web")
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Build")
	use := codebuild("use", "echo pw=$PW")
	use.Configuration["EnvironmentVariables"] = `[{"name":"PW","value":"ci/db:password","type":"SECRETS_MANAGER"}]`
	b.add(use, []string{"src"}, nil)
	f := newFixture(t, b.p)
	f.opts.Secrets = &runners.Secrets{SecretsManager: map[string]string{"ci/db": `{"password": "pw-77d0e2", "port": "5432"}`}}
	run, diags := Start(context.Background(), f.opts)
	if run == nil || run.Status != StatusSucceeded {
		t.Fatalf("run: %v", diags)
	}
	if log := readLog(t, f, "run-1", "Build.use"); !strings.Contains(log, "\npw=***\n") {
		t.Errorf("log:\n%s", log)
	}
	noFileHolds(t, f.opts.Layout.Root, "pw-77d0e2")
}

// noFileHolds fails the test for every file under root that contains s.
func noFileHolds(t *testing.T, root, s string) {
	t.Helper()
	err := filepath.Walk(root, func(p string, info os.FileInfo, err error) error {
		if err != nil || info.IsDir() {
			return err
		}
		if data, _ := os.ReadFile(p); strings.Contains(string(data), s) {
			t.Errorf("%s holds %q", p, s)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}
