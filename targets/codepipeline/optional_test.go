package codepipeline_test

import (
	"bytes"
	"strings"
	"testing"

	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// An Optional target (generate --target all) turns what a pipeline lacks
// into one warning per pipeline that lists it, and still writes no file for
// that pipeline; every other error stays an error.
func TestOptionalWarnsWhatAPipelineLacks(t *testing.T) {
	tests := []struct {
		name   string
		region string
		// want maps each pipeline to "error: <summary>" or "warning: <start of
		// the detail>", one per diagnostic of that pipeline.
		want      map[string][]string
		wantFiles []string
	}{
		{
			name:      "role and bucket",
			region:    "eu-west-1",
			want:      map[string][]string{"minimal": {"warning: The create-pipeline input needs a role_arn and an artifact_store, which"}},
			wantFiles: []string{"codepipeline/web.json"},
		},
		{
			name:   "Region",
			region: "",
			want: map[string][]string{
				"minimal": {"warning: The create-pipeline input needs a role_arn and an artifact_store, which"},
				"web":     {"warning: The create-pipeline input needs its Region (--region), which"},
			},
		},
		{
			name:   "a conflict is no missing setting",
			region: "us-west-2",
			want: map[string][]string{
				"minimal": {"warning: The create-pipeline input needs a role_arn and an artifact_store, which"},
				"web":     {"error: Conflicting artifact store Region"},
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			g := codepipelinetest.Graph()
			files, diags := codepipeline.Target{Optional: true}.Emit(g, targets.Options{Region: tt.region})
			got := map[string][]string{}
			for _, d := range diags {
				name := pipelineAt(t, g.Pipelines, d)
				switch d.Severity {
				case hcl.DiagError:
					got[name] = append(got[name], "error: "+d.Summary)
				default:
					if d.Summary != "No codepipeline file for pipeline" {
						t.Errorf("warning %q, want \"No codepipeline file for pipeline\"", d.Summary)
					}
					got[name] = append(got[name], "warning: "+d.Detail)
				}
			}
			if len(got) != len(tt.want) {
				t.Errorf("diagnostics for %d pipelines, want %d: %v", len(got), len(tt.want), got)
			}
			for name, want := range tt.want {
				if len(got[name]) != len(want) {
					t.Errorf("pipeline %s: diagnostics %q, want %q", name, got[name], want)
					continue
				}
				for i, w := range want {
					if !strings.HasPrefix(got[name][i], w) {
						t.Errorf("pipeline %s: diagnostic %q, want %q", name, got[name][i], w)
					}
				}
			}
			if strings.Join(paths(files), " ") != strings.Join(tt.wantFiles, " ") {
				t.Errorf("files = %v, want %v", paths(files), tt.wantFiles)
			}
		})
	}
}

// Without Optional the same pipeline gets an error per missing setting,
// and Optional changes nothing in the files written.
func TestOptionalKeepsFiles(t *testing.T) {
	opts := targets.Options{Region: "eu-west-1"}
	strict, sd := codepipeline.New().Emit(codepipelinetest.Graph(), opts)
	if n := len(sd.Errs()); n != 2 {
		t.Errorf("%d errors without Optional, want 2 (role and bucket): %v", n, sd)
	}
	loose, ld := codepipeline.Target{Optional: true}.Emit(codepipelinetest.Graph(), opts)
	if ld.HasErrors() {
		t.Errorf("errors with Optional: %v", ld)
	}
	if len(strict) != len(loose) {
		t.Fatalf("files %v with Optional, %v without", paths(loose), paths(strict))
	}
	for i := range strict {
		if strict[i].Path != loose[i].Path || !bytes.Equal(strict[i].Data, loose[i].Data) {
			t.Errorf("%s differs with Optional", strict[i].Path)
		}
	}
}

// pipelineAt names the pipeline whose block d points at.
func pipelineAt(t *testing.T, ps []*graph.Pipeline, d *hcl.Diagnostic) string {
	t.Helper()
	for _, p := range ps {
		if d.Subject != nil && *d.Subject == p.DeclRange {
			return p.Name
		}
	}
	t.Fatalf("diagnostic %q points at no pipeline: %v", d.Summary, d.Subject)
	return ""
}
