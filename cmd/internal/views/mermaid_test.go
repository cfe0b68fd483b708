package views

import (
	"fmt"
	"regexp"
	"strings"
	"testing"
)

// Mermaid grammar subset that WriteMermaid emits, checked strictly: every
// line is one of these, subgraphs are balanced, ids are declared before
// edges use them, and labels are quoted without raw quotes inside.
var (
	mmID       = `[A-Za-z][A-Za-z0-9_]*`
	mmLabel    = `"[^"]*"`
	mmSubgraph = regexp.MustCompile(`^\s*subgraph (` + mmID + `)\[` + mmLabel + `\]$`)
	mmNode     = regexp.MustCompile(`^\s*(` + mmID + `)(\[` + mmLabel + `\]|\{\{` + mmLabel + `\}\})$`)
	mmClassDef = regexp.MustCompile(`^  classDef ` + mmID + ` [a-z-]+: [^,;]+(, [a-z-]+: [^,;]+)*$`)
	mmClass    = regexp.MustCompile(`^  class (` + mmID + `(,` + mmID + `)*) ` + mmID + `$`)
	mmDir      = regexp.MustCompile(`^\s*direction (LR|TB|RL|BT)$`)
	mmEdge     = regexp.MustCompile(`^\s*(` + mmID + `) (==>|--o|-->\|` + mmLabel + `\||-\.->\|` + mmLabel + `\|) (` + mmID + `)$`)
)

// checkMermaid validates a flowchart against the subset above.
func checkMermaid(src string) error {
	lines := strings.Split(strings.TrimSuffix(src, "\n"), "\n")
	if len(lines) == 0 || lines[0] != "flowchart LR" {
		return fmt.Errorf("first line must be %q", "flowchart LR")
	}
	declared := map[string]bool{}
	depth := 0
	for i, l := range lines[1:] {
		n := i + 2
		switch {
		case strings.TrimSpace(l) == "end":
			if depth--; depth < 0 {
				return fmt.Errorf("line %d: end without subgraph", n)
			}
		case mmSubgraph.MatchString(l):
			id := mmSubgraph.FindStringSubmatch(l)[1]
			if declared[id] {
				return fmt.Errorf("line %d: id %s declared twice", n, id)
			}
			declared[id] = true
			depth++
		case mmDir.MatchString(l):
			if depth == 0 {
				return fmt.Errorf("line %d: direction outside a subgraph", n)
			}
		case mmNode.MatchString(l):
			id := mmNode.FindStringSubmatch(l)[1]
			if declared[id] {
				return fmt.Errorf("line %d: id %s declared twice", n, id)
			}
			declared[id] = true
		case mmClassDef.MatchString(l) && depth == 0:
		case mmClass.MatchString(l) && depth == 0:
			for _, id := range strings.Split(mmClass.FindStringSubmatch(l)[1], ",") {
				if !declared[id] {
					return fmt.Errorf("line %d: class for undeclared id %s", n, id)
				}
			}
		case mmEdge.MatchString(l):
			m := mmEdge.FindStringSubmatch(l)
			if !declared[m[1]] || !declared[m[3]] {
				return fmt.Errorf("line %d: edge between undeclared ids: %s", n, l)
			}
		default:
			return fmt.Errorf("line %d: not in the emitted grammar: %q", n, l)
		}
	}
	if depth != 0 {
		return fmt.Errorf("%d subgraph(s) not closed", depth)
	}
	return nil
}

func TestCheckMermaidRejects(t *testing.T) {
	for _, bad := range []string{
		"graph LR\n",
		"flowchart LR\n  subgraph a[\"x\"]\n",
		"flowchart LR\n  a[\"x\"]\n  a --> b\n",
		"flowchart LR\n  a[\"say \"hi\"\"]\n",
		"flowchart LR\n  a[\"x\"]\n  a[\"y\"]\n",
	} {
		if checkMermaid(bad) == nil {
			t.Errorf("accepted %q", bad)
		}
	}
}
