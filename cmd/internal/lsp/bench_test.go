package lsp

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"
)

// scaleFolder writes examples/scale's n pipelines (one file each) to a
// temporary folder: n=7 is 51 actions, n=1000 is 7,000.
func scaleFolder(b *testing.B, n int) string {
	b.Helper()
	dir := b.TempDir()
	cmd := exec.Command("go", "run", "./examples/scale", "-pipelines", fmt.Sprint(n), "-out", dir)
	cmd.Dir = filepath.Join("..", "..", "..")
	if out, err := cmd.CombinedOutput(); err != nil {
		b.Skipf("cannot generate the folder with examples/scale: %v\n%s", err, out)
	}
	return dir
}

// BenchmarkEdit is the work between the end of the debounce and fresh
// diagnostics: one buffer of the folder changed, the folder analysed
// (check.Run through the overlay, unchanged files' parses reused) and the
// diagnostics converted for every file. The edit adds a typo and removes
// it in turn, so every other run has a diagnostic to publish.
func BenchmarkEdit(b *testing.B) {
	for _, n := range []int{7, 100, 1000} {
		b.Run(fmt.Sprintf("pipelines=%d", n), func(b *testing.B) { benchEdit(b, n, true) })
	}
	b.Run("pipelines=1000/no-cache", func(b *testing.B) { benchEdit(b, 1000, false) })
}

func benchEdit(b *testing.B, n int, cache bool) {
	dir := scaleFolder(b, n)
	src, err := os.ReadFile(filepath.Join(dir, "svc0000.pf.hcl"))
	if err != nil {
		b.Fatal(err)
	}
	broken := strings.Replace(string(src), "artifact.", "artifact.x", 1)
	f := &folder{dir: dir}
	f.analyze(0, nil, nil)
	defer reportCPU(b)()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		buf := src
		if i%2 == 0 {
			buf = []byte(broken)
		}
		if !cache {
			f.cache, f.decoded = nil, nil
		}
		f.gen++
		snap := f.analyze(f.gen, map[string][]byte{"svc0000.pf.hcl": buf}, nil)
		lists := fileDiagnostics(snap)
		if i%2 == 0 && len(lists["svc0000.pf.hcl"]) == 0 {
			b.Fatal("the typo got no diagnostic")
		}
	}
}

// BenchmarkRequestAfterEdit is a request's wait after an edit in a
// 1000-pipeline folder once the analysis is done: the index of the new
// snapshot is built, then completion, hover and references answer.
func BenchmarkRequestAfterEdit(b *testing.B) {
	dir := scaleFolder(b, 1000)
	f := &folder{dir: dir}
	snap := f.analyze(0, nil, nil)
	t := snap.texts["svc0500.pf.hcl"]
	off := strings.Index(string(t.src), "artifact.") + len("artifact.")
	defer reportCPU(b)()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		fresh := &snapshot{gen: snap.gen, dir: snap.dir, res: snap.res, texts: snap.texts, parts: snap.parts}
		if len(complete(fresh, "svc0500.pf.hcl", t.src, off)) == 0 {
			b.Fatal("no completion")
		}
		hover(fresh, "svc0500.pf.hcl", off)
		fresh.index().of(symbol{symProject, "", "svc0500-build"})
	}
}

// reportCPU reports the process's CPU time per operation (cpu-ms/op) when
// the returned function runs: on a machine shared with other work the
// wall-clock ns/op grows with the load, the CPU time much less.
func reportCPU(b *testing.B) func() {
	start := cpuTime()
	return func() {
		b.ReportMetric(float64(cpuTime()-start)/float64(time.Millisecond)/float64(b.N), "cpu-ms/op")
	}
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
