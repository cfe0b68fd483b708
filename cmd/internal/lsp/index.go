package lsp

import (
	"maps"
	"regexp"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/providers"
)

// The index is what the editor features read besides the analysis: every
// declaration of a name and every reference to it, found in the parsed
// files (so it works while the configuration has errors), and the outline
// of each pipeline: stages, actions in order, what each produces.

type symKind int

const (
	symVariable symKind = iota + 1
	symLocal
	symProject
	symPipeline
	symStage
	symAction
	symArtifact     // scope: the pipeline
	symNamespace    // scope: the pipeline
	symPipelineVar  // scope: the pipeline; read as #{variables.NAME}
	symNamespaceVar // scope: the pipeline; name is "NS.VAR"
)

var kindNames = map[symKind]string{
	symVariable: "variable", symLocal: "local value", symProject: "project", symPipeline: "pipeline",
	symStage: "stage", symAction: "action", symArtifact: "artifact", symNamespace: "namespace",
	symPipelineVar: "pipeline variable", symNamespaceVar: "variable",
}

// symbol names one thing; scope is the pipeline label for names that live
// in one pipeline.
type symbol struct {
	kind  symKind
	scope string
	name  string
}

// occurrence is one place a symbol is written: rng covers the name only
// (inside the quotes of a string).
type occurrence struct {
	sym  symbol
	rng  hcl.Range
	decl bool
}

type index struct {
	occs      []occurrence
	pipelines map[string]*pipelineInfo // by label
	projects  map[string]*projectInfo  // by label
	locals    map[string]hcl.Expression
}

type pipelineInfo struct {
	label   string
	actions []*actionInfo // in stage order, then declaration order
	vars    []string      // pipeline variables
}

type projectInfo struct {
	exported []string
}

type actionInfo struct {
	name      string
	stage     string
	stageIdx  int
	runOrder  int
	provider  string // the provider block ("codebuild", "approval", "custom", ...)
	project   string // label of the codebuild project, if a reference
	namespace string
	outputs   []string
	vars      []string // output_variables of a commands action
	block     hcl.Range
}

// before reports whether a runs before b in their pipeline: an earlier
// stage, or the same stage with a lower run order.
func (a *actionInfo) before(b *actionInfo) bool {
	return a.stageIdx < b.stageIdx || a.stageIdx == b.stageIdx && a.runOrder < b.runOrder
}

func newIndex() *index {
	return &index{pipelines: map[string]*pipelineInfo{}, projects: map[string]*projectInfo{}, locals: map[string]hcl.Expression{}}
}

// fileIndex indexes one parsed file. The analysis makes it when it parses
// the file, so an edit indexes only the file that changed.
func fileIndex(name string, f *hcl.File) *index {
	ix := newIndex()
	if f == nil {
		return ix
	}
	body, ok := f.Body.(*hclsyntax.Body)
	if !ok {
		return ix
	}
	if strings.HasSuffix(name, ".pfvars") {
		// NAME = value sets variable NAME.
		for n, a := range body.Attributes {
			ix.add(symVariable, "", n, a.NameRange, false)
		}
		return ix
	}
	ix.file(body, f.Bytes)
	return ix
}

// mergeIndexes joins the indexes of a folder's files, in name order.
func mergeIndexes(parts map[string]*index) *index {
	names := make([]string, 0, len(parts))
	n := 0
	for name, p := range parts {
		names = append(names, name)
		n += len(p.occs)
	}
	sort.Strings(names)
	ix := newIndex()
	ix.occs = make([]occurrence, 0, n)
	for _, name := range names {
		p := parts[name]
		ix.occs = append(ix.occs, p.occs...)
		maps.Copy(ix.pipelines, p.pipelines)
		maps.Copy(ix.projects, p.projects)
		maps.Copy(ix.locals, p.locals)
	}
	return ix
}

func (ix *index) add(k symKind, scope, name string, rng hcl.Range, decl bool) {
	ix.occs = append(ix.occs, occurrence{sym: symbol{k, scope, name}, rng: rng, decl: decl})
}

