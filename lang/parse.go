package lang

import (
	"bytes"
	"fmt"
	"io/fs"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/ext/dynblock"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/pipeform/pipeform/lang/limits"
)

// parseDir parses every *.pf.hcl and *.pfvars file at the root of fsys,
// in name order.
func (l *loader) parseDir(fsys fs.FS) (configs, varFiles []*hcl.File, ok bool) {
	entries, err := fs.ReadDir(fsys, ".")
	if err != nil {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "Cannot read configuration directory",
			Detail:   fmt.Sprintf("Reading the directory failed: %v.", err),
		})
		return nil, nil, false
	}
	var jobs []*parseJob
	for _, e := range entries {
		name := e.Name()
		isConfig, isVars := strings.HasSuffix(name, ".pf.hcl"), strings.HasSuffix(name, ".pfvars")
		if e.IsDir() || (!isConfig && !isVars) {
			continue
		}
		if !l.regularFile(fsys, e) {
			continue
		}
		src, err := fs.ReadFile(fsys, name)
		if err != nil {
			l.diags = append(l.diags, &hcl.Diagnostic{
				Severity: hcl.DiagError,
				Summary:  "Cannot read configuration file",
				Detail:   fmt.Sprintf("Reading %s failed: %v.", l.displayName(name), err),
			})
			continue
		}
		jobs = append(jobs, &parseJob{name: l.displayName(name), src: src, config: isConfig, parse: l.opts.Parse, sourceOnly: l.opts.SourceOnly})
	}
	parseAll(jobs)
	for _, j := range jobs {
		f := l.record(j)
		if j.config {
			configs = append(configs, f)
		} else {
			varFiles = append(varFiles, f)
		}
	}
	if len(configs) == 0 {
		l.diags = append(l.diags, &hcl.Diagnostic{
			Severity: hcl.DiagError,
			Summary:  "No configuration files",
			Detail: fmt.Sprintf("The directory %q contains no *.pf.hcl files. Give the directory that holds your pipeline configuration.",
				l.displayName(".")),
		})
		return nil, nil, false
	}
	return configs, varFiles, true
}

// regularFile reports whether the directory entry is a regular file, or a
// symbolic link to one. Anything else named like a configuration file (a
// named pipe, a device, a socket) is skipped with a warning: reading a
// named pipe would wait forever for a writer.
func (l *loader) regularFile(fsys fs.FS, e fs.DirEntry) bool {
	mode := e.Type()
	if mode&fs.ModeSymlink != 0 {
		st, err := fs.Stat(fsys, e.Name())
		if err != nil {
			return true // let ReadFile report why it cannot be read
		}
		mode = st.Mode().Type()
	}
	if mode.IsRegular() {
		return true
	}
	if mode.IsDir() {
		return false
	}
	l.diags = append(l.diags, &hcl.Diagnostic{
		Severity: hcl.DiagWarning,
		Summary:  "Configuration file is not a regular file",
		Detail: fmt.Sprintf("%s is a %s, not a regular file, so it was skipped without being read. Replace it with a regular file, or rename it so that its name does not end in .pf.hcl or .pfvars.",
			l.displayName(e.Name()), describeMode(mode)),
	})
	return false
}

// describeMode names a non-regular file type in words.
func describeMode(m fs.FileMode) string {
	switch {
	case m&fs.ModeNamedPipe != 0:
		return "named pipe (FIFO)"
	case m&fs.ModeSocket != 0:
		return "socket"
	case m&fs.ModeCharDevice != 0:
		return "character device"
	case m&fs.ModeDevice != 0:
		return "device"
	}
	return "special file"
}

// parse parses one file (a -var-file) and records it.
func (l *loader) parse(src []byte, name string) *hcl.File {
	j := &parseJob{name: name, src: src, parse: l.opts.Parse, sourceOnly: l.opts.SourceOnly}
	j.run()
	return l.record(j)
}

// parseJob is one file to parse and, once run, its result.
type parseJob struct {
	name   string
	src    []byte
	config bool // a *.pf.hcl file, not a *.pfvars file
	// parse is Options.Parse, or nil for hclsyntax.ParseConfig.
	parse func(src []byte, filename string) (*hcl.File, hcl.Diagnostics)

	// sourceOnly: also make what Result.Files keeps (Options.SourceOnly).
	sourceOnly bool

	file     *hcl.File
	kept     *hcl.File // what Result.Files holds: file, or its source and outline
	deferred []deferredBlock
	diags    hcl.Diagnostics
	tooDeep  bool
}

// run parses the file. The parser recurses for every level of nesting, so
// deep input is refused before it can exhaust the stack.
func (j *parseJob) run() {
	j.parseFile()
	j.kept = j.file
	if j.sourceOnly {
		j.kept = sourceOnly(j.file)
		j.deferPipelines()
	}
}

// deferredBlock is a pipeline block whose body was dropped after parsing:
// its source, parsed again when the pipeline is decoded.
type deferredBlock struct {
	stub  *hclsyntax.Body
	src   []byte
	start hcl.Pos
}

