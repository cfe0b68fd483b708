package trigger

import (
	"fmt"
	"testing"

	"github.com/pipeform/pipeform/compiler/graph"
)

// BenchmarkEvaluate: the user guide's example trigger against a push of a
// feature branch that changed 10,000 files, none of them included, so
// every file meets every pattern (the worst case of a file_paths filter).
func BenchmarkEvaluate(b *testing.B) {
	p := examplePipeline()
	files := make([]string, 10000)
	for i := range files {
		files[i] = fmt.Sprintf("projectB/module%d/src/file%d.go", i%100, i)
	}
	ev := Event{Kind: Push, Branch: "feature/big", Files: files}
	b.ReportAllocs()
	for b.Loop() {
		res, _ := Evaluate([]*graph.Pipeline{p}, ev)
		if res[0].Starts {
			b.Fatal("started")
		}
	}
}
