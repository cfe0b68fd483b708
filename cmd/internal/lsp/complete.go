package lsp

import (
	"context"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"go.lsp.dev/protocol"

	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/lang/providers"
)

func (s *server) Completion(ctx context.Context, p *protocol.CompletionParams) (protocol.CompletionResult, error) {
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return protocol.CompletionItemSlice{}, nil
	}
	t := snap.texts[name]
	items := complete(snap, name, t.src, t.offset(p.Position))
	if items == nil {
		items = []protocol.CompletionItem{}
	}
	return protocol.CompletionItemSlice(items), nil
}

var (
	// refPrefix is a reference being typed: var.na, artifact.
	refPrefix = regexp.MustCompile(`\b(var|local|project|artifact|each)\.([A-Za-z0-9_-]*)$`)
	// nsPrefix is a #{Namespace.VAR} being typed inside a string.
	nsPrefix = regexp.MustCompile(`#\{([A-Za-z0-9@_-]*)(\.[A-Za-z0-9@_.-]*)?$`)
)

// complete lists what may be written at byte offset off of file.
func complete(snap *snapshot, file string, src []byte, off int) []protocol.CompletionItem {
	c := contextAt(src, off)
	ix := snap.index()
	switch {
	case c.inString && nsPrefix.MatchString(c.line):
		m := nsPrefix.FindStringSubmatch(c.line)
		return completeNamespace(ix, file, off, m[1], m[2] != "")
	case c.inString && c.attr != "":
		return enumItems(c, false)
	case c.attr != "":
		if m := refPrefix.FindStringSubmatch(c.line); m != nil {
			if m[1] == "each" && !c.forEach {
				return nil
			}
			return completeRef(snap, ix, file, off, m[1])
		}
		items := enumItems(c, true)
		roots := []string{"var", "local", "project", "artifact"}
		if c.forEach {
			roots = append(roots, "each")
		}
		for _, root := range roots {
			items = append(items, protocol.CompletionItem{Label: root, Kind: protocol.CompletionItemKindKeyword,
				Detail: protocol.NewOptional("reference: " + root + ".NAME")})
		}
		return items
	}
	return completeBody(c)
}

// completeBody lists the attributes and blocks of the enclosing block,
// with each attribute's type and whether it is required.
func completeBody(c *cursorContext) []protocol.CompletionItem {
	path := c.blockPath()
	schema := lang.BlockSchema(path)
	if schema == nil {
		return nil
	}
	var items []protocol.CompletionItem
	for _, a := range schema.Attributes {
		if c.set[a.Name] {
			continue // set already: a second one is an error
		}
		typ, doc := attrDoc(c.path, a.Name)
		required := a.Required
		if prov := providers.Lookup(lastOf(c.path)); prov != nil && len(c.path) == 4 {
			if pa := prov.Attr(a.Name); pa != nil {
				typ, required = pa.Type.FriendlyName(), pa.Required
			}
		}
		detail := typ
		if required {
			detail = strings.TrimSpace(detail + ", required")
		}
		items = append(items, protocol.CompletionItem{
			Label: a.Name, Kind: protocol.CompletionItemKindProperty,
			Detail: protocol.NewOptional(detail), Documentation: markdown(doc),
			InsertText: protocol.NewOptional(a.Name + " = "),
			SortText:   protocol.NewOptional(sortKey(required, a.Name)),
		})
	}
	for _, b := range schema.Blocks {
		item := protocol.CompletionItem{Label: b.Type, Kind: protocol.CompletionItemKindModule,
			Detail: protocol.NewOptional("block"), Documentation: markdown(blockDoc(append(append([]string(nil), c.path...), b.Type)))}
		if prov := providers.Lookup(b.Type); prov != nil && path == "pipeline.stage.action" {
			item.Kind = protocol.CompletionItemKindClass
			item.Detail = protocol.NewOptional("provider " + prov.Category + "/" + prov.Owner + "/" + prov.Provider)
		}
		items = append(items, item)
	}
	return items
}

