package funcs

import (
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// docRow is one function row of docs/functions.md.
type docRow struct {
	line                  int
	name, example, result string
}

// readDocRows reads the function tables of docs/functions.md: rows of the
// form | `name` | description | `example` | `result` |.
func readDocRows(t *testing.T) ([]docRow, string) {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	src, err := os.ReadFile(filepath.Join(filepath.Dir(file), "..", "..", "docs", "functions.md"))
	if err != nil {
		t.Fatal(err)
	}
	var rows []docRow
	for i, l := range strings.Split(string(src), "\n") {
		if !strings.HasPrefix(l, "| `") {
			continue
		}
		cells := strings.Split(strings.Trim(l, "| "), " | ")
		if len(cells) != 4 {
			t.Fatalf("docs/functions.md:%d: want 4 cells (function, description, example, result), got %d", i+1, len(cells))
		}
		rows = append(rows, docRow{i + 1, strings.Trim(cells[0], "`"), strings.Trim(cells[2], "`"), strings.Trim(cells[3], "`")})
	}
	return rows, string(src)
}

// TestDocs checks that docs/functions.md lists every function of the table
// exactly once, names no other, explains every omitted function, and that
// each example evaluates to the result shown (compared as JSON, so a tuple
// written in the doc matches a list result).
func TestDocs(t *testing.T) {
	rows, src := readDocRows(t)
	table := Table(os.DirFS("testdata/config"))
	seen := map[string]int{}
	for _, r := range rows {
		if first, ok := seen[r.name]; ok {
			t.Errorf("docs/functions.md:%d: %s is already listed on line %d", r.line, r.name, first)
		}
		seen[r.name] = r.line
		if _, ok := table[r.name]; !ok {
			t.Errorf("docs/functions.md:%d: %s is not a function of the language", r.line, r.name)
			continue
		}
		if !strings.HasPrefix(r.example, r.name+"(") {
			t.Errorf("docs/functions.md:%d: the example %s does not call %s", r.line, r.example, r.name)
		}
		got, diags := eval(t, r.example, table)
		if diags.HasErrors() {
			t.Errorf("docs/functions.md:%d: %s fails: %s", r.line, r.example, diags.Error())
			continue
		}
		want, diags := eval(t, r.result, table)
		if diags.HasErrors() {
			t.Errorf("docs/functions.md:%d: the result %s fails: %s", r.line, r.result, diags.Error())
			continue
		}
		gotJSON, err1 := stdlib.JSONEncode(got)
		wantJSON, err2 := stdlib.JSONEncode(want)
		if err1 != nil || err2 != nil || !gotJSON.RawEquals(wantJSON) {
			t.Errorf("docs/functions.md:%d: %s = %#v, the doc says %s", r.line, r.example, got, r.result)
		}
	}
	for _, name := range Names() {
		if _, ok := seen[name]; !ok {
			t.Errorf("docs/functions.md does not list %s; add a row with an example", name)
		}
	}
	for name := range Omitted {
		if !strings.Contains(src, "`"+name+"`") {
			t.Errorf("docs/functions.md does not explain why %s is not provided", name)
		}
	}
}
