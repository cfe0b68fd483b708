package runners

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

// fakeClock advances one millisecond per reading, so logs are stable.
func fakeClock() func() time.Time {
	t := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	return func() time.Time {
		t = t.Add(time.Millisecond)
		return t
	}
}

type result struct {
	build *Build
	log   string
	src   string
	out   string
}

func runBuild(t *testing.T, bs *graph.Buildspec, mod func(*CodeBuild)) result {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	out := filepath.Join(dir, "out")
	if err := os.MkdirAll(src, 0o755); err != nil {
		t.Fatal(err)
	}
	var log bytes.Buffer
	cb := &CodeBuild{
		Buildspec:    bs,
		SrcDir:       src,
		ArtifactsDir: out,
		Log:          &log,
		Now:          fakeClock(),
		BaseEnv:      []string{"PATH=" + os.Getenv("PATH"), "HOME=" + dir},
		ProjectName:  "demo",
		BuildID:      "demo:11111111-2222-3333-4444-555555555555",
	}
	if mod != nil {
		mod(cb)
	}
	b, diags := cb.Run(context.Background())
	if diags.HasErrors() {
		t.Fatalf("Run: %v", diags)
	}
	return result{build: b, log: log.String(), src: src, out: out}
}

func phases(cmds ...[]string) [4]*graph.Phase {
	var p [4]*graph.Phase
	for i, c := range cmds {
		if c != nil {
			p[i] = &graph.Phase{Commands: c}
		}
	}
	return p
}

func phaseSummary(b *Build) string {
	var parts []string
	for _, p := range b.Phases {
		parts = append(parts, p.PhaseType+":"+p.PhaseStatus)
	}
	return strings.Join(parts, " ")
}

func TestStateCarries(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(
		[]string{"mkdir sub && cd sub", "PLAIN=one; export EXP=two", "echo \"pwd=$(basename $(pwd)) plain=$PLAIN exp=$EXP\""},
		nil,
		[]string{"echo \"build sees $PLAIN $EXP\"", "exit 0", "echo after-exit-0"},
	)}
	r := runBuild(t, bs, nil)
	for _, want := range []string{"pwd=sub plain=one exp=two", "build sees one two", "after-exit-0"} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
	if r.build.BuildStatus != StatusSucceeded {
		t.Errorf("status %s:\n%s", r.build.BuildStatus, r.log)
	}
	t.Log(r.log)
	t.Log(phaseSummary(r.build))
}
