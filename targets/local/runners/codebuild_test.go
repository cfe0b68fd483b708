package runners

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
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

// runBuild runs bs in a fresh folder; mod adjusts the build first. An
// optional context replaces context.Background (to stop the build).
func runBuild(t *testing.T, bs *graph.Buildspec, mod func(*CodeBuild), ctx ...context.Context) result {
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
	run := context.Background()
	if len(ctx) > 0 {
		run = ctx[0]
	}
	b, diags := cb.Run(run)
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
	for _, shell := range []string{"", "bash"} {
		t.Run("shell="+shell, func(t *testing.T) {
			bs := &graph.Buildspec{Version: "0.2", Env: &graph.BuildEnv{Shell: shell}, Phases: phases(
				[]string{"mkdir sub && cd sub", "PLAIN=one; export EXP=two; MULTI='a\nb'\"c'd\"",
					`echo "pwd=$(basename "$(pwd)") plain=$PLAIN exp=$EXP"`},
				nil,
				[]string{`echo "build sees $PLAIN $EXP [$MULTI]"`, "unset EXP", `echo "exp=${EXP-unset}"`, "exit 0", "echo after-exit-0"},
			)}
			// Scratch and source paths with spaces and shell quotes, as a
			// project folder may have, are quoted in the generated scripts.
			odd := filepath.Join(t.TempDir(), "it's $x \"dir\" `q`")
			if err := os.MkdirAll(filepath.Join(odd, "agent"), 0o755); err != nil {
				t.Fatal(err)
			}
			r := runBuild(t, bs, func(cb *CodeBuild) {
				cb.WorkDir = filepath.Join(odd, "agent")
				cb.SrcDir = filepath.Join(odd, "src")
				os.MkdirAll(cb.SrcDir, 0o755)
			})
			for _, want := range []string{"pwd=sub plain=one exp=two", "build sees one two [a\nbc'd]", "exp=unset", "after-exit-0"} {
				if !strings.Contains(r.log, want) {
					t.Errorf("log lacks %q:\n%s", want, r.log)
				}
			}
			if r.build.BuildStatus != StatusSucceeded {
				t.Errorf("status %s:\n%s", r.build.BuildStatus, r.log)
			}
		})
	}
}

func TestPhaseTransitions(t *testing.T) {
	tests := []struct {
		name   string
		phases [4]*graph.Phase
		want   string // INSTALL..UPLOAD_ARTIFACTS statuses
		status string
	}{
		{"install fails: straight to finalizing",
			phases([]string{"false"}, []string{"echo pre"}, []string{"echo build"}, []string{"echo post"}),
			"INSTALL:FAILED", StatusFailed},
		{"pre_build fails: straight to finalizing",
			phases(nil, []string{"false"}, []string{"echo build"}, []string{"echo post"}),
			"INSTALL:SUCCEEDED PRE_BUILD:FAILED", StatusFailed},
		{"build fails: post_build and upload still run",
			phases(nil, nil, []string{"exit 3", "echo never"}, []string{`echo "succeeding=$CODEBUILD_BUILD_SUCCEEDING"`}),
			"INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:FAILED POST_BUILD:SUCCEEDED UPLOAD_ARTIFACTS:SUCCEEDED", StatusFailed},
		{"post_build fails: upload still runs",
			phases(nil, nil, nil, []string{"false"}),
			"INSTALL:SUCCEEDED PRE_BUILD:SUCCEEDED BUILD:SUCCEEDED POST_BUILD:FAILED UPLOAD_ARTIFACTS:SUCCEEDED", StatusFailed},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := runBuild(t, &graph.Buildspec{Version: "0.2", Phases: tt.phases}, nil)
			got := strings.Join(strings.Fields(phaseSummary(r.build))[4:], " ")
			want := tt.want + " FINALIZING:SUCCEEDED COMPLETED:"
			if got != want {
				t.Errorf("phases:\n got %s\nwant %s\n%s", got, want, r.log)
			}
			if r.build.BuildStatus != tt.status {
				t.Errorf("status %s, want %s", r.build.BuildStatus, tt.status)
			}
			if strings.Contains(r.log, "\nnever") || strings.Contains(r.log, "\nbuild\n") || strings.Contains(r.log, "\npre\n") {
				t.Errorf("a skipped command ran:\n%s", r.log)
			}
		})
	}
}

func TestBuildFailureLog(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil,
		[]string{"exit 3"}, []string{`echo "succeeding=$CODEBUILD_BUILD_SUCCEEDING"`})}
	r := runBuild(t, bs, nil)
	for _, want := range []string{
		" Running command exit 3\n\n[Container] ",
		"Command did not exit successfully exit 3 exit status 3\n",
		" Running command echo \"succeeding=$CODEBUILD_BUILD_SUCCEEDING\"\nsucceeding=0\n\n[Container] ",
		"Phase complete: BUILD State: FAILED\n",
		"Phase context status code: COMMAND_EXECUTION_ERROR Message: Error while executing command: exit 3. Reason: exit status 3\n",
		"succeeding=0\n",
	} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
}

func TestFinallyAndOnFailure(t *testing.T) {
	var p [4]*graph.Phase
	p[1] = &graph.Phase{Commands: []string{"false", "echo skipped"}, Finally: []string{"echo finally-ran"}, OnFailure: "CONTINUE"}
	p[2] = &graph.Phase{Commands: []string{"echo build-ran"}, Finally: []string{"false"}, OnFailure: "ABORT"}
	p[3] = &graph.Phase{Commands: []string{"echo post-ran"}}
	r := runBuild(t, &graph.Buildspec{Version: "0.2", Phases: p}, nil)
	for _, want := range []string{"\nfinally-ran\n", "\nbuild-ran\n"} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
	for _, bad := range []string{"\nskipped\n", "\npost-ran\n", "UPLOAD_ARTIFACTS"} {
		if strings.Contains(r.log, bad) {
			t.Errorf("log has %q:\n%s", bad, r.log)
		}
	}
	if got, want := phaseSummary(r.build), "PRE_BUILD:FAILED BUILD:FAILED FINALIZING"; !strings.Contains(got, want) {
		t.Errorf("phases %s, want ... %s ...", got, want)
	}
}

