package compiler

import (
	"bytes"
	"encoding/json"
	"sort"
	"strings"

	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/providers"
)

// lowerAction builds one action node: its ActionTypeId from the provider
// catalog, its configuration strings, its project and its artifacts (without
// producers; link sets those).
func lowerAction(ca *config.Action, projects map[string]*graph.Project) *graph.Action {
	a := &graph.Action{
		Name:                 ca.Name,
		Namespace:            ca.Namespace,
		RunOrder:             ca.RunOrder,
		Region:               ca.Region,
		RoleARN:              ca.RoleARN,
		TimeoutInMinutes:     ca.TimeoutInMinutes,
		Commands:             copyStrings(ca.Commands),
		OutputVariables:      copyStrings(ca.OutputVariables),
		OutputFiles:          copyStrings(ca.OutputFiles),
		SensitiveEnvironment: copyStrings(ca.SensitiveEnvironment),
		Configuration:        map[string]string{},
		DeclRange:            ca.DeclRange,
	}
	if a.RunOrder == 0 && !ca.Ranges.Has("run_order") {
		a.RunOrder = 1 // a written 0 stays, for checkRunOrder
	}
	for _, ev := range ca.EnvironmentVariables {
		t := ev.Type
		if t == "" {
			t = "PLAINTEXT"
		}
		a.EnvironmentVariables = append(a.EnvironmentVariables, &graph.EnvironmentVariable{Name: ev.Name, Value: ev.Value, Type: t})
	}
	for _, in := range ca.Inputs {
		a.Inputs = append(a.Inputs, &graph.ArtifactRef{Name: in.Name, Range: in.Range})
	}
	for _, o := range ca.Outputs {
		a.Outputs = append(a.Outputs, &graph.ArtifactRef{Name: o.Name, Range: o.Range, Producer: a})
	}
	if ca.Local != nil {
		a.Local = &graph.Local{Commands: copyStrings(ca.Local.Commands), Shell: ca.Local.Shell}
	}
	if ca.Provider != nil { // the decoder guarantees a provider
		lowerProvider(a, ca, projects)
	}
	return a
}

// lowerProvider sets the action's type, configuration, project and
// exported variables from its provider block.
func lowerProvider(a *graph.Action, ca *config.Action, projects map[string]*graph.Project) {
	pv := ca.Provider
	a.Block = pv.Kind
	if pv.Kind == providers.CustomBlock {
		a.Type = graph.ActionType{Category: pv.Category, Owner: pv.Owner, Provider: pv.ProviderName, Version: pv.Version}
		if a.Type.Version == "" {
			a.Type.Version = "1"
		}
		if v, ok := pv.Attrs["configuration"]; ok && v.IsKnown() && !v.IsNull() && v.CanIterateElements() {
			for k, e := range v.AsValueMap() {
				a.Configuration[k] = encodeString(e)
			}
		}
		return
	}
	prov := providers.Lookup(pv.Kind)
	if prov == nil {
		return
	}
	a.Type = graph.ActionType{Category: prov.Category, Owner: prov.Owner, Provider: prov.Provider, Version: prov.Version}
	a.Variables = copyStrings(prov.Variables)
	for _, attr := range prov.Attrs {
		v, ok := pv.Attrs[attr.Name]
		if !ok || v.IsNull() || !v.IsKnown() {
			continue
		}
		if attr.Encoding == providers.Special {
			if attr.Name == "category" && pv.Kind == "codebuild" {
				a.Type.Category = encodeString(v)
			}
			continue
		}
		a.Configuration[attr.Key] = encodeValue(v, attr.Encoding, pv.Kind == "codebuild")
	}
	switch pv.Kind {
	case "codebuild":
		a.Configuration["ProjectName"] = pv.Project
		a.Project = projects[pv.Project]
		if a.Project != nil && a.Project.Buildspec.Env != nil {
			a.Variables = copyStrings(a.Project.Buildspec.Env.ExportedVariables)
		}
	case "commands":
		a.Variables = copyStrings(ca.OutputVariables)
	}
}

// encodeValue turns an attribute value into its configuration string.
func encodeValue(v cty.Value, enc providers.Encoding, withType bool) string {
	switch enc {
	case providers.Bool:
		if v.Type() == cty.Bool {
			if v.True() {
				return "true"
			}
			return "false"
		}
	case providers.Number:
		if v.Type() == cty.Number {
			return v.AsBigFloat().Text('f', -1)
		}
	case providers.CommaList:
		if v.CanIterateElements() {
			var parts []string
			for it := v.ElementIterator(); it.Next(); {
				_, e := it.Element()
				parts = append(parts, encodeString(e))
			}
			return strings.Join(parts, ",")
		}
	case providers.JSON:
		return compactJSON(ctyToGo(v))
	case providers.NameValueJSON:
		return nameValueJSON(v, withType)
	}
	return encodeString(v)
}

// encodeString renders a primitive value as a string.
func encodeString(v cty.Value) string {
	if v.IsNull() || !v.IsKnown() {
		return ""
	}
	switch v.Type() {
	case cty.String:
		return v.AsString()
	case cty.Bool:
		if v.True() {
			return "true"
		}
		return "false"
	case cty.Number:
		return v.AsBigFloat().Text('f', -1)
	}
	return compactJSON(ctyToGo(v))
}

// nameValueJSON writes a map of strings as CodePipeline's
// [{"name":…,"value":…,"type":"PLAINTEXT"}], names sorted.
func nameValueJSON(v cty.Value, withType bool) string {
	type nv struct {
		Name  string `json:"name"`
		Value string `json:"value"`
		Type  string `json:"type,omitempty"`
	}
	var list []nv
	if v.CanIterateElements() {
		for it := v.ElementIterator(); it.Next(); {
			k, e := it.Element()
			item := nv{Name: encodeString(k), Value: encodeString(e)}
			if withType {
				item.Type = "PLAINTEXT"
			}
			list = append(list, item)
		}
	}
	sort.Slice(list, func(i, j int) bool { return list[i].Name < list[j].Name })
	if list == nil {
		list = []nv{}
	}
	return compactJSON(list)
}

// ctyToGo converts a known value to plain Go values for encoding/json.
func ctyToGo(v cty.Value) any {
	if v.IsNull() || !v.IsKnown() {
		return nil
	}
	t := v.Type()
	switch {
	case t == cty.String:
		return v.AsString()
	case t == cty.Bool:
		return v.True()
	case t == cty.Number:
		return json.Number(v.AsBigFloat().Text('f', -1))
	case t.IsMapType() || t.IsObjectType():
		m := map[string]any{}
		for k, e := range v.AsValueMap() {
			m[k] = ctyToGo(e)
		}
		return m
	case v.CanIterateElements():
		out := []any{}
		for it := v.ElementIterator(); it.Next(); {
			_, e := it.Element()
			out = append(out, ctyToGo(e))
		}
		return out
	}
	return nil
}

// compactJSON encodes v without HTML escaping (encoding/json sorts map keys).
func compactJSON(v any) string {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return ""
	}
	return strings.TrimSuffix(buf.String(), "\n")
}
