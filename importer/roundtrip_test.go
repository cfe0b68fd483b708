package importer

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline"
)

// compile loads and compiles a configuration.
func compile(t *testing.T, fsys fstestFS) *graph.Graph {
	t.Helper()
	res, diags := lang.Load(fsys, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	g, diags := compiler.CompileWith(res.Config, compiler.Options{BuildspecSize: buildspec.InlineSize, ParseBuildspec: buildspec.Parse})
	if diags.HasErrors() {
		t.Fatalf("compile: %v", diags)
	}
	return g
}

type fstestFS = fstest.MapFS

// emit runs a target and returns its files by path.
func emit(t *testing.T, tg targets.Target, g *graph.Graph, opts targets.Options) map[string][]byte {
	t.Helper()
	files, diags := tg.Emit(g, opts)
	if diags.HasErrors() {
		t.Fatalf("%s: %v", tg.Name(), diags)
	}
	out := map[string][]byte{}
	for _, f := range files {
		out[f.Path] = f.Data
	}
	return out
}

// dirFS reads the .pf.hcl files of an example.
func dirFS(t *testing.T, dir string) fstestFS {
	fsys := fstestFS{}
	files, _ := filepath.Glob(filepath.Join(dir, "*.pf*"))
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		fsys[filepath.Base(f)] = &fstest.MapFile{Data: data}
	}
	return fsys
}

// TestExamplesRoundTrip: each example's (and the compiler's batch
// fixture's) generated codepipeline JSON and
// CloudFormation template, imported and generated again, give the same
// files byte for byte. The examples leave role_arn and the artifact store
// to the template, so the pipelines get them here to have JSON at all.
func TestExamplesRoundTrip(t *testing.T) {
	dirs, _ := filepath.Glob(filepath.Join("..", "examples", "*", "pipeline.pf.hcl"))
	if len(dirs) < 3 {
		t.Fatalf("found %d examples", len(dirs))
	}
	// A configuration of features the examples do not use: batch builds.
	dirs = append(dirs, filepath.Join("..", "compiler", "testdata", "valid", "batch.pf.hcl"))
	for _, p := range dirs {
		dir := filepath.Dir(p)
		fsys := dirFS(t, dir)
		if filepath.Base(p) != "pipeline.pf.hcl" {
			data, _ := os.ReadFile(p)
			dir, fsys = p, fstestFS{"main.pf.hcl": {Data: data}}
		}
		t.Run(filepath.Base(dir), func(t *testing.T) {
			g := compile(t, fsys)
			for _, p := range g.Pipelines {
				if p.RoleARN == "" {
					p.RoleARN = "arn:aws:iam::123456789012:role/pipeline"
				}
				if p.ArtifactStore == nil {
					p.ArtifactStore = &graph.ArtifactStore{Type: "S3", Location: "example-artifacts"}
				}
			}
			opts := targets.Options{Region: "us-east-1"}
			// get-pipeline output holds no project: their buildspecs are
			// given, as with --buildspec NAME=FILE.
			given := Options{Buildspecs: map[string]File{}, Region: opts.Region}
			for path, data := range emit(t, buildspec.Target{}, g, opts) {
				name := strings.TrimSuffix(filepath.Base(path), ".yml")
				given.Buildspecs[name] = File{Path: path, Src: data}
			}
			for _, tg := range []targets.Target{codepipeline.New(), cloudformation.New()} {
				want := emit(t, tg, g, opts)
				if len(want) == 0 {
					t.Fatalf("%s wrote nothing", tg.Name())
				}
				for path, data := range want {
					var hcl []byte
					if tg.Name() == "codepipeline" {
						hcl, _ = GetPipeline(path, data, given)
					} else {
						hcl, _ = Template(path, data, Options{})
					}
					if !bytes.Equal(hclwrite.Format(hcl), hcl) {
						t.Errorf("%s: import output is not formatted", path)
					}
					g2 := compile(t, fstestFS{"main.pf.hcl": {Data: hcl}})
					got := emit(t, tg, g2, opts)
					if !bytes.Equal(got[path], data) {
						t.Errorf("%s changed through import and generate:\n--- imported HCL\n%s\n--- want\n%s\n--- got\n%s", path, hcl, data, got[path])
					}
				}
			}
		})
	}
}
