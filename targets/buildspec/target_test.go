package buildspec

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets"
)

func ptr[T any](v T) *T { return &v }

// testGraph is a hand-built graph whose projects use every buildspec key.
func testGraph() *graph.Graph {
	return &graph.Graph{Projects: []*graph.Project{
		{
			Name: "web",
			Buildspec: &graph.Buildspec{
				RunAs: "codebuild-user",
				Env: &graph.BuildEnv{
					Shell:               "bash",
					Variables:           []graph.KeyValue{{Key: "NODE_ENV", Value: "test"}, {Key: "CI", Value: "true"}, {Key: "MODE", Value: "0755"}},
					ParameterStore:      []graph.KeyValue{{Key: "NPM_TOKEN", Value: "/ci/npm-token"}},
					SecretsManager:      []graph.KeyValue{{Key: "DB_PASSWORD", Value: "ci/db:password"}},
					ExportedVariables:   []string{"VERSION"},
					GitCredentialHelper: ptr(true),
				},
				Proxy: &graph.Proxy{UploadArtifacts: ptr(false), Logs: ptr(true)},
				Phases: [4]*graph.Phase{
					{RunAs: "root", RuntimeVersions: []graph.KeyValue{{Key: "nodejs", Value: "20"}, {Key: "python", Value: "3.10"}}, Commands: []string{"npm ci"}},
					{OnFailure: "ABORT", Commands: []string{}},
					{
						OnFailure: "CONTINUE",
						Commands: []string{
							"npm test",
							`echo "result: ok" # not a comment`,
							"export VERSION=$(cat VERSION)",
							"if [ \"$CODEBUILD_BUILD_SUCCEEDING\" = 1 ]; then\n  echo yes\nfi\n",
							"  indented\nscript",
							"keep\n\n",
						},
						Finally: []string{"echo done"},
					},
					{Commands: []string{"*.sh", "- dash", "yes"}},
				},
				Reports: []*graph.Report{{Name: "unit", Files: []string{"junit.xml"}, BaseDirectory: "reports", DiscardPaths: ptr(false), FileFormat: "JUNITXML"}},
				Artifacts: &graph.Artifacts{
					Files: []string{"**/*"}, Name: "web-$(date +%Y-%m-%d)", DiscardPaths: ptr(true), BaseDirectory: "dist",
					ExcludePaths: []string{"**/.*"}, EnableSymlinks: ptr(true), S3Prefix: "builds",
					Secondary: []*graph.SecondaryArtifact{{Identifier: "docs", Artifacts: graph.Artifacts{Files: []string{"docs/**/*"}}}},
				},
				Cache: &graph.Cache{Key: "npm-$(codebuild-hash-files package-lock.json)", FallbackKeys: []string{"npm-"}, Action: "restore", Paths: []string{"/root/.npm/**/*"}},
			},
		},
		{Name: "lint", Buildspec: &graph.Buildspec{Phases: [4]*graph.Phase{2: {Commands: []string{"make lint"}}}}},
		{Name: "external"}, // no generated buildspec
		{Name: "batch", Buildspec: &graph.Buildspec{Batch: map[string]any{
			"fast-fail": false,
			"build-graph": []any{
				map[string]any{"identifier": "a", "env": map[string]any{"privileged-mode": true, "variables": map[string]any{"N": "1"}}},
				map[string]any{"identifier": "b", "depend-on": []any{"a"}, "buildspec": "b.yml", "weight": 1.5, "count": 2},
			},
		}}},
	}}
}

// TestTargetGolden compares the emitted files with testdata/emit/*.yml.
func TestTargetGolden(t *testing.T) {
	files, diags := Target{}.Emit(testGraph(), targets.Options{})
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	var paths []string
	for _, f := range files {
		paths = append(paths, f.Path)
		golden(t, filepath.Join("testdata", "emit", strings.TrimPrefix(f.Path, "buildspec/")), f.Data)
		again, _ := Target{}.Emit(testGraph(), targets.Options{})
		if !cmp.Equal(files, again) {
			t.Error("two runs give different files")
		}
	}
	want := []string{"buildspec/batch.yml", "buildspec/lint.yml", "buildspec/web.yml"}
	if diff := cmp.Diff(want, paths); diff != "" {
		t.Errorf("paths (-want +got):\n%s", diff)
	}
	for _, p := range testGraph().Projects {
		if p.Buildspec == nil {
			continue
		}
		data, _ := Emit(p.Buildspec)
		back, diags := Parse(p.Name, data)
		if diags.HasErrors() {
			t.Fatalf("%s: %v", p.Name, diags)
		}
		want := *p.Buildspec
		want.Version = "0.2"
		if diff := cmp.Diff(&want, back); diff != "" {
			t.Errorf("%s: parse(emit) differs (-want +got):\n%s", p.Name, diff)
		}
	}
}

