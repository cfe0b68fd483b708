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

// TestImportCorpus imports every buildspec of the shared corpus and checks
// that the HCL is canonically formatted and that loading and compiling it
// gives back the same buildspec (minus what import reports it leaves out).
func TestImportCorpus(t *testing.T) {
	dir := langtest.BuildspecCorpus(t)
	paths, _ := filepath.Glob(filepath.Join(dir, "*.yml"))
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
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
			res, diags := lang.Load(fstest.MapFS{"main.pf.hcl": {Data: out}}, lang.Options{})
			if diags.HasErrors() {
				t.Fatalf("imported HCL does not load: %v\n%s", diags, out)
			}
			g, cdiags := compiler.Compile(res.Config)
			if !HasPhase(b) && b.Batch != nil {
				// A batch-only buildspec imports as a project without
				// phases, which the compiler rejects (and generate would
				// not write as "phases: {}").
				if len(cdiags) == 0 || cdiags[0].Summary != "Missing phases" {
					t.Fatalf("imported batch-only buildspec: got %v, want Missing phases\n%s", cdiags, out)
				}
				return
			}
			if cdiags.HasErrors() {
				t.Fatalf("imported HCL does not compile: %v\n%s", cdiags, out)
			}
			p := g.Project(name)
			if p == nil || p.Buildspec == nil {
				t.Fatalf("no project %q in %+v", name, g.Projects)
			}
			if diff := cmp.Diff(importable(b), importable(p.Buildspec)); diff != "" {
				t.Errorf("buildspec changed through import (-yaml +hcl):\n%s", diff)
			}
			// ... and generate writes YAML that reads back the same.
			data, err := buildspec.Emit(p.Buildspec)
			if err != nil {
				t.Fatal(err)
			}
			back, diags := buildspec.Parse("generated.yml", data)
			if diags.HasErrors() {
				t.Fatalf("generated buildspec does not parse: %v\n%s", diags, data)
			}
			if diff := cmp.Diff(importable(b), importable(back)); diff != "" {
				t.Errorf("buildspec changed through import -> generate (-yaml +generated):\n%s", diff)
			}
		})
	}
}

// importable is b as import can carry it over: version 0.2, no batch, no
// artifact type, maps in name order (HCL objects have no order).
func importable(b *graph.Buildspec) *graph.Buildspec {
	c := *b
	c.Version, c.Batch = "0.2", nil
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
		if ph != nil && EmptyPhase(i, ph) {
			c.Phases[i] = nil
		}
		if ph != nil && c.Phases[i] != nil {
			p := *ph
			p.RuntimeVersions = sortKV(p.RuntimeVersions)
			c.Phases[i] = &p
		}
	}
	if c.Artifacts != nil {
		a := *c.Artifacts
		a.Type = ""
		c.Artifacts = &a
	}
	return &c
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
	if diff := cmp.Diff(importable(b), importable(g.Project("strings").Buildspec)); diff != "" {
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
