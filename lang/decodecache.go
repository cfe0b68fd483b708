package lang

import (
	"crypto/sha256"
	"encoding/binary"
	"fmt"
	"hash"
	"sort"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/config"
	"github.com/pipeform/pipeform/lang/funcs"
)

// DecodeCache keeps what Load decoded of each pipeline block and of each
// project instance's body, so that a later Load of the same folder reuses
// it for a block whose inputs are unchanged (Options.Decoded). The
// language server keeps one per folder: after an edit only the pipelines
// and projects the edit can reach are decoded again. (The names of the
// projects, their for_each and the root context are decoded every time:
// they are the inputs. What a project's body reads is listed at
// decodeProjectCached.)
//
// A pipeline's decoding reads, besides its own block, only these (the
// rest of the loader is parsing state, or is written, not read):
//   - the block's source bytes, file name and start position (every range
//     in what is decoded is absolute; the display name includes
//     Options.DisplayDir);
//   - the root evaluation context's variables: var, local and project
//     (l.root.Variables), values, types, marks (sensitive) and unknowns
//     with their refinements (Options.Env, Args and the *.pfvars files
//     reach a pipeline only through var);
//   - the names of the declared variables, locals and projects (l.vars,
//     l.locals, l.projects: references and did-you-mean) and, per project,
//     for_each, whether it evaluated, and its instances' keys
//     (checkProjectKey);
//   - whether the block's file contains the word "dynamic" (l.dynamic,
//     which decides whether dynamic blocks are expanded);
//   - the parse errors of the whole folder (l.syntaxErrs: decoding skips
//     what did not parse, and finish drops reference errors while any
//     exist): nothing is cached or reused then;
//   - the function table (l.funcs): the same for every Load but for the
//     functions that read files, whose results depend on other files; a
//     block that calls one is never cached (funcs.ReadsFiles);
//   - Options.SourceOnly and the skimming mode (which only change how the
//     block was parsed, not what it holds; part of the key all the same).
//
// All of them but the block's own bytes go into one digest per Load
// (rootDigest); a block's key is the hash of that digest and the block
// (and, for a project, the instance). What is kept per block is its whole
// output: the *config.Pipeline or *config.Project (shared between the
// Loads that reuse it: nothing writes to a decoded configuration after
// Load, and a reused project is copied before its name and key are set),
// and its diagnostics, secrets and sensitive
// uses, which finish merges in order as though the block was decoded.
//
// A Load uses the cache only when no file has a parse error, and keeps in
// it afterwards only the blocks of that Load, so the cache holds one
// folder's blocks at most. A DecodeCache is safe to share between
// goroutines, but meant for one Load at a time: concurrent Loads would
// keep only the blocks of whichever finished last. The zero value is
// ready to use.
type DecodeCache struct {
	mu      sync.Mutex
	entries map[[sha256.Size]byte]*decoded

	// hits and misses count lookups, for tests.
	hits, misses atomic.Int64
}

// decoded is one pipeline block's output, or one project instance's.
type decoded struct {
	pipeline      *config.Pipeline
	project       *config.Project
	diags         hcl.Diagnostics
	secrets       []string
	sensitiveUses []hcl.Range
}

// decodeSession is one Load's use of a DecodeCache.
type decodeSession struct {
	cache *DecodeCache
	root  [sha256.Size]byte
	mu    sync.Mutex
	used  map[[sha256.Size]byte]*decoded
}

// beginDecodeCache starts the Load's use of Options.Decoded, once the root
// context is complete; nil when there is no cache or it cannot be used.
func (l *loader) beginDecodeCache() *decodeSession {
	c := l.opts.Decoded
	if c == nil || len(l.syntaxErrs) > 0 || l.root == nil {
		return nil
	}
	root, ok := l.rootDigest()
	if !ok {
		return nil
	}
	return &decodeSession{cache: c, root: root, used: map[[sha256.Size]byte]*decoded{}}
}

// commit keeps the blocks this Load used, and only those.
func (s *decodeSession) commit() {
	s.cache.mu.Lock()
	s.cache.entries = s.used
	s.cache.mu.Unlock()
}

// decodePipelineCached is decodePipeline through the Load's cache.
func (l *loader) decodePipelineCached(b *hcl.Block) *config.Pipeline {
	e, _ := l.cached(b, nil, func() *decoded { return &decoded{pipeline: l.decodePipeline(b)} })
	return e.pipeline
}

