package codepipeline_test

import (
	"bytes"
	"flag"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"

	"github.com/pipeform/pipeform/lang/langtest"
)

var update = flag.Bool("update", false, "rewrite golden files")

func TestEmitGolden(t *testing.T) {
	g := codepipelinetest.Graph()
	files, diags := codepipeline.New().Emit(g, targets.Options{Region: "eu-west-1"})
	// "minimal" names no role and no bucket: two errors, no file.
	got := map[string]string{}
	for _, d := range diags {
		got[d.Summary] = d.Subject.Filename
	}
	want := map[string]string{"Missing pipeline role": "main.pf.hcl", "Missing artifact store": "main.pf.hcl"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(files) != 1 || files[0].Path != "codepipeline/web.json" {
		t.Fatalf("files = %v, want only codepipeline/web.json", paths(files))
	}
	checkGolden(t, filepath.Join("testdata", "golden", "web.json"), files[0].Data)

	again, _ := codepipeline.New().Emit(codepipelinetest.Graph(), targets.Options{Region: "eu-west-1"})
	if !bytes.Equal(files[0].Data, again[0].Data) {
		t.Error("a second Emit of the same graph gave different bytes")
	}
}

func TestEmitValidatesAgainstAPIModel(t *testing.T) {
	m := codepipelinetest.LoadModel(t)
	files, _ := codepipeline.New().Emit(codepipelinetest.Graph(), targets.Options{Region: "eu-west-1"})
	for _, f := range files {
		if errs := m.Validate("CreatePipelineInput", f.Data); len(errs) > 0 {
			t.Errorf("%s does not match CreatePipelineInput:\n%s", f.Path, strings.Join(errs, "\n"))
		}
	}
}

func TestCrossRegionNeedsRegion(t *testing.T) {
	g := codepipelinetest.Graph()
	_, diags := codepipeline.New().Emit(g, targets.Options{})
	if !hasSummary(diags, "Pipeline Region required") {
		t.Errorf("want a \"Pipeline Region required\" error without a Region, got %v", diags)
	}
}

func TestCrossRegionStoresAreAMap(t *testing.T) {
	in, diags := codepipeline.Input(codepipelinetest.Graph().Pipeline("web"), "eu-west-1")
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	if in.Pipeline.ArtifactStore != nil {
		t.Error("artifactStore and artifactStores are both set")
	}
	var regions []string
	for r := range in.Pipeline.ArtifactStores {
		regions = append(regions, r)
	}
	if len(regions) != 2 || in.Pipeline.ArtifactStores["eu-west-1"].Location != "web-artifacts-eu-west-1" {
		t.Errorf("artifactStores = %v, want the own Region and us-west-2", regions)
	}
}

// The validator itself must catch what it claims to: a test that cannot
// fail is no test.
func TestValidatorCatchesBadDocuments(t *testing.T) {
	m := codepipelinetest.LoadModel(t)
	for name, tc := range map[string]struct{ doc, want string }{
		"required":  {`{"pipeline":{"name":"p","stages":[]}}`, `missing required member "roleArn"`},
		"pattern":   {`{"pipeline":{"name":"bad name","roleArn":"arn:aws:iam::111122223333:role/r","stages":[]}}`, `does not match PipelineName`},
		"anchored":  {`{"pipeline":{"name":"p","roleArn":"xarn:aws:iam::111122223333:role/r","stages":[]}}`, `does not match RoleArn`},
		"length":    {`{"pipeline":{"name":"` + strings.Repeat("a", 101) + `","roleArn":"arn:aws:iam::111122223333:role/r","stages":[]}}`, `above the maximum 100`},
		"enum":      {`{"pipeline":{"name":"p","roleArn":"arn:aws:iam::111122223333:role/r","stages":[],"pipelineType":"V3"}}`, `"V3" is not one of`},
		"unknown":   {`{"pipeline":{"name":"p","roleArn":"arn:aws:iam::111122223333:role/r","stages":[],"bogus":1}}`, `unknown member "bogus"`},
		"int range": {`{"pipeline":{"name":"p","roleArn":"arn:aws:iam::111122223333:role/r","stages":[{"name":"s","actions":[{"name":"a","runOrder":0,"actionTypeId":{"category":"Build","owner":"AWS","provider":"CodeBuild","version":"1"}}]}]}}`, `below the minimum 1`},
	} {
		errs := strings.Join(m.Validate("CreatePipelineInput", []byte(tc.doc)), "\n")
		if !strings.Contains(errs, tc.want) {
			t.Errorf("%s: want an error containing %q, got:\n%s", name, tc.want, errs)
		}
	}
}

func hasSummary(diags hcl.Diagnostics, summary string) bool {
	for _, d := range diags {
		if d.Summary == summary {
			return true
		}
	}
	return false
}

func paths(files []targets.File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Path)
	}
	return out
}

// checkGolden compares got with the golden file at path, or rewrites it with -update.
func checkGolden(t *testing.T, path string, got []byte) {
	t.Helper()
	langtest.Golden(t, path, got, *update)
}

func TestProvidersValidateAgainstAPIModel(t *testing.T) {
	g := codepipelinetest.Providers()
	g.Pipelines[0].RoleARN = "arn:aws:iam::111122223333:role/providers-pipeline"
	files, diags := codepipeline.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	checkGolden(t, filepath.Join("testdata", "golden", "providers.json"), files[0].Data)
	m := codepipelinetest.LoadModel(t)
	if errs := m.Validate("CreatePipelineInput", files[0].Data); len(errs) > 0 {
		t.Errorf("providers.json does not match CreatePipelineInput:\n%s", strings.Join(errs, "\n"))
	}
}

func TestOwnRegionMustNotBeACrossRegionStore(t *testing.T) {
	_, diags := codepipeline.Input(codepipelinetest.Graph().Pipeline("web"), "us-west-2")
	if !hasSummary(diags, "Conflicting artifact store Region") {
		t.Errorf("want a \"Conflicting artifact store Region\" error, got %v", diags)
	}
}

func TestDeployProvidersValidateAgainstAPIModel(t *testing.T) {
	g := codepipelinetest.DeployProviders()
	g.Pipelines[0].RoleARN = "arn:aws:iam::111122223333:role/deploys-pipeline"
	g.Pipelines[0].ArtifactStore = &graph.ArtifactStore{Type: "S3", Location: "deploys-artifacts"}
	files, diags := codepipeline.New().Emit(g, targets.Options{})
	if diags.HasErrors() {
		t.Fatal(diags)
	}
	m := codepipelinetest.LoadModel(t)
	if errs := m.Validate("CreatePipelineInput", files[0].Data); len(errs) > 0 {
		t.Errorf("deploys.json does not match CreatePipelineInput:\n%s", strings.Join(errs, "\n"))
	}
}
