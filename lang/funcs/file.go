package funcs

import (
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"path"
	"strings"
	"unicode/utf8"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
	"github.com/zclconf/go-cty/cty"
	"github.com/zclconf/go-cty/cty/function"

	"github.com/pipeform/pipeform/lang/limits"
)

// fileFuncs are the functions that read the configuration directory.
type fileFuncs struct {
	fsys fs.FS
}

// resolve turns a path written in the configuration into an fs.FS path,
// rejecting absolute paths and paths that leave the configuration
// directory. argIdx is the argument the path came from.
func (f fileFuncs) resolve(argIdx int, p string) (string, error) {
	if f.fsys == nil {
		return "", function.NewArgErrorf(argIdx, "file functions are not available here")
	}
	if p == "" {
		return "", function.NewArgErrorf(argIdx, "the path is empty")
	}
	if path.IsAbs(p) || strings.Contains(p, "\\") || (len(p) > 1 && p[1] == ':') {
		return "", function.NewArgErrorf(argIdx,
			"%q is not a relative slash-separated path; give a path relative to the configuration directory, such as \"scripts/build.sh\"", p)
	}
	clean := path.Clean(p)
	if clean == ".." || strings.HasPrefix(clean, "../") {
		return "", function.NewArgErrorf(argIdx,
			"%q is outside the configuration directory; files must live in the directory that holds the *.pf.hcl files or below it", p)
	}
	if !fs.ValidPath(clean) {
		return "", function.NewArgErrorf(argIdx, "%q is not a valid path", p)
	}
	return clean, nil
}

// read reads a file's bytes; text says the bytes become a string value,
// which may hold at most limits.MaxString bytes.
func (f fileFuncs) read(argIdx int, p string, text bool) ([]byte, error) {
	name, err := f.resolve(argIdx, p)
	if err != nil {
		return nil, err
	}
	// Reading a named pipe would wait forever for a writer, and a device
	// may never end: only regular files are read.
	if st, err := fs.Stat(f.fsys, name); err == nil && !st.Mode().IsRegular() && !st.IsDir() {
		return nil, function.NewArgErrorf(argIdx, "%q is not a regular file (a named pipe, device or socket), so it was not read", p)
	} else if err == nil && text && st.Size() > limits.MaxString {
		return nil, function.NewArgErrorf(argIdx, "%q holds %d MiB, more than the %d MiB one value may hold", p, st.Size()>>20, limits.MaxString>>20)
	}
	b, err := fs.ReadFile(f.fsys, name)
	if err != nil {
		return nil, function.NewArgErrorf(argIdx, "cannot read %q: %s", p, describeFSError(err))
	}
	return b, nil
}

// readText reads a UTF-8 text file.
func (f fileFuncs) readText(argIdx int, p string) (string, error) {
	b, err := f.read(argIdx, p, true)
	if err != nil {
		return "", err
	}
	if !utf8.Valid(b) {
		return "", function.NewArgErrorf(argIdx, "%q is not UTF-8 text; only text files can be read", p)
	}
	return string(b), nil
}

// describeFSError says why a file could not be read without repeating the
// path, which the caller already names.
func describeFSError(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "no such file"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

func (f fileFuncs) fileFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Reads the UTF-8 text file at path, relative to the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			s, err := f.readText(0, args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(s), nil
		},
	})
}

// fileHashFunc returns the hex digest of a file's bytes, which need not be
// text (filesha256 and friends).
func (f fileFuncs) fileHashFunc(algo string, h func() hash.Hash) function.Function {
	return function.New(&function.Spec{
		Description: "Returns the " + algo + " digest of the file at path, in hex.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.String),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			b, err := f.read(0, args[0].AsString(), false)
			if err != nil {
				return cty.NilVal, err
			}
			return cty.StringVal(hexDigest(h, b)), nil
		},
	})
}

