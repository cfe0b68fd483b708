package cli

import (
	"runtime/debug"
	"testing"

	"github.com/pipeform/pipeform/lang"
)

func gcPercent() int {
	v := debug.SetGCPercent(100)
	debug.SetGCPercent(v)
	return v
}

// TestCollectLessWhileParsing: the collector runs less often until the
// files are parsed, then as before; a GOGC the user set is left alone.
func TestCollectLessWhileParsing(t *testing.T) {
	before := gcPercent()
	t.Setenv("GOGC", "")
	var opts lang.Options
	restore := collectLessWhileParsing(&opts)
	if got := gcPercent(); got != 400 {
		t.Errorf("while parsing: GC percent %d, want 400", got)
	}
	opts.Parsed()
	if got := gcPercent(); got != before {
		t.Errorf("after parsing: GC percent %d, want %d", got, before)
	}
	restore() // again, as the deferred call does: no change
	if got := gcPercent(); got != before {
		t.Errorf("after the deferred restore: GC percent %d, want %d", got, before)
	}

	t.Setenv("GOGC", "50")
	opts = lang.Options{}
	collectLessWhileParsing(&opts)()
	if opts.Parsed != nil || gcPercent() != before {
		t.Error("with GOGC set, the collector's setting was changed")
	}
}
