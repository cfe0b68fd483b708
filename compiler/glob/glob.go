package glob

import (
	"fmt"
	"regexp"
	"strings"
)

// Glob is a compiled trigger filter pattern.
//
// CodePipeline matches trigger filters with the glob syntax of its user
// guide, "Working with glob patterns in syntax"
// (https://docs.aws.amazon.com/codepipeline/latest/userguide/syntax-glob.html),
// which is Java's PathMatcher glob:
//
//   - `*` matches zero or more characters of one name component (never `/`);
//   - `**` matches zero or more characters across `/`;
//   - `?` matches one character of a name component;
//   - `[abc]`, `[a-z]` and `[!a-z]` match one character of (or not of) a set;
//     inside brackets `*`, `?` and `\` match themselves, and `-` matches
//     itself when it comes first (after `!` when negated);
//   - `{a,b}` matches any of the comma-separated subpatterns (not nested);
//   - `\` escapes the next character.
//
// The guide is silent on whether `**/` may match no folder at all (in
// Java's PathMatcher `**/README.md` does not match a README.md at the root,
// yet the guide's own example excludes `**/README.md` to skip every README).
// pipeform lets `**/` match zero or more folders, so `**/README.md` matches
// README.md and docs/README.md alike and `src/**/*.js` matches src/a.js;
// `dir/**` matches everything under dir. A pattern is matched against the
// whole value (a branch name, a tag name, or a path from the repository's
// root with `/` separators).
type Glob struct {
	Pattern string
	re      *regexp.Regexp
}

// Match reports whether s matches the whole pattern.
func (g *Glob) Match(s string) bool { return g.re.MatchString(s) }

// Compile compiles a trigger pattern, or says in words what is wrong
// with it.
func Compile(pattern string) (*Glob, error) {
	var b strings.Builder
	b.WriteString(`^`)
	rs := []rune(pattern)
	inGroup := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		switch c {
		case '\\':
			if i+1 >= len(rs) {
				return nil, fmt.Errorf("it ends with a lone backslash; write \\\\ to match a backslash")
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '*':
			if i+1 < len(rs) && rs[i+1] == '*' {
				start := i
				for i+1 < len(rs) && rs[i+1] == '*' {
					i++
				}
				switch {
				case i+1 < len(rs) && rs[i+1] == '/' && componentStart(rs, start):
					i++
					b.WriteString(`(?:.*/)?`)
				case i+1 < len(rs) && rs[i+1] == '/':
					// In the middle of a name (src**/a.js) the folder
					// is not optional: srca.js does not match.
					i++
					b.WriteString(`.*/`)
				default:
					b.WriteString(`.*`)
				}
			} else {
				b.WriteString(`[^/]*`)
			}
		case '?':
			b.WriteString(`[^/]`)
		case '[':
			n, class, err := bracket(rs[i:])
			if err != nil {
				return nil, err
			}
			b.WriteString(class)
			i += n - 1
		case '{':
			if inGroup {
				return nil, fmt.Errorf("it nests a {group} inside another; groups cannot be nested")
			}
			inGroup = true
			b.WriteString(`(?:`)
		case ',':
			if inGroup {
				b.WriteString(`|`)
			} else {
				b.WriteString(`,`)
			}
		case '}':
			if inGroup {
				inGroup = false
				b.WriteString(`)`)
			} else {
				b.WriteString(`\}`)
			}
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	if inGroup {
		return nil, fmt.Errorf("a { group has no closing }")
	}
	b.WriteString(`$`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, fmt.Errorf("it cannot be compiled: %v", err)
	}
	return &Glob{Pattern: pattern, re: re}, nil
}

// componentStart reports whether the rune at i starts a path component:
// the pattern's start, after a /, or at the start of a {group} alternative
// that itself starts one.
func componentStart(rs []rune, i int) bool {
	for i > 0 && (rs[i-1] == '{' || rs[i-1] == ',') {
		// Walk back to the group's opening brace.
		j := i - 1
		for j > 0 && rs[j] != '{' {
			j--
		}
		if rs[j] != '{' {
			return false
		}
		i = j
	}
	return i == 0 || rs[i-1] == '/'
}

// bracket translates the [...] expression at the start of rs and returns
// how many runes it took.
func bracket(rs []rune) (int, string, error) {
	var b strings.Builder
	i := 1
	b.WriteString(`[`)
	if i < len(rs) && rs[i] == '!' {
		b.WriteString(`^/`)
		i++
	}
	first := i
	members := 0
	afterRange := false
	for ; i < len(rs) && rs[i] != ']'; i++ {
		c := rs[i]
		wasRange := afterRange
		afterRange = false
		switch {
		case c == '/':
			return 0, "", fmt.Errorf("a [ ] set cannot hold /, which separates folders")
		case c == '-' && i == first:
			b.WriteString(`\-`)
		case c == '-' && i+1 < len(rs) && rs[i+1] != ']' && wasRange:
			// Java's glob rejects [a-c-e] ("Invalid range").
			return 0, "", fmt.Errorf("a [ ] set cannot chain a range onto another (%c-%c after a range); list the characters or put - last", rs[i-1], rs[i+1])
		case c == '-' && i+1 < len(rs) && rs[i+1] != ']' && members > 0:
			afterRange = true
			hi := rs[i+1]
			if hi < rs[i-1] {
				return 0, "", fmt.Errorf("the range %c-%c in a [ ] set is reversed", rs[i-1], hi)
			}
			b.WriteString(`-` + regexp.QuoteMeta(string(hi)))
			i++
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
		members++
	}
	if i >= len(rs) {
		return 0, "", fmt.Errorf("a [ set has no closing ]")
	}
	if members == 0 {
		return 0, "", fmt.Errorf("a [ ] set is empty")
	}
	b.WriteString(`]`)
	return i + 1, b.String(), nil
}