// decodeProjectCached is decodeProject of the instance inst of the block
// b through the Load's cache, with set (which fills in the fields that
// decodeProjects adds: name, label, key, declaration range) applied.
//
// Decoding a project instance reads, besides the block itself (through
// inst.content, which the names phase decoded from the block's body with
// its dynamic blocks expanded in the instance's context): the instance's
// scope (inst.sc: the root context with var, local and the project object
// of names, which the names phase completes before any body is decoded,
// and each.key and each.value under for_each), the names of the declared
// variables, locals and projects and the projects' instances
// (l.vars, l.locals, l.projects: references, did-you-mean,
// checkProjectKey), the function table (l.funcs, through the context) and
// nothing else of the loader: the same inputs as a pipeline's, plus the
// instance (see DecodeCache). A reused project is copied before set, so
// that no Load writes to what the cache holds.
func (l *loader) decodeProjectCached(b *hcl.Block, inst *instance, set func(*config.Project)) *config.Project {
	e, reused := l.cached(b, inst, func() *decoded {
		p := l.decodeProject(inst)
		set(p)
		return &decoded{project: p}
	})
	if !reused {
		return e.project
	}
	p := *e.project
	set(&p)
	return &p
}

// cached returns the output of decode for the block b (the instance inst
// of a project block, nil for a pipeline block), reusing a cached one when
// the Load has a cache and b's inputs are unchanged; the diagnostics,
// secrets and sensitive uses of a reused output are added to the loader's.
// It reports whether the output is a cached one, which the caller must not
// write to.
func (l *loader) cached(b *hcl.Block, inst *instance, decode func() *decoded) (*decoded, bool) {
	s := l.pipeCache
	if s == nil || l.skimFailed.Load() {
		return decode(), false
	}
	key, ok := s.key(l, b, inst)
	if !ok {
		return decode(), false
	}
	s.cache.mu.Lock()
	e := s.cache.entries[key]
	s.cache.mu.Unlock()
	if e != nil {
		s.cache.hits.Add(1)
		s.keep(key, e)
		l.diags = append(l.diags, copyDiags(e.diags)...)
		l.secrets = append(l.secrets, e.secrets...)
		l.sensitiveUses = append(l.sensitiveUses, e.sensitiveUses...)
		return e, true
	}
	s.cache.misses.Add(1)
	nd, ns, nu := len(l.diags), len(l.secrets), len(l.sensitiveUses)
	e = decode()
	// A body that did not parse alone (skimming) was decoded in vain.
	if !l.skimFailed.Load() && !callsFileFunc(b.Body) {
		e.diags = copyDiags(l.diags[nd:])
		e.secrets = append([]string(nil), l.secrets[ns:]...)
		e.sensitiveUses = append([]hcl.Range(nil), l.sensitiveUses[nu:]...)
		s.keep(key, e)
	}
	return e, false
}

func (s *decodeSession) keep(key [sha256.Size]byte, e *decoded) {
	s.mu.Lock()
	s.used[key] = e
	s.mu.Unlock()
}

// key is the hash of the Load's root digest and everything of the block
// itself: file name, start position and source bytes; for a project
// instance (inst not nil), also its key and its each.key and each.value.
func (s *decodeSession) key(l *loader, b *hcl.Block, inst *instance) ([sha256.Size]byte, bool) {
	body, ok := b.Body.(*hclsyntax.Body)
	if !ok {
		return [sha256.Size]byte{}, false
	}
	start, end := b.TypeRange.Start, body.SrcRange.End
	name := b.TypeRange.Filename
	f := l.files[name] // its source, as kept for diagnostics
	if f == nil {
		return [sha256.Size]byte{}, false
	}
	src := f.Bytes
	if body.SrcRange.Filename != name || start.Byte < 0 || end.Byte > len(src) || start.Byte > end.Byte {
		return [sha256.Size]byte{}, false
	}
	h := sha256.New()
	h.Write(s.root[:])
	writeString(h, name)
	writeInt(h, start.Line, start.Column, start.Byte)
	writeBool(h, l.dynamic[name])
	writeString(h, string(src[start.Byte:end.Byte]))
	writeBool(h, inst != nil)
	if inst != nil {
		writeBool(h, inst.key != cty.NilVal)
		writeString(h, inst.keyString())
		writeBool(h, inst.sc.each)
		if inst.sc.each && !writeValue(h, inst.sc.ctx.Variables["each"]) {
			return [sha256.Size]byte{}, false
		}
	}
	var key [sha256.Size]byte
	h.Sum(key[:0])
	return key, true
}

// callsFileFunc reports whether body calls a function that reads files,
// or cannot be walked to tell.
func callsFileFunc(body hcl.Body) bool {
	sb, ok := body.(*hclsyntax.Body)
	if !ok {
		return true
	}
	found := false
	hclsyntax.VisitAll(sb, func(n hclsyntax.Node) hcl.Diagnostics {
		if call, ok := n.(*hclsyntax.FunctionCallExpr); ok && funcs.ReadsFiles(call.Name) {
			found = true
		}
		return nil
	})
	return found
}

