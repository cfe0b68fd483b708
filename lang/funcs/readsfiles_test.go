package funcs

import (
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"
)

// TestReadsFiles calls every function with string arguments and no
// directory: those that reach for a file say so, and are exactly those
// ReadsFiles names.
func TestReadsFiles(t *testing.T) {
	table := Table(nil)
	for _, name := range Names() {
		fn := table[name]
		args := make([]cty.Value, len(fn.Params()))
		for i, p := range fn.Params() {
			args[i] = cty.StringVal("x")
			if p.Type.IsMapType() || p.Type.IsObjectType() || p.Type == cty.DynamicPseudoType && i > 0 {
				args[i] = cty.EmptyObjectVal
			}
		}
		_, err := fn.Call(args)
		reads := err != nil && strings.Contains(err.Error(), "file functions are not available here")
		if reads != ReadsFiles(name) {
			t.Errorf("%s: reads files %v, ReadsFiles says %v (error: %v)", name, reads, ReadsFiles(name), err)
		}
		if ReadsFiles(name) != ReadsFiles("core::"+name) {
			t.Errorf("core::%s is judged apart from %s", name, name)
		}
	}
}
