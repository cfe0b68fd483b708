package lang

import (
	"sort"

	"github.com/hashicorp/hcl/v2"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
)

// DefaultTriggerProvider is the provider_type of a trigger that names none.
const DefaultTriggerProvider = "CodeStarSourceConnection"

// stageInst and actionInst are expanded stage and action blocks awaiting
// their second decoding pass.
type stageInst struct {
	block   *hcl.Block
	decl    hcl.Range // the DeclRange (see rawOrDynamic)
	inst    *instance
	actions []*actionInst
}

type actionInst struct {
	block   *hcl.Block
	decl    hcl.Range // the DeclRange (see rawOrDynamic)
	body    hcl.Body  // the raw body, for its source range
	inst    *instance
	outputs []*config.ArtifactName
}

func (l *loader) decodePipelines(blocks hcl.Blocks) []*config.Pipeline {
	names := newDupCheck("pipeline")
	decoded := make([]*config.Pipeline, len(blocks))
	labels := make([]hcl.Range, len(blocks))
	l.decodeEach(len(blocks), func(sub *loader, i int) {
		decoded[i], labels[i] = sub.decodePipelineCached(sub.undefer(blocks[i])), blocks[i].LabelRanges[0]
		blocks[i] = nil // nothing reads the block again: let its tree go
	})
	var out []*config.Pipeline
	for i, p := range decoded {
		if names.add(l, p.Name, p.Ranges.Rng("name", labels[i])) {
			out = append(out, p)
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// decodePipeline decodes a pipeline in two passes: the first expands stages
// and actions and reads every action's outputs, which define the names
// artifact.* may use; the second decodes everything else.
func (l *loader) decodePipeline(b *hcl.Block) *config.Pipeline {
	pctx := l.root.NewChild()
	pctx.Variables = map[string]cty.Value{"artifact": cty.EmptyObjectVal}
	ps := &pipeScope{artifacts: map[string]bool{}}
	sc := &scope{ctx: pctx, projects: true, pipe: ps, output: true}
	c, diags := l.expandDynamic(b.Body, pctx).Content(pipelineSchema)
	l.diags = append(l.diags, dynamicDiags(diags, pipelineSchema)...)

	stages := l.expandStages(b, c, sc)
	arts := map[string]cty.Value{}
	for _, s := range stages {
		for _, a := range s.actions {
			a.outputs = l.artifactNames(a.inst.content.Attributes["outputs"], a.inst.sc)
			for _, o := range a.outputs {
				ps.artifacts[o.Name] = true
				arts[o.Name] = cty.StringVal(o.Name)
			}
		}
	}
	ps.ready = true
	pctx.Variables["artifact"] = cty.ObjectVal(arts)

	a := c.Attributes
	p := &config.Pipeline{
		Name:          b.Labels[0],
		Type:          l.str(a, "type", sc),
		ExecutionMode: l.str(a, "execution_mode", sc),
		RoleARN:       l.str(a, "role_arn", sc),
		Region:        l.str(a, "region", sc),
		Tags:          l.strMap(a, "tags", sc),
		DeclRange:     b.DefRange,
		Ranges:        ranges(c),
	}
	if name, ok := l.strOK(a, "name", sc); ok {
		p.Name = name
	}
	vars := newDupCheck("pipeline variable")
	notes := newDupCheck("notification")
	for _, blk := range c.Blocks {
		switch blk.Type {
		case "artifact_store":
			bc := l.content(blk, artifactStoreSchema)
			p.ArtifactStores = append(p.ArtifactStores, &config.ArtifactStore{
				Location:      l.str(bc.Attributes, "location", sc),
				EncryptionKey: l.str(bc.Attributes, "encryption_key", sc),
				Region:        l.str(bc.Attributes, "region", sc),
				DeclRange:     blk.DefRange,
				Ranges:        ranges(bc),
			})
		case "variable":
			if vars.add(l, blk.Labels[0], blk.LabelRanges[0]) {
				p.Variables = append(p.Variables, l.decodePipelineVariable(blk, sc))
			}
		case "trigger":
			p.Triggers = append(p.Triggers, l.decodeTrigger(blk, sc))
		case "role_statement":
			bc := l.content(blk, roleStatementSchema)
			p.RoleStatements = append(p.RoleStatements, &config.RoleStatement{
				Sid:       l.str(bc.Attributes, "sid", sc),
				Effect:    l.str(bc.Attributes, "effect", sc),
				Actions:   l.strList(bc.Attributes, "actions", sc),
				Resources: l.strList(bc.Attributes, "resources", sc),
				DeclRange: blk.DefRange,
				Ranges:    ranges(bc),
			})
		case "notification":
			if notes.add(l, blk.Labels[0], blk.LabelRanges[0]) {
				bc := l.content(blk, notificationSchema)
				p.Notifications = append(p.Notifications, &config.Notification{
					Name:        blk.Labels[0],
					DetailTypes: l.strList(bc.Attributes, "detail_types", sc),
					States:      l.strList(bc.Attributes, "states", sc),
					TargetARN:   l.str(bc.Attributes, "target_arn", sc),
					DeclRange:   blk.DefRange,
					Ranges:      ranges(bc),
				})
			}
		}
	}
	stageNames := newDupCheck("stage")
	for _, s := range stages {
		st := l.decodeStage(s)
		if stageNames.add(l, st.Name, st.NameRange) {
			p.Stages = append(p.Stages, st)
		}
	}
	return p
}

// expandStages expands the stage blocks and, inside each instance, the
// action blocks.
func (l *loader) expandStages(b *hcl.Block, c *hcl.BodyContent, sc *scope) []*stageInst {
	var out []*stageInst
	index := syntaxBodies(b.Body)
	dyn := newDynamicIndex(b.Body)
	for _, sb := range c.Blocks {
		if sb.Type != "stage" {
			continue
		}
		raw, ssc, sdecl := l.rawOrDynamic(index, dyn, sb, sc)
		actionIndex := syntaxBodies(raw)
		for _, inst := range l.expand(raw, stageSchema, ssc) {
			s := &stageInst{block: sb, decl: sdecl, inst: inst}
			// Per instance: the generated actions are counted afresh.
			actionDyn := newDynamicIndex(raw)
			for _, ab := range inst.content.Blocks {
				if ab.Type != "action" {
					continue
				}
				raw, asc, adecl := l.rawOrDynamic(actionIndex, actionDyn, ab, inst.sc)
				for _, ai := range l.expand(raw, actionSchema, asc) {
					s.actions = append(s.actions, &actionInst{block: ab, decl: adecl, body: raw, inst: ai})
				}
			}
			out = append(out, s)
		}
	}
	return out
}

// artifactNames reads a list of artifact names, keeping each element's
// range when the list is written out.
func (l *loader) artifactNames(attr *hcl.Attribute, sc *scope) []*config.ArtifactName {
	if attr == nil {
		return nil
	}
	names, ok := l.strListOK(hcl.Attributes{attr.Name: attr}, attr.Name, sc)
	if !ok {
		return nil
	}
	rngs := elementRanges(attr.Expr)
	out := make([]*config.ArtifactName, len(names))
	for i, n := range names {
		r := attr.Expr.Range()
		if len(rngs) == len(names) {
			r = rngs[i]
		}
		out[i] = &config.ArtifactName{Name: n, Range: r}
	}
	return out
}

// inputNames reads the inputs of an action or rule: artifact names given
// as strings resolve exactly like artifact.NAME, so a name no action of
// the pipeline outputs is an "Unknown artifact" at its element (whether it
// is produced before its consumer is the compiler's artifact-order check,
// for both forms alike).
func (l *loader) inputNames(attr *hcl.Attribute, sc *scope) []*config.ArtifactName {
	names := l.artifactNames(attr, sc)
	if sc.pipe == nil || !sc.pipe.ready {
		return names
	}
	out := names[:0]
	for _, n := range names {
		if !sc.pipe.artifacts[n.Name] {
			l.unknownArtifact(n.Range, n.Name, sc)
			continue
		}
		out = append(out, n)
	}
	return out
}

func (l *loader) decodePipelineVariable(b *hcl.Block, sc *scope) *config.PipelineVariable {
	c := l.content(b, pipelineVariableSchema)
	v := &config.PipelineVariable{
		Name:        b.Labels[0],
		Description: l.str(c.Attributes, "description", sc),
		DeclRange:   b.DefRange,
		Ranges:      ranges(c),
	}
	v.Default, v.HasDefault, v.Sensitive = l.strSensitive(c.Attributes, "default", sc)
	return v
}

func (l *loader) decodeTrigger(b *hcl.Block, sc *scope) *config.Trigger {
	c := l.content(b, triggerSchema)
	t := &config.Trigger{
		ProviderType:     l.str(c.Attributes, "provider_type", sc),
		SourceActionName: l.str(c.Attributes, "source_action", sc),
		DeclRange:        b.DefRange,
		Ranges:           ranges(c),
	}
	if t.ProviderType == "" {
		t.ProviderType = DefaultTriggerProvider
	}
	for _, fb := range c.Blocks {
		schema := pushSchema
		if fb.Type == "pull_request" {
			schema = pullRequestSchema
		}
		fc := l.content(fb, schema)
		f := &config.GitFilter{Events: l.strList(fc.Attributes, "events", sc), DeclRange: fb.DefRange, Ranges: ranges(fc)}
		single := newDupCheck("block")
		for _, ib := range fc.Blocks {
			if !single.add(l, ib.Type, ib.DefRange) {
				continue
			}
			ic := l.content(ib, includeExcludeSchema)
			ie := &config.IncludeExclude{
				Includes:  l.strList(ic.Attributes, "includes", sc),
				Excludes:  l.strList(ic.Attributes, "excludes", sc),
				DeclRange: ib.DefRange,
				Ranges:    ranges(ic),
			}
			switch ib.Type {
			case "branches":
				f.Branches = ie
			case "tags":
				f.Tags = ie
			case "file_paths":
				f.FilePaths = ie
			}
		}
		if fb.Type == "push" {
			t.Push = append(t.Push, f)
		} else {
			t.PullRequest = append(t.PullRequest, f)
		}
	}
	return t
}

func (l *loader) decodeStage(s *stageInst) *config.Stage {
	c, sc := s.inst.content, s.inst.sc
	st := &config.Stage{
		Name:      l.instanceName(s.block.Labels[0], s.inst),
		Label:     s.block.Labels[0],
		Key:       s.inst.key,
		DeclRange: s.decl,
		NameRange: nameOrLabel(c, s.block),
		Ranges:    ranges(c),
	}
	single := newDupCheck("block")
	for _, b := range c.Blocks {
		if b.Type == "action" || !single.add(l, b.Type, b.DefRange) {
			continue
		}
		switch b.Type {
		case "on_failure":
			bc := l.content(b, onFailureSchema)
			st.OnFailure = &config.FailureConditions{
				Result:     l.str(bc.Attributes, "result", sc),
				RetryMode:  l.str(bc.Attributes, "retry_mode", sc),
				Conditions: l.decodeConditions(b, bc, sc),
				Ranges:     ranges(bc),
			}
		case "on_success":
			c := l.decodeConditions(b, l.content(b, conditionsSchema), sc)
			st.OnSuccess = &c
		case "before_entry":
			c := l.decodeConditions(b, l.content(b, conditionsSchema), sc)
			st.BeforeEntry = &c
		}
	}
	names := newDupCheck("action")
	for _, a := range s.actions {
		act := l.decodeAction(a)
		if names.add(l, act.Name, act.NameRange) {
			st.Actions = append(st.Actions, act)
		}
	}
	return st
}

func (l *loader) decodeConditions(b *hcl.Block, c *hcl.BodyContent, sc *scope) config.Conditions {
	out := config.Conditions{DeclRange: b.DefRange}
	for _, cb := range c.Blocks {
		if cb.Type != "condition" {
			continue
		}
		cc := l.content(cb, conditionSchema)
		cond := &config.Condition{Result: l.str(cc.Attributes, "result", sc), DeclRange: cb.DefRange, Ranges: ranges(cc)}
		rules := newDupCheck("rule")
		for _, rb := range cc.Blocks {
			if !rules.add(l, rb.Labels[0], rb.LabelRanges[0]) {
				continue
			}
			rc := l.content(rb, ruleSchema)
			r := &config.Rule{
				Name:          rb.Labels[0],
				Provider:      l.str(rc.Attributes, "provider", sc),
				Configuration: l.strMap(rc.Attributes, "configuration", sc),
				Commands:      l.strList(rc.Attributes, "commands", sc),
				RoleARN:       l.str(rc.Attributes, "role_arn", sc),
				Region:        l.str(rc.Attributes, "region", sc),
				DeclRange:     rb.DefRange,
				Ranges:        ranges(rc),
			}
			for _, n := range l.inputNames(rc.Attributes["inputs"], sc) {
				r.InputArtifacts = append(r.InputArtifacts, n.Name)
			}
			cond.Rules = append(cond.Rules, r)
		}
		out.Conditions = append(out.Conditions, cond)
	}
	return out
}
