package cli

import (
	"runtime"
	"runtime/debug"
	"testing"

	"github.com/pipeform/pipeform/lang"
)

func gcPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}

func memoryLimit() int64 { return debug.SetMemoryLimit(-1) } // -1 reads it

// TestCollectLessWhileParsing: the collector runs less often until the
// files are parsed, then as before; a GOGC the user set is left alone.
func TestCollectLessWhileParsing(t *testing.T) {
	before, limit := gcPercent(), memoryLimit()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	var opts lang.Options
	restore := collectLessWhileParsing(&opts)
	if got := gcPercent(); got != 400 {
		t.Errorf("while parsing: GC percent %d, want 400", got)
	}
	if got := memoryLimit(); got != parseHeapLimit {
		t.Errorf("while parsing: memory limit %d, want %d", got, parseHeapLimit)
	}
	opts.Parsed()
	if got := gcPercent(); got != before {
		t.Errorf("after parsing: GC percent %d, want %d", got, before)
	}
	if got := memoryLimit(); got != limit {
		t.Errorf("after parsing: memory limit %d, want %d", got, limit)
	}
	restore() // again, as the deferred call does: no change
	if got := gcPercent(); got != before {
		t.Errorf("after the deferred restore: GC percent %d, want %d", got, before)
	}

	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Setenv(env, map[string]string{"GOGC": "50", "GOMEMLIMIT": "1GiB"}[env])
		opts = lang.Options{}
		collectLessWhileParsing(&opts)()
		if opts.Parsed != nil || gcPercent() != before || memoryLimit() != limit {
			t.Errorf("with %s set, the collector's setting was changed", env)
		}
		t.Setenv(env, "")
	}
}

// TestCollectLessWhileParsingOverlap: loads that overlap in one process
// (console pages) put the collector's setting back once the last one has
// parsed, whatever order they finish in.
func TestCollectLessWhileParsingOverlap(t *testing.T) {
	before, limit := gcPercent(), memoryLimit()
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	var a, b lang.Options
	restoreA := collectLessWhileParsing(&a)
	restoreB := collectLessWhileParsing(&b)
	a.Parsed()
	if got := gcPercent(); got != 400 {
		t.Errorf("while the second load parses: GC percent %d, want 400", got)
	}
	b.Parsed()
	restoreA()
	restoreB()
	if got := gcPercent(); got != before {
		t.Errorf("after both loads: GC percent %d, want %d", got, before)
	}
	if got := memoryLimit(); got != limit {
		t.Errorf("after both loads: memory limit %d, want %d", got, limit)
	}
}

// TestCollectLessWhileParsingLiveHeap: in a process that already holds
// more than parseHeapLimit alive (a long-running console), the limit while
// parsing leaves room above it, so the collector does not run back to back.
func TestCollectLessWhileParsingLiveHeap(t *testing.T) {
	t.Setenv("GOGC", "")
	t.Setenv("GOMEMLIMIT", "")
	keep := make([]byte, 96<<20)
	for i := range keep {
		keep[i] = byte(i)
	}
	runtime.GC()
	var opts lang.Options
	restore := collectLessWhileParsing(&opts)
	got := memoryLimit()
	restore()
	runtime.KeepAlive(keep)
	if got < 2*96<<20 {
		t.Errorf("memory limit while parsing %d with %d bytes alive, want at least twice that", got, 96<<20)
	}
}
