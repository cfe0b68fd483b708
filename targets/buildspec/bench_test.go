package buildspec

import (
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
)

// BenchmarkParse parses every corpus file once per iteration.
func BenchmarkParse(b *testing.B) {
	files := corpusFiles(b)
	size := 0
	for _, src := range files {
		size += len(src)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for name, src := range files {
			if _, diags := Parse(name, src); diags.HasErrors() {
				b.Fatal(diags)
			}
		}
	}
}

// BenchmarkEmit emits the parsed model of every corpus file once per
// iteration.
func BenchmarkEmit(b *testing.B) {
	var models []*graph.Buildspec
	size := 0
	for name, src := range corpusFiles(b) {
		m, _ := Parse(name, src)
		data, err := Emit(m)
		if err != nil {
			b.Fatal(err)
		}
		size += len(data)
		models = append(models, m)
	}
	b.SetBytes(int64(size))
	b.ReportAllocs()
	for b.Loop() {
		for _, m := range models {
			if _, err := Emit(m); err != nil {
				b.Fatal(err)
			}
		}
	}
}
