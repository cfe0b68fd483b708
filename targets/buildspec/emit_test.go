package buildspec

import (
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"

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
