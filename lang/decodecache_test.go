package lang

import (
	"bytes"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"
	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"

	"github.com/pipeform/pipeform/lang/funcs"
	"github.com/pipeform/pipeform/lang/langtest"
)

// cacheModes are the ways of loading the cache is checked under: plain,
// with skimmed and deferred pipeline bodies, and through a parse function
// (as the language server loads).
var cacheModes = map[string]Options{
	"plain":       {},
	"source-only": {SourceOnly: true},
	"parse": {Parse: func(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
		return hclsyntax.ParseConfig(src, name, hcl.InitialPos)
	}},
}

// cacheFixtures are every fixture of lang and the compiler and every
// example folder.
func cacheFixtures(t *testing.T) []string {
	var out []string
	for _, dir := range []string{"testdata/valid", "testdata/invalid", "../compiler/testdata/valid", "../compiler/testdata/invalid", "../compiler/testdata/lint"} {
		out = append(out, langtest.Fixtures(t, dir)...)
	}
	out = append(out, langtest.Folders(t, "../examples")...)
	return out
}

// TestDecodeCacheSameResult loads every fixture with a fresh cache, again
// with the same cache (every cached pipeline and project instance a hit),
// and without one: the three results are the same.
func TestDecodeCacheSameResult(t *testing.T) {
	var hits, projects int64
	for _, path := range cacheFixtures(t) {
		for mode, opts := range cacheModes {
			t.Run(filepath.ToSlash(path)+"/"+mode, func(t *testing.T) {
				fsys := langtest.FixtureFS(t, path)
				cache := &DecodeCache{}
				cached := opts
				cached.Decoded = cache
				first := loadDump(t, fsys, cached)
				first.scribble()
				stored := int64(len(cache.entries))
				before := cache.hits.Load()
				second := loadDump(t, fsys, cached)
				if got := cache.hits.Load() - before; got != stored {
					t.Errorf("second load: %d hits, want one per cached block (%d)", got, stored)
				}
				hits += stored
				for _, e := range cache.entries {
					if e.project != nil {
						projects++
					}
				}
				second.scribble()
				third := loadDump(t, fsys, cached)
				plain := loadDump(t, fsys, opts)
				first.equal(t, "first cached load", plain)
				second.equal(t, "second cached load", plain)
				third.equal(t, "third cached load", plain)
			})
		}
	}
	if hits == 0 || projects == 0 {
		t.Errorf("%d blocks reused, %d of them projects; want some of each", hits, projects)
	}
}

// TestDecodeCacheEdits edits a folder step by step, loading it after each
// edit with one cache kept throughout and without a cache: the results
// are the same, and pipelines out of an edit's reach are reused.
func TestDecodeCacheEdits(t *testing.T) {
	for mode, opts := range cacheModes {
		t.Run(mode, func(t *testing.T) {
			fsys := editFolder(4)
			cache := &DecodeCache{}
			cached := opts
			cached.Decoded = cache
			loadDump(t, fsys, cached)
			for _, e := range cacheEdits {
				e.edit(fsys)
				hits, misses := cache.hits.Load(), cache.misses.Load()
				got := loadDump(t, fsys, cached)
				hits, misses = cache.hits.Load()-hits, cache.misses.Load()-misses
				got.equal(t, e.name, loadDump(t, fsys, opts))
				if hits != e.hits || misses != e.misses {
					t.Errorf("%s: %d hits and %d misses, want %d and %d", e.name, hits, misses, e.hits, e.misses)
				}
			}
		})
	}
}

// editFolder writes generated's n projects and pipelines in a file each,
// the pipelines reading a sensitive variable, and a file of variables and
// locals.
func editFolder(n int) fstest.MapFS {
	fsys := fstest.MapFS{
		"vars.pf.hcl": {Data: []byte(`variable "regions" { default = ["eu-west-1", "us-east-1"] }
variable "token" {
  default   = "s3cr3t"
  sensitive = true
}
locals {
  image  = "aws/codebuild/standard:7.0"
  branch = "main"
}
`)},
		"notes.txt": {Data: []byte("first")},
	}
	for i := range n {
		unit := strings.Replace(generatedUnit(i), "{\n  stage", "{\n  tags = { token = var.token }\n  stage", 1)
		fsys[fmt.Sprintf("p%d.pf.hcl", i)] = &fstest.MapFile{Data: []byte(unit)}
	}
	return fsys
}

// cacheEdit is one edit of editFolder(4) and the cache lookups the Load
// after it makes, one per pipeline and one per project instance. From "file call" on, p1 reads a file and misses every
// time.
type cacheEdit struct {
	name         string
	edit         func(fstest.MapFS)
	hits, misses int64
}

func replaceIn(name, old, new string) func(fstest.MapFS) {
	return func(fsys fstest.MapFS) {
		src := string(fsys[name].Data)
		if !strings.Contains(src, old) {
			panic(fmt.Sprintf("%s has no %q", name, old))
		}
		fsys[name] = &fstest.MapFile{Data: []byte(strings.Replace(src, old, new, 1))}
	}
}

