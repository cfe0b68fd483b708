package importer

import (
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2/hclwrite"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/langtest"
	"github.com/pipeform/pipeform/targets/buildspec"
)

// corpusExceptions are the corpus files whose meaning a project cannot
// hold, each with the reason AWS documents. Every other file must come
// back from import and generate with the same meaning.
var corpusExceptions = map[string]string{
	// Version 0.1 ran every command in its own shell instance; pipeform
	// writes 0.2, where one shell runs them all (build-spec-ref: "version").
	"dharnitski__golang-codebuild__buildspec.yml": "version 0.1 semantics",
	// artifacts.type is deprecated: "type ... is not used in buildspec
	// version 0.2" (build-spec-ref, artifacts); the project sets packaging.
	"aws-samples__aws-codepipeline-codebuild-with-postman__01api_petstore-api-buildspec.yml": "deprecated artifacts.type",
	"aws__aws-encryption-sdk-python__decrypt_oracle_.chalice_buildspec.yml":                  "deprecated artifacts.type",
	// A phase whose commands are null: build-spec-ref says commands is a
	// "Required sequence" of every phase, so a phase without commands is
	// not one AWS documents; import leaves it out (Empty phase not imported).
	"aws__amazon-ecs-agent__buildspecs_pr-build.yml":            "null commands",
	"techthoughts2__AWSCodeBuildTesting__buildspec_windows.yml": "null commands",
}

// TestImportCorpus imports every buildspec of the shared corpus, compiles
// the HCL and generates the buildspec again: the generated YAML must mean
// what the original meant (the same model, maps compared in name order:
// YAML mappings have no meaningful order, and batch scalars compared as
// text: CodeBuild's environment variables are strings). The HCL must be
// canonically formatted.
func TestImportCorpus(t *testing.T) {
	dir := langtest.BuildspecCorpus(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	if len(paths) != 71 {
		t.Fatalf("the corpus has %d files, want 71", len(paths))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			reason, excepted := corpusExceptions[filepath.Base(path)]
			src, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			b, diags := buildspec.Parse(path, src)
			if diags.HasErrors() {
				t.Fatal(diags)
			}
			name := ProjectLabel(path)
			out, _ := Buildspec(path, src, b, name)
			if formatted := hclwrite.Format(out); string(formatted) != string(out) {
				t.Errorf("import output is not canonical:\n%s", cmp.Diff(string(out), string(formatted)))
			}
			back, err := compileBack(out, name)
			if err == nil {
				if diff := cmp.Diff(meaning(b), meaning(back)); diff != "" {
					err = fmt.Errorf("buildspec changed through import and generate (-yaml +generated):\n%s", diff)
				}
			}
			switch {
			case err != nil && !excepted:
				t.Errorf("%v\n%s", err, out)
			case err == nil && excepted:
				t.Errorf("listed as an exception (%s), but it round-trips: remove it from corpusExceptions", reason)
			}
		})
	}
}

// compileBack loads and compiles imported HCL and generates and parses the
// project's buildspec again.
func compileBack(hcl []byte, name string) (*graph.Buildspec, error) {
	res, diags := lang.Load(fstest.MapFS{"main.pf.hcl": {Data: hcl}}, lang.Options{})
	if diags.HasErrors() {
		return nil, fmt.Errorf("imported HCL does not load: %v", diags)
	}
	g, cdiags := compiler.Compile(res.Config)
	if cdiags.HasErrors() {
		return nil, fmt.Errorf("imported HCL does not compile: %v", cdiags)
	}
	p := g.Project(name)
	if p == nil || p.Buildspec == nil {
		return nil, fmt.Errorf("no project %q", name)
	}
	data, err := buildspec.Emit(p.Buildspec)
	if err != nil {
		return nil, err
	}
	back, diags := buildspec.Parse("generated.yml", data)
	if diags.HasErrors() {
		return nil, fmt.Errorf("generated buildspec does not parse: %v\n%s", diags, data)
	}
	return back, nil
}

// meaning is b with the order of its maps and the YAML types of its batch
// scalars taken out.
func meaning(b *graph.Buildspec) *graph.Buildspec {
	c := *b
	c.Batch = nil
	if b.Batch != nil {
		c.Batch = textScalars(b.Batch).(map[string]any)
	}
	sortKV := func(kvs []graph.KeyValue) []graph.KeyValue {
		if kvs == nil {
			return nil
		}
		out := append([]graph.KeyValue{}, kvs...)
		sort.Slice(out, func(i, j int) bool { return out[i].Key < out[j].Key })
		return out
	}
	if c.Env != nil {
		e := *c.Env
		e.Variables, e.ParameterStore, e.SecretsManager = sortKV(e.Variables), sortKV(e.ParameterStore), sortKV(e.SecretsManager)
		c.Env = &e
	}
	for i, ph := range c.Phases {
		if ph != nil {
			p := *ph
			p.RuntimeVersions = sortKV(p.RuntimeVersions)
			c.Phases[i] = &p
		}
	}
	return &c
}

