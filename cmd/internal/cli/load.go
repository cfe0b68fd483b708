package cli

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"runtime/metrics"
	"sort"
	"strings"
	"sync"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/check"
	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
)

// varFlags are the variable flags of every command that reads a configuration.
type varFlags struct {
	// args keeps -var and -var-file in command-line order.
	args []lang.VarArg
}

func (v *varFlags) register(cmd *cobra.Command) {
	cmd.Flags().Var(&varValue{v, false}, "var", "set a variable: -var NAME=VALUE (repeatable)")
	cmd.Flags().Var(&varValue{v, true}, "var-file", "read variables from a .pfvars file (repeatable)")
}

type varValue struct {
	v    *varFlags
	file bool
}

func (f *varValue) String() string { return "" }
func (f *varValue) Type() string {
	if f.file {
		return "FILE"
	}
	return "NAME=VALUE"
}
func (f *varValue) Set(s string) error {
	if f.file {
		src, why := readFileArg(s)
		if why != "" {
			return usagef("--var-file %s: cannot read the variables file: %s. Give a .pfvars file of NAME = VALUE lines", s, why)
		}
		f.v.args = append(f.v.args, lang.VarArg{File: s, Src: src})
		return nil
	}
	name, value, ok := strings.Cut(s, "=")
	if !ok || name == "" {
		return fmt.Errorf("-var wants NAME=VALUE, got %q", s)
	}
	f.v.args = append(f.v.args, lang.VarArg{Name: name, Value: value})
	return nil
}

// loaded is a configuration directory read, evaluated and compiled.
type loaded struct {
	Dir   string
	Files map[string]*hcl.File
	Graph *graph.Graph // nil when the language stage failed
	Diags hcl.Diagnostics
	// Secrets are the texts of sensitive values, hidden in diagnostics.
	Secrets []string
	// SensitiveUses are the expressions whose sensitive values end up in
	// generated files.
	SensitiveUses []hcl.Range
}

// load reads the configuration in dir and compiles it. Diagnostics are
// sorted; the caller decides how to render them.
func (c *CLI) load(dir string, vars *varFlags) *loaded {
	if dir == "" {
		dir = "."
	}
	l := &loaded{Dir: dir}
	st, err := os.Stat(dir)
	if err != nil || !st.IsDir() {
		why := "is not a directory"
		if errors.Is(err, fs.ErrNotExist) {
			why = "does not exist"
		}
		l.Diags = hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Configuration directory not found",
			Detail:   fmt.Sprintf("%q %s. Give the directory that holds your *.pf.hcl files, or run pipeform from inside it.", dir, why),
		}}
		return l
	}
	// Only diagnostics need the files once they are decoded: keep their
	// source and block outline, and let the syntax trees go as loading
	// goes.
	opts := lang.Options{DisplayDir: filepath.ToSlash(filepath.Clean(dir)), Env: c.varEnv(), SourceOnly: true}
	if opts.DisplayDir == "." {
		opts.DisplayDir = ""
	}
	if vars != nil {
		opts.Args = vars.args
	}
	// os.Root keeps file functions (file, templatefile, fileset) from
	// following a symbolic link out of the configuration directory.
	root, err := os.OpenRoot(dir)
	if err != nil {
		l.Diags = hcl.Diagnostics{{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("Opening %q failed: %v. Check that the directory exists and is readable.", dir, err),
		}}
		return l
	}
	defer root.Close()
	defer collectLessWhileParsing(&opts)()
	r := check.Run(root.FS(), opts)
	l.Files, l.Graph, l.Diags = r.Files, r.Graph, r.Diags
	l.Secrets, l.SensitiveUses = r.Secrets, r.SensitiveUses
	return l
}

// collectLessWhileParsing has the garbage collector run a quarter as often
// while the files are parsed, but never let the heap grow past what
// decoding and compiling a large configuration reach anyway
// (parseHeapLimit), unless GOGC or GOMEMLIMIT says otherwise. It returns
// the function that puts both back (also called when parsing ends).
// Parsing allocates most of what loading does, the lexers' token lists
// above all, while little of it stays alive: sources, outlines and the
// trees of variables, locals and projects (pipeline bodies are parsed only
// when decoded). On 1,000 pipelines validate takes about a tenth less CPU
// time for about the same peak memory (docs/benchmarks.md). The setting is
// the process's: loads that overlap (console pages) share it, and the
// last of them to finish parsing puts back what was there before the
// first.
func collectLessWhileParsing(opts *lang.Options) func() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return func() {}
	}
	parsing.Lock()
	if parsing.n == 0 {
		parsing.prevGC = debug.SetGCPercent(400)
		parsing.prevLimit = debug.SetMemoryLimit(max(parseHeapLimit, 2*liveHeap()))
	}
	parsing.n++
	parsing.Unlock()
	restore := sync.OnceFunc(func() {
		parsing.Lock()
		defer parsing.Unlock()
		if parsing.n--; parsing.n == 0 {
			debug.SetGCPercent(parsing.prevGC)
			debug.SetMemoryLimit(parsing.prevLimit)
		}
	})
	opts.Parsed = restore
	return restore
}

