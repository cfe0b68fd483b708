package views

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/pipeform/pipeform/targets/local/reports"
	"github.com/pipeform/pipeform/targets/local/runners"
)

func TestWriteBuildPlan(t *testing.T) {
	for _, c := range []struct {
		name string
		plan runners.BuildPlan
		want string
	}{{
		name: "everything",
		plan: runners.BuildPlan{
			Version: "0.2", Shell: "bash",
			Variables: []runners.PlanVariable{
				{Name: "STAGE", Value: "test", Source: "variables"},
				{Name: "TOKEN", Value: "/ci/token", Source: "parameter-store"},
				{Name: "DB", Value: "ci/db", Source: "secrets-manager"},
				{Name: "X", Value: "1", Source: "override"},
			},
			Exported: []string{"VERSION", "SHA"},
			Phases: []runners.PlanPhase{
				{Type: "INSTALL", Notes: []string{"runtime-versions: not installed"}, Commands: []string{"npm ci"}},
				{Type: "BUILD", OnFailure: "CONTINUE", Commands: []string{"make\\\n  test\n"}, Finally: []string{"echo done"}},
			},
			Reports:   []runners.PlanArtifact{{Identifier: "unit", Files: []string{"junit.xml"}, BaseDirectory: "reports"}},
			Artifacts: []runners.PlanArtifact{{Files: []string{"**/*"}, ExcludePaths: []string{"*.tmp"}, DiscardPaths: true}, {Identifier: "docs", Files: []string{"a", "b"}}},
			Notes:     []string{"cache: not used"},
		},
		want: `Buildspec b.yml (version 0.2), shell bash

Variables:
  STAGE=test
  TOKEN from parameter-store /ci/token (masked)
  DB from secrets-manager ci/db (masked)
  X=1 (--env)

Exported variables: VERSION, SHA

INSTALL
  # runtime-versions: not installed
  $ npm ci

BUILD (on-failure CONTINUE)
  $ make\
      test
  finally:
  $ echo done

UPLOAD_ARTIFACTS
  report unit: junit.xml in reports
  primary: **/* excluding *.tmp (paths discarded)
  secondary/docs: a, b

Not emulated:
  cache: not used
`,
	}, {
		name: "nothing to upload",
		plan: runners.BuildPlan{Version: "0.1", Shell: "sh"},
		want: "Buildspec b.yml (version 0.1), shell sh\n\nUPLOAD_ARTIFACTS\n  (no artifacts)\n",
	}} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			WriteBuildPlan(&b, "b.yml", &c.plan)
			if diff := cmp.Diff(c.want, b.String()); diff != "" {
				t.Errorf("plan (-want +got):\n%s", diff)
			}
		})
	}
}

func TestWriteBuildSummary(t *testing.T) {
	for _, c := range []struct {
		name  string
		build runners.Build
		want  string
	}{{
		name: "failed, with everything",
		build: runners.Build{
			ID: "app:1", BuildStatus: runners.StatusFailed,
			Phases: []*runners.BuildPhase{
				{PhaseType: "INSTALL", PhaseStatus: runners.StatusSucceeded},
				{PhaseType: "BUILD", PhaseStatus: runners.StatusFailed, Contexts: []runners.PhaseContext{{StatusCode: "COMMAND_EXECUTION_ERROR", Message: "Error while executing command: make. Reason: exit status 2"}}},
				{PhaseType: "POST_BUILD", PhaseStatus: "STOPPED", Contexts: []runners.PhaseContext{{}}},
				{PhaseType: "COMPLETED"},
			},
			Artifacts:                    &runners.BuildArtifacts{Location: "out/primary"},
			SecondaryArtifacts:           []*runners.BuildArtifacts{{Location: "out/secondary/docs", ArtifactIdentifier: "docs"}},
			ExportedEnvironmentVariables: []runners.ExportedEnvironmentVariable{{Name: "VERSION", Value: "1.2"}},
			Reports:                      []*reports.Group{{Tests: &reports.TestSummary{StatusCounts: map[string]int{reports.Succeeded: 3, reports.Failed: 1}}}},
		},
		want: `
Build app:1: FAILED
  BUILD FAILED (COMMAND_EXECUTION_ERROR: Error while executing command: make. Reason: exit status 2)
  POST_BUILD STOPPED
Artifacts: out/primary
Artifacts docs: out/secondary/docs
Exported VERSION=1.2
Reports: 3 passed, 1 failed, 0 skipped
Log: out/build.log
`,
	}, {
		name:  "succeeded, nothing else",
		build: runners.Build{ID: "app:2", BuildStatus: runners.StatusSucceeded, Artifacts: &runners.BuildArtifacts{}},
		want:  "\nBuild app:2: SUCCEEDED\nLog: out/build.log\n",
	}} {
		t.Run(c.name, func(t *testing.T) {
			var b bytes.Buffer
			WriteBuildSummary(&b, &c.build, "out/build.log")
			if diff := cmp.Diff(c.want, b.String()); diff != "" {
				t.Errorf("summary (-want +got):\n%s", diff)
			}
		})
	}
}