func (f fileFuncs) fileExistsFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Reports whether a regular file exists at path, relative to the configuration directory.",
		Params:      []function.Parameter{{Name: "path", Type: cty.String}},
		Type:        function.StaticReturnType(cty.Bool),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			p := args[0].AsString()
			name, err := f.resolve(0, p)
			if err != nil {
				return cty.NilVal, err
			}
			st, err := fs.Stat(f.fsys, name)
			if errors.Is(err, fs.ErrNotExist) {
				return cty.False, nil
			}
			if err != nil {
				return cty.NilVal, function.NewArgErrorf(0, "cannot read %q: %s", p, describeFSError(err))
			}
			if !st.Mode().IsRegular() {
				return cty.NilVal, function.NewArgErrorf(0, "%q exists but is not a regular file", p)
			}
			return cty.True, nil
		},
	})
}

func (f fileFuncs) fileSetFunc() function.Function {
	return function.New(&function.Spec{
		Description: "Returns the set of regular files under path whose names (relative to path) match pattern.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "pattern", Type: cty.String},
		},
		Type: function.StaticReturnType(cty.Set(cty.String)),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			base, err := f.resolve(0, args[0].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			names, err := fileSet(f.fsys, base, args[1].AsString())
			if err != nil {
				return cty.NilVal, err
			}
			if len(names) == 0 {
				return cty.SetValEmpty(cty.String), nil
			}
			vals := make([]cty.Value, len(names))
			for i, n := range names {
				vals[i] = cty.StringVal(n)
			}
			return cty.SetVal(vals), nil
		},
	})
}

// fileSet walks base and returns the regular files whose paths relative to
// base match pattern.
func fileSet(fsys fs.FS, base, pattern string) ([]string, error) {
	pats, err := expandBraces(path.Clean(pattern))
	if err != nil {
		return nil, function.NewArgErrorf(1, "%s", err)
	}
	for _, p := range pats {
		if err := checkGlob(p); err != nil {
			return nil, function.NewArgErrorf(1, "invalid pattern %q: %s", pattern, err)
		}
	}
	if st, err := fs.Stat(fsys, base); err == nil && !st.IsDir() {
		return nil, function.NewArgErrorf(0, "%q is a file, not a directory; give the directory to search", base)
	}
	var names []string
	err = fs.WalkDir(fsys, base, func(name string, d fs.DirEntry, err error) error {
		if err != nil {
			if name == base && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll // a missing directory holds no files
			}
			return err
		}
		if !d.Type().IsRegular() {
			return nil
		}
		rel := strings.TrimPrefix(name, base+"/")
		if base == "." {
			rel = name
		}
		for _, p := range pats {
			if globMatch(strings.Split(p, "/"), strings.Split(rel, "/")) {
				names = append(names, rel)
				break
			}
		}
		return nil
	})
	if err != nil {
		return nil, function.NewArgErrorf(0, "cannot list %q: %s", base, describeFSError(err))
	}
	return names, nil
}

// globMatch matches path segments against pattern segments: "**" matches
// any number of whole segments, other segments use path.Match.
func globMatch(pat, name []string) bool {
	for len(pat) > 0 {
		if pat[0] == "**" {
			for i := 0; i <= len(name); i++ {
				if globMatch(pat[1:], name[i:]) {
					return true
				}
			}
			return false
		}
		if len(name) == 0 {
			return false
		}
		if ok, _ := path.Match(pat[0], name[0]); !ok {
			return false
		}
		pat, name = pat[1:], name[1:]
	}
	return len(name) == 0
}

// checkGlob reports a malformed pattern segment.
func checkGlob(p string) error {
	for _, seg := range strings.Split(p, "/") {
		if _, err := path.Match(seg, ""); err != nil {
			return err
		}
	}
	return nil
}

// expandBraces expands "{a,b}" alternatives (without nesting) into one
// pattern per alternative.
func expandBraces(p string) ([]string, error) {
	open := strings.IndexByte(p, '{')
	if open < 0 {
		if strings.IndexByte(p, '}') >= 0 {
			return nil, fmt.Errorf("invalid pattern %q: unmatched \"}\"", p)
		}
		return []string{p}, nil
	}
	end := strings.IndexByte(p[open:], '}')
	if end < 0 {
		return nil, fmt.Errorf("invalid pattern %q: unmatched \"{\"", p)
	}
	end += open
	var out []string
	for _, alt := range strings.Split(p[open+1:end], ",") {
		rest, err := expandBraces(p[:open] + alt + p[end+1:])
		if err != nil {
			return nil, err
		}
		out = append(out, rest...)
	}
	return out, nil
}

