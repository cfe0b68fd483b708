package lang

import (
	"fmt"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
)

// decodeBatch reads a project's batch block: the buildspec's batch section
// and the project's BuildBatchConfig.
func (l *loader) decodeBatch(b *hcl.Block, sc *scope) *config.Batch {
	c := l.content(b, batchSchema)
	a := c.Attributes
	bt := &config.Batch{
		Kind:                l.str(a, "kind", sc),
		FastFail:            l.boolPtr(a, "fast_fail", sc),
		CombineArtifacts:    l.boolPtr(a, "combine_artifacts", sc),
		Timeout:             l.integer(a, "timeout", sc),
		ReportMode:          l.str(a, "report_mode", sc),
		MaximumBuilds:       l.integer(a, "maximum_builds", sc),
		ComputeTypesAllowed: l.strList(a, "compute_types_allowed", sc),
		DeclRange:           b.DefRange,
		Ranges:              ranges(c),
	}
	builds := newDupCheck("batch build")
	single := newDupCheck("block")
	for _, x := range c.Blocks {
		switch x.Type {
		case "build":
			if builds.add(l, x.Labels[0], x.LabelRanges[0]) {
				bt.Builds = append(bt.Builds, l.decodeBatchBuild(x, sc))
			}
		case "matrix":
			if single.add(l, x.Type, x.DefRange) {
				bt.Matrix = l.decodeBatchMatrix(x, sc)
			}
		case "fanout":
			if single.add(l, x.Type, x.DefRange) {
				fc := l.content(x, batchFanoutSchema)
				bt.Fanout = &config.BatchFanout{
					Parallelism:   l.integer(fc.Attributes, "parallelism", sc),
					IgnoreFailure: l.boolPtr(fc.Attributes, "ignore_failure", sc),
					DeclRange:     x.DefRange,
					Ranges:        ranges(fc),
				}
			}
		}
	}
	return bt
}

func (l *loader) decodeBatchBuild(b *hcl.Block, sc *scope) *config.BatchBuild {
	c := l.content(b, batchBuildSchema)
	a := c.Attributes
	bb := &config.BatchBuild{
		Identifier:    b.Labels[0],
		Buildspec:     l.str(a, "buildspec", sc),
		DependOn:      l.strList(a, "depend_on", sc),
		IgnoreFailure: l.boolPtr(a, "ignore_failure", sc),
		DebugSession:  l.boolPtr(a, "debug_session", sc),
		DeclRange:     b.DefRange,
		Ranges:        ranges(c),
	}
	for _, x := range c.Blocks {
		bb.Env = l.decodeBatchEnv(x, sc)
	}
	return bb
}

func (l *loader) decodeBatchEnv(b *hcl.Block, sc *scope) *config.BatchEnv {
	c := l.content(b, batchEnvSchema)
	a := c.Attributes
	return &config.BatchEnv{
		ComputeType:    l.str(a, "compute_type", sc),
		Image:          l.str(a, "image", sc),
		Type:           l.str(a, "type", sc),
		Fleet:          l.str(a, "fleet", sc),
		PrivilegedMode: l.boolPtr(a, "privileged_mode", sc),
		Variables:      l.strMap(a, "variables", sc),
		DeclRange:      b.DefRange,
		Ranges:         ranges(c),
	}
}

func (l *loader) decodeBatchMatrix(b *hcl.Block, sc *scope) *config.BatchMatrix {
	c := l.content(b, batchMatrixSchema)
	m := &config.BatchMatrix{DeclRange: b.DefRange, Ranges: ranges(c)}
	for _, x := range c.Blocks {
		switch x.Type {
		case "static":
			sc2 := l.content(x, batchStaticSchema)
			m.IgnoreFailure = l.boolPtr(sc2.Attributes, "ignore_failure", sc)
			m.DebugSession = l.boolPtr(sc2.Attributes, "debug_session", sc)
			for _, e := range sc2.Blocks {
				m.StaticEnv = l.decodeBatchEnv(e, sc)
			}
		case "values":
			vc := l.content(x, batchValuesSchema)
			m.Buildspecs = l.strList(vc.Attributes, "buildspec", sc)
			m.DynamicEnv = &config.BatchEnv{
				ComputeTypes:    l.strList(vc.Attributes, "compute_type", sc),
				Images:          l.strList(vc.Attributes, "image", sc),
				MatrixVariables: l.strListMap(vc.Attributes, "variables", sc),
				DeclRange:       x.DefRange,
				Ranges:          ranges(vc),
			}
		}
	}
	return m
}

// strListMap reads a map of string lists, such as a matrix's variables.
func (l *loader) strListMap(attrs hcl.Attributes, name string, sc *scope) map[string][]string {
	a := attrs[name]
	if a == nil {
		return nil
	}
	v, ok := l.evalAs(a, cty.Map(cty.List(cty.String)), sc)
	if !ok {
		return nil
	}
	out := map[string][]string{}
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if e.IsNull() {
			l.typeError(a, fmt.Sprintf("the value of %q must not be null", k.AsString()))
			return nil
		}
		var vals []string
		for it2 := e.ElementIterator(); it2.Next(); {
			_, x := it2.Element()
			if x.IsNull() {
				l.typeError(a, fmt.Sprintf("the list %q must not contain null", k.AsString()))
				return nil
			}
			vals = append(vals, x.AsString())
		}
		out[k.AsString()] = vals
	}
	return out
}