// deferPipelines replaces the bodies of the file's pipeline blocks with
// empty stubs of the same extent and keeps their source instead. Pipelines
// are decoded last, after every file's variables, locals and projects, so
// with their trees kept every file's whole tree would be alive at once;
// parsing a pipeline block a second time, alone, costs less than holding
// them all. Only a file without diagnostics is deferred, so that parsing a
// block again gives exactly the tree, and no diagnostic, it gave the first
// time.
func (j *parseJob) deferPipelines() {
	body, ok := j.file.Body.(*hclsyntax.Body)
	if !ok || j.parse != nil || len(j.diags) > 0 {
		return
	}
	for _, b := range body.Blocks {
		if b.Type != "pipeline" || b.Body == nil {
			continue
		}
		rng := b.Range()
		if rng.Start.Byte < 0 || rng.End.Byte > len(j.src) || rng.Start.Byte >= rng.End.Byte {
			continue
		}
		stub := &hclsyntax.Body{SrcRange: b.Body.SrcRange, EndRange: b.Body.EndRange}
		j.deferred = append(j.deferred, deferredBlock{stub: stub, src: j.src[rng.Start.Byte:rng.End.Byte], start: rng.Start})
		b.Body = stub
	}
}

// undefer returns the block with its deferred body parsed again, or b
// itself when its body was not deferred.
func (l *loader) undefer(b *hcl.Block) *hcl.Block {
	stub, ok := b.Body.(*hclsyntax.Body)
	if !ok {
		return b
	}
	d, ok := l.deferred[stub]
	if !ok {
		return b
	}
	f, diags := hclsyntax.ParseConfig(d.src, stub.SrcRange.Filename, d.start)
	body, ok := f.Body.(*hclsyntax.Body)
	if diags.HasErrors() || !ok || len(body.Blocks) != 1 {
		// Cannot happen: the block parsed without a diagnostic in its file.
		panic(fmt.Sprintf("%s: a pipeline block parsed alone does not give the block", stub.SrcRange))
	}
	return body.Blocks[0].AsHCLBlock()
}

func (j *parseJob) parseFile() {
	if d := limits.CheckNesting(j.src, j.name, false); d != nil {
		j.diags, j.tooDeep = hcl.Diagnostics{d}, true
		j.file = &hcl.File{Body: hcl.EmptyBody(), Bytes: j.src}
		return
	}
	if j.parse != nil {
		j.file, j.diags = j.parse(j.src, j.name)
		return
	}
	j.file, j.diags = hclsyntax.ParseConfig(j.src, j.name, hcl.InitialPos)
}

// parseAll runs the jobs on every processor: files parse independently,
// and parsing is most of the work of loading a large configuration. A
// caller's own parse function (Options.Parse, an editor's cache) is called
// one file at a time, since it need not be safe for concurrent use.
func parseAll(jobs []*parseJob) {
	if len(jobs) > 0 && jobs[0].parse != nil {
		for _, j := range jobs {
			j.run()
		}
		return
	}
	inParallel(len(jobs), func(i int) { jobs[i].run() })
}

// inParallel calls work(i) for every i in [0, n) on every processor. A
// panic in a worker is raised again in the caller, whose recovery reports
// it as an internal error (exit 3) instead of the runtime's exit 2.
func inParallel(n int, work func(i int)) {
	workers := min(runtime.GOMAXPROCS(0), n)
	if workers <= 1 {
		for i := range n {
			work(i)
		}
		return
	}
	var (
		next    atomic.Int64
		wg      sync.WaitGroup
		mu      sync.Mutex
		crashed any
	)
	for range workers {
		wg.Go(func() {
			defer func() {
				if r := recover(); r != nil {
					mu.Lock()
					crashed = r
					mu.Unlock()
				}
			}()
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(i)
			}
		})
	}
	wg.Wait()
	if crashed != nil {
		panic(crashed)
	}
}

// decodeEach decodes n independent items (pipelines, project instances) on
// every processor. Each item gets its own fork of the loader, so the
// shared state it reads (variables, locals, projects, the evaluation
// context) is no longer written to, and what it reports is merged back in
// item order: the result is the same as decoding one after another.
func (l *loader) decodeEach(n int, decode func(sub *loader, i int)) {
	forks := make([]*loader, n)
	inParallel(n, func(i int) {
		sub := *l
		sub.diags, sub.secrets, sub.sensitiveUses = nil, nil, nil
		decode(&sub, i)
		forks[i] = &sub
	})
	for _, sub := range forks {
		l.diags = append(l.diags, sub.diags...)
		l.secrets = append(l.secrets, sub.secrets...)
		l.sensitiveUses = append(l.sensitiveUses, sub.sensitiveUses...)
	}
}

// record adds a parsed file's diagnostics and the file itself to the
// loader, in the order of the calls.
func (l *loader) record(j *parseJob) *hcl.File {
	l.diags = append(l.diags, j.diags...)
	l.tooDeep = l.tooDeep || j.tooDeep
	for _, d := range j.diags {
		if d.Severity == hcl.DiagError && d.Subject != nil {
			l.syntaxErrs = append(l.syntaxErrs, *d.Subject)
			l.parseErrs[d] = true
		}
	}
	if bytes.Contains(j.src, []byte("dynamic")) {
		l.dynamic[j.name] = true
	}
	for _, d := range j.deferred {
		l.deferred[d.stub] = d
	}
	l.files[j.name] = j.kept
	return j.file
}

// expandDynamic returns body with its dynamic blocks expanded in ctx. A
// body of a file that does not contain the word "dynamic" has none, and
// is returned as it is: the expansion wraps every nested body and costs a
// tenth of loading even when there is nothing to expand.
func (l *loader) expandDynamic(body hcl.Body, ctx *hcl.EvalContext) hcl.Body {
	if sb, ok := body.(*hclsyntax.Body); ok && !l.dynamic[sb.SrcRange.Filename] {
		return body
	}
	return dynblock.Expand(body, ctx)
}
