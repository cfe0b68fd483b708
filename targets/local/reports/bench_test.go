package reports

import (
	"fmt"
	"strings"
	"testing"
)

// BenchmarkJUnit reads a JUnit report of 10,000 test cases, 1% failing:
// the size of a large monorepo's test run.
func BenchmarkJUnit(b *testing.B) {
	var sb strings.Builder
	sb.WriteString(`<?xml version="1.0" encoding="UTF-8"?><testsuites><testsuite name="all">`)
	for i := 0; i < 10000; i++ {
		fmt.Fprintf(&sb, `<testcase classname="pkg.Suite%d" name="test_%d" time="0.%03d">`, i/100, i, i%1000)
		if i%100 == 0 {
			sb.WriteString(`<failure message="assertion failed">stack trace line 1&#10;line 2</failure>`)
		}
		sb.WriteString(`</testcase>`)
	}
	sb.WriteString(`</testsuite></testsuites>`)
	data := []byte(sb.String())
	b.SetBytes(int64(len(data)))
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		g := NewGroup("all", "JUNITXML")
		if err := g.Add("junit.xml", data); err != nil {
			b.Fatal(err)
		}
		if g.Tests.Total != 10000 || g.Tests.StatusCounts[Failed] != 100 {
			b.Fatalf("read %d cases, %d failed", g.Tests.Total, g.Tests.StatusCounts[Failed])
		}
	}
}
