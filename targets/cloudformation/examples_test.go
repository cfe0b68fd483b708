package cloudformation_test

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/cloudformation/cfntest"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/codepipeline/codepipelinetest"
)

// exampleRegion stands in for the Region the examples are deployed to; the
// codepipeline target needs one for cross-Region artifact stores.
const exampleRegion = "us-east-1"

// TestExamples generates every example's AWS configuration and checks it:
// golden files (go test -update rewrites them), no avoidable
// "Resource": "*", and byte-identical output on a second run. It needs
// nothing outside the repository.
func TestExamples(t *testing.T) {
	forEachExample(t, func(t *testing.T, name string, files []targets.File) {
		if again := exampleFiles(t, filepath.Join("..", "..", "examples", name)); !sameFiles(files, again) {
			t.Error("a second generation gave different bytes")
		}
		for _, f := range files {
			checkGolden(t, filepath.Join("testdata", "examples", name, filepath.FromSlash(f.Path)), f.Data)
			if strings.HasPrefix(f.Path, "cloudformation/") && strings.HasSuffix(f.Path, ".json") {
				for _, msg := range WildcardStatements(t, f.Data) {
					t.Errorf("%s: %s", f.Path, msg)
				}
			}
		}
	})
}

// TestExamplesMatchReference checks every example's templates against the
// CloudFormation registry schemas and its pipeline declarations against
// the CodePipeline API model, both from the shared reference folder.
func TestExamplesMatchReference(t *testing.T) {
	schemas := cfntest.LoadShared(t)
	model := codepipelinetest.LoadModel(t)
	forEachExample(t, func(t *testing.T, name string, files []targets.File) {
		for _, f := range files {
			switch {
			case strings.HasPrefix(f.Path, "cloudformation/"):
				if errs := schemas.Check(f.Data); len(errs) > 0 {
					t.Errorf("%s does not match the registry schemas:\n%s", f.Path, strings.Join(errs, "\n"))
				}
			case strings.HasPrefix(f.Path, "codepipeline/"):
				if errs := model.Validate("CreatePipelineInput", f.Data); len(errs) > 0 {
					t.Errorf("%s does not match CreatePipelineInput:\n%s", f.Path, strings.Join(errs, "\n"))
				}
			}
		}
	})
}

// forEachExample runs check in a subtest per example with its generated
// files.
func forEachExample(t *testing.T, check func(t *testing.T, name string, files []targets.File)) {
	dirs, _ := filepath.Glob(filepath.Join("..", "..", "examples", "*"))
	n := 0
	for _, dir := range dirs {
		if hcl, _ := filepath.Glob(filepath.Join(dir, "*.pf.hcl")); len(hcl) == 0 {
			continue
		}
		n++
		name := filepath.Base(dir)
		t.Run(name, func(t *testing.T) { check(t, name, exampleFiles(t, dir)) })
	}
	if n == 0 {
		t.Fatal("found no examples under ../../examples")
	}
}

// exampleFiles loads and compiles an example and emits the buildspec,
// codepipeline and cloudformation (JSON and YAML) files.
func exampleFiles(t *testing.T, dir string) []targets.File {
	t.Helper()
	res, diags := lang.Load(os.DirFS(dir), lang.Options{DisplayDir: filepath.ToSlash(dir)})
	if diags.HasErrors() {
		t.Fatalf("loading %s: %v", dir, diags)
	}
	g, diags := compiler.Compile(res.Config)
	if diags.HasErrors() {
		t.Fatalf("compiling %s: %v", dir, diags)
	}
	var files []targets.File
	for _, p := range g.Projects {
		data, err := cloudformation.EmitBuildspec(p.Buildspec)
		if err != nil {
			t.Fatalf("buildspec %s: %v", p.Name, err)
		}
		files = append(files, targets.File{Path: "buildspec/" + p.Name + ".yml", Data: data})
	}
	for _, p := range g.Pipelines {
		// The API model check needs a document for every pipeline: stand in
		// for a role and bucket where the example leaves them to the
		// CloudFormation template.
		cp := *p
		if cp.RoleARN == "" {
			cp.RoleARN = "arn:aws:iam::111122223333:role/example-pipeline-role"
		}
		if cp.ArtifactStore == nil {
			cp.ArtifactStore = &graph.ArtifactStore{Type: "S3", Location: "example-artifact-bucket"}
		}
		fs, diags := codepipeline.New().Emit(&graph.Graph{Pipelines: []*graph.Pipeline{&cp}}, targets.Options{Region: exampleRegion})
		if diags.HasErrors() {
			t.Fatalf("codepipeline %s: %v", p.Name, diags)
		}
		files = append(files, fs...)
	}
	for _, format := range []string{"json", "yaml"} {
		fs, diags := cloudformation.New().Emit(g, targets.Options{Format: format})
		if diags.HasErrors() {
			t.Fatalf("cloudformation: %v", diags)
		}
		files = append(files, fs...)
	}
	return files
}

func sameFiles(a, b []targets.File) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i].Path != b[i].Path || !bytes.Equal(a[i].Data, b[i].Data) {
			return false
		}
	}
	return true
}
