package lang

import (
	"slices"
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/providers"
)

// providerBlocks are the names an action's provider can be written with.
var providerBlocks = append(providers.Blocks(), providers.CustomBlock)

func (l *loader) decodeAction(ai *actionInst) *config.Action {
	c, sc := ai.inst.content, ai.inst.sc
	a := c.Attributes
	act := &config.Action{
		Name:             l.instanceName(ai.block.Labels[0], ai.inst),
		Label:            ai.block.Labels[0],
		Key:              ai.inst.key,
		Inputs:           l.inputNames(a["inputs"], sc),
		Outputs:          ai.outputs,
		OutputFiles:      l.strList(a, "output_files", sc),
		Namespace:        l.str(a, "namespace", sc),
		RunOrder:         l.integer(a, "run_order", sc),
		Region:           l.str(a, "region", sc),
		RoleARN:          l.str(a, "role_arn", sc),
		TimeoutInMinutes: l.integer(a, "timeout_in_minutes", sc),
		Commands:         l.strList(a, "commands", sc),
		OutputVariables:  l.strList(a, "output_variables", sc),
		DeclRange:        ai.decl,
		NameRange:        nameOrLabel(c, ai.block),
		Ranges:           ranges(c),
		VarTexts:         varTexts(c),
	}
	env, sensitive := l.strMapSensitive(a, "environment_variables", sc)
	for _, k := range sortedNames(env) {
		act.EnvironmentVariables = append(act.EnvironmentVariables, &config.EnvironmentVariable{Name: k, Value: env[k], Type: "PLAINTEXT"})
	}
	var local *hcl.Block
	for _, b := range c.Blocks {
		if b.Type != "local" {
			continue
		}
		if local != nil {
			l.errorf(b.DefRange, "Duplicate block", "An action has at most one local block; the first is at %s.", shortPos(local.DefRange))
			continue
		}
		local = b
		lc := l.content(b, localSchema)
		act.Local = &config.Local{
			Commands:  l.strList(lc.Attributes, "commands", sc),
			Shell:     l.str(lc.Attributes, "shell", sc),
			DeclRange: b.DefRange,
		}
	}
	act.Provider = l.decodeProvider(ai, c, sc)
	if act.Provider != nil {
		sensitive = append(sensitive, act.Provider.SensitiveEnv...)
	}
	sort.Strings(sensitive)
	act.SensitiveEnvironment = slices.Compact(sensitive)
	return act
}

// decodeProvider finds the action's one provider (a typed block, custom, or
// the codebuild = project.x shorthand) and decodes it.
func (l *loader) decodeProvider(ai *actionInst, c *hcl.BodyContent, sc *scope) *config.Provider {
	type candidate struct {
		kind  string
		rng   hcl.Range
		block *hcl.Block
		attr  *hcl.Attribute
	}
	var found []candidate
	if a := c.Attributes["codebuild"]; a != nil {
		found = append(found, candidate{kind: "codebuild", rng: a.NameRange, attr: a})
	}
	for _, b := range c.Blocks {
		if b.Type != "local" {
			found = append(found, candidate{kind: b.Type, rng: b.DefRange, block: b})
		}
	}
	sort.SliceStable(found, func(i, j int) bool { return found[i].rng.Start.Byte < found[j].rng.Start.Byte })
	if len(found) == 0 {
		if l.syntaxErrorIn(ai.body) {
			// The provider block is most likely the part that did not parse.
			return nil
		}
		l.errorf(ai.decl, "Missing action provider",
			"An action needs exactly one provider block saying what it runs, for example codebuild { project = project.test } or the shorthand codebuild = project.test. The provider blocks are: %s.",
			quoteList(providerBlocks))
		return nil
	}
	for _, extra := range found[1:] {
		l.errorf(extra.rng, "Multiple action providers",
			"This action already uses %s at %s; an action has exactly one provider. Split it into two actions.",
			found[0].kind, shortPos(found[0].rng))
	}
	f := found[0]
	if f.attr != nil {
		p := &config.Provider{Kind: "codebuild", Attrs: map[string]cty.Value{}, DeclRange: f.attr.Range,
			Ranges: config.Ranges{{Name: "project", Range: f.attr.Expr.Range()}}}
		p.Project = l.projectName(f.attr, sc)
		p.Attrs["project"] = cty.StringVal(p.Project)
		return p
	}
	if f.kind == providers.CustomBlock {
		return l.decodeCustom(f.block, sc)
	}
	return l.decodeTypedProvider(f.block, sc)
}

func (l *loader) decodeTypedProvider(b *hcl.Block, sc *scope) *config.Provider {
	cat := providers.Lookup(b.Type)
	c := l.content(b, providerSchemas[b.Type])
	p := &config.Provider{Kind: b.Type, Attrs: map[string]cty.Value{}, DeclRange: b.DefRange, Ranges: ranges(c), VarTexts: varTexts(c)}
	for _, name := range sortedNames(c.Attributes) {
		attr := c.Attributes[name]
		if b.Type == "codebuild" && name == "project" {
			p.Project = l.projectName(attr, sc)
			p.Attrs[name] = cty.StringVal(p.Project)
			continue
		}
		def := cat.Attr(name)
		v, paths, ok := l.evalAsPaths(attr, def.Type, sc)
		if !ok {
			continue
		}
		p.Attrs[name] = v
		if name == "environment_variables" && len(paths) > 0 && v.Type().IsMapType() {
			env := map[string]string{}
			for k, e := range v.AsValueMap() {
				if !e.IsNull() && e.Type() == cty.String {
					env[k] = e.AsString()
				}
			}
			p.SensitiveEnv = sensitiveKeys(paths, env)
		}
	}
	return p
}

func (l *loader) decodeCustom(b *hcl.Block, sc *scope) *config.Provider {
	c := l.content(b, customSchema)
	a := c.Attributes
	p := &config.Provider{
		Kind:         providers.CustomBlock,
		Attrs:        map[string]cty.Value{},
		Category:     l.str(a, "category", sc),
		Owner:        l.str(a, "owner", sc),
		ProviderName: l.str(a, "provider", sc),
		Version:      l.str(a, "version", sc),
		DeclRange:    b.DefRange,
		Ranges:       ranges(c),
		VarTexts:     varTexts(c),
	}
	conf := map[string]cty.Value{}
	for k, v := range l.strMap(a, "configuration", sc) {
		conf[k] = cty.StringVal(v)
	}
	if len(conf) == 0 {
		p.Attrs["configuration"] = cty.MapValEmpty(cty.String)
	} else {
		p.Attrs["configuration"] = cty.MapVal(conf)
	}
	return p
}

// projectName reads a codebuild project reference: a project object
// (project.test, project.deploy["eu"]) or a project name string.
func (l *loader) projectName(attr *hcl.Attribute, sc *scope) string {
	v := l.eval(attr.Expr, sc)
	if !v.IsWhollyKnown() {
		return ""
	}
	ty := v.Type()
	switch {
	case v.IsNull():
	case ty == cty.String:
		return v.AsString()
	case ty.IsObjectType() && ty.HasAttribute("name") && ty.AttributeType("name") == cty.String:
		if n := v.GetAttr("name"); !n.IsNull() {
			return n.AsString()
		}
	case ty.IsMapType():
		l.errorf(attr.Expr.Range(), "Invalid project reference",
			"This project has for_each, so a reference must pick one instance, like project.example[\"key\"] or project.example[each.key].")
		return ""
	}
	l.errorf(attr.Expr.Range(), "Invalid project reference",
		"The codebuild provider needs a project, like project.test, or a project name string; this value is %s.", friendly(v))
	return ""
}
