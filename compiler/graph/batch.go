package graph

import (
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// BatchConfig is a project's BuildBatchConfig (the API's
// ProjectBuildBatchConfig; CloudFormation's BuildBatchConfig). Zero values
// are "not set".
type BatchConfig struct {
	CombineArtifacts    *bool
	TimeoutInMins       int
	ReportMode          string // REPORT_INDIVIDUAL_BUILDS or REPORT_AGGREGATED_BATCH
	MaximumBuilds       int    // restrictions.maximumBuildsAllowed
	ComputeTypesAllowed []string
}

// Batch kinds: the keys of a buildspec's batch section, one per batch.
var BatchKinds = []string{"build-list", "build-graph", "build-matrix", "build-fanout"}

// BatchMember is one build of a batch build, as the batch section makes
// it (Batch build buildspec reference:
// https://docs.aws.amazon.com/codebuild/latest/userguide/batch-build-buildspec.html).
type BatchMember struct {
	Identifier string
	// Buildspec is the member's buildspec file, relative to the source;
	// "" runs the project's own buildspec (its phases, env, artifacts).
	Buildspec string
	// DependOn are the identifiers that must complete first (build-graph).
	DependOn []string
	// IgnoreFailure: the batch can succeed when this build fails.
	IgnoreFailure bool
	// The build environment overrides ("" / nil: the project's).
	Image, ComputeType, EnvironmentType string
	Privileged                          *bool
	Variables                           []KeyValue
}

// Batch is a batch section read into its builds.
type BatchPlan struct {
	Kind     string
	FastFail bool
	Members  []BatchMember
}

// ReadBatch reads a buildspec's batch section (as Parse keeps it, or as the
// compiler writes it) into its builds: build-list and build-graph tasks as
// written; a build-matrix's builds, one per combination of its dynamic
// buildspec, image, compute-type and variable values, with the static
// settings; a build-fanout's parallelism identical builds. Matrix and
// fan-out builds, which have no identifier in the buildspec, are named
// build1, build2, ...
func ReadBatch(batch map[string]any) (*BatchPlan, error) {
	p := &BatchPlan{}
	p.FastFail, _ = batchBool(batch["fast-fail"])
	for _, k := range BatchKinds {
		v, ok := batch[k]
		if !ok {
			continue
		}
		if p.Kind != "" {
			return nil, fmt.Errorf("batch has both %s and %s; a batch is one kind", p.Kind, k)
		}
		p.Kind = k
		var err error
		switch k {
		case "build-list", "build-graph":
			p.Members, err = batchTasks(v, k)
		case "build-matrix":
			p.Members, err = batchMatrix(v)
		case "build-fanout":
			p.Members, err = batchFanout(v)
		}
		if err != nil {
			return nil, err
		}
	}
	if p.Kind == "" {
		return nil, fmt.Errorf("batch has none of %s", "build-list, build-graph, build-matrix and build-fanout")
	}
	return p, nil
}

func batchTasks(v any, kind string) ([]BatchMember, error) {
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("%s must be a list of build tasks", kind)
	}
	var out []BatchMember
	for i, x := range list {
		t, ok := x.(map[string]any)
		if !ok {
			return nil, fmt.Errorf("%s entry %d is not a mapping", kind, i+1)
		}
		m := BatchMember{Identifier: batchString(t["identifier"]), Buildspec: batchString(t["buildspec"])}
		if m.Identifier == "" {
			return nil, fmt.Errorf("%s entry %d has no identifier", kind, i+1)
		}
		m.IgnoreFailure, _ = batchBool(t["ignore-failure"])
		if deps, ok := t["depend-on"].([]any); ok {
			for _, d := range deps {
				m.DependOn = append(m.DependOn, batchString(d))
			}
		}
		applyBatchEnv(&m, t["env"])
		out = append(out, m)
	}
	return out, nil
}

