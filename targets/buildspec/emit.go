package buildspec

import (
	"bytes"
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/pipeform/pipeform/compiler/graph"
)

// Emit writes b as buildspec YAML: keys in AWS's documented order, two-space
// indentation, every string quoted or block-formatted so that [Parse] reads
// back exactly the same model. The output is byte-identical for equal
// models. An empty Version is written as 0.2.
//
// A nil list or map is left out, an empty one is written as [] or {}; an
// empty string is left out. Emit fails only for what YAML cannot hold:
// invalid UTF-8, a duplicate key in a map, a key longer than 1000 bytes, or a
// batch value of an unsupported Go type; and with [ErrNoPhases] for a
// buildspec with neither phases nor batch.
func Emit(b *graph.Buildspec) ([]byte, error) {
	e := &emitter{}
	e.buildspec(b)
	if e.err != nil {
		return nil, e.err
	}
	return e.buf.Bytes(), nil
}

// MaxInlineSize is the largest buildspec, in characters, that CodeBuild
// accepts inline in a project (Source.BuildSpec).
const MaxInlineSize = 25600

// InlineSize is the size in characters of b as Emit writes it, the figure to
// compare with MaxInlineSize. It is 0 when b cannot be emitted.
func InlineSize(b *graph.Buildspec) int {
	data, err := Emit(b)
	if err != nil {
		return 0
	}
	return len([]rune(string(data)))
}

type emitter struct {
	buf bytes.Buffer
	err error
	// inline is set when the next key or item continues a "- " already
	// written, so it must not be indented.
	inline bool
}

func (e *emitter) fail(err error) {
	if e.err == nil {
		e.err = err
	}
}

// key starts "key:" at indent.
func (e *emitter) key(indent int, key string) {
	k, err := formatKey(key)
	if err != nil {
		e.fail(err)
		return
	}
	e.pad(indent)
	e.buf.WriteString(k)
	e.buf.WriteByte(':')
}

func (e *emitter) pad(indent int) {
	if e.inline {
		e.inline = false
		return
	}
	for range indent {
		e.buf.WriteByte(' ')
	}
}

// value finishes a line with " <scalar>" for a key or dash at column parent.
func (e *emitter) value(parent int, s string) {
	text, err := formatValue(s, parent)
	if err != nil {
		e.fail(err)
		return
	}
	e.buf.WriteByte(' ')
	e.buf.WriteString(text)
}

func (e *emitter) str(indent int, key, v string) {
	if v != "" {
		e.key(indent, key)
		e.value(indent, v)
	}
}

func (e *emitter) boolean(indent int, key string, v *bool) {
	if v == nil {
		return
	}
	e.key(indent, key)
	if *v {
		e.buf.WriteString(" yes\n")
	} else {
		e.buf.WriteString(" no\n")
	}
}

func (e *emitter) list(indent int, key string, items []string) {
	if items == nil {
		return
	}
	e.key(indent, key)
	if len(items) == 0 {
		e.buf.WriteString(" []\n")
		return
	}
	e.buf.WriteByte('\n')
	for _, item := range items {
		e.pad(indent + 2)
		e.buf.WriteByte('-')
		e.value(indent+2, item)
	}
}

func (e *emitter) kvs(indent int, key string, kvs []graph.KeyValue) {
	if kvs == nil {
		return
	}
	seen := map[string]bool{}
	e.block(indent, key, func() {
		for _, kv := range kvs {
			if seen[kv.Key] {
				e.fail(fmt.Errorf("%s: duplicate key %q", key, kv.Key))
			}
			seen[kv.Key] = true
			e.str0(indent+2, kv.Key, kv.Value)
		}
	})
}

// str0 writes a key even when its value is empty.
func (e *emitter) str0(indent int, key, v string) {
	e.key(indent, key)
	e.value(indent, v)
}

// block writes "key:" and the body below it, or "key: {}" when the body
// writes nothing.
func (e *emitter) block(indent int, key string, body func()) {
	e.key(indent, key)
	mark := e.buf.Len()
	e.buf.WriteByte('\n')
	body()
	if e.buf.Len() == mark+1 {
		e.buf.Truncate(mark)
		e.buf.WriteString(" {}\n")
	}
}