// templateFileFunc renders HCL templates with the functions in funcs, into
// which it puts a templatefile that always fails, so templates cannot
// recurse.
func (f fileFuncs) templateFileFunc(funcs map[string]function.Function) function.Function {
	funcs["templatefile"] = function.New(&function.Spec{
		Description: "Not available inside a template.",
		VarParam:    &function.Parameter{Name: "args", Type: cty.DynamicPseudoType},
		Type: func([]cty.Value) (cty.Type, error) {
			return cty.NilType, errors.New("templatefile cannot be called from inside a template")
		},
		Impl: func([]cty.Value, cty.Type) (cty.Value, error) {
			return cty.NilVal, errors.New("templatefile cannot be called from inside a template")
		},
	})
	render := func(args []cty.Value) (cty.Value, error) {
		p := args[0].AsString()
		src, err := f.readText(0, p)
		if err != nil {
			return cty.NilVal, err
		}
		vars, err := templateVars(args[1])
		if err != nil {
			return cty.NilVal, err
		}
		if d := limits.CheckNesting([]byte(src), p, true); d != nil {
			return cty.NilVal, function.NewArgErrorf(0, "the template nests more than %d levels deep at line %d, column %d; split it into smaller templates",
				limits.MaxNesting, d.Subject.Start.Line, d.Subject.Start.Column)
		}
		expr, diags := hclsyntax.ParseTemplate([]byte(src), p, hcl.Pos{Line: 1, Column: 1})
		if diags.HasErrors() {
			return cty.NilVal, function.NewArgErrorf(0, "the template has errors: %s", diagText(diags))
		}
		v, diags := expr.Value(&hcl.EvalContext{Variables: vars, Functions: funcs})
		if diags.HasErrors() {
			return cty.NilVal, function.NewArgErrorf(0, "the template failed: %s", diagText(diags))
		}
		return v, nil
	}
	return function.New(&function.Spec{
		Description: "Renders the template file at path (relative to the configuration directory) with the given variables.",
		Params: []function.Parameter{
			{Name: "path", Type: cty.String},
			{Name: "vars", Type: cty.DynamicPseudoType},
		},
		// The result's type depends on the template, so it is known only
		// once rendered.
		Type: function.StaticReturnType(cty.DynamicPseudoType),
		Impl: func(args []cty.Value, _ cty.Type) (cty.Value, error) {
			return render(args)
		},
	})
}

// templateVars checks that vars is a map or object whose keys are valid
// identifiers and returns it as a variable table.
func templateVars(v cty.Value) (map[string]cty.Value, error) {
	ty := v.Type()
	if !ty.IsMapType() && !ty.IsObjectType() {
		return nil, function.NewArgErrorf(1, "vars must be a map or object, not %s", ty.FriendlyName())
	}
	vars := map[string]cty.Value{}
	for it := v.ElementIterator(); it.Next(); {
		k, el := it.Element()
		name := k.AsString()
		if !hclsyntax.ValidIdentifier(name) {
			return nil, function.NewArgErrorf(1, "%q is not a valid variable name for a template; use letters, digits, underscores and dashes", name)
		}
		vars[name] = el
	}
	return vars, nil
}

// diagText flattens diagnostics into one line each, with positions.
func diagText(diags hcl.Diagnostics) string {
	var parts []string
	for _, d := range diags {
		if d.Severity != hcl.DiagError {
			continue
		}
		s := d.Summary
		if d.Detail != "" {
			s += ": " + strings.TrimSuffix(d.Detail, ".")
		}
		if d.Subject != nil {
			s = fmt.Sprintf("%s:%d,%d: %s", d.Subject.Filename, d.Subject.Start.Line, d.Subject.Start.Column, s)
		}
		parts = append(parts, s)
	}
	return strings.Join(parts, "; ")
}