// applyBatchEnv sets a member's environment overrides from an env mapping.
func applyBatchEnv(m *BatchMember, v any) {
	env, _ := v.(map[string]any)
	if s := batchString(env["image"]); s != "" {
		m.Image = s
	}
	if s := batchString(env["compute-type"]); s != "" {
		m.ComputeType = s
	}
	if s := batchString(env["type"]); s != "" {
		m.EnvironmentType = s
	}
	if b, ok := batchBool(env["privileged-mode"]); ok {
		m.Privileged = &b
	}
	vars, _ := env["variables"].(map[string]any)
	for _, k := range sortedAnyKeys(vars) {
		m.Variables = append(m.Variables, KeyValue{Key: k, Value: batchString(vars[k])})
	}
}

func batchMatrix(v any) ([]BatchMember, error) {
	mx, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("build-matrix must be a mapping with static and dynamic")
	}
	static, _ := mx["static"].(map[string]any)
	dynamic, _ := mx["dynamic"].(map[string]any)
	base := BatchMember{}
	base.IgnoreFailure, _ = batchBool(static["ignore-failure"])
	applyBatchEnv(&base, static["env"])
	denv, _ := dynamic["env"].(map[string]any)
	// Each dimension sets one field of a member; the builds are their
	// product, in this order.
	type dim struct {
		values []string
		set    func(*BatchMember, string)
	}
	var dims []dim
	add := func(v any, set func(*BatchMember, string)) {
		if l, ok := v.([]any); ok && len(l) > 0 {
			var vals []string
			for _, x := range l {
				vals = append(vals, batchString(x))
			}
			dims = append(dims, dim{vals, set})
		}
	}
	add(dynamic["buildspec"], func(m *BatchMember, s string) { m.Buildspec = s })
	add(denv["image"], func(m *BatchMember, s string) { m.Image = s })
	add(denv["compute-type"], func(m *BatchMember, s string) { m.ComputeType = s })
	vars, _ := denv["variables"].(map[string]any)
	for _, k := range sortedAnyKeys(vars) {
		add(vars[k], func(m *BatchMember, s string) { m.Variables = setKV(m.Variables, k, s) })
	}
	members := []BatchMember{base}
	for _, d := range dims {
		var next []BatchMember
		for _, m := range members {
			for _, val := range d.values {
				c := m
				c.Variables = append([]KeyValue(nil), m.Variables...)
				d.set(&c, val)
				next = append(next, c)
			}
		}
		members = next
	}
	if len(dims) == 0 {
		return nil, fmt.Errorf("build-matrix has no dynamic values to make builds of")
	}
	for i := range members {
		members[i].Identifier = "build" + strconv.Itoa(i+1)
	}
	return members, nil
}

// setKV sets key in an ordered list, replacing an earlier value.
func setKV(kvs []KeyValue, key, value string) []KeyValue {
	for i := range kvs {
		if kvs[i].Key == key {
			kvs[i].Value = value
			return kvs
		}
	}
	return append(kvs, KeyValue{Key: key, Value: value})
}

func batchFanout(v any) ([]BatchMember, error) {
	f, _ := v.(map[string]any)
	n, err := strconv.Atoi(batchString(f["parallelism"]))
	if err != nil || n < 1 {
		return nil, fmt.Errorf("build-fanout needs a parallelism of at least 1")
	}
	ignore, _ := batchBool(f["ignore-failure"])
	out := make([]BatchMember, n)
	for i := range out {
		out[i] = BatchMember{Identifier: "build" + strconv.Itoa(i+1), IgnoreFailure: ignore}
	}
	return out, nil
}

// BatchScalar is a scalar of the batch section as a string (a YAML number
// or boolean read as such is written back as text: environment variables
// are strings).
func BatchScalar(v any) string { return batchString(v) }

func batchString(v any) string {
	switch v := v.(type) {
	case nil:
		return ""
	case string:
		return v
	case float64:
		return strconv.FormatFloat(v, 'f', -1, 64)
	}
	return fmt.Sprint(v)
}

func batchBool(v any) (bool, bool) {
	switch v := v.(type) {
	case bool:
		return v, true
	case string:
		b, err := strconv.ParseBool(v)
		return b, err == nil
	}
	return false, false
}

func sortedAnyKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// batchIDs lists a batch's builds, "a, b (after a)".
func batchIDs(p *BatchPlan) string {
	var parts []string
	for _, m := range p.Members {
		s := m.Identifier
		if len(m.DependOn) > 0 {
			s += " (after " + strings.Join(m.DependOn, ", ") + ")"
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, ", ")
}