func (ix *index) file(body *hclsyntax.Body, src []byte) {
	ix.refs(body, "", src)
	for _, b := range body.Blocks {
		switch b.Type {
		case "variable":
			if len(b.Labels) == 1 {
				ix.add(symVariable, "", b.Labels[0], unquote(b.LabelRanges[0], src), true)
			}
		case "locals":
			for name, a := range b.Body.Attributes {
				ix.add(symLocal, "", name, a.NameRange, true)
				ix.locals[name] = a.Expr
			}
		case "project":
			if len(b.Labels) == 1 {
				ix.add(symProject, "", b.Labels[0], unquote(b.LabelRanges[0], src), true)
				ix.projects[b.Labels[0]] = &projectInfo{exported: exportedVars(b.Body)}
			}
		case "pipeline":
			if len(b.Labels) == 1 {
				ix.pipeline(b, src)
			}
		}
	}
}

func (ix *index) pipeline(b *hclsyntax.Block, src []byte) {
	p := &pipelineInfo{label: b.Labels[0]}
	ix.pipelines[p.label] = p
	ix.add(symPipeline, "", p.label, unquote(b.LabelRanges[0], src), true)
	stageIdx := 0
	for _, sb := range b.Body.Blocks {
		switch {
		case sb.Type == "variable" && len(sb.Labels) == 1:
			p.vars = append(p.vars, sb.Labels[0])
			ix.add(symPipelineVar, p.label, sb.Labels[0], unquote(sb.LabelRanges[0], src), true)
		case sb.Type == "stage" && len(sb.Labels) == 1:
			ix.add(symStage, p.label, sb.Labels[0], unquote(sb.LabelRanges[0], src), true)
			for _, ab := range sb.Body.Blocks {
				if ab.Type == "action" && len(ab.Labels) == 1 {
					a := ix.action(p.label, ab, src)
					a.stage, a.stageIdx = sb.Labels[0], stageIdx
					p.actions = append(p.actions, a)
				}
			}
			stageIdx++
		case sb.Type == "trigger":
			if a := sb.Body.Attributes["source_action"]; a != nil {
				if s, rng, ok := stringLit(a.Expr, src); ok {
					ix.add(symAction, p.label, s, rng, false)
				}
			}
		}
	}
}

func (ix *index) action(pipeline string, b *hclsyntax.Block, src []byte) *actionInfo {
	a := &actionInfo{name: b.Labels[0], runOrder: 1, block: b.Range()}
	ix.add(symAction, pipeline, a.name, unquote(b.LabelRanges[0], src), true)
	attrs := b.Body.Attributes
	if attr := attrs["outputs"]; attr != nil {
		for _, e := range listElems(attr.Expr) {
			if s, rng, ok := stringLit(e, src); ok {
				a.outputs = append(a.outputs, s)
				ix.add(symArtifact, pipeline, s, rng, true)
			}
		}
	}
	if attr := attrs["inputs"]; attr != nil {
		for _, e := range listElems(attr.Expr) {
			if s, rng, ok := stringLit(e, src); ok {
				ix.add(symArtifact, pipeline, s, rng, false)
			}
		}
	}
	if attr := attrs["namespace"]; attr != nil {
		if s, rng, ok := stringLit(attr.Expr, src); ok {
			a.namespace = s
			ix.add(symNamespace, pipeline, s, rng, true)
		}
	}
	if attr := attrs["run_order"]; attr != nil {
		if v, diags := attr.Expr.Value(nil); !diags.HasErrors() && v.Type() == cty.Number && v.IsKnown() && !v.IsNull() {
			n, _ := v.AsBigFloat().Int64()
			a.runOrder = int(n)
		}
	}
	if attr := attrs["output_variables"]; attr != nil {
		for _, e := range listElems(attr.Expr) {
			if s, _, ok := stringLit(e, src); ok {
				a.vars = append(a.vars, s)
			}
		}
	}
	if attr := attrs["codebuild"]; attr != nil {
		a.provider, a.project = "codebuild", projectRef(attr.Expr)
	}
	for _, pb := range b.Body.Blocks {
		if pb.Type != "local" && pb.Type != "dynamic" {
			a.provider = pb.Type
			if pa := pb.Body.Attributes["project"]; pa != nil && pb.Type == "codebuild" {
				a.project = projectRef(pa.Expr)
			}
		}
	}
	return a
}

