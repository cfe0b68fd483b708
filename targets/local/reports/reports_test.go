package reports

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestEveryFormat reads a real report of each format (files written by pytest,
// go-junit-report, jest-junit, Maven Surefire, NUnit, TestNG, dotnet test,
// Cucumber, coverage.py, Istanbul, JaCoCo and SimpleCov) and checks the
// group's one-line summary and its failing cases.
func TestEveryFormat(t *testing.T) {
	for _, c := range []struct {
		file, format, summary string
		failures              []string // "prefix.name: message"
	}{
		{"pytest-junit.xml", "JUNITXML", "1 passed, 1 failed, 1 skipped",
			[]string{"test_calc.test_div: ZeroDivisionError: division by zero"}},
		{"go-junit-report.xml", "junitxml", "1 passed, 1 failed, 1 skipped",
			[]string{"example.com/calc.TestDiv: Failed"}},
		{"jest-junit.xml", "", "1 passed, 1 failed, 1 skipped",
			[]string{"math divides by zero.math divides by zero: Error: expect(received).toThrow()"}},
		{"TEST-com.example.CalculatorTest.xml", "JUNITXML", "1 passed, 1 failed, 1 skipped, 1 errors",
			[]string{"com.example.CalculatorTest.divides: expected: <2> but was: <3>", `com.example.CalculatorTest.parses: For input string: "x"`}},
		{"nunit2.xml", "NUNITXML", "1 passed, 1 failed, 1 skipped",
			[]string{"Calc.Tests.CalculatorTests.Divides: Expected: 2"}},
		{"nunit3.xml", "NUNIT3XML", "1 passed, 0 failed, 1 skipped, 1 errors",
			[]string{"Calc.Tests.CalculatorTests.Divides: System.DivideByZeroException : Attempted to divide by zero."}},
		{"testng-results.xml", "TESTNGXML", "1 passed, 1 failed, 1 skipped",
			[]string{"com.example.CalculatorTest.divides: expected [2] but found [3]"}},
		{"results.trx", "VISUALSTUDIOTRX", "1 passed, 1 failed, 1 skipped",
			[]string{"Calc.Tests.CalculatorTests.Divides: Assert.Equal() Failure"}},
		{"cucumber.json", "CUCUMBERJSON", "1 passed, 1 failed, 1 skipped",
			[]string{"Calculator.Dividing by zero: AssertionError: expected an error"}},
		{"coverage-py-cobertura.xml", "COBERTURAXML", "line coverage 75%, branch coverage 50%", nil},
		{"clover.xml", "CLOVERXML", "line coverage 75%, branch coverage 60%", nil},
		{"jacoco.xml", "JACOCOXML", "line coverage 75%, branch coverage 75%", nil},
		{"simplecov-coverage.json", "SIMPLECOV", "line coverage 75%", nil},
		{"simplecov-resultset.json", "SIMPLECOV", "line coverage 57.1%", nil},
	} {
		t.Run(c.file, func(t *testing.T) {
			data, err := os.ReadFile(filepath.Join("testdata", c.file))
			if err != nil {
				t.Fatal(err)
			}
			g := NewGroup("g", c.format)
			if err := g.Add(c.file, data); err != nil {
				t.Fatal(err)
			}
			g.Finish()
			if got := g.Summary(); got != c.summary {
				t.Errorf("summary %q, want %q", got, c.summary)
			}
			var failures []string
			for _, f := range g.Failures() {
				failures = append(failures, f.ID()+": "+f.Message)
			}
			if diff := cmp.Diff(c.failures, failures); diff != "" {
				t.Errorf("failures (-want +got):\n%s", diff)
			}
			want := "SUCCEEDED"
			if len(c.failures) > 0 {
				want = "FAILED"
			}
			if g.Status != want {
				t.Errorf("status %s, want %s", g.Status, want)
			}
		})
	}
}

func TestDurations(t *testing.T) {
	data, _ := os.ReadFile("testdata/TEST-com.example.CalculatorTest.xml")
	g := NewGroup("g", "JUNITXML")
	g.Add("surefire.xml", data)
	if got := g.Cases[1].DurationInNanoSeconds; got != 11_000_000 {
		t.Errorf("divides took %dns, want 11ms", got)
	}
	data, _ = os.ReadFile("testdata/results.trx")
	g = NewGroup("g", "VISUALSTUDIOTRX")
	g.Add("results.trx", data)
	if got := g.Tests.DurationInNanoSeconds; got != 16_000_000 {
		t.Errorf("trx total %dns, want 16ms", got)
	}
}

// TestMalformed: a file that cannot be read says which file, what format
// and where; the group keeps the others and is INCOMPLETE.
func TestMalformed(t *testing.T) {
	for _, c := range []struct {
		file, format, data, want string
	}{
		{"broken.xml", "JUNITXML", "<?xml version=\"1.0\"?>\n<testsuites>\n  <testsuite>\n    <testcase name=\"a\">\n  </testsuite>\n</testsuites>\n",
			"broken.xml is not a valid JUNITXML report: line 5: element <testcase> closed by </testsuite>"},
		{"empty.xml", "JUNITXML", "", "empty.xml is not a valid JUNITXML report: the file holds no XML element"},
		{"cov.xml", "JUNITXML", `<coverage line-rate="1"/>`, "cov.xml is not a valid JUNITXML report: the root element is <coverage>, expected <testsuites> or <testsuite>"},
		{"c.json", "CUCUMBERJSON", "[\n{\"name\": }]", "c.json is not a valid CUCUMBERJSON report: line 2: invalid character '}' looking for beginning of value"},
		{"obj.json", "CUCUMBERJSON", `{"name": "F"}`, "obj.json is not a valid CUCUMBERJSON report: line 1: the file is a JSON object where the format has an array"},
		{"steps.json", "CUCUMBERJSON", "[{\"name\": \"F\",\n \"elements\": [{\"steps\": {}}]}]", "steps.json is not a valid CUCUMBERJSON report: line 2: elements.steps is a JSON object where the format has an array"},
		{"time.xml", "JUNITXML", `<testsuite><testcase name="a" time="fast"/></testsuite>`, `time.xml is not a valid JUNITXML report: test case "a": the time "fast" is not a number of seconds`},
		{"j.xml", "JACOCOXML", `<report name="x"/>`, `j.xml is not a valid JACOCOXML report: there is no <counter type="LINE"> total under <report>`},
		{"c.xml", "CLOVERXML", `<coverage><project><metrics statements="x"/></project></coverage>`, `c.xml is not a valid CLOVERXML report: <metrics statements="x"> is not a whole number`},
		{"s.json", "SIMPLECOV", `{"a": 1}`, `s.json is not a valid SIMPLECOV report: there is neither a "metrics" object nor a "coverage" object with line counts`},
		{"x.xml", "HTML", `<html/>`, `x.xml is not a valid HTML report: the file format HTML is not one CodeBuild reads`},
	} {
		g := NewGroup("g", c.format)
		err := g.Add(c.file, []byte(c.data))
		if err == nil || err.Error() != c.want {
			t.Errorf("%s: got %v\nwant %s", c.file, err, c.want)
		}
		g.Finish()
		if g.Status != "INCOMPLETE" || len(g.Problems) != 1 {
			t.Errorf("%s: status %s, problems %q", c.file, g.Status, g.Problems)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	doc := "<testsuites>" + strings.Repeat("<testsuite>", 1000) + strings.Repeat("</testsuite>", 1000) + "</testsuites>"
	g := NewGroup("g", "JUNITXML")
	if err := g.Add("deep.xml", []byte(doc)); err == nil || !strings.Contains(err.Error(), "nested more than 256 deep") {
		t.Errorf("got %v", err)
	}
}

func TestTotals(t *testing.T) {
	a := NewGroup("unit", "JUNITXML")
	a.Add("a.xml", []byte(`<testsuite><testcase name="a"/><testcase name="b"><failure message="no"/></testcase></testsuite>`))
	b := NewGroup("cov", "JACOCOXML")
	b.Add("j.xml", []byte(`<report><counter type="LINE" missed="17" covered="83"/></report>`))
	if got, want := Totals([]*Group{a, b}), "1 passed, 1 failed, 0 skipped; line coverage 83%"; got != want {
		t.Errorf("got %q, want %q", got, want)
	}
}

// TestEncodings reads reports whose XML declaration names an encoding
// other than UTF-8, and UTF-16 files with a byte order mark, as any XML
// parser does; an encoding no one knows is a message, not a Go error.
func TestEncodings(t *testing.T) {
	utf16 := []byte{0xFF, 0xFE}
	for _, r := range `<?xml version="1.0" encoding="UTF-16"?><testsuite><testcase classname="c" name="ünï"/></testsuite>` {
		utf16 = append(utf16, byte(r), byte(r>>8))
	}
	for _, c := range []struct {
		name string
		data []byte
		want string // the test case's name
	}{
		{"latin1", []byte("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?>\n<testsuite><testcase classname=\"c\" name=\"caf\xe9\"/></testsuite>"), "café"},
		{"windows-1252", []byte("<?xml version=\"1.0\" encoding=\"windows-1252\"?>\n<testsuite><testcase classname=\"c\" name=\"\x80 price\"/></testsuite>"), "€ price"},
		{"us-ascii", []byte(`<?xml version="1.0" encoding="US-ASCII"?><testsuite><testcase classname="c" name="plain"/></testsuite>`), "plain"},
		{"utf-16", utf16, "ünï"},
	} {
		t.Run(c.name, func(t *testing.T) {
			g := NewGroup("g", "JUNITXML")
			if err := g.Add("r.xml", c.data); err != nil {
				t.Fatal(err)
			}
			if len(g.Cases) != 1 || g.Cases[0].Name != c.want {
				t.Fatalf("cases %+v, want one named %q", g.Cases, c.want)
			}
		})
	}
	g := NewGroup("g", "JUNITXML")
	err := g.Add("r.xml", []byte(`<?xml version="1.0" encoding="x-klingon"?><testsuite/>`))
	if want := `the XML declaration names the encoding "x-klingon", which is not one pipeform can read; write the report in UTF-8`; err == nil || !strings.Contains(err.Error(), want) {
		t.Errorf("error %v, want it to say %q", err, want)
	}
}

// TestCucumberFractionalDuration: some Cucumber formatters write a step's
// duration (nanoseconds) with a fraction, or in exponent form. The report
// is read, not refused, and the fraction is dropped.
func TestCucumberFractionalDuration(t *testing.T) {
	data := []byte(`[{"name": "F", "elements": [{"name": "S", "type": "scenario", "steps": [
  {"name": "a", "result": {"status": "passed", "duration": 1500000.75}},
  {"name": "b", "result": {"status": "passed", "duration": 2.5e6}}]}]}]`)
	g := NewGroup("g", "CUCUMBERJSON")
	if err := g.Add("c.json", data); err != nil {
		t.Fatal(err)
	}
	g.Finish()
	if len(g.Cases) != 1 || g.Cases[0].DurationInNanoSeconds != 4000000 {
		t.Fatalf("cases %+v, want one of 4000000ns", g.Cases)
	}
}
