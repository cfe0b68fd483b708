package reports

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"time"
)

// parseJUnit reads JUnit XML as pytest, Maven Surefire, go-junit-report and
// jest-junit write it: <testsuites> or a single <testsuite>, suites nested
// at any depth, each <testcase> with name, classname and time, and a
// <failure>, <error> or <skipped> child for a case that did not pass.
func parseJUnit(data []byte) ([]Case, error) {
	root, err := readXML(data, "testsuites", "testsuite")
	if err != nil {
		return nil, err
	}
	var cases []Case
	var bad error
	root.each("testcase", func(n *node) {
		c := Case{Prefix: n.attr("classname"), Name: n.attr("name"), Status: Succeeded}
		if c.DurationInNanoSeconds, err = seconds(n.attr("time")); err != nil && bad == nil {
			bad = fmt.Errorf("test case %q: %v", c.Name, err)
		}
		for _, k := range []struct{ el, status string }{{"failure", Failed}, {"error", Error}, {"skipped", Skipped}} {
			if e := n.child(k.el); e != nil {
				c.Status = k.status
				c.Message = orText(e.attr("message"), e.text.String())
				break
			}
		}
		cases = append(cases, c)
	})
	return cases, bad
}

// orText is msg, or the first line of text when msg is empty.
func orText(msg, text string) string {
	if m := strings.TrimSpace(msg); m != "" {
		return m
	}
	return firstLine(text)
}

// parseNUnit2 reads NUnit 2.x XML: <test-results>, <test-case> elements
// with result Success, Failure, Error, Ignored, Skipped, NotRunnable or
// Inconclusive.
func parseNUnit2(data []byte) ([]Case, error) {
	root, err := readXML(data, "test-results")
	if err != nil {
		return nil, err
	}
	var cases []Case
	root.each("test-case", func(n *node) {
		prefix, name := splitLast(n.attr("name"))
		c := Case{Prefix: prefix, Name: name, Status: status(nunit2Status, strings.ToLower(n.attr("result")))}
		if c.Status == Unknown && strings.EqualFold(n.attr("executed"), "false") {
			c.Status = Skipped
		}
		c.DurationInNanoSeconds, _ = seconds(n.attr("time"))
		c.Message = nunitMessage(n)
		cases = append(cases, c)
	})
	return cases, nil
}

// Result words of each format, by the API's TestCase status; a word not
// listed is UNKNOWN.
var (
	nunit2Status = map[string]string{"success": Succeeded, "failure": Failed, "error": Error,
		"notrunnable": Error, "cancelled": Error, "ignored": Skipped, "skipped": Skipped}
	nunit3Status = map[string]string{"passed": Succeeded, "failed": Failed, "skipped": Skipped}
	testngStatus = map[string]string{"PASS": Succeeded, "FAIL": Failed, "SKIP": Skipped}
	trxStatus    = map[string]string{"Passed": Succeeded, "PassedButRunAborted": Succeeded, "Failed": Failed,
		"Error": Error, "Timeout": Error, "Aborted": Error, "NotExecuted": Skipped, "NotRunnable": Skipped, "Inconclusive": Skipped}
)

func status(words map[string]string, word string) string {
	if s, ok := words[word]; ok {
		return s
	}
	return Unknown
}

// each calls fn for every element named name below n (n included), without
// looking inside those elements.
func (n *node) each(name string, fn func(*node)) {
	n.walk(func(m *node) bool {
		if m.name != name {
			return true
		}
		fn(m)
		return false
	})
}

// nunitMessage is the message of a failure or of a reason (ignored tests).
func nunitMessage(n *node) string {
	for _, el := range []string{"failure", "reason"} {
		if e := n.child(el); e != nil {
			return firstLine(e.childText("message"))
		}
	}
	return ""
}

// splitLast splits "Namespace.Class.Method" into prefix and name.
func splitLast(full string) (string, string) {
	if i := strings.LastIndexByte(full, '.'); i > 0 && !strings.Contains(full[i:], "(") {
		return full[:i], full[i+1:]
	}
	return "", full
}

// parseNUnit3 reads NUnit 3 XML: <test-run>, <test-case> elements with
// result Passed, Failed (label Error, Cancelled or Invalid for errors),
// Skipped, Inconclusive or Warning and a duration in seconds.
func parseNUnit3(data []byte) ([]Case, error) {
	root, err := readXML(data, "test-run")
	if err != nil {
		return nil, err
	}
	var cases []Case
	root.each("test-case", func(n *node) {
		c := Case{Prefix: n.attr("classname"), Name: n.attr("name"), Status: status(nunit3Status, strings.ToLower(n.attr("result")))}
		if l := strings.ToLower(n.attr("label")); c.Status == Failed && (l == "error" || l == "cancelled" || l == "invalid") {
			c.Status = Error
		}
		c.DurationInNanoSeconds, _ = seconds(n.attr("duration"))
		c.Message = nunitMessage(n)
		cases = append(cases, c)
	})
	return cases, nil
}