// refs records every reference in the attributes of body and its nested
// blocks: var.x, local.x, project.x and artifact.x traversals, and
// #{NS.VAR} and #{variables.NAME} inside strings. pipeline is the label of
// the enclosing pipeline, "" outside one.
func (ix *index) refs(body *hclsyntax.Body, pipeline string, src []byte) {
	for _, a := range body.Attributes {
		hclsyntax.VisitAll(a.Expr, func(n hclsyntax.Node) hcl.Diagnostics {
			switch e := n.(type) {
			case *hclsyntax.ScopeTraversalExpr:
				ix.traversal(e.Traversal, pipeline)
			case *hclsyntax.TemplateExpr:
				if pipeline != "" {
					ix.variableRefs(e.SrcRange, pipeline, src)
				}
			}
			return nil
		})
	}
	for _, b := range body.Blocks {
		p := pipeline
		if b.Type == "pipeline" && len(b.Labels) == 1 && pipeline == "" {
			p = b.Labels[0]
		}
		ix.refs(b.Body, p, src)
	}
}

var traversalKinds = map[string]symKind{"var": symVariable, "local": symLocal, "project": symProject, "artifact": symArtifact}

func (ix *index) traversal(t hcl.Traversal, pipeline string) {
	if len(t) < 2 {
		return
	}
	k, ok := traversalKinds[t.RootName()]
	attr, isAttr := t[1].(hcl.TraverseAttr)
	if !ok || !isAttr {
		return
	}
	scope := ""
	if k == symArtifact {
		scope = pipeline
	}
	ix.add(k, scope, attr.Name, hcl.Range{Filename: attr.SrcRange.Filename, Start: hclPos(attr.SrcRange.Start, 1), End: attr.SrcRange.End}, false)
}

// hclPos moves p forward by n bytes on its line (past the dot of .name).
func hclPos(p hcl.Pos, n int) hcl.Pos {
	return hcl.Pos{Line: p.Line, Column: p.Column + n, Byte: p.Byte + n}
}

// nsVarRef is CodePipeline's variable syntax, #{Namespace.Variable}.
var nsVarRef = regexp.MustCompile(`#\{([A-Za-z0-9@_-]+)\.([A-Za-z0-9@_.-]+)\}`)

func (ix *index) variableRefs(rng hcl.Range, pipeline string, src []byte) {
	if rng.End.Byte > len(src) || rng.Start.Byte > rng.End.Byte {
		return
	}
	raw := src[rng.Start.Byte:rng.End.Byte]
	for _, m := range nsVarRef.FindAllSubmatchIndex(raw, -1) {
		ns, v := string(raw[m[2]:m[3]]), string(raw[m[4]:m[5]])
		nsRng := subRange(rng, raw, m[2], m[3])
		if ns == "variables" {
			ix.add(symPipelineVar, pipeline, v, subRange(rng, raw, m[4], m[5]), false)
			continue
		}
		ix.add(symNamespace, pipeline, ns, nsRng, false)
		ix.add(symNamespaceVar, pipeline, ns+"."+v, subRange(rng, raw, m[2], m[5]), false)
	}
}

// subRange is the range of raw[i:j], raw being the text of rng.
func subRange(rng hcl.Range, raw []byte, i, j int) hcl.Range {
	return hcl.Range{Filename: rng.Filename, Start: advance(rng.Start, raw[:i]), End: advance(rng.Start, raw[:j])}
}

// advance moves p over b.
func advance(p hcl.Pos, b []byte) hcl.Pos {
	for _, c := range string(b) {
		if c == '\n' {
			p.Line++
			p.Column = 1
		} else {
			p.Column++
		}
	}
	p.Byte += len(b)
	return p
}