func sortKey(required bool, name string) string {
	if required {
		return "0" + name
	}
	return "1" + name
}

func lastOf(path []string) string {
	if len(path) == 0 {
		return ""
	}
	return path[len(path)-1]
}

// enumItems are the values of the attribute at the cursor, or of the
// object field at the cursor inside its value (source_revisions'
// revisionType), quoted when the cursor is not inside a string already.
func enumItems(c *cursorContext, quote bool) []protocol.CompletionItem {
	values, what := enumValues(c.blockPath(), c.attr), c.attr
	if c.key != "" {
		if vs := partValues(c.blockPath(), c.attr, c.key); vs != nil {
			values, what = vs, c.key
		}
	}
	var items []protocol.CompletionItem
	for _, v := range values {
		text := v
		if quote {
			text = `"` + v + `"`
		}
		items = append(items, protocol.CompletionItem{Label: v, Kind: protocol.CompletionItemKindEnumMember,
			Detail: protocol.NewOptional(what + " value"), InsertText: protocol.NewOptional(text)})
	}
	return items
}

// completeRef lists the names after var., local., project., artifact.
// (only artifacts produced before the action at the cursor) and each.
func completeRef(snap *snapshot, ix *index, file string, off int, root string) []protocol.CompletionItem {
	var items []protocol.CompletionItem
	add := func(name, detail string) {
		items = append(items, protocol.CompletionItem{Label: name, Kind: protocol.CompletionItemKindVariable, Detail: protocol.NewOptional(detail)})
	}
	switch root {
	case "each":
		add("key", "the map key or set element of this instance")
		add("value", "the map value (the element again for a set)")
	case "artifact":
		p, cur := ix.actionAt(file, off)
		if p == nil {
			return nil
		}
		for _, a := range p.actions {
			if a.before(cur) {
				for _, o := range a.outputs {
					add(o, "output of action "+strconv.Quote(a.name)+" (stage "+strconv.Quote(a.stage)+")")
				}
			}
		}
	default:
		kind := traversalKinds[root]
		seen := map[string]bool{}
		for _, o := range ix.occs {
			if o.decl && o.sym.kind == kind && !seen[o.sym.name] {
				seen[o.sym.name] = true
				add(o.sym.name, valueDetail(snap, symbol{kind: kind, name: o.sym.name}))
			}
		}
	}
	sort.Slice(items, func(i, j int) bool { return items[i].Label < items[j].Label })
	return items
}

// completeNamespace lists, inside #{...}, the namespaces of the actions
// that run before the one at the cursor, or after "NS." the variables that
// namespace's action exports (and the pipeline's variables after
// "variables.").
func completeNamespace(ix *index, file string, off int, ns string, afterDot bool) []protocol.CompletionItem {
	p, cur := ix.actionAt(file, off)
	if p == nil {
		return nil
	}
	var items []protocol.CompletionItem
	add := func(label, detail string, kind protocol.CompletionItemKind) {
		items = append(items, protocol.CompletionItem{Label: label, Kind: kind, Detail: protocol.NewOptional(detail)})
	}
	if !afterDot {
		for _, a := range p.actions {
			if a.namespace != "" && a.before(cur) {
				add(a.namespace, "namespace of action "+strconv.Quote(a.name), protocol.CompletionItemKindModule)
			}
		}
		if len(p.vars) > 0 {
			add("variables", "the pipeline's variables", protocol.CompletionItemKindModule)
		}
		return items
	}
	if ns == "variables" {
		for _, v := range p.vars {
			add(v, "pipeline variable", protocol.CompletionItemKindVariable)
		}
		return items
	}
	for _, a := range p.actions {
		if a.namespace == ns && a.before(cur) {
			for _, v := range ix.exports(a) {
				add(v, "exported by action "+strconv.Quote(a.name), protocol.CompletionItemKindVariable)
			}
		}
	}
	return items
}

func markdown(s string) protocol.InlayHintTooltip {
	if s == "" {
		return nil
	}
	return &protocol.MarkupContent{Kind: protocol.MarkupKindMarkdown, Value: s}
}
