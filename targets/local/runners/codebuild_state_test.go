package runners

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

// The agent's saved shell state holds every variable, secrets included: it
// lives in a folder only the owner can enter, in files only the owner can
// read, and it is gone when the build ends, whatever its status.
func TestAgentStateIsPrivateAndRemoved(t *testing.T) {
	const secret = "tok-5e1f0a"
	secrets := &Secrets{ParameterStore: map[string]string{"/ci/tok": secret}}
	env := &graph.BuildEnv{ParameterStore: []graph.KeyValue{{Key: "TOK", Value: "/ci/tok"}}}
	// A command's script is $0; its folder is the agent's scratch folder.
	// The first command leaves state behind for the second to look at.
	modes := `d=$(dirname "$0"); stat -c 'mode %n %a' "$d" "$d"/state.dump | sed "s|$d|agent|"`
	for _, tc := range []struct {
		name, status string
		build        []string
		timeout      time.Duration
		stop         bool
	}{
		{"succeeded", StatusSucceeded, []string{"PLAIN=$TOK", modes}, 0, false},
		{"failed", StatusFailed, []string{"PLAIN=$TOK", "false"}, 0, false},
		{"timed out", StatusTimedOut, []string{"PLAIN=$TOK", "sleep 30"}, 300 * time.Millisecond, false},
		{"stopped", StatusStopped, []string{"PLAIN=$TOK", "touch ../started; sleep 30"}, 0, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			work := t.TempDir()
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			bs := &graph.Buildspec{Version: "0.2", Env: env, Phases: phases(nil, nil, tc.build)}
			r := runBuild(t, bs, func(cb *CodeBuild) {
				cb.WorkDir, cb.Secrets, cb.Timeout = work, secrets, tc.timeout
				if tc.stop {
					go func() {
						for !exists(filepath.Join(cb.SrcDir, "..", "started")) {
							time.Sleep(10 * time.Millisecond)
						}
						cancel()
					}()
				}
			}, ctx)
			if r.build.BuildStatus != tc.status {
				t.Fatalf("status %s, want %s:\n%s", r.build.BuildStatus, tc.status, r.log)
			}
			if tc.status == StatusSucceeded {
				want := "mode agent 700\nmode agent/state.dump 600\n"
				if !strings.Contains(r.log, want) {
					t.Errorf("modes: want\n%s\nin the log:\n%s", want, r.log)
				}
			}
			left, err := os.ReadDir(work)
			if err != nil || len(left) != 0 {
				t.Errorf("the agent left %v (%v) in its work folder", left, err)
			}
			if strings.Contains(r.log, secret) {
				t.Errorf("the log shows the secret:\n%s", r.log)
			}
		})
	}
}

// Exported variables are recorded masked; the real values are only
// available from ExportedValues, for the caller to hand on in memory.
func TestExportedValuesUnmasked(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2",
		Env: &graph.BuildEnv{
			ParameterStore:    []graph.KeyValue{{Key: "TOK", Value: "/ci/tok"}},
			ExportedVariables: []string{"TOK", "DER", "PLAIN"},
		},
		Phases: phases(nil, nil, []string{"export DER=a${TOK}b PLAIN=p"}),
	}
	r := runBuild(t, bs, func(cb *CodeBuild) {
		cb.Secrets = &Secrets{ParameterStore: map[string]string{"/ci/tok": "tok-5e1f0a"}}
	})
	var shown []string
	for _, v := range r.build.ExportedEnvironmentVariables {
		shown = append(shown, v.Name+"="+v.Value)
	}
	if got, want := strings.Join(shown, " "), "TOK=*** DER=a***b PLAIN=p"; got != want {
		t.Errorf("recorded %s, want %s", got, want)
	}
	real := r.build.ExportedValues()
	if real["TOK"] != "tok-5e1f0a" || real["DER"] != "atok-5e1f0ab" || real["PLAIN"] != "p" {
		t.Errorf("ExportedValues %v", real)
	}
}
