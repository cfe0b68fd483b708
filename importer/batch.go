package importer

import (
	"fmt"
	"slices"
	"sort"
	"strconv"

	"github.com/hashicorp/hcl/v2/hclwrite"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
)

// batchWriter writes a buildspec's batch section as a project's batch
// block, warning about keys it has no attribute for.
type batchWriter struct {
	warn func(key, summary, detail string)
	// settings writes the project's BuildBatchConfig attributes; nil when
	// there are none.
	settings func(*hclwrite.Body)
}

// Known keys of each level of the batch section (batch build buildspec
// reference).
var (
	batchTaskKeys    = []string{"identifier", "buildspec", "depend-on", "debug-session", "env", "ignore-failure"}
	batchEnvKeys     = []string{"compute-type", "fleet", "image", "privileged-mode", "type", "variables"}
	batchStaticKeys  = []string{"ignore-failure", "debug-session", "env"}
	batchDynamicKeys = []string{"buildspec", "env"}
	batchDynEnvKeys  = []string{"compute-type", "image", "variables"}
	batchFanoutKeys  = []string{"parallelism", "ignore-failure"}
)

func (w *batchWriter) batch(p *hclwrite.Body, batch map[string]any) {
	b := p.AppendNewBlock("batch", nil).Body()
	w.boolean(b, "fast_fail", batch["fast-fail"], "batch.fast-fail")
	if w.settings != nil {
		w.settings(b)
	}
	for _, k := range sortedKeys(batch) {
		v := batch[k]
		switch k {
		case "fast-fail":
		case "build-list", "build-graph":
			tasks, _ := v.([]any)
			graph := false
			for _, t := range tasks {
				if m, ok := t.(map[string]any); ok && m["depend-on"] != nil {
					graph = true
				}
			}
			if graph != (k == "build-graph") {
				b.SetAttributeValue("kind", cty.StringVal(k))
			}
			for i, t := range tasks {
				w.task(b, t, fmt.Sprintf("batch.%s[%d]", k, i))
			}
		case "build-matrix":
			w.matrix(b.AppendNewBlock("matrix", nil).Body(), v)
		case "build-fanout":
			f := b.AppendNewBlock("fanout", nil).Body()
			m, _ := v.(map[string]any)
			w.unknown(m, batchFanoutKeys, "batch.build-fanout")
			if n, err := strconv.Atoi(scalar(m["parallelism"])); err == nil {
				f.SetAttributeValue("parallelism", cty.NumberIntVal(int64(n)))
			}
			w.boolean(f, "ignore_failure", m["ignore-failure"], "batch.build-fanout.ignore-failure")
		default:
			w.warn(k, "Batch key not imported", fmt.Sprintf("batch.%s is not a key of a batch section pipeform knows (fast-fail, build-list, build-graph, build-matrix, build-fanout); it was left out.", k))
		}
	}
}

func (w *batchWriter) task(b *hclwrite.Body, v any, where string) {
	m, _ := v.(map[string]any)
	id := scalar(m["identifier"])
	if id == "" {
		w.warn("identifier", "Batch build not imported", fmt.Sprintf("%s has no identifier, which CodeBuild requires; it was left out.", where))
		return
	}
	w.unknown(m, batchTaskKeys, where)
	t := b.AppendNewBlock("build", []string{id}).Body()
	setString(t, "buildspec", scalar(m["buildspec"]))
	if deps, ok := m["depend-on"].([]any); ok {
		setList(t, "depend_on", scalars(deps))
	}
	w.boolean(t, "ignore_failure", m["ignore-failure"], where+".ignore-failure")
	w.boolean(t, "debug_session", m["debug-session"], where+".debug-session")
	if env, ok := m["env"].(map[string]any); ok {
		w.env(t.AppendNewBlock("env", nil).Body(), env, where+".env")
	}
}

