package main

import (
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/pipeform/pipeform/compiler"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/config"
)

// generated returns n generated pipelines as a directory.
func generated(n int) fstest.MapFS {
	fsys := fstest.MapFS{}
	for i := 0; i < n; i++ {
		name, src := Pipeline(i)
		fsys[name] = &fstest.MapFile{Data: src}
	}
	return fsys
}

// TestGeneratedCompile: the generated pipelines are valid, realistic in
// size, and the generator is deterministic.
func TestGeneratedCompile(t *testing.T) {
	const n = 24
	res, diags := lang.Load(generated(n), lang.Options{})
	if diags.HasErrors() {
		t.Fatalf("load: %v", diags)
	}
	g, cdiags := compiler.Compile(res.Config)
	if len(cdiags) > 0 {
		t.Fatalf("compile: %v", cdiags)
	}
	if len(g.Pipelines) != n || len(g.Projects) != 3*n {
		t.Fatalf("got %d pipelines and %d projects", len(g.Pipelines), len(g.Projects))
	}
	for _, p := range g.Pipelines {
		if k := len(p.Actions()); k < 6 || k > 8 {
			t.Errorf("%s has %d actions, want 6 to 8", p.Name, k)
		}
	}
	_, a := Pipeline(7)
	_, b := Pipeline(7)
	if string(a) != string(b) {
		t.Error("generator is not deterministic")
	}
}

var sizes = []int{100, 1000}

// BenchmarkLoadCompile is the whole front end on N pipelines: lang.Load
// (parse, decode, evaluate) plus compiler.Compile.
func BenchmarkLoadCompile(b *testing.B) {
	for _, n := range sizes {
		fsys := generated(n)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				res, diags := lang.Load(fsys, lang.Options{})
				if diags.HasErrors() {
					b.Fatal(diags)
				}
				if _, cd := compiler.Compile(res.Config); cd.HasErrors() {
					b.Fatal(cd)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pipeline")
		})
	}
}

// BenchmarkCompile is compiler.Compile alone on an already loaded
// configuration of N pipelines.
func BenchmarkCompile(b *testing.B) {
	for _, n := range sizes {
		cfg := load(b, n)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, cd := compiler.Compile(cfg); cd.HasErrors() {
					b.Fatal(cd)
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pipeline")
		})
	}
}

func load(b *testing.B, n int) *config.Config {
	b.Helper()
	res, diags := lang.Load(generated(n), lang.Options{})
	if diags.HasErrors() {
		b.Fatal(diags)
	}
	return res.Config
}

// BenchmarkParse is the floor of the front end: the same files parsed with
// hclsyntax alone, one after another. bench.sh divides by it.
func BenchmarkParse(b *testing.B) {
	for _, n := range sizes {
		fsys := generated(n)
		b.Run(fmt.Sprintf("N=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				for name, f := range fsys {
					if _, diags := hclsyntax.ParseConfig(f.Data, name, hcl.InitialPos); diags.HasErrors() {
						b.Fatal(diags)
					}
				}
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/pipeline")
		})
	}
}
