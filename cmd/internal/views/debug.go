package views

import (
	"fmt"
	"io"
	"slices"
	"sort"
	"strings"

	"github.com/pipeform/pipeform/targets/local"
)

// WriteDebugBanner says, before the debug shell starts, what failed and
// what the shell holds. w should mask the secret values.
func WriteDebugBanner(w io.Writer, r *local.Run, d *local.DebugState, dir string, missing []string) {
	fmt.Fprintf(w, "Debug shell for %s of run %s (pipeline %s)\n", d.Action, r.ID, r.Pipeline)
	fmt.Fprintf(w, "The build failed in phase %s, running:\n  %s\n  (%s)\n", d.Phase, d.Command, d.Reason)
	fmt.Fprintf(w, "Working folder: %s\n", dir)
	fmt.Fprintf(w, "Environment: this shell's, with the %d exported variables the build set or changed", len(d.Exported))
	if len(d.Plain) > 0 {
		fmt.Fprintf(w, " and %d shell variables", len(d.Plain))
	}
	fmt.Fprintln(w)
	if len(d.ExportedVariables) > 0 {
		var parts []string
		for _, name := range d.ExportedVariables {
			v, ok := d.Exported[name]
			if !ok {
				v, ok = d.Plain[name]
			}
			switch {
			case ok:
				parts = append(parts, name+"="+v)
			case local.HasName(d.SecretNames, name):
				parts = append(parts, name+"="+"***")
			default:
				parts = append(parts, name+" (unset)")
			}
		}
		fmt.Fprintf(w, "Exported variables: %s\n", strings.Join(parts, ", "))
	}
	var set []string
	for _, name := range d.SecretNames {
		if !slices.ContainsFunc(missing, func(m string) bool { return strings.HasPrefix(m, name+" ") }) {
			set = append(set, name)
		}
	}
	if len(set) > 0 {
		sort.Strings(set)
		fmt.Fprintf(w, "Secrets (set, masked here): %s\n", strings.Join(set, ", "))
	}
	for _, m := range missing {
		fmt.Fprintf(w, "Not set: %s\n", m)
	}
	fmt.Fprintf(w, "Leave the shell with exit or Ctrl-D; the run stays as it was.\n")
}