// docShape is the buildspec as AWS documents it, decoded by plain yaml.v3
// with typed fields: yes/no must arrive as booleans, every command as a
// string.
type docShape struct {
	Version float64 `yaml:"version"`
	RunAs   string  `yaml:"run-as"`
	Env     struct {
		Shell               string            `yaml:"shell"`
		Variables           map[string]string `yaml:"variables"`
		ParameterStore      map[string]string `yaml:"parameter-store"`
		SecretsManager      map[string]string `yaml:"secrets-manager"`
		ExportedVariables   []string          `yaml:"exported-variables"`
		GitCredentialHelper bool              `yaml:"git-credential-helper"`
	} `yaml:"env"`
	Proxy struct {
		UploadArtifacts bool `yaml:"upload-artifacts"`
		Logs            bool `yaml:"logs"`
	} `yaml:"proxy"`
	Phases map[string]struct {
		RunAs           string            `yaml:"run-as"`
		OnFailure       string            `yaml:"on-failure"`
		RuntimeVersions map[string]string `yaml:"runtime-versions"`
		Commands        []string          `yaml:"commands"`
		Finally         []string          `yaml:"finally"`
	} `yaml:"phases"`
	Reports map[string]struct {
		Files         []string `yaml:"files"`
		BaseDirectory string   `yaml:"base-directory"`
		DiscardPaths  bool     `yaml:"discard-paths"`
		FileFormat    string   `yaml:"file-format"`
	} `yaml:"reports"`
	Artifacts struct {
		Files              []string       `yaml:"files"`
		Name               string         `yaml:"name"`
		DiscardPaths       bool           `yaml:"discard-paths"`
		BaseDirectory      string         `yaml:"base-directory"`
		ExcludePaths       []string       `yaml:"exclude-paths"`
		EnableSymlinks     bool           `yaml:"enable-symlinks"`
		S3Prefix           string         `yaml:"s3-prefix"`
		SecondaryArtifacts map[string]any `yaml:"secondary-artifacts"`
	} `yaml:"artifacts"`
	Cache struct {
		Key          string   `yaml:"key"`
		FallbackKeys []string `yaml:"fallback-keys"`
		Action       string   `yaml:"action"`
		Paths        []string `yaml:"paths"`
	} `yaml:"cache"`
	Batch map[string]any `yaml:"batch"`
}

// TestEmitDocumentedShape decodes emitted YAML with plain yaml.v3 into the
// documented shape, rejecting unknown keys.
func TestEmitDocumentedShape(t *testing.T) {
	web := testGraph().Projects[0].Buildspec
	data, err := Emit(web)
	if err != nil {
		t.Fatal(err)
	}
	var doc docShape
	dec := yaml.NewDecoder(strings.NewReader(string(data)))
	dec.KnownFields(true)
	if err := dec.Decode(&doc); err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if doc.Version != 0.2 || !doc.Env.GitCredentialHelper || doc.Proxy.UploadArtifacts || !doc.Proxy.Logs ||
		!doc.Artifacts.DiscardPaths || !doc.Artifacts.EnableSymlinks || doc.Reports["unit"].DiscardPaths {
		t.Errorf("scalars decoded wrongly: %+v", doc)
	}
	if diff := cmp.Diff(web.Phases[2].Commands, doc.Phases["build"].Commands); diff != "" {
		t.Errorf("build commands (-model +yaml.v3):\n%s", diff)
	}
	if diff := cmp.Diff(web.Phases[3].Commands, doc.Phases["post_build"].Commands); diff != "" {
		t.Errorf("post_build commands (-model +yaml.v3):\n%s", diff)
	}
	if got := doc.Env.Variables["MODE"]; got != "0755" {
		t.Errorf("MODE = %q, want 0755", got)
	}
	if got := doc.Phases["install"].RuntimeVersions["python"]; got != "3.10" {
		t.Errorf("python = %q, want 3.10", got)
	}
}

func TestTargetDiagnostics(t *testing.T) {
	g := &graph.Graph{Projects: []*graph.Project{
		{Name: "bad/name", Buildspec: &graph.Buildspec{}, DeclRange: hcl.Range{Filename: "main.pf.hcl", Start: hcl.Pos{Line: 3, Column: 1}}},
		{Name: "dup", Buildspec: &graph.Buildspec{Env: &graph.BuildEnv{Variables: []graph.KeyValue{{Key: "A"}, {Key: "A"}}}}},
		{Name: "utf8", Buildspec: &graph.Buildspec{Phases: [4]*graph.Phase{{Commands: []string{"\xff"}}}}},
		// No phases: the same error Parse gives, never "phases: {}".
		{Name: "none", Buildspec: &graph.Buildspec{}, DeclRange: hcl.Range{Filename: "none.pf.hcl", Start: hcl.Pos{Line: 1, Column: 1}}},
		{Name: "ok", Buildspec: &graph.Buildspec{Phases: [4]*graph.Phase{2: {Commands: []string{"make"}}}}},
	}}
	files, diags := Target{}.Emit(g, targets.Options{})
	var got []string
	for _, d := range diags {
		got = append(got, d.Summary+" @ "+d.Subject.Filename)
	}
	want := []string{"Invalid project name for a file @ main.pf.hcl", "Unrepresentable buildspec @ ", "Unrepresentable buildspec @ ", "Missing phases @ none.pf.hcl"}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("diagnostics (-want +got):\n%s", diff)
	}
	if len(files) != 1 || files[0].Path != "buildspec/ok.yml" || string(files[0].Data) != "version: 0.2\nphases:\n  build:\n    commands:\n      - make\n" {
		t.Errorf("files = %+v", files)
	}
	if (Target{}).Name() != "buildspec" {
		t.Error("name")
	}
}

func TestInlineSize(t *testing.T) {
	b := &graph.Buildspec{Phases: [4]*graph.Phase{2: {Commands: []string{"echo ü"}}}}
	data, _ := Emit(b)
	if got, want := InlineSize(b), len(data)-1; got != want {
		t.Errorf("InlineSize = %d, want %d (characters, not bytes)", got, want)
	}
	if got := InlineSize(&graph.Buildspec{Version: "9"}); got != 0 {
		t.Errorf("InlineSize of an unrepresentable buildspec = %d, want 0", got)
	}
}
