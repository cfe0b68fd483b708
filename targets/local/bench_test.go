package local

import (
	"context"
	"fmt"
	"syscall"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
)

// The executor's cost per action: a pipeform run of a source and 20
// actions one after another, each a CodeBuild build or a local block of the
// one command `true`, with the cache off. ms/action includes the shell each
// action starts (compare a `sh -c true`, about 1 ms); cpu-ms/action is the
// CPU time of this process and its children per action.
// examples/scale/bench_executor.sh measures the same through the CLI.
func BenchmarkAction(b *testing.B) {
	const n = 20
	for _, kind := range []string{"codebuild", "local"} {
		b.Run(kind, func(b *testing.B) {
			bl := newBuilder("bench")
			bl.stage("Source")
			bl.add(source("src"), nil, []string{"src"})
			bl.stage("Work")
			for i := 1; i <= n; i++ {
				var a *graph.Action
				if kind == "codebuild" {
					a = codebuild(fmt.Sprintf("a%d", i), "true")
				} else {
					a = localAction(fmt.Sprintf("a%d", i), "true")
				}
				a.RunOrder = i
				bl.add(a, []string{"src"}, nil)
			}
			f := newFixture(b, bl.p)
			f.opts.Hooks = NopHooks{}
			f.opts.NoCache = true
			f.opts.Parallelism = 1
			runs := 0
			start, cpu := time.Now(), cpuTime()
			for b.Loop() {
				runs++
				f.opts.RunID = fmt.Sprintf("run-%d", runs)
				run, diags := Start(context.Background(), f.opts)
				if diags.HasErrors() || run.Status != StatusSucceeded {
					b.Fatalf("run: %v %v", diags, run.Status)
				}
			}
			per := float64(runs * n)
			b.ReportMetric(float64(time.Since(start))/float64(time.Millisecond)/per, "ms/action")
			b.ReportMetric(float64(cpuTime()-cpu)/float64(time.Millisecond)/per, "cpu-ms/action")
		})
	}
}

// cpuTime is the CPU time of this process and of its children that ended.
func cpuTime() time.Duration {
	var self, children syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &self) != nil || syscall.Getrusage(syscall.RUSAGE_CHILDREN, &children) != nil {
		return 0
	}
	return time.Duration(self.Utime.Nano() + self.Stime.Nano() + children.Utime.Nano() + children.Stime.Nano())
}