func (e *emitter) buildspec(b *graph.Buildspec) {
	version := b.Version
	if version == "" {
		version = "0.2"
	}
	if version != "0.1" && version != "0.2" {
		e.fail(fmt.Errorf("unsupported buildspec version %q", version))
	}
	e.buf.WriteString("version: " + version + "\n")
	e.str(0, "run-as", b.RunAs)
	e.env(b.Version == "0.1", b.Env)
	if b.Proxy != nil {
		e.block(0, "proxy", func() {
			e.boolean(2, "upload-artifacts", b.Proxy.UploadArtifacts)
			e.boolean(2, "logs", b.Proxy.Logs)
		})
	}
	if b.Batch != nil {
		e.anyField(0, "batch", b.Batch)
	}
	e.phases(b)
	e.reports(b.Reports)
	if b.Artifacts != nil {
		e.block(0, "artifacts", func() { e.artifacts(2, b.Artifacts, true) })
	}
	if c := b.Cache; c != nil {
		e.block(0, "cache", func() {
			e.str(2, "key", c.Key)
			e.list(2, "fallback-keys", c.FallbackKeys)
			e.str(2, "action", c.Action)
			e.list(2, "paths", c.Paths)
		})
	}
}

func (e *emitter) env(legacy bool, env *graph.BuildEnv) {
	if env == nil {
		return
	}
	if legacy && env.Shell == "" && env.SecretsManager == nil && env.ExportedVariables == nil && env.GitCredentialHelper == nil {
		// Version 0.1 spells env/variables environment_variables/plaintext.
		e.block(0, "environment_variables", func() {
			e.kvs(2, "plaintext", env.Variables)
			e.kvs(2, "parameter-store", env.ParameterStore)
		})
		return
	}
	e.block(0, "env", func() {
		e.str(2, "shell", env.Shell)
		e.kvs(2, "variables", env.Variables)
		e.kvs(2, "parameter-store", env.ParameterStore)
		e.kvs(2, "secrets-manager", env.SecretsManager)
		e.list(2, "exported-variables", env.ExportedVariables)
		e.boolean(2, "git-credential-helper", env.GitCredentialHelper)
	})
}

// ErrNoPhases is the error of Emit for a buildspec with neither phases nor
// batch: CodeBuild requires phases, and [Parse] rejects a buildspec whose
// phases section is missing or empty, so there is nothing true to write.
var ErrNoPhases = errors.New("the buildspec has no phases")

// hasPhases reports whether b has at least one of the four phases.
func hasPhases(b *graph.Buildspec) bool {
	for _, ph := range b.Phases {
		if ph != nil {
			return true
		}
	}
	return false
}

func (e *emitter) phases(b *graph.Buildspec) {
	if !hasPhases(b) {
		if b.Batch == nil {
			e.fail(ErrNoPhases)
		}
		return // a batch-only buildspec leaves phases out
	}
	e.block(0, "phases", func() {
		for i, ph := range b.Phases {
			if ph == nil {
				continue
			}
			e.block(2, graph.PhaseNames[i], func() {
				e.str(4, "run-as", ph.RunAs)
				e.str(4, "on-failure", ph.OnFailure)
				e.kvs(4, "runtime-versions", ph.RuntimeVersions)
				e.list(4, "commands", ph.Commands)
				e.list(4, "finally", ph.Finally)
			})
		}
	})
}

func (e *emitter) reports(reports []*graph.Report) {
	if reports == nil {
		return
	}
	seen := map[string]bool{}
	e.block(0, "reports", func() {
		for _, r := range reports {
			if seen[r.Name] {
				e.fail(fmt.Errorf("reports: duplicate report group %q", r.Name))
			}
			seen[r.Name] = true
			e.block(2, r.Name, func() {
				e.list(4, "files", r.Files)
				e.str(4, "base-directory", r.BaseDirectory)
				e.boolean(4, "discard-paths", r.DiscardPaths)
				e.str(4, "file-format", r.FileFormat)
			})
		}
	})
}