func TestRetry(t *testing.T) {
	var p [4]*graph.Phase
	// Fails twice, then succeeds: the attempt count lives in a file.
	p[2] = &graph.Phase{Commands: []string{`n=$(cat count 2>/dev/null || echo 0); n=$((n+1)); echo $n > count; [ $n -ge 3 ]`}, OnFailure: "RETRY-2"}
	r := runBuild(t, &graph.Buildspec{Version: "0.2", Phases: p}, nil)
	if r.build.BuildStatus != StatusSucceeded {
		t.Errorf("status %s:\n%s", r.build.BuildStatus, r.log)
	}
	if got := strings.Count(phaseSummary(r.build), "BUILD:FAILED"); got != 2 {
		t.Errorf("%d failed BUILD attempts, want 2: %s", got, phaseSummary(r.build))
	}
	// A regex that does not match the error message: no retry.
	p[2] = &graph.Phase{Commands: []string{"exit 4"}, OnFailure: "RETRY-5-exit status [12]"}
	r = runBuild(t, &graph.Buildspec{Version: "0.2", Phases: p}, nil)
	if got := strings.Count(phaseSummary(r.build), "BUILD:FAILED"); got != 1 {
		t.Errorf("%d failed BUILD attempts, want 1: %s", got, phaseSummary(r.build))
	}
}

func TestParseOnFailure(t *testing.T) {
	for in, want := range map[string]string{
		"ABORT": "ABORT 0 <nil>", "continue": "CONTINUE 0 <nil>", "RETRY": "RETRY 3 <nil>",
		"RETRY-7": "RETRY 7 <nil>", "Retry-timeout.*": "RETRY 3 timeout.*", "RETRY-2-exit status 1": "RETRY 2 exit status 1",
	} {
		p, err := parseOnFailure(in)
		if err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		got := fmt.Sprintf("%s %d %v", p.kind, p.retries, p.match)
		if got != want {
			t.Errorf("%s: got %s, want %s", in, got, want)
		}
	}
	for _, bad := range []string{"STOP", "RETRY-101", "RETRY-(("} {
		if _, err := parseOnFailure(bad); err == nil {
			t.Errorf("%s: no error", bad)
		}
	}
}

func TestShellSemantics(t *testing.T) {
	// /bin/sh is dash here, as on CodeBuild's Ubuntu images.
	bs := &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, []string{"if [[ 1 == 1 ]]; then echo bashism; fi"})}
	r := runBuild(t, bs, nil)
	if !strings.Contains(r.log, "script.sh: 4: [[: not found") {
		t.Errorf("dash error not reported on line 4:\n%s", r.log)
	}
	// A multi-line command: only the last statement's status counts;
	// functions and set options do not carry.
	bs = &graph.Buildspec{Version: "0.2", Env: &graph.BuildEnv{Shell: "bash"}, Phases: phases(nil, nil, []string{
		"false\necho multi-ok",
		"f() { echo fn; }; set -e",
		"f || echo no-function; false; echo no-errexit",
	})}
	r = runBuild(t, bs, nil)
	for _, want := range []string{"\nmulti-ok\n", "no-function\n", "\nno-errexit\n"} {
		if !strings.Contains(r.log, want) {
			t.Errorf("log lacks %q:\n%s", want, r.log)
		}
	}
}

func TestVersion01(t *testing.T) {
	bs := &graph.Buildspec{Version: "0.1", Phases: phases(nil, nil, []string{"export X=1; mkdir d; cd d", `echo "x=$X pwd=$(basename $(pwd))"`})}
	r := runBuild(t, bs, nil)
	if !strings.Contains(r.log, "x= pwd=src\n") {
		t.Errorf("state carried under version 0.1:\n%s", r.log)
	}
}

// BenchmarkCommand measures the agent's cost per command: a script, the
// build shell, and saving and restoring the shell state.
func BenchmarkCommand(b *testing.B) {
	dir := b.TempDir()
	cmds := make([]string, b.N)
	for i := range cmds {
		cmds[i] = "X=$((X+1))"
	}
	cb := &CodeBuild{
		Buildspec: &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, cmds)},
		SrcDir:    dir,
		BaseEnv:   os.Environ(),
	}
	b.ResetTimer()
	if build, diags := cb.Run(context.Background()); diags.HasErrors() || build.BuildStatus != StatusSucceeded {
		b.Fatalf("%v %v", diags, build)
	}
}

// lockedBuffer is a bytes.Buffer safe to read while the build writes it.
type lockedBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *lockedBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}

func (l *lockedBuffer) String() string {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.String()
}

// Short output of a command that is still running is logged at once, not
// held back until the command ends.
func TestOutputIsLive(t *testing.T) {
	var log lockedBuffer
	done := make(chan struct{})
	go func() {
		defer close(done)
		runBuild(t, &graph.Buildspec{Version: "0.2", Phases: phases(nil, nil, []string{"echo early; sleep 3"})},
			func(cb *CodeBuild) { cb.Log = &log })
	}()
	deadline := time.Now().Add(2 * time.Second)
	for !strings.Contains(log.String(), "\nearly\n") {
		if time.Now().After(deadline) {
			t.Fatalf("the command's output is not in the log while it runs:\n%s", log.String())
		}
		time.Sleep(20 * time.Millisecond)
	}
	<-done
}
