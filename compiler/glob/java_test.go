package glob

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// javaMatcher asks Java's own PathMatcher, the glob the CodePipeline user
// guide's syntax page describes, whether each pattern matches each path:
// "1", "0", or "E" for a pattern it rejects.
const javaMatcher = `import java.nio.file.*; import java.io.*;
public class G { public static void main(String[] a) throws Exception {
  BufferedReader r = new BufferedReader(new InputStreamReader(System.in));
  String l; while ((l = r.readLine()) != null) { String[] f = l.split("\t", 2); String res;
    try { res = FileSystems.getDefault().getPathMatcher("glob:" + f[0]).matches(Path.of(f[1])) ? "1" : "0"; }
    catch (Exception e) { res = "E"; }
    System.out.println(res); } } }
`

var (
	javaPatterns = []string{"*.java", "*.*", "*.{java,class}", "foo.?", "my-file.jar", "directory/my-file.jar",
		"**", "directory/**", "directory/*", "[abc]", "[a-z]x", "[!a-c]", "[-a]", "[!-a]", "[a-]", `[*?\]`, `a\*`,
		`a\{b`, `a\\b`, "{a,b}", "{a,b}/*.js", "{a{b,c}}", "a[", "a{", "a}", `\`, "[]", "[z-a]", "[a/b]", "[a-c-e]",
		"release/*", "release/**", "main*", "prod*", "**/README.md", "common/**/*.js", "src**/a.js", "**.md",
		"a/**/b", "{src,lib}/**", "{,a}b", "[[]", "[!]]", "?", "*/*", "**/*", "a+b", "(a)", "^a$", "a|b", "[^a]",
		"{**/x,y}", "v[0-9]*"}
	javaPaths = []string{"Foo.java", "a/Foo.java", "foo.c", "foo.cc", "foo.class", "my-file.jar",
		"directory/my-file.jar", "directory/a/b", "directory", "a", "b", "d", "-", "!", "*", "?", `\`, "ax", "a*",
		"a{b", `a\b`, "a/x.js", "x.js", "ab", "a[", "a{", "a}", "release/1", "release/1/2", "mainline", "main/x",
		"prod-config.yml", "prod/x", "README.md", "docs/README.md", "common/a.js", "common/b/c/a.js", "srca.js",
		"src/a.js", "x.md", "a/b", "a/x/y/b", "src/a", "lib/b/c", "[", "]", "a+b", "(a)", "^a$", "a|b", "x", "y",
		"v1", "va", ".github/x.md", "é"}
)

// TestJavaPathMatcher compares every pattern with Java's PathMatcher on
// every path, when a JDK is installed. The one expected difference is
// pipeform's documented choice that **/ at the start of a component may
// match no folder: there Java must match the pattern without that **/.
func TestJavaPathMatcher(t *testing.T) {
	if _, err := exec.LookPath("java"); err != nil {
		t.Skip("no java")
	}
	src := filepath.Join(t.TempDir(), "G.java")
	if err := os.WriteFile(src, []byte(javaMatcher), 0o644); err != nil {
		t.Fatal(err)
	}
	type pair struct{ pattern, path string }
	var pairs []pair
	var in strings.Builder
	ask := func(p pair) {
		pairs = append(pairs, p)
		in.WriteString(p.pattern + "\t" + p.path + "\n")
	}
	for _, p := range javaPatterns {
		for _, s := range javaPaths {
			ask(pair{p, s})
			ask(pair{strings.ReplaceAll(p, "**/", ""), s})
		}
	}
	cmd := exec.Command("java", src)
	cmd.Stdin = strings.NewReader(in.String())
	out, err := cmd.Output()
	if err != nil {
		t.Skipf("java cannot run the matcher: %v", err)
	}
	java := strings.Fields(string(bytes.TrimSpace(out)))
	if len(java) != len(pairs) {
		t.Fatalf("java answered %d of %d questions", len(java), len(pairs))
	}
	for i := 0; i < len(pairs); i += 2 {
		p := pairs[i]
		got := "E"
		if g, err := Compile(p.pattern); err == nil {
			got = "0"
			if g.Match(p.path) {
				got = "1"
			}
		}
		zeroFolders := got == "1" && java[i] == "0" && java[i+1] == "1" && strings.Contains(p.pattern, "**/")
		if got != java[i] && !zeroFolders {
			t.Errorf("%q against %q: java %s, pipeform %s", p.pattern, p.path, java[i], got)
		}
	}
}