// textScalars turns the scalars of a batch value into text, except the
// booleans of the keys CodeBuild reads as booleans.
func textScalars(v any) any {
	switch x := v.(type) {
	case map[string]any:
		out := map[string]any{}
		for k, y := range x {
			out[k] = textScalars(y)
		}
		return out
	case []any:
		out := make([]any, len(x))
		for i, y := range x {
			out[i] = textScalars(y)
		}
		return out
	case nil:
		return ""
	}
	return scalar(v)
}

// TestImportStrings sends awkward commands and values through import, load
// and compile and requires them back unchanged.
func TestImportStrings(t *testing.T) {
	nasty := []string{
		"plain", `quote " and \ backslash`, "${VAR} and %{ if x }", "$${already}", "%%{x}", "#{Ns.VAR}",
		"a\nb\n", "  indented\nflush\n", "  all\n  indented\n", // No tabs: the compiler rejects them in commands ("Tab in buildspec").
		"blank\n\nlines\n\n", "ws only\n   \nline\n", "EOT\nEOT\n", "x\n EOT\nEOT1\n", "no trailing\nnewline",
		"crlf\r\nline\r\n", "ünï\ncödé\n", "é\nfirst\n", "\u0301combining\nx\n", "emoji 🚀\n🚀\n", "", " ", "\n", "\n\n",
		"${x}\n%{y}\n$${z}\n",
	}
	b := &graph.Buildspec{
		Version:   "0.2",
		Env:       &graph.BuildEnv{Variables: []graph.KeyValue{}},
		Phases:    [4]*graph.Phase{2: {Commands: nasty, Finally: nasty}},
		Artifacts: &graph.Artifacts{Files: nasty},
	}
	for i, s := range nasty {
		b.Env.Variables = append(b.Env.Variables, graph.KeyValue{Key: fmt.Sprintf("V%02d", i), Value: s})
	}
	out, diags := Buildspec("strings.yml", nil, b, "strings")
	if len(diags) > 0 {
		t.Fatal(diags)
	}
	if formatted := hclwrite.Format(out); string(formatted) != string(out) {
		t.Errorf("not canonical:\n%s", cmp.Diff(string(out), string(formatted)))
	}
	res, diags := lang.Load(fstest.MapFS{"main.pf.hcl": {Data: out}}, lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, out)
	}
	g, diags := compiler.Compile(res.Config)
	if diags.HasErrors() {
		t.Fatalf("%v\n%s", diags, out)
	}
	if diff := cmp.Diff(meaning(b), meaning(g.Project("strings").Buildspec)); diff != "" {
		t.Errorf("changed through import (-want +got):\n%s\n%s", diff, out)
	}
}

func TestImportName(t *testing.T) {
	for in, want := range map[string]string{
		"buildspec.yml": "buildspec", "ci/buildspec-prod.yaml": "buildspec-prod", "a b.c.yml": "a-b-c", "..yml": "imported", "_x_.yml": "project-x",
	} {
		if got := ProjectLabel(in); got != want {
			t.Errorf("ProjectLabel(%q) = %q, want %q", in, got, want)
		}
	}
}

// TestText reads files with a byte order mark: UTF-8 (Notepad), UTF-16
// little and big endian (Windows PowerShell's > redirection).
func TestText(t *testing.T) {
	utf16 := func(bom []byte, big bool) []byte {
		out := bom
		for _, r := range `{"pipeline": "é"}` {
			if big {
				out = append(out, byte(r>>8), byte(r))
			} else {
				out = append(out, byte(r), byte(r>>8))
			}
		}
		return out
	}
	want := `{"pipeline": "é"}`
	for name, src := range map[string][]byte{
		"utf-8 mark": append([]byte{0xEF, 0xBB, 0xBF}, want...),
		"utf-16le":   utf16([]byte{0xFF, 0xFE}, false),
		"utf-16be":   utf16([]byte{0xFE, 0xFF}, true),
		"plain":      []byte(want),
	} {
		if got := string(Text(src)); got != want {
			t.Errorf("%s: %q, want %q", name, got, want)
		}
		if Detect(Text(src)) != KindGetPipeline {
			t.Errorf("%s: not detected as get-pipeline output", name)
		}
	}
}
