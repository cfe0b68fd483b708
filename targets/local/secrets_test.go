package local

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
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

// Resume starts from the stage of a producer whose output variables held
// secrets (stored masked) when an action about to run references them,
// and from there on the same rule applies to the stages it brings in.
func TestResumeRerunsSecretProducers(t *testing.T) {
	b := newBuilder("web")
	b.stage("Source")
	b.add(source("checkout"), nil, []string{"src"})
	b.stage("Keys")
	keys := localAction("keys", "export KEY=k")
	keys.Namespace, keys.Variables = "K", []string{"KEY"}
	b.add(keys, nil, nil)
	b.stage("Build")
	mk := localAction("make", "export TOK=t")
	mk.Namespace, mk.Variables = "B", []string{"TOK", "PLAIN"}
	mk.References = []*graph.VariableRef{{Namespace: "K", Name: "KEY", Producer: keys}}
	b.add(mk, nil, nil)
	b.stage("Use")
	use := localAction("use", "true")
	b.add(use, nil, nil)

	prev := &Run{}
	for _, st := range b.p.Stages {
		prev.Stages = append(prev.Stages, newStageState(st))
	}
	prev.Action("Keys.keys").SecretVariables = []string{"KEY"}
	prev.Action("Build.make").SecretVariables = []string{"TOK"}
	for _, tc := range []struct {
		refs []*graph.VariableRef
		want int
	}{
		{nil, 3},
		{[]*graph.VariableRef{{Namespace: "B", Name: "PLAIN", Producer: mk}}, 3},
		// Build runs again for TOK, and Build.make needs K.KEY: Keys too.
		{[]*graph.VariableRef{{Namespace: "B", Name: "TOK", Producer: mk}}, 1},
	} {
		use.References = tc.refs
		if got := secretProducersFrom(b.p, prev, 3); got != tc.want {
			t.Errorf("references %v: resume from stage %d, want %d", tc.refs, got, tc.want)
		}
	}
}
