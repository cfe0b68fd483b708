package reports

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Report types (the API's ReportType).
const (
	TypeTest     = "TEST"
	TypeCoverage = "CODE_COVERAGE"
)

// Test case statuses (the API's TestCase.status).
const (
	Succeeded = "SUCCEEDED"
	Failed    = "FAILED"
	Error     = "ERROR"
	Skipped   = "SKIPPED"
	Unknown   = "UNKNOWN"
)

// Formats lists the file formats by report type, in AWS's order (the API's
// ReportFileFormat less the ones it names for the other type).
var (
	TestFormats     = []string{"JUNITXML", "NUNITXML", "NUNIT3XML", "TESTNGXML", "VISUALSTUDIOTRX", "CUCUMBERJSON"}
	CoverageFormats = []string{"CLOVERXML", "COBERTURAXML", "JACOCOXML", "SIMPLECOV"}
)

// Group is one report group of a build, as the run record keeps it.
type Group struct {
	Name       string `json:"name"`
	Type       string `json:"type"`
	FileFormat string `json:"file_format"`
	// Status is the API's ReportStatusType: SUCCEEDED when every test
	// passed (or, for coverage, the files were read), FAILED when a test
	// failed or errored, INCOMPLETE when a file could not be read.
	Status string `json:"status"`
	// Files are the report files, relative to the group's folder.
	Files []string `json:"files"`
	// Artifact is the store digest of the folder holding the files.
	Artifact string       `json:"artifact,omitempty"`
	Tests    *TestSummary `json:"test_summary,omitempty"`
	Cases    []Case       `json:"test_cases,omitempty"`
	Coverage *Coverage    `json:"coverage_summary,omitempty"`
	// Problems say which files could not be read and why.
	Problems []string `json:"problems,omitempty"`
}

// TestSummary is the API's TestReportSummary.
type TestSummary struct {
	Total                 int            `json:"total"`
	StatusCounts          map[string]int `json:"status_counts"`
	DurationInNanoSeconds int64          `json:"duration_in_nanoseconds"`
}

// Case is one test case (the API's TestCase).
type Case struct {
	// Prefix is the suite or class of the case.
	Prefix                string `json:"prefix,omitempty"`
	Name                  string `json:"name"`
	Status                string `json:"status"`
	DurationInNanoSeconds int64  `json:"duration_in_nanoseconds"`
	Message               string `json:"message,omitempty"`
	// File is the report file the case came from.
	File string `json:"file,omitempty"`
}

// ID is the case's full name: prefix and name.
func (c Case) ID() string {
	if c.Prefix == "" {
		return c.Name
	}
	return c.Prefix + "." + c.Name
}

// Coverage is the API's CodeCoverageReportSummary.
type Coverage struct {
	LineCoveragePercentage   float64 `json:"line_coverage_percentage"`
	LinesCovered             int     `json:"lines_covered"`
	LinesMissed              int     `json:"lines_missed"`
	BranchCoveragePercentage float64 `json:"branch_coverage_percentage"`
	BranchesCovered          int     `json:"branches_covered"`
	BranchesMissed           int     `json:"branches_missed"`
}

func (c *Coverage) add(o *Coverage) {
	c.LinesCovered += o.LinesCovered
	c.LinesMissed += o.LinesMissed
	c.BranchesCovered += o.BranchesCovered
	c.BranchesMissed += o.BranchesMissed
	c.LineCoveragePercentage = percent(c.LinesCovered, c.LinesMissed)
	c.BranchCoveragePercentage = percent(c.BranchesCovered, c.BranchesMissed)
}

func percent(covered, missed int) float64 {
	if covered+missed == 0 {
		return 0
	}
	return float64(covered) * 100 / float64(covered+missed)
}

// TypeOf is the report type of a file format ("" for an unknown one).
// An empty format is JUNITXML, CodeBuild's default.
func TypeOf(format string) string {
	f := Normalize(format)
	for _, x := range TestFormats {
		if x == f {
			return TypeTest
		}
	}
	for _, x := range CoverageFormats {
		if x == f {
			return TypeCoverage
		}
	}
	return ""
}

// Normalize is the upper-case format, JUNITXML when empty.
func Normalize(format string) string {
	if format == "" {
		return "JUNITXML"
	}
	return strings.ToUpper(format)
}

// parsers read one file of a format: test cases or coverage.
var testParsers = map[string]func([]byte) ([]Case, error){
	"JUNITXML":        parseJUnit,
	"NUNITXML":        parseNUnit2,
	"NUNIT3XML":       parseNUnit3,
	"TESTNGXML":       parseTestNG,
	"VISUALSTUDIOTRX": parseTRX,
	"CUCUMBERJSON":    parseCucumber,
}

var coverageParsers = map[string]func([]byte) (*Coverage, error){
	"CLOVERXML":    parseClover,
	"COBERTURAXML": parseCobertura,
	"JACOCOXML":    parseJaCoCo,
	"SIMPLECOV":    parseSimpleCov,
}

// NewGroup starts a report group of the given file format.
func NewGroup(name, format string) *Group {
	f := Normalize(format)
	g := &Group{Name: name, FileFormat: f, Type: TypeOf(f), Files: []string{}}
	if g.Type == TypeTest {
		g.Tests = &TestSummary{StatusCounts: map[string]int{}}
	} else if g.Type == TypeCoverage {
		g.Coverage = &Coverage{}
	}
	return g
}

// Add reads one report file (rel names it in messages and the record) into
// the group. A file that cannot be read becomes a problem of the group and
// is returned as an error saying what is wrong; the group goes on.
func (g *Group) Add(rel string, data []byte) error {
	g.Files = append(g.Files, rel)
	var err error
	switch g.Type {
	case TypeTest:
		var cases []Case
		if cases, err = testParsers[g.FileFormat](data); err == nil {
			for i := range cases {
				cases[i].File = rel
				g.Tests.Total++
				g.Tests.StatusCounts[cases[i].Status]++
				g.Tests.DurationInNanoSeconds += cases[i].DurationInNanoSeconds
			}
			g.Cases = append(g.Cases, cases...)
		}
	case TypeCoverage:
		var c *Coverage
		if c, err = coverageParsers[g.FileFormat](data); err == nil {
			g.Coverage.add(c)
		}
	default:
		err = fmt.Errorf("the file format %s is not one CodeBuild reads", g.FileFormat)
	}
	if err != nil {
		err = fmt.Errorf("%s is not a valid %s report: %v", rel, g.FileFormat, err)
		g.Problems = append(g.Problems, err.Error())
	}
	return err
}

// Finish settles the group's status once every file was added.
func (g *Group) Finish() {
	switch {
	case len(g.Problems) > 0 || len(g.Files) == 0:
		g.Status = "INCOMPLETE"
	case g.Tests != nil && g.Tests.StatusCounts[Failed]+g.Tests.StatusCounts[Error] > 0:
		g.Status = "FAILED"
	default:
		g.Status = "SUCCEEDED"
	}
}

// Summary says in one line how the group went: "12 passed, 1 failed, 0
// skipped" for tests, "line coverage 83%, branch coverage 71%" for coverage.
func (g *Group) Summary() string {
	var parts []string
	if t := g.Tests; t != nil {
		s := fmt.Sprintf("%d passed, %d failed, %d skipped", t.StatusCounts[Succeeded], t.StatusCounts[Failed], t.StatusCounts[Skipped])
		if n := t.StatusCounts[Error]; n > 0 {
			s += fmt.Sprintf(", %d errors", n)
		}
		if n := t.StatusCounts[Unknown]; n > 0 {
			s += fmt.Sprintf(", %d unknown", n)
		}
		parts = append(parts, s)
	}
	if c := g.Coverage; c != nil {
		s := "line coverage " + Percent(c.LineCoveragePercentage)
		if c.BranchesCovered+c.BranchesMissed > 0 {
			s += ", branch coverage " + Percent(c.BranchCoveragePercentage)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}

// Percent writes a percentage with at most one decimal: 83%, 83.3%.
func Percent(p float64) string {
	return strings.TrimSuffix(strconv.FormatFloat(p, 'f', 1, 64), ".0") + "%"
}

// Failures are the failed and errored cases, in file order.
func (g *Group) Failures() []Case {
	var out []Case
	for _, c := range g.Cases {
		if c.Status == Failed || c.Status == Error {
			out = append(out, c)
		}
	}
	return out
}

// Totals sums the summaries of several groups into one line, for a build
// with more than one group: "12 passed, 1 failed, 0 skipped; line coverage
// 83%". Empty when no group has results.
func Totals(groups []*Group) string {
	sum := &Group{}
	for _, g := range groups {
		if g.Tests != nil {
			if sum.Tests == nil {
				sum.Tests = &TestSummary{StatusCounts: map[string]int{}}
			}
			for k, v := range g.Tests.StatusCounts {
				sum.Tests.StatusCounts[k] += v
			}
		}
		if g.Coverage != nil && g.Coverage.LinesCovered+g.Coverage.LinesMissed+g.Coverage.BranchesCovered+g.Coverage.BranchesMissed > 0 {
			if sum.Coverage == nil {
				sum.Coverage = &Coverage{}
			}
			sum.Coverage.add(g.Coverage)
		}
	}
	return sum.Summary()
}

// seconds reads a duration in seconds as the XML formats write it ("0.01",
// "1,234.5" from Surefire in some locales); "" is zero.
func seconds(s string) (int64, error) {
	s = strings.ReplaceAll(strings.TrimSpace(s), ",", "")
	if s == "" {
		return 0, nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, fmt.Errorf("the time %q is not a number of seconds", s)
	}
	return int64(f * float64(time.Second)), nil
}

// firstLine is the first non-empty line of a message, trimmed.
func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			return l
		}
	}
	return ""
}