// copyDiags copies each diagnostic and its ranges: finish and the callers
// of Load rewrite diagnostics in place (Redact).
func copyDiags(diags hcl.Diagnostics) hcl.Diagnostics {
	out := make(hcl.Diagnostics, len(diags))
	for i, d := range diags {
		c := *d
		if d.Subject != nil {
			c.Subject = d.Subject.Ptr()
		}
		if d.Context != nil {
			c.Context = d.Context.Ptr()
		}
		out[i] = &c
	}
	return out
}

// rootDigest hashes everything besides its own block that decoding a
// pipeline reads (see DecodeCache). It reports false when a value cannot
// be encoded (a capsule).
func (l *loader) rootDigest() ([sha256.Size]byte, bool) {
	h := sha256.New()
	writeString(h, l.opts.DisplayDir)
	writeBool(h, l.opts.SourceOnly)
	writeBool(h, l.opts.fullParse)
	for _, names := range [][]string{sortedNames(l.vars), sortedNames(l.locals)} {
		writeInt(h, len(names))
		for _, n := range names {
			writeString(h, n)
		}
	}
	projects := sortedNames(l.projects)
	writeInt(h, len(projects))
	for _, n := range projects {
		d := l.projects[n]
		writeString(h, n)
		writeBool(h, d.forEach)
		writeBool(h, d.forEachOK)
		keys := make([]string, len(d.instances))
		for i, inst := range d.instances {
			keys[i] = inst.keyString()
		}
		sort.Strings(keys)
		writeInt(h, len(keys))
		for _, k := range keys {
			writeString(h, k)
		}
	}
	vars := sortedNames(l.root.Variables)
	writeInt(h, len(vars))
	for _, n := range vars {
		v := l.root.Variables[n]
		writeString(h, n)
		if !writeValue(h, v) {
			return [sha256.Size]byte{}, false
		}
	}
	var sum [sha256.Size]byte
	h.Sum(sum[:0])
	return sum, true
}

// writeValue writes an encoding of v that tells it apart from every other
// value: its type (spelled out where the values inside do not show it),
// marks at every level, unknowns with their refinements, numbers with
// their precision. The type of a large object is not spelled out whole:
// that costs more than the walk.
func writeValue(h hash.Hash, v cty.Value) bool {
	v, marks := v.Unmark()
	writeInt(h, len(marks))
	if len(marks) > 0 {
		ms := make([]string, 0, len(marks))
		for m := range marks {
			ms = append(ms, fmt.Sprintf("%T:%#v", m, m))
		}
		sort.Strings(ms)
		for _, m := range ms {
			writeString(h, m)
		}
	}
	ty := v.Type()
	switch {
	case !v.IsKnown():
		// GoString spells out the type, refinements and nested marks.
		writeString(h, "?"+v.GoString())
		return true
	case v.IsNull():
		writeString(h, "null "+ty.GoString())
		return true
	case ty == cty.Bool:
		writeString(h, "bool")
		writeBool(h, v.True())
	case ty == cty.Number:
		f := v.AsBigFloat()
		writeString(h, fmt.Sprintf("number %d %d %s", f.Prec(), f.Mode(), f.Text('p', 0)))
	case ty == cty.String:
		writeString(h, "string")
		writeString(h, v.AsString())
	case ty.IsListType() || ty.IsSetType() || ty.IsMapType():
		// An empty collection's elements do not show their type.
		writeString(h, ty.GoString())
		return writeElements(h, v, ty.IsMapType())
	case ty.IsTupleType():
		writeString(h, "tuple")
		return writeElements(h, v, false)
	case ty.IsObjectType():
		writeString(h, "object")
		return writeElements(h, v, true)
	default: // a capsule
		return false
	}
	return true
}

// writeElements writes the elements of a collection, object or tuple, with
// their keys when keyed.
func writeElements(h hash.Hash, v cty.Value, keyed bool) bool {
	writeInt(h, v.LengthInt())
	for it := v.ElementIterator(); it.Next(); {
		k, e := it.Element()
		if keyed {
			writeString(h, k.AsString())
		}
		if !writeValue(h, e) {
			return false
		}
	}
	return true
}

func writeString(h hash.Hash, s string) {
	writeInt(h, len(s))
	h.Write([]byte(s))
}

func writeInt(h hash.Hash, ns ...int) {
	var b [8]byte
	for _, n := range ns {
		binary.LittleEndian.PutUint64(b[:], uint64(n))
		h.Write(b[:])
	}
}

func writeBool(h hash.Hash, b bool) {
	if b {
		writeInt(h, 1)
	} else {
		writeInt(h, 0)
	}
}
