package reports

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
)

// parseClover reads clover.xml (OpenClover, Istanbul/nyc, PHPUnit): the
// project's <metrics> totals; statements count as lines, conditionals as
// branches.
func parseClover(data []byte) (*Coverage, error) {
	root, err := readXML(data, "coverage")
	if err != nil {
		return nil, err
	}
	p := root.child("project")
	if p == nil || p.child("metrics") == nil {
		return nil, errors.New("there is no <project><metrics> element with the totals")
	}
	m := p.child("metrics")
	n, err := ints(m, "statements", "coveredstatements", "conditionals", "coveredconditionals")
	if err != nil {
		return nil, err
	}
	return counts(n[1], n[0]-n[1], n[3], n[2]-n[3]), nil
}

// parseCobertura reads coverage.xml (coverage.py, Cobertura, gcovr): the
// root's lines-covered/lines-valid and branches-covered/branches-valid, or,
// in older files without them, the <line hits> elements.
func parseCobertura(data []byte) (*Coverage, error) {
	root, err := readXML(data, "coverage")
	if err != nil {
		return nil, err
	}
	if root.attr("lines-valid") != "" {
		n, err := ints(root, "lines-covered", "lines-valid", "branches-covered", "branches-valid")
		if err != nil {
			return nil, err
		}
		return counts(n[0], n[1]-n[0], n[2], n[3]-n[2]), nil
	}
	c := &Coverage{}
	root.walk(func(n *node) bool {
		if n.name == "line" {
			if hits, _ := strconv.Atoi(n.attr("hits")); hits > 0 {
				c.LinesCovered++
			} else {
				c.LinesMissed++
			}
		}
		return true
	})
	c.add(&Coverage{})
	return c, nil
}

// parseJaCoCo reads jacoco.xml: the <counter type="LINE"> and
// <counter type="BRANCH"> totals that are direct children of <report>.
func parseJaCoCo(data []byte) (*Coverage, error) {
	root, err := readXML(data, "report")
	if err != nil {
		return nil, err
	}
	c := &Coverage{}
	found := false
	for _, n := range root.children {
		if n.name != "counter" {
			continue
		}
		v, err := ints(n, "missed", "covered")
		if err != nil {
			return nil, err
		}
		switch n.attr("type") {
		case "LINE":
			found = true
			c.LinesMissed, c.LinesCovered = v[0], v[1]
		case "BRANCH":
			c.BranchesMissed, c.BranchesCovered = v[0], v[1]
		}
	}
	if !found {
		return nil, errors.New(`there is no <counter type="LINE"> total under <report>`)
	}
	c.add(&Coverage{})
	return c, nil
}

// parseSimpleCov reads SimpleCov's JSON: simplecov-json's coverage.json
// (metrics.covered_lines and total_lines), or the line arrays of
// .resultset.json and SimpleCov's own JSON formatter, where null is a line
// that does not count, 0 a missed line and more a covered one.
func parseSimpleCov(data []byte) (*Coverage, error) {
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil, jsonError(data, err)
	}
	if raw, ok := doc["metrics"]; ok {
		var m struct {
			CoveredLines *int `json:"covered_lines"`
			TotalLines   *int `json:"total_lines"`
		}
		if err := json.Unmarshal(raw, &m); err != nil || m.CoveredLines == nil || m.TotalLines == nil {
			return nil, errors.New("metrics needs covered_lines and total_lines")
		}
		return counts(*m.CoveredLines, *m.TotalLines-*m.CoveredLines, 0, 0), nil
	}
	c := &Coverage{}
	found := false
	var files func(raw json.RawMessage, depth int)
	files = func(raw json.RawMessage, depth int) {
		var m map[string]json.RawMessage
		if depth > 3 || json.Unmarshal(raw, &m) != nil {
			return
		}
		if cov, ok := m["coverage"]; ok {
			var byFile map[string]struct {
				Lines []*int `json:"lines"`
			}
			if json.Unmarshal(cov, &byFile) == nil {
				for _, f := range byFile {
					found = true
					for _, h := range f.Lines {
						if h == nil {
							continue
						}
						if *h > 0 {
							c.LinesCovered++
						} else {
							c.LinesMissed++
						}
					}
				}
				return
			}
		}
		for _, v := range m {
			files(v, depth+1)
		}
	}
	files(data, 0)
	if !found {
		return nil, errors.New(`there is neither a "metrics" object nor a "coverage" object with line counts`)
	}
	c.add(&Coverage{})
	return c, nil
}

// counts makes a coverage summary from covered and missed counts.
func counts(lc, lm, bc, bm int) *Coverage {
	c := &Coverage{}
	c.add(&Coverage{LinesCovered: lc, LinesMissed: max(lm, 0), BranchesCovered: bc, BranchesMissed: max(bm, 0)})
	return c
}

// ints reads integer attributes; a missing one is 0, a malformed one an
// error.
func ints(n *node, names ...string) ([]int, error) {
	out := make([]int, len(names))
	for i, name := range names {
		s := n.attr(name)
		if s == "" {
			continue
		}
		v, err := strconv.Atoi(s)
		if err != nil {
			return nil, fmt.Errorf("<%s %s=%q> is not a whole number", n.name, name, s)
		}
		out[i] = v
	}
	return out, nil
}
