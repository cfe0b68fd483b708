package glob

import "testing"

func TestGlob(t *testing.T) {
	for _, c := range []struct {
		pattern string
		yes     []string
		no      []string
	}{
		// The user guide's own examples (syntax-glob.html).
		{"*.java", []string{"A.java", ".java"}, []string{"src/A.java", "A.jav"}},
		{"*.*", []string{"a.b", "x.tar.gz"}, []string{"ab", "d/a.b"}},
		{"*.{java,class}", []string{"A.java", "A.class"}, []string{"A.jar"}},
		{"foo.?", []string{"foo.c", "foo.h"}, []string{"foo.cc", "foo."}},
		{"my-file.jar", []string{"my-file.jar"}, []string{"dir/my-file.jar"}},
		{"directory/my-file.jar", []string{"directory/my-file.jar"}, []string{"my-file.jar"}},
		{"**", []string{"a", "a/b/c"}, nil},
		{"directory/**", []string{"directory/a", "directory/a/b"}, []string{"directory", "other/a"}},
		{"directory/*", []string{"directory/a"}, []string{"directory/a/b"}},
		// The pipeline JSON example's filters (pipelines-filter-cli.html).
		{"projectA/**", []string{"projectA/src/x.go"}, []string{"projectB/x"}},
		{"common/**/*.js", []string{"common/a.js", "common/x/y/a.js"}, []string{"common/a.ts", "other/a.js"}},
		{"**/README.md", []string{"README.md", "docs/README.md"}, []string{"README.mdx"}},
		{"feature/**", []string{"feature/x", "feature/x/y"}, []string{"feature", "features/x"}},
		{"release-v1", []string{"release-v1"}, []string{"release-v10"}},
		// Sets, escapes and ranges.
		{"v[0-9]*", []string{"v1", "v2.0"}, []string{"va"}},
		{"[!a-c]x", []string{"dx"}, []string{"ax", "/x"}},
		{"[-a]", []string{"-", "a"}, []string{"b"}},
		{"[*?\\]", []string{"*", "?", "\\"}, []string{"a"}},
		{"a\\*", []string{"a*"}, []string{"ab"}},
		{"release/*", []string{"release/1.0"}, []string{"release/1/0"}},
		// **/ is optional only where ** starts a component.
		{"src**/a.js", []string{"src/a.js", "src-old/x/a.js"}, []string{"srca.js"}},
		{"{docs,**/notes}/x", []string{"docs/x", "notes/x", "a/notes/x"}, []string{"a/docsx"}},
	} {
		g, err := Compile(c.pattern)
		if err != nil {
			t.Errorf("%q: %v", c.pattern, err)
			continue
		}
		for _, s := range c.yes {
			if !g.Match(s) {
				t.Errorf("%q does not match %q", c.pattern, s)
			}
		}
		for _, s := range c.no {
			if g.Match(s) {
				t.Errorf("%q matches %q", c.pattern, s)
			}
		}
	}
}

func TestGlobErrors(t *testing.T) {
	for pattern, want := range map[string]string{
		"a\\":     "it ends with a lone backslash; write \\\\ to match a backslash",
		"{a,{b}}": "it nests a {group} inside another; groups cannot be nested",
		"{a,b":    "a { group has no closing }",
		"[abc":    "a [ set has no closing ]",
		"[a/b]":   "a [ ] set cannot hold /, which separates folders",
		"[z-a]":   "the range z-a in a [ ] set is reversed",
		"[a-c-e]": "a [ ] set cannot chain a range onto another (c-e after a range); list the characters or put - last",
		"[]":      "a [ ] set is empty",
	} {
		_, err := Compile(pattern)
		if err == nil || err.Error() != want {
			t.Errorf("%q: got %v, want %s", pattern, err, want)
		}
	}
}