var cacheEdits = []cacheEdit{
	{"variable default", replaceIn("vars.pf.hcl", `"us-east-1"]`, `"us-east-2"]`), 0, 8},
	{"sensitive variable", replaceIn("vars.pf.hcl", `"s3cr3t"`, `"other"`), 0, 8},
	{"variable no longer sensitive", replaceIn("vars.pf.hcl", `sensitive = true`, `sensitive = false`), 0, 8},
	{"local", replaceIn("vars.pf.hcl", `branch = "main"`, `branch = "dev"`), 0, 8},
	{"project name", replaceIn("p1.pf.hcl", `image = local.image`, `name = "renamed"
  image = local.image`), 0, 8},
	{"pipeline attribute", replaceIn("p2.pf.hcl", `"repo2"`, `"repo-two"`), 7, 1},
	{"unknown artifact", replaceIn("p2.pf.hcl", `[artifact.src]`, `[artifact.srx]`), 7, 1},
	{"lines at the top", replaceIn("p3.pf.hcl", `project "build3"`, "# a comment\n\nproject \"build3\""), 6, 2},
	{"unchanged", func(fstest.MapFS) {}, 8, 0},
	{"project phase command", replaceIn("p2.pf.hcl", `"make test"`, `"make lint"`), 7, 1}, // the pipeline after it stays put
	{"for_each project added", func(fsys fstest.MapFS) { fsys["fe.pf.hcl"] = &fstest.MapFile{Data: []byte(matrixProject)} }, 0, 10},
	{"project for_each set", replaceIn("fe.pf.hcl", `["a", "b"]`, `["a", "b", "c"]`), 0, 11},
	{"project moved in its file", replaceIn("fe.pf.hcl", `project "matrix"`, "# matrix\nproject \"matrix\""), 8, 3},
	{"project unchanged", func(fstest.MapFS) {}, 11, 0},
	{"variable a project uses", replaceIn("vars.pf.hcl", `"eu-west-1"`, `"eu-west-3"`), 0, 11},
	{"local a project uses", replaceIn("vars.pf.hcl", `standard:7.0`, `standard:6.0`), 0, 11},
	{"project name another references", replaceIn("p0.pf.hcl", `project "build0" {`, "project \"build0\" {\n  name = \"zero\""), 0, 11},
	{"for_each project removed", func(fsys fstest.MapFS) { delete(fsys, "fe.pf.hcl") }, 0, 8},
	{"syntax error", replaceIn("p0.pf.hcl", `outputs   = ["dist"]`, `outputs   = ["dist"`), 0, 0},
	{"syntax error removed", replaceIn("p0.pf.hcl", `outputs   = ["dist"`, `outputs   = ["dist"]`), 8, 0},
	{"file call", replaceIn("p1.pf.hcl", `"repo1"`, `trimspace(file("notes.txt"))`), 7, 1},
	{"file call again", func(fstest.MapFS) {}, 7, 1},
	{"file read changed", func(fsys fstest.MapFS) { fsys["notes.txt"] = &fstest.MapFile{Data: []byte("second")} }, 7, 1},
	{"dynamic in a comment", replaceIn("p2.pf.hcl", `pipeline "p2" {`, "# dynamic\npipeline \"p2\" {"), 5, 3},
	{"project removed", replaceIn("p3.pf.hcl", `project "build3"`, `project "build3x"`), 0, 8},
	{"duplicate pipeline", replaceIn("p0.pf.hcl", `pipeline "p0"`, `pipeline "p2"`), 6, 2},
	{"pipeline removed", func(fsys fstest.MapFS) { delete(fsys, "p0.pf.hcl") }, 0, 6}, // and its project
}

// matrixProject is a project with for_each that reads a variable, a local
// and another project's name.
const matrixProject = `project "matrix" {
  for_each    = toset(["a", "b"])
  name        = "matrix-${each.key}"
  description = "after ${project.build0.name}"
  image       = local.image
  tags        = { region = var.regions[0], token = var.token }
  phase "build" { commands = ["echo ${each.key}"] }
}
`

// loaded is what a Load returned, in comparable form.
type loaded struct {
	res   *Result
	diags string
	raw   hcl.Diagnostics
}

func loadDump(t *testing.T, fsys fs.FS, opts Options) loaded {
	t.Helper()
	res, diags := Load(fsys, opts)
	return loaded{res: res, diags: renderDiags(t, res, diags), raw: diags}
}

// renderDiags renders diagnostics as the CLI does, with snippets and the
// values of the expressions' variables, and every field besides.
func renderDiags(t *testing.T, res *Result, diags hcl.Diagnostics) string {
	var b bytes.Buffer
	var files map[string]*hcl.File
	if res != nil {
		files = res.Files
	}
	if err := hcl.NewDiagnosticTextWriter(&b, files, 100, false).WriteDiagnostics(diags); err != nil {
		t.Fatal(err)
	}
	for _, d := range diags {
		fmt.Fprintf(&b, "%d|%q|%q|%v|%v|%v\n", d.Severity, d.Summary, d.Detail, d.Subject, d.Context, d.Extra)
	}
	return b.String()
}