// parsing counts the loads that are parsing, and holds the collector's
// setting from before the first of them.
var parsing struct {
	sync.Mutex
	n         int
	prevGC    int
	prevLimit int64
}

// liveHeap is the heap the last collection found alive: a long-running
// process (the console) may hold more than parseHeapLimit already, and a
// limit below it would have the collector run back to back.
func liveHeap() int64 {
	sample := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	metrics.Read(sample)
	if sample[0].Value.Kind() != metrics.KindUint64 {
		return 0
	}
	return int64(sample[0].Value.Uint64())
}

// parseHeapLimit is the memory the collector lets parsing use before it
// runs as often as by default: about the heap that decoding and compiling
// 1,000 pipelines reach at the default setting.
const parseHeapLimit = 128 << 20

// varEnv returns the PF_VAR_<name> environment variables by <name>.
func (c *CLI) varEnv() map[string]string {
	env := map[string]string{}
	for _, kv := range c.Environ() {
		if name, ok := strings.CutPrefix(kv, "PF_VAR_"); ok {
			if k, v, ok := strings.Cut(name, "="); ok {
				env[k] = v
			}
		}
	}
	return env
}

// checkDir makes sure the directory a flag or argument names exists: what
// names it (such as "--dir x" or "--source a=x"), so the message can say which.
func checkDir(what, dir string) error {
	st, err := os.Stat(dir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return usagef("%s: the directory %s does not exist", what, dir)
	case err != nil:
		return usagef("%s: cannot read the directory %s: %s", what, dir, describeErr(err))
	case !st.IsDir():
		return usagef("%s: %s is a file, not a directory", what, dir)
	}
	return nil
}

// describeErr says in words why a file could not be opened, for messages
// that must not show a raw Go error.
func describeErr(err error) string {
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return "the file does not exist"
	case errors.Is(err, fs.ErrPermission):
		return "permission denied"
	case errors.Is(err, syscall.EISDIR):
		return "it is a directory, not a file"
	case errors.Is(err, syscall.ENOTDIR):
		return "a part of the path is a file, not a directory"
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err.Error()
	}
	return err.Error()
}

// maxFileArg bounds a file named by a flag or argument (a buildspec, a
// secrets file, a template to import): far above any real one, and small
// enough that reading it never exhausts memory.
const maxFileArg = 64 << 20

// readFileArg reads a file named by a flag or argument. The error says in
// words why it cannot be read: a directory, a missing file, no permission,
// more than maxFileArg bytes (a regular file is refused from its size,
// without reading it; a pipe, such as a shell's <(...), is read up to the
// bound).
func readFileArg(path string) ([]byte, string) {
	f, err := os.Open(path)
	if err != nil {
		return nil, describeErr(err)
	}
	defer f.Close()
	tooLarge := fmt.Sprintf("it is larger than %d MiB, the most pipeform reads from a file named on the command line", maxFileArg>>20)
	if st, err := f.Stat(); err == nil {
		if st.IsDir() {
			return nil, "it is a directory, not a file"
		}
		if st.Mode().IsRegular() && st.Size() > maxFileArg {
			return nil, tooLarge
		}
	}
	data, err := io.ReadAll(io.LimitReader(f, maxFileArg+1))
	if err != nil {
		return nil, describeErr(err)
	}
	if len(data) > maxFileArg {
		return nil, tooLarge
	}
	return data, ""
}

// readSecretsFile reads --secrets-file; a file that cannot be read is bad usage.
func readSecretsFile(path string) ([]byte, error) {
	data, why := readFileArg(path)
	if why != "" {
		return nil, usagef("cannot read the secrets file %s: %s. --secrets-file wants a JSON file such as {\"parameter-store\": {\"/ci/token\": \"value\"}}", path, why)
	}
	return data, nil
}

// secretsInside warns when the secrets file lies inside one of the source
// folders: the executor never copies it into a build's source or an
// artifact, but a file there is easily committed.
func secretsInside(file string, dirs []string) hcl.Diagnostics {
	if file == "" {
		return nil
	}
	real, err := filepath.Abs(file)
	if err == nil {
		real, err = filepath.EvalSymlinks(real)
	}
	if err != nil {
		return nil
	}
	for _, d := range dirs {
		dir, err := filepath.Abs(d)
		if err == nil {
			dir, err = filepath.EvalSymlinks(dir)
		}
		if rel, rerr := filepath.Rel(dir, real); err == nil && rerr == nil && filepath.IsLocal(rel) {
			return hcl.Diagnostics{{
				Severity: hcl.DiagWarning,
				Summary:  "Secrets file inside the source",
				Detail: fmt.Sprintf("The secrets file %s is inside the source folder %s. pipeform never copies it into a build's source or an artifact, "+
					"but a file there is easily committed: keep it outside the repository, or at least list it in .gitignore.", file, d),
			}}
		}
	}
	return nil
}

// printDiags renders diagnostics to stderr for people.
func (c *CLI) printDiags(l *loaded) {
	if len(l.Diags) == 0 {
		return
	}
	color := isTerminal(c.Stderr) && c.Getenv("NO_COLOR") == ""
	_ = views.WriteDiagnostics(c.Stderr, l.Files, l.Diags, 0, color)
}

// sortedKeys returns m's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
