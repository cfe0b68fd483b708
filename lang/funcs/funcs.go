package funcs

import (
	"crypto/md5"
	"crypto/sha1"
	"crypto/sha256"
	"crypto/sha512"
	"io/fs"
	"sort"
	"strings"

	"github.com/hashicorp/hcl/v2/ext/tryfunc"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"
	"github.com/zclconf/go-cty/cty/function/stdlib"
)

// Table returns the function table for a configuration directory. fsys is
// rooted at that directory; file, fileexists, fileset and templatefile read
// through it and reject paths that leave it. fsys may be nil, in which case
// the file functions fail with an error. Each call returns a new map.
func Table(fsys fs.FS) map[string]function.Function {
	t := map[string]function.Function{
		// Strings.
		"basename":    BasenameFunc,
		"chomp":       stdlib.ChompFunc,
		"dirname":     DirnameFunc,
		"endswith":    EndsWithFunc,
		"format":      stdlib.FormatFunc,
		"formatlist":  stdlib.FormatListFunc,
		"indent":      stdlib.IndentFunc,
		"join":        stdlib.JoinFunc,
		"lower":       stdlib.LowerFunc,
		"regex":       stdlib.RegexFunc,
		"regexall":    stdlib.RegexAllFunc,
		"replace":     ReplaceFunc,
		"split":       stdlib.SplitFunc,
		"startswith":  StartsWithFunc,
		"strcontains": StrContainsFunc,
		"strrev":      stdlib.ReverseFunc,
		"substr":      stdlib.SubstrFunc,
		"title":       stdlib.TitleFunc,
		"trim":        stdlib.TrimFunc,
		"trimprefix":  stdlib.TrimPrefixFunc,
		"trimspace":   stdlib.TrimSpaceFunc,
		"trimsuffix":  stdlib.TrimSuffixFunc,
		"upper":       stdlib.UpperFunc,

		// Collections.
		"alltrue":         AllTrueFunc,
		"anytrue":         AnyTrueFunc,
		"chunklist":       stdlib.ChunklistFunc,
		"coalesce":        CoalesceFunc,
		"coalescelist":    stdlib.CoalesceListFunc,
		"compact":         stdlib.CompactFunc,
		"concat":          stdlib.ConcatFunc,
		"contains":        stdlib.ContainsFunc,
		"distinct":        stdlib.DistinctFunc,
		"element":         stdlib.ElementFunc,
		"flatten":         stdlib.FlattenFunc,
		"index":           IndexFunc,
		"keys":            stdlib.KeysFunc,
		"length":          LengthFunc,
		"lookup":          stdlib.LookupFunc,
		"merge":           stdlib.MergeFunc,
		"one":             OneFunc,
		"range":           stdlib.RangeFunc,
		"reverse":         stdlib.ReverseListFunc,
		"setintersection": stdlib.SetIntersectionFunc,
		"setproduct":      stdlib.SetProductFunc,
		"setunion":        stdlib.SetUnionFunc,
		"slice":           stdlib.SliceFunc,
		"sort":            stdlib.SortFunc,
		"transpose":       TransposeFunc,
		"values":          stdlib.ValuesFunc,
		"zipmap":          stdlib.ZipmapFunc,

		// Type conversions.
		"tobool":   stdlib.MakeToFunc(cty.Bool),
		"tolist":   stdlib.MakeToFunc(cty.List(cty.DynamicPseudoType)),
		"tomap":    stdlib.MakeToFunc(cty.Map(cty.DynamicPseudoType)),
		"tonumber": stdlib.MakeToFunc(cty.Number),
		"toset":    stdlib.MakeToFunc(cty.Set(cty.DynamicPseudoType)),
		"tostring": stdlib.MakeToFunc(cty.String),

		// Numbers.
		"sum":      SumFunc,
		"abs":      stdlib.AbsoluteFunc,
		"ceil":     stdlib.CeilFunc,
		"floor":    stdlib.FloorFunc,
		"log":      stdlib.LogFunc,
		"max":      stdlib.MaxFunc,
		"min":      stdlib.MinFunc,
		"parseint": stdlib.ParseIntFunc,
		"pow":      stdlib.PowFunc,
		"signum":   stdlib.SignumFunc,

		// Encodings.
		"base64decode": Base64DecodeFunc,
		"base64encode": Base64EncodeFunc,
		"csvdecode":    stdlib.CSVDecodeFunc,
		"jsondecode":   JSONDecodeFunc,
		"jsonencode":   stdlib.JSONEncodeFunc,
		"urlencode":    URLEncodeFunc,
		"yamldecode":   YAMLDecodeFunc,
		"yamlencode":   YAMLEncodeFunc,

		// Hashes.
		"md5":    MD5Func,
		"sha1":   SHA1Func,
		"sha256": SHA256Func,
		"sha512": SHA512Func,

		// Error handling.
		"can": tryfunc.CanFunc,
		"try": tryfunc.TryFunc,
	}
	files := fileFuncs{fsys: fsys}
	for name, fn := range files.table() {
		t[name] = fn
	}
	for name, fn := range t {
		if name != "try" && name != "can" { // they take expressions, not values
			t[name] = bounded(name, fn)
		}
	}
	// A template sees every function but templatefile itself, like
	// Terraform's.
	inner := make(map[string]function.Function, len(t))
	for name, f := range t {
		inner[name] = f
	}
	t["templatefile"] = bounded("templatefile", files.templateFileFunc(inner))
	return t
}

// table returns the functions that read files, but templatefile (which
// needs the rest of the table): ReadsFiles's list.
func (f fileFuncs) table() map[string]function.Function {
	return map[string]function.Function{
		"file":       f.fileFunc(),
		"fileexists": f.fileExistsFunc(),
		"fileset":    f.fileSetFunc(),
		"filemd5":    f.fileHashFunc("MD5", md5.New),
		"filesha1":   f.fileHashFunc("SHA-1", sha1.New),
		"filesha256": f.fileHashFunc("SHA-256", sha256.New),
		"filesha512": f.fileHashFunc("SHA-512", sha512.New),
	}
}

// ReadsFiles reports whether the function named name reads the
// configuration directory, so that its result depends on more than its
// arguments. A namespaced name (core::file) is judged by its last part.
func ReadsFiles(name string) bool {
	if i := strings.LastIndex(name, "::"); i >= 0 {
		name = name[i+2:]
	}
	return readsFiles[name]
}

var readsFiles = func() map[string]bool {
	names := map[string]bool{"templatefile": true}
	for name := range (fileFuncs{}).table() {
		names[name] = true
	}
	return names
}()

// Names returns the names of every function in the table, sorted.
func Names() []string {
	t := Table(nil)
	names := make([]string, 0, len(t))
	for name := range t {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}