func (e *emitter) artifacts(indent int, a *graph.Artifacts, top bool) {
	e.list(indent, "files", a.Files)
	e.str(indent, "name", a.Name)
	e.boolean(indent, "discard-paths", a.DiscardPaths)
	e.str(indent, "base-directory", a.BaseDirectory)
	e.list(indent, "exclude-paths", a.ExcludePaths)
	e.boolean(indent, "enable-symlinks", a.EnableSymlinks)
	e.str(indent, "s3-prefix", a.S3Prefix)
	e.str(indent, "type", a.Type)
	if a.Secondary == nil {
		return
	}
	if !top {
		e.fail(fmt.Errorf("secondary artifacts cannot nest"))
		return
	}
	seen := map[string]bool{}
	e.block(indent, "secondary-artifacts", func() {
		for _, s := range a.Secondary {
			if seen[s.Identifier] {
				e.fail(fmt.Errorf("secondary-artifacts: duplicate identifier %q", s.Identifier))
			}
			seen[s.Identifier] = true
			e.block(indent+2, s.Identifier, func() { e.artifacts(indent+4, &s.Artifacts, false) })
		}
	})
}

// anyField writes a verbatim batch value under key.
func (e *emitter) anyField(indent int, key string, v any) {
	switch v := v.(type) {
	case map[string]any:
		e.block(indent, key, func() {
			for _, k := range batchKeys(v) {
				e.anyField(indent+2, k, v[k])
			}
		})
	case []any:
		e.key(indent, key)
		if len(v) == 0 {
			e.buf.WriteString(" []\n")
			return
		}
		e.buf.WriteByte('\n')
		for _, item := range v {
			e.anyItem(indent+2, item)
		}
	default:
		e.key(indent, key)
		e.anyScalar(indent, v)
	}
}

// batchKeyOrder is the order of the batch keys in AWS's batch buildspec
// reference (the batch kinds, then a task's keys, then a task's env keys).
// Other keys follow in name order.
var batchKeyOrder = []string{
	"fast-fail", "build-list", "build-graph", "build-matrix", "build-fanout",
	"identifier", "buildspec", "depend-on", "debug-session", "env", "ignore-failure",
	"static", "dynamic", "parallelism",
	"compute-type", "fleet", "image", "privileged-mode", "type", "variables",
}

// batchKeys returns the keys of m in batchKeyOrder, then the rest sorted.
func batchKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	rank := func(k string) int {
		if i := indexOf(batchKeyOrder, k); i >= 0 {
			return i
		}
		return len(batchKeyOrder)
	}
	sort.Slice(keys, func(i, j int) bool {
		if ri, rj := rank(keys[i]), rank(keys[j]); ri != rj {
			return ri < rj
		}
		return keys[i] < keys[j]
	})
	return keys
}

// anyItem writes one sequence entry at indent; a mapping or list entry
// starts on the dash's line.
func (e *emitter) anyItem(indent int, v any) {
	e.pad(indent)
	e.buf.WriteByte('-')
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			e.buf.WriteString(" {}\n")
			return
		}
		e.buf.WriteByte(' ')
		e.inline = true
		for _, k := range batchKeys(v) {
			e.anyField(indent+2, k, v[k])
		}
	case []any:
		if len(v) == 0 {
			e.buf.WriteString(" []\n")
			return
		}
		e.buf.WriteByte(' ')
		e.inline = true
		for _, item := range v {
			e.anyItem(indent+2, item)
		}
	default:
		e.anyScalar(indent, v)
	}
}

// anyScalar finishes a line with a batch scalar.
func (e *emitter) anyScalar(parent int, v any) {
	switch v := v.(type) {
	case string:
		e.value(parent, v)
	case nil:
		e.buf.WriteString(" null\n")
	case bool:
		e.buf.WriteString(" " + strconv.FormatBool(v) + "\n")
	case int:
		e.buf.WriteString(" " + strconv.Itoa(v) + "\n")
	case int64:
		e.buf.WriteString(" " + strconv.FormatInt(v, 10) + "\n")
	case uint64:
		e.buf.WriteString(" " + strconv.FormatUint(v, 10) + "\n")
	case float64:
		e.buf.WriteString(" " + formatFloat(v) + "\n")
	default:
		e.fail(fmt.Errorf("batch: unsupported value %v of type %T", v, v))
	}
}

func formatFloat(f float64) string {
	switch {
	case math.IsInf(f, 1):
		return ".inf"
	case math.IsInf(f, -1):
		return "-.inf"
	case math.IsNaN(f):
		return ".nan"
	}
	s := strconv.FormatFloat(f, 'g', -1, 64)
	if !strings.ContainsAny(s, ".e") {
		s += ".0"
	}
	return s
}
