package views

import (
	"bytes"
	"testing"

	"github.com/google/go-cmp/cmp"

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
