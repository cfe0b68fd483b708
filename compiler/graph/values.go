package graph

import (
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/pipeform/pipeform/lang/constraints"
)

// The value rules of a buildspec and a CodeBuild project that both the
// compiler (checking a configuration) and the buildspec reader (checking a
// file) apply, kept here so the two never disagree. They are pure functions
// of the values (reference/BUILDSPEC.md §4, §7–§11; api-codebuild.json).

// The value lists are lang/constraints' (the one place the compiler, this
// package and the language server take them from).
var (
	LinuxShells       = constraints.LinuxShells
	WindowsShells     = constraints.WindowsShells
	Shells            = constraints.Shells
	ReportFileFormats = constraints.ReportFileFormats
	OnFailureModes    = constraints.OnFailureModes
	CacheActions      = constraints.CacheActions
)

// ValidReportFileFormat says whether f is a report file format, in any case.
func ValidReportFileFormat(f string) bool {
	up := strings.ToUpper(f)
	for _, x := range ReportFileFormats {
		if x == up {
			return true
		}
	}
	return false
}

// MaxRetryCount is the largest count of RETRY-<count>.
const MaxRetryCount = 100

// OnFailure is a parsed phase on-failure value (reference/BUILDSPEC.md §8).
type OnFailure struct {
	Mode string // "ABORT", "CONTINUE" or "RETRY"
	// Count is how many times RETRY retries (default 3).
	Count int
	// Regex, when set, limits RETRY to error messages it matches.
	Regex *regexp.Regexp
}

// ParseOnFailure reads ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex>
// or RETRY-<count>-<regex>: keywords in any case (AWS's own examples mix
// case), the count 0 to 100 and the regular expression one the local
// executor can compile (Go's RE2 syntax, which covers the usual ones; it has
// no backreferences or lookaround). The error says what is wrong in a
// sentence fit for a diagnostic's detail.
func ParseOnFailure(v string) (OnFailure, error) {
	up := strings.ToUpper(v)
	switch up {
	case "ABORT", "CONTINUE":
		return OnFailure{Mode: up}, nil
	case "RETRY":
		return OnFailure{Mode: "RETRY", Count: 3}, nil
	}
	if !strings.HasPrefix(up, "RETRY-") || len(v) == len("RETRY-") {
		return OnFailure{}, fmt.Errorf("on-failure is %q; valid values are ABORT, CONTINUE, RETRY, RETRY-<count>, RETRY-<regex> and RETRY-<count>-<regex>", v)
	}
	p := OnFailure{Mode: "RETRY", Count: 3}
	rest := v[len("RETRY-"):]
	count, re, hasRe := rest, "", false
	if i := strings.IndexByte(rest, '-'); i >= 0 && isDigits(rest[:i]) {
		count, re, hasRe = rest[:i], rest[i+1:], true
	}
	if isDigits(count) {
		n, err := strconv.Atoi(count)
		if err != nil || n > MaxRetryCount {
			return p, fmt.Errorf("on-failure %q retries %s times; the count must be between 0 and %d", v, count, MaxRetryCount)
		}
		p.Count = n
	} else {
		re, hasRe = rest, true
	}
	if hasRe {
		rx, err := regexp.Compile(re)
		if err != nil {
			return p, fmt.Errorf("on-failure %q has an invalid regular expression: %v", v, err)
		}
		p.Regex = rx
	}
	return p, nil
}

// ValidOnFailure says whether v is an on-failure mode ParseOnFailure accepts.
func ValidOnFailure(v string) bool {
	_, err := ParseOnFailure(v)
	return err == nil
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}

// reShellName is a POSIX shell variable name.
var reShellName = regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_]*$`)

// ValidEnvName says whether name can be a build environment variable: a
// shell variable name (letters, digits and '_', not starting with a digit),
// the only names the build shell can set, read and export.
func ValidEnvName(name string) bool { return reShellName.MatchString(name) }

// reProjectName is the ProjectName pattern of the CodeBuild API, anchored.
var reProjectName = regexp.MustCompile(`^[A-Za-z0-9][A-Za-z0-9_-]{1,149}$`)

// ValidProjectName says whether name is a CodeBuild project name: 2 to 150
// characters, a letter or digit and then letters, digits, '-' and '_'.
func ValidProjectName(name string) bool { return reProjectName.MatchString(name) }

// SuggestProjectName turns name into a valid project name: characters
// CodeBuild does not allow become "-".
func SuggestProjectName(name string) string {
	var b strings.Builder
	for i, r := range name {
		ok := r < 128 && (r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || i > 0 && (r == '-' || r == '_'))
		if ok {
			b.WriteRune(r)
		} else if i > 0 {
			b.WriteByte('-')
		}
	}
	s := b.String()
	if len(s) < 2 {
		s = "project-" + s
	}
	if len(s) > 150 {
		s = s[:150]
	}
	return s
}