// unquote is a label's range without its quotes.
func unquote(rng hcl.Range, src []byte) hcl.Range {
	if rng.End.Byte-rng.Start.Byte >= 2 && rng.End.Byte <= len(src) && src[rng.Start.Byte] == '"' && src[rng.End.Byte-1] == '"' {
		rng.Start = hclPos(rng.Start, 1)
		rng.End = hcl.Pos{Line: rng.End.Line, Column: rng.End.Column - 1, Byte: rng.End.Byte - 1}
	}
	return rng
}

// stringLit returns a plain string literal ("src", no interpolation) and
// the range of its text.
func stringLit(e hclsyntax.Expression, src []byte) (string, hcl.Range, bool) {
	t, ok := e.(*hclsyntax.TemplateExpr)
	if !ok || len(t.Parts) != 1 {
		return "", hcl.Range{}, false
	}
	lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr)
	if !ok || lit.Val.Type() != cty.String {
		return "", hcl.Range{}, false
	}
	return lit.Val.AsString(), unquote(t.SrcRange, src), true
}

func listElems(e hclsyntax.Expression) []hclsyntax.Expression {
	if t, ok := e.(*hclsyntax.TupleConsExpr); ok {
		return t.Exprs
	}
	return nil
}

// projectRef is the label of a project.x reference, or "".
func projectRef(e hclsyntax.Expression) string {
	st, ok := e.(*hclsyntax.ScopeTraversalExpr)
	if !ok || st.Traversal.RootName() != "project" || len(st.Traversal) < 2 {
		return ""
	}
	if a, ok := st.Traversal[1].(hcl.TraverseAttr); ok {
		return a.Name
	}
	return ""
}

// exportedVars lists a project's env { exported = [...] }.
func exportedVars(body *hclsyntax.Body) []string {
	var out []string
	for _, b := range body.Blocks {
		if b.Type != "env" {
			continue
		}
		if a := b.Body.Attributes["exported"]; a != nil {
			for _, e := range listElems(a.Expr) {
				if t, ok := e.(*hclsyntax.TemplateExpr); ok && len(t.Parts) == 1 {
					if lit, ok := t.Parts[0].(*hclsyntax.LiteralValueExpr); ok && lit.Val.Type() == cty.String {
						out = append(out, lit.Val.AsString())
					}
				}
			}
		}
	}
	return out
}

// at returns the occurrence whose range holds the byte offset in file.
func (ix *index) at(file string, off int) (occurrence, bool) {
	for _, o := range ix.occs {
		// In #{NS.VAR} the namespace's occurrence comes first, so the
		// cursor on NS finds the namespace and on VAR the variable.
		if o.rng.Filename == file && o.rng.Start.Byte <= off && off <= o.rng.End.Byte {
			return o, true
		}
	}
	return occurrence{}, false
}

// of lists the occurrences of sym.
func (ix *index) of(sym symbol) []occurrence {
	var out []occurrence
	for _, o := range ix.occs {
		if o.sym == sym {
			out = append(out, o)
		}
	}
	return out
}

// actionAt returns the pipeline and action whose block holds the offset.
func (ix *index) actionAt(file string, off int) (*pipelineInfo, *actionInfo) {
	for _, p := range ix.pipelines {
		for _, a := range p.actions {
			if a.block.Filename == file && a.block.Start.Byte <= off && off <= a.block.End.Byte {
				return p, a
			}
		}
	}
	return nil, nil
}

// exports lists the variables an action produces, as far as the source
// says: its provider's documented variables, the exported variables of its
// CodeBuild project, or its output_variables.
func (ix *index) exports(a *actionInfo) []string {
	out := append([]string(nil), a.vars...)
	if p := ix.projects[a.project]; p != nil && a.provider == "codebuild" {
		out = append(out, p.exported...)
	}
	if prov := lookupProvider(a.provider); prov != nil {
		out = append(out, prov.Variables...)
	}
	sort.Strings(out)
	return out
}

// lookupProvider is the catalog entry of a provider block, or nil.
func lookupProvider(block string) *providers.Provider { return providers.Lookup(block) }