// scribble rewrites the diagnostics, as callers of Load may (Redact):
// those the cache keeps are not theirs.
func (l loaded) scribble() {
	for _, d := range l.raw {
		d.Summary, d.Detail = "scribbled", ""
		if d.Subject != nil {
			d.Subject.Start.Byte = -1
		}
	}
}

func (got loaded) equal(t *testing.T, what string, want loaded) {
	t.Helper()
	if diff := cmp.Diff(want.diags, got.diags); diff != "" {
		t.Errorf("%s: diagnostics (-uncached +cached):\n%s", what, diff)
	}
	if (got.res == nil) != (want.res == nil) {
		t.Fatalf("%s: result %v, uncached %v", what, got.res, want.res)
	}
	if got.res == nil {
		return
	}
	if !reflect.DeepEqual(got.res.Config, want.res.Config) {
		t.Errorf("%s: configurations differ:\n%s", what, cmp.Diff(dump(reflect.ValueOf(want.res.Config)), dump(reflect.ValueOf(got.res.Config))))
	}
	if !reflect.DeepEqual(got.res.Secrets, want.res.Secrets) {
		t.Errorf("%s: secrets %q, uncached %q", what, got.res.Secrets, want.res.Secrets)
	}
	if !reflect.DeepEqual(got.res.SensitiveUses, want.res.SensitiveUses) {
		t.Errorf("%s: sensitive uses %v, uncached %v", what, got.res.SensitiveUses, want.res.SensitiveUses)
	}
}

// TestWriteValue checks that values a pipeline could tell apart encode
// apart, and that equal values built apart encode alike.
func TestWriteValue(t *testing.T) {
	s := cty.StringVal
	sens := func(v cty.Value) cty.Value { return v.Mark(funcs.Sensitive) }
	values := map[string]cty.Value{
		"string":                s("a"),
		"sensitive string":      sens(s("a")),
		"number":                cty.NumberIntVal(1),
		"number string":         s("1"),
		"bool":                  cty.True,
		"null string":           cty.NullVal(cty.String),
		"null number":           cty.NullVal(cty.Number),
		"unknown string":        cty.UnknownVal(cty.String),
		"unknown, not null":     cty.UnknownVal(cty.String).RefineNotNull(),
		"unknown, prefix":       cty.UnknownVal(cty.String).Refine().StringPrefix("ab").NewValue(),
		"dynamic":               cty.DynamicVal,
		"empty list":            cty.ListValEmpty(cty.String),
		"empty number list":     cty.ListValEmpty(cty.Number),
		"empty set":             cty.SetValEmpty(cty.String),
		"empty tuple":           cty.EmptyTupleVal,
		"empty object":          cty.EmptyObjectVal,
		"empty map":             cty.MapValEmpty(cty.String),
		"list":                  cty.ListVal([]cty.Value{s("ab"), s("c")}),
		"list split otherwise":  cty.ListVal([]cty.Value{s("a"), s("bc")}),
		"list, sensitive item":  cty.ListVal([]cty.Value{s("ab"), sens(s("c"))}),
		"tuple":                 cty.TupleVal([]cty.Value{s("ab"), s("c")}),
		"set":                   cty.SetVal([]cty.Value{s("ab"), s("c")}),
		"object":                cty.ObjectVal(map[string]cty.Value{"a": s("x")}),
		"map":                   cty.MapVal(map[string]cty.Value{"a": s("x")}),
		"object, null attr":     cty.ObjectVal(map[string]cty.Value{"a": cty.NullVal(cty.String)}),
		"object, null num attr": cty.ObjectVal(map[string]cty.Value{"a": cty.NullVal(cty.Number)}),
		"float":                 cty.NumberFloatVal(0.5),
		"float, other":          cty.MustParseNumberVal("0.5000000000000000000001"),
	}
	seen := map[[32]byte]string{}
	for name, v := range values {
		h := sha256.New()
		if !writeValue(h, v) {
			t.Fatalf("%s: not encoded", name)
		}
		var sum [32]byte
		h.Sum(sum[:0])
		if other, ok := seen[sum]; ok {
			t.Errorf("%s and %s encode alike", name, other)
		}
		seen[sum] = name
	}
	big := func() cty.Value {
		m := map[string]cty.Value{}
		for i := range 50 {
			m[fmt.Sprint("k", i)] = cty.ObjectVal(map[string]cty.Value{"name": s(fmt.Sprint(i))})
		}
		return cty.ObjectVal(m)
	}
	a, b := sha256.New(), sha256.New()
	writeValue(a, big())
	writeValue(b, big())
	if !bytes.Equal(a.Sum(nil), b.Sum(nil)) {
		t.Error("equal objects encode apart")
	}
}
