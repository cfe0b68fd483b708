package lsp

import (
	"context"
	"fmt"
	"regexp"

	"github.com/zclconf/go-cty/cty"
	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"

	"github.com/pipeform/pipeform/compiler/graph"
)

// requestFailed is LSP's RequestFailed: the editor shows the message.
const requestFailed jsonrpc2.Code = -32803

// namePatterns are the names each kind accepts: an HCL identifier for what
// is referenced as kind.NAME, and CodePipeline's patterns for the rest
// (stage, action and namespace names, artifact names, pipeline variables).
var namePatterns = map[symKind]struct {
	re   *regexp.Regexp
	says string
}{
	symVariable:    {regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`), "a letter or _ followed by letters, digits, _ and -"},
	symLocal:       {regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`), "a letter or _ followed by letters, digits, _ and -"},
	symProject:     {regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]*$`), "a letter or _ followed by letters, digits, _ and -"},
	symArtifact:    {regexp.MustCompile(`^[A-Za-z_][A-Za-z0-9_-]{0,99}$`), "a letter or _ followed by letters, digits, _ and -, at most 100 characters"},
	symNamespace:   {regexp.MustCompile(`^[A-Za-z0-9@_-]{1,100}$`), "1 to 100 letters, digits, @, _ and -"},
	symPipelineVar: {regexp.MustCompile(`^[A-Za-z0-9@_-]{1,128}$`), "1 to 128 letters, digits, @, _ and -"},
	symStage:       {regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`), "1 to 100 letters, digits, ., @, _ and -"},
	symAction:      {regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`), "1 to 100 letters, digits, ., @, _ and -"},
	symPipeline:    {regexp.MustCompile(`^[A-Za-z0-9.@_-]{1,100}$`), "1 to 100 letters, digits, ., @, _ and -"},
}

func (s *server) PrepareRename(ctx context.Context, p *protocol.PrepareRenameParams) (protocol.PrepareRenameResult, error) {
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return nil, nil
	}
	o, err := renameTarget(snap, name, snap.texts[name].offset(p.Position))
	if err != nil {
		// Null: nothing to rename here; the rename request itself says why.
		return nil, nil
	}
	r := snap.texts[name].rng(o.rng)
	return &r, nil
}

// Rename renames a project, artifact, stage, action, namespace, variable,
// local, pipeline or pipeline variable in every file of the folder: its
// declaration, its references, and #{NS.VAR} strings for a namespace.
func (s *server) Rename(ctx context.Context, p *protocol.RenameParams) (*protocol.WorkspaceEdit, error) {
	snap, name := s.snapshotOf(p.TextDocument.URI)
	if snap == nil || snap.texts[name] == nil {
		return nil, jsonrpc2.Errorf(requestFailed, "this file is not part of a pipeform configuration")
	}
	o, err := renameTarget(snap, name, snap.texts[name].offset(p.Position))
	if err != nil {
		return nil, err
	}
	if err := checkNewName(snap.index(), o.sym, p.NewName); err != nil {
		return nil, err
	}
	if err := checkProjectLabel(snap, o.sym, p.NewName); err != nil {
		return nil, err
	}
	changes := map[uri.URI][]protocol.TextEdit{}
	for _, x := range snap.index().of(o.sym) {
		t := snap.texts[x.rng.Filename]
		if t == nil {
			continue
		}
		u := s.uriOf(snap.dir, x.rng.Filename)
		changes[u] = append(changes[u], protocol.TextEdit{Range: t.rng(x.rng), NewText: p.NewName})
	}
	return &protocol.WorkspaceEdit{Changes: changes}, nil
}

// renameTarget is the renamable name at off.
func renameTarget(snap *snapshot, file string, off int) (occurrence, error) {
	o, ok := snap.index().at(file, off)
	switch {
	case !ok:
		return o, jsonrpc2.Errorf(requestFailed, "there is no name here to rename: put the cursor on a project, artifact, stage, action, namespace, variable or local")
	case o.sym.kind == symNamespaceVar:
		return o, jsonrpc2.Errorf(requestFailed, "#{%s} is a variable the action exports; rename it where the action exports it (its project's env.exported or its output_variables), or rename the namespace", o.sym.name)
	}
	return o, nil
}

// checkNewName refuses a name the kind does not accept or one already
// declared for another of its kind.
func checkNewName(ix *index, sym symbol, name string) error {
	kind := kindNames[sym.kind]
	if p, ok := namePatterns[sym.kind]; ok && !p.re.MatchString(name) {
		return jsonrpc2.Errorf(requestFailed, "%q is not a valid %s name: it must be %s", name, kind, p.says)
	}
	if sym.kind == symNamespace && name == "variables" {
		return jsonrpc2.Errorf(requestFailed, `"variables" is not a valid namespace name: #{variables.NAME} reads the pipeline's variables`)
	}
	if name == sym.name {
		return nil
	}
	for _, o := range ix.of(symbol{sym.kind, sym.scope, name}) {
		if o.decl {
			return jsonrpc2.Errorf(requestFailed, "cannot rename %s %q to %q: %s already has that name (%s)", kind, sym.name, name, article(kind), where(o))
		}
	}
	return nil
}

// checkProjectLabel refuses a project label that would make a CodeBuild
// project name CodeBuild refuses (2 to 150 characters, starting with a
// letter or digit): a project without a name attribute or for_each is
// named by its label, and validate would then report it.
func checkProjectLabel(snap *snapshot, sym symbol, name string) error {
	if sym.kind != symProject || graph.ValidProjectName(name) || snap.res == nil || snap.res.Config == nil {
		return nil
	}
	for _, p := range snap.res.Config.Projects {
		if p.Label != sym.name {
			continue
		}
		if p.Ranges.Has("name") || p.Key != cty.NilVal {
			return nil
		}
		return jsonrpc2.Errorf(requestFailed, "%q is not a valid project name: project %q has no name attribute, so its label is its CodeBuild project name, which is 2 to 150 characters: a letter or digit, then letters, digits, - and _", name, sym.name)
	}
	return nil
}

func article(kind string) string {
	switch kind[0] {
	case 'a', 'e', 'i', 'o', 'u':
		return "an " + kind
	}
	return "a " + kind
}

func where(o occurrence) string {
	return fmt.Sprintf("%s line %d", o.rng.Filename, o.rng.Start.Line)
}