func (w *batchWriter) env(e *hclwrite.Body, env map[string]any, where string) {
	w.unknown(env, batchEnvKeys, where)
	setString(e, "compute_type", scalar(env["compute-type"]))
	setString(e, "image", scalar(env["image"]))
	setString(e, "type", scalar(env["type"]))
	setString(e, "fleet", scalar(env["fleet"]))
	w.boolean(e, "privileged_mode", env["privileged-mode"], where+".privileged-mode")
	if vars, ok := env["variables"].(map[string]any); ok {
		m := map[string]string{}
		for k, v := range vars {
			m[k] = scalar(v)
		}
		setStringMap(e, "variables", m)
	}
}

func (w *batchWriter) matrix(x *hclwrite.Body, v any) {
	m, _ := v.(map[string]any)
	w.unknown(m, []string{"static", "dynamic"}, "batch.build-matrix")
	if st, ok := m["static"].(map[string]any); ok {
		w.unknown(st, batchStaticKeys, "batch.build-matrix.static")
		b := x.AppendNewBlock("static", nil).Body()
		w.boolean(b, "ignore_failure", st["ignore-failure"], "batch.build-matrix.static.ignore-failure")
		w.boolean(b, "debug_session", st["debug-session"], "batch.build-matrix.static.debug-session")
		if env, ok := st["env"].(map[string]any); ok {
			w.env(b.AppendNewBlock("env", nil).Body(), env, "batch.build-matrix.static.env")
		}
	}
	dyn, ok := m["dynamic"].(map[string]any)
	if !ok {
		return
	}
	w.unknown(dyn, batchDynamicKeys, "batch.build-matrix.dynamic")
	b := x.AppendNewBlock("values", nil).Body()
	if l, ok := dyn["buildspec"].([]any); ok {
		setList(b, "buildspec", scalars(l))
	}
	env, _ := dyn["env"].(map[string]any)
	w.unknown(env, batchDynEnvKeys, "batch.build-matrix.dynamic.env")
	for _, k := range []string{"compute-type", "image"} {
		if l, ok := env[k].([]any); ok {
			setList(b, map[string]string{"compute-type": "compute_type", "image": "image"}[k], scalars(l))
		}
	}
	if vars, ok := env["variables"].(map[string]any); ok {
		vals := map[string]cty.Value{}
		for _, k := range sortedKeys(vars) {
			l, _ := vars[k].([]any)
			var items []cty.Value
			for _, s := range scalars(l) {
				items = append(items, cty.StringVal(s))
			}
			if len(items) == 0 {
				vals[k] = cty.ListValEmpty(cty.String)
			} else {
				vals[k] = cty.ListVal(items)
			}
		}
		b.SetAttributeValue("variables", cty.ObjectVal(vals))
	}
}

// boolean writes a YAML boolean (true or "true") as an HCL bool.
func (w *batchWriter) boolean(b *hclwrite.Body, name string, v any, where string) {
	switch x := v.(type) {
	case nil:
	case bool:
		b.SetAttributeValue(name, cty.BoolVal(x))
	default:
		if bv, err := strconv.ParseBool(scalar(x)); err == nil {
			b.SetAttributeValue(name, cty.BoolVal(bv))
		} else {
			w.warn(where, "Batch key not imported", fmt.Sprintf("%s is %q, which is not a boolean; it was left out.", where, scalar(x)))
		}
	}
}

func (w *batchWriter) unknown(m map[string]any, known []string, where string) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		if !slices.Contains(known, k) {
			w.warn(k, "Batch key not imported", fmt.Sprintf("%s.%s is not a key pipeform knows there (%s); it was left out.", where, k, listWords(known)))
		}
	}
}

// scalar is a YAML scalar as text: environment variables and names are
// strings to CodeBuild, whatever YAML type they were read as.
func scalar(v any) string { return graph.BatchScalar(v) }

func scalars(l []any) []string {
	out := []string{}
	for _, v := range l {
		out = append(out, scalar(v))
	}
	return out
}

func listWords(l []string) string {
	if len(l) == 1 {
		return l[0]
	}
	s := ""
	for i, x := range l {
		switch {
		case i == 0:
		case i == len(l)-1:
			s += " and "
		default:
			s += ", "
		}
		s += x
	}
	return s
}
