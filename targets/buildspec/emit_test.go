package buildspec

import (
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"go.yaml.in/yaml/v3"

	"github.com/pipeform/pipeform/compiler/graph"
)

// nasty are strings that YAML readers like to retype, fold, trim or reject.
var nasty = []string{
	"", " ", "  ", "plain", "echo hello world", `say "hi"`, "it's", `'`, `"`, `''`, `\`, `\n`,
	"a: b", "a:b", "a:", ":", "key: value: more", "a #b", "a#b", "#comment", "# x",
	"-", "- x", "-x", "--", "---", "...", "--- x", "? x", "?", ",x", "[x]", "]", "{a: b}", "{", "}",
	"*x", "&x", "!x", "!!str x", "%x", "@x", "`date`", "|", "|-", ">", ">-",
	"x | y", "a > b", "echo $((1+2))", "${VAR:-def}", "$(pwd)",
	"yes", "no", "Yes", "NO", "on", "off", "On", "y", "Y", "n", "N", "true", "False", "TRUE",
	"null", "Null", "NULL", "~", "<<", "=",
	"0", "1", "-1", "+1", "0777", "0o17", "0x1F", "0b101", "1e3", "1E3", ".5", "-.5", "+.5", "1.", "1.10",
	"1_000", "12:30", "190:20:30", "2001-12-14", "2001-12-14 21:59:43.10 -5", ".inf", "-.Inf", ".NaN", ".nan",
	"ünïcödé", "日本語", "emoji 🚀", "🚀", "\u00a0", "nbsp\u00a0", "zero\u200bwidth",
	"trailing ", " leading", "\ttab", "tab\t", "in\tside", "a\tb: c",
	"\r", "lone\rcr", "crlf\r\n", "\r\n", "bell\a", "nul\x00", "esc\x1b[0m", "del\x7f", "nel\u0085x", "ls\u2028x", "ps\u2029x", "bom\ufeff",
	"\n", "\n\n", "line\n", "line\n\n", "line\n\n\n", "a\nb", "a\nb\n", "\na", "\n\na\n", "a\n\nb",
	"  indented\nnext", "\tindented\nnext", "a\n  b\n    c\n", "first\n\ttab line", "\n  indented after blank",
	"trailing space \nnext", "a\n \nb", "a\n\t\nb", "a\nb ", "# not a comment\n- not a list\nkey: not a map\n",
	"---\nx", "x\n---\ny", "x\n...\ny", "|\n|", "set -e\nif [ \"$X\" = 1 ]; then\n  echo \"yes: $X\" # ok\nfi\n",
	strings.Repeat("long ", 500),
}

// roundTrip builds a model that uses s in every string position, emits it
// and parses it back.
func roundTrip(t *testing.T, a, b, c string) {
	t.Helper()
	yes := true
	in := &graph.Buildspec{
		Version: "0.2",
		RunAs:   a,
		Env: &graph.BuildEnv{
			Shell:             "bash",
			Variables:         []graph.KeyValue{{Key: "A", Value: a}, {Key: "B", Value: b}, {Key: "C", Value: c}},
			ParameterStore:    []graph.KeyValue{{Key: a, Value: b}},
			SecretsManager:    []graph.KeyValue{{Key: c, Value: a}},
			ExportedVariables: []string{a, b, c},
		},
		Phases: [4]*graph.Phase{
			{RuntimeVersions: []graph.KeyValue{{Key: b, Value: c}}, Commands: []string{a}},
			nil,
			{RunAs: b, OnFailure: "CONTINUE", Commands: []string{a, b, c}, Finally: []string{c, b}},
			{Commands: []string{}},
		},
		Reports: []*graph.Report{{Name: a, Files: []string{b}, BaseDirectory: c, DiscardPaths: &yes, FileFormat: "JUNITXML"}},
		Artifacts: &graph.Artifacts{
			Files: []string{a, b}, Name: c, BaseDirectory: a, ExcludePaths: []string{c}, S3Prefix: b,
			Secondary: []*graph.SecondaryArtifact{{Identifier: b, Artifacts: graph.Artifacts{Files: []string{c}, Name: a}}},
		},
		Cache: &graph.Cache{Key: a, FallbackKeys: []string{b}, Action: "save", Paths: []string{c}},
		Batch: map[string]any{"build-list": []any{map[string]any{"identifier": a, "env": map[string]any{"variables": map[string]any{"X": b}}}, c, []any{a}}},
		Proxy: &graph.Proxy{Logs: &yes},
	}
	valid := utf8.ValidString(a) && utf8.ValidString(b) && utf8.ValidString(c)
	data, err := Emit(in)
	if err != nil {
		if !valid || len(a) > maxKeyLen/4 || len(b) > maxKeyLen/4 || len(c) > maxKeyLen/4 {
			return // not representable; Emit said so
		}
		t.Fatalf("Emit(%q, %q, %q): %v", a, b, c, err)
	}
	if !valid {
		t.Fatalf("Emit accepted invalid UTF-8 %q %q %q", a, b, c)
	}
	checkPlainScalars(t, data, [][]string{{"version"}, {"proxy", "logs"}, {"reports", "*", "discard-paths"}})
	out, diags := Parse("rt.yml", data)
	for _, d := range diags {
		if d.Severity == hcl.DiagError {
			t.Fatalf("emitted YAML does not parse: %s: %s\n%s", d.Summary, d.Detail, data)
		}
	}
	if diff := cmp.Diff(in, out); diff != "" {
		t.Fatalf("round trip changed the model (-in +out):\n%s\nYAML:\n%s", diff, data)
	}
}

func TestRoundTripNasty(t *testing.T) {
	for i, s := range nasty {
		roundTrip(t, s, nasty[(i+1)%len(nasty)], nasty[(i+7)%len(nasty)])
	}
}

func FuzzRoundTrip(f *testing.F) {
	for i, s := range nasty {
		f.Add(s, nasty[(i+3)%len(nasty)], nasty[(i+11)%len(nasty)])
	}
	f.Fuzz(func(t *testing.T, a, b, c string) {
		if a == b || b == c || a == c {
			return // the model would hold duplicate keys
		}
		roundTrip(t, a, b, c)
	})
}

func TestRoundTripCorpus(t *testing.T) {
	files := corpusFiles(t)
	for _, name := range sortedKeys(files) {
		in, diags := Parse(name, files[name])
		if diags.HasErrors() {
			t.Fatalf("%s: %v", name, diags)
		}
		data, err := Emit(in)
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		golden(t, filepath.Join("testdata", "corpus", strings.TrimSuffix(name, ".yml")+".emit.yml"), data)
		checkPlainScalars(t, data, [][]string{
			{"version"}, {"env", "git-credential-helper"}, {"proxy", "*"}, {"batch", "**"},
			{"reports", "*", "discard-paths"}, {"artifacts", "discard-paths"}, {"artifacts", "enable-symlinks"},
			{"artifacts", "secondary-artifacts", "*", "discard-paths"}, {"artifacts", "secondary-artifacts", "*", "enable-symlinks"},
		})
		out, diags := Parse(name, data)
		if diags.HasErrors() {
			t.Fatalf("%s: emitted YAML does not parse: %v\n%s", name, diags, data)
		}
		if diff := cmp.Diff(in, out); diff != "" {
			t.Errorf("%s: round trip changed the model (-in +out):\n%s", name, diff)
		}
		again, _ := Emit(out)
		if string(again) != string(data) {
			t.Errorf("%s: emitting twice gives different bytes", name)
		}
	}
}

// yaml11Typed matches the plain scalars that the YAML 1.1 type library
// (yaml.org/type: bool, null, int, float, timestamp, merge, value) or the
// YAML 1.2 core schema read as something other than a string. It is an
// oracle independent of plainOK, written from the specifications.
var yaml11Typed = regexp.MustCompile(`^(?:` +
	`y|Y|yes|Yes|YES|n|N|no|No|NO|true|True|TRUE|false|False|FALSE|on|On|ON|off|Off|OFF` +
	`|~|null|Null|NULL|` +
	`|[-+]?0b[0-1_]+|[-+]?0[0-7_]+|[-+]?(?:0|[1-9][0-9_]*)|[-+]?0x[0-9a-fA-F_]+|[-+]?[1-9][0-9_]*(?::[0-5]?[0-9])+` +
	`|[-+]?(?:[0-9][0-9_]*)?\.[0-9.]*(?:[eE][-+][0-9]+)?|[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+\.[0-9_]*|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)` +
	`|[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?|0o[0-7]+` +
	`|[0-9]{4}-[0-9]{2}-[0-9]{2}|[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}(?:[Tt]|[ \t]+)[0-9]{1,2}:[0-9]{2}:[0-9]{2}(?:\.[0-9]*)?(?:[ \t]*Z|[-+][0-9]{1,2}(?::[0-9]{2})?)?` +
	`|<<|=)$`)

// checkPlainScalars fails if a plain scalar in a string position of the
// emitted YAML could be read as another type by a YAML 1.1 or 1.2 reader.
// nonString lists the paths whose values are meant as numbers or booleans
// ("*" matches any key).
func checkPlainScalars(t *testing.T, data []byte, nonString [][]string) {
	t.Helper()
	var doc yaml.Node
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatalf("plain yaml.v3 rejects the output: %v\n%s", err, data)
	}
	var walk func(n *yaml.Node, path []string)
	walk = func(n *yaml.Node, path []string) {
		switch n.Kind {
		case yaml.DocumentNode, yaml.SequenceNode:
			for _, c := range n.Content {
				walk(c, append(path, "-"))
			}
		case yaml.MappingNode:
			for i := 0; i+1 < len(n.Content); i += 2 {
				walk(n.Content[i], append(path, "<key>"))
				walk(n.Content[i+1], append(path[:len(path):len(path)], n.Content[i].Value))
			}
		case yaml.ScalarNode:
			if n.Style == 0 && yaml11Typed.MatchString(n.Value) && !matchesAny(path, nonString) {
				t.Fatalf("plain scalar %q at %v would not read as a string\n%s", n.Value, path, data)
			}
		}
	}
	walk(&doc, nil)
}

// matchesAny reports whether path matches a pattern; "*" matches one key
// and a final "**" any rest.
func matchesAny(path []string, patterns [][]string) bool {
	for _, p := range patterns {
		q := path
		if n := len(p); n > 0 && p[n-1] == "**" && len(q)-1 >= n-1 {
			p, q = p[:n-1], q[:n]
		}
		if len(p) != len(q)-1 { // paths start with the document's "-"
			continue
		}
		ok := true
		for i := range p {
			ok = ok && (p[i] == "*" || p[i] == q[i+1])
		}
		if ok {
			return true
		}
	}
	return false
}