// parseTestNG reads testng-results.xml: <test-method> elements with status
// PASS, FAIL or SKIP under <class name=...>; configuration methods
// (is-config="true") are not test cases.
func parseTestNG(data []byte) ([]Case, error) {
	root, err := readXML(data, "testng-results")
	if err != nil {
		return nil, err
	}
	var cases []Case
	root.each("class", func(class *node) {
		class.each("test-method", func(n *node) {
			if n.attr("is-config") == "true" {
				return
			}
			c := Case{Prefix: class.attr("name"), Name: n.attr("name"), Status: status(testngStatus, n.attr("status"))}
			if ms, err := strconv.ParseInt(n.attr("duration-ms"), 10, 64); err == nil {
				c.DurationInNanoSeconds = ms * int64(time.Millisecond)
			}
			if e := n.child("exception"); e != nil {
				c.Message = orText(e.childText("message"), e.attr("class"))
			}
			cases = append(cases, c)
		})
	})
	return cases, nil
}

// parseTRX reads a Visual Studio .trx file: <UnitTestResult> elements under
// <Results> with outcome Passed, Failed, Error, Timeout, Aborted or
// NotExecuted and a duration hh:mm:ss.fffffff; the class comes from the
// matching <UnitTest><TestMethod className> definition.
func parseTRX(data []byte) ([]Case, error) {
	root, err := readXML(data, "TestRun")
	if err != nil {
		return nil, err
	}
	classes := map[string]string{}
	root.each("UnitTest", func(n *node) {
		if m := n.child("TestMethod"); m != nil {
			classes[n.attr("id")] = m.attr("className")
		}
	})
	var cases []Case
	root.each("UnitTestResult", func(n *node) {
		c := Case{Prefix: classes[n.attr("testId")], Name: n.attr("testName"), Status: status(trxStatus, n.attr("outcome"))}
		c.DurationInNanoSeconds = trxDuration(n.attr("duration"))
		if o := n.child("Output"); o != nil {
			if e := o.child("ErrorInfo"); e != nil {
				c.Message = firstLine(e.childText("Message"))
			}
		}
		cases = append(cases, c)
	})
	return cases, nil
}

// trxDuration reads "00:00:01.2340000".
func trxDuration(s string) int64 {
	parts := strings.Split(s, ":")
	if len(parts) != 3 {
		return 0
	}
	h, _ := strconv.Atoi(parts[0])
	m, _ := strconv.Atoi(parts[1])
	sec, _ := strconv.ParseFloat(parts[2], 64)
	return int64((float64(h*3600+m*60) + sec) * float64(time.Second))
}

// cucumberFeature is one feature of Cucumber's JSON formatter output.
type cucumberFeature struct {
	Name     string `json:"name"`
	URI      string `json:"uri"`
	Elements []struct {
		Name  string `json:"name"`
		Type  string `json:"type"`
		Steps []struct {
			Name   string `json:"name"`
			Result struct {
				Status       string  `json:"status"`
				Duration     float64 `json:"duration"` // nanoseconds; some formatters write a fraction
				ErrorMessage string  `json:"error_message"`
			} `json:"result"`
		} `json:"steps"`
	} `json:"elements"`
}

// parseCucumber reads Cucumber's JSON output: each scenario is a case,
// failed when a step failed, skipped when a step was skipped, pending or
// undefined, passed otherwise; its duration is the steps' sum.
func parseCucumber(data []byte) ([]Case, error) {
	var features []cucumberFeature
	if err := json.Unmarshal(data, &features); err != nil {
		return nil, jsonError(data, err)
	}
	var cases []Case
	for _, f := range features {
		for _, e := range f.Elements {
			if e.Type == "background" {
				continue
			}
			c := Case{Prefix: f.Name, Name: e.Name, Status: Succeeded}
			for _, s := range e.Steps {
				// A fractional duration is nanoseconds all the same (the
				// format's unit); the fraction is dropped, not the file.
				c.DurationInNanoSeconds += int64(s.Result.Duration)
				switch s.Result.Status {
				case "failed":
					c.Status = Failed
					if c.Message == "" {
						c.Message = firstLine(s.Result.ErrorMessage)
					}
				case "skipped", "pending", "undefined":
					if c.Status == Succeeded {
						c.Status = Skipped
					}
				}
			}
			cases = append(cases, c)
		}
	}
	return cases, nil
}

// jsonError places a JSON syntax error on its line, and says which value
// has the wrong kind in the words of JSON, not Go.
func jsonError(data []byte, err error) error {
	lineAt := func(off int64) int { return strings.Count(string(data[:min(int(off), len(data))]), "\n") + 1 }
	switch e := err.(type) {
	case *json.SyntaxError:
		return fmt.Errorf("line %d: %v", lineAt(e.Offset), err)
	case *json.UnmarshalTypeError:
		what := "the file"
		if e.Field != "" {
			what = e.Field
		}
		return fmt.Errorf("line %d: %s is a JSON %s where the format has %s", lineAt(e.Offset), what, e.Value, jsonKind(e.Type))
	}
	return err
}

// jsonKind names the JSON value a Go type is decoded from.
func jsonKind(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "true or false"
	case reflect.Int, reflect.Int64, reflect.Int32, reflect.Uint, reflect.Uint64:
		return "a whole number"
	}
	return "a number"
}
