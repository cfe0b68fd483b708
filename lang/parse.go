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
		jobs = append(jobs, l.newJob(name, src, isConfig))
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

// newJob is the job that parses the file name of the directory.
func (l *loader) newJob(name string, src []byte, config bool) *parseJob {
	j := &parseJob{name: l.displayName(name), src: src, config: config, parse: l.opts.Parse, sourceOnly: l.opts.SourceOnly}
	j.skim = config && j.sourceOnly && j.parse == nil && !l.opts.fullParse
	return j
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
	// skim: parse the file with its pipeline blocks' bodies left out (see
	// parseSkimmed).
	skim bool
	// skimmed: the file was parsed with its pipeline bodies skimmed over.
	skimmed bool

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

// undefer returns the block with its deferred body parsed, or b itself
// when its body was not deferred. A block whose body was skimmed over (see
// parseSkimmed) is parsed here for the first time: if it does not parse
// alone into exactly the block, the loader is marked to load again with
// every file parsed whole, and b is returned to be decoded in vain.
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
	if len(diags) > 0 || !ok || len(body.Blocks) != 1 || len(body.Attributes) > 0 ||
		body.Blocks[0].Range().End.Byte != d.start.Byte+len(d.src) {
		l.skimFailed.Store(true)
		return b
	}
	return body.Blocks[0].AsHCLBlock()
}

func (j *parseJob) parseFile() {
	d, braces := limits.CheckFile(j.src, j.name)
	if d != nil {
		j.diags, j.tooDeep = hcl.Diagnostics{d}, true
		j.file = &hcl.File{Body: hcl.EmptyBody(), Bytes: j.src}
		return
	}
	if j.parse != nil {
		j.file, j.diags = j.parse(j.src, j.name)
		return
	}
	if j.skim && j.parseSkimmed(braces) {
		j.skimmed = true
		return
	}
	j.file, j.diags = hclsyntax.ParseConfig(j.src, j.name, hcl.InitialPos)
}

// parseSkimmed parses the file with the bodies of its top-level pipeline
// blocks blanked out (every byte but line ends made a space, so every
// position after them is the same) and reports whether that gave a file
// without diagnostics in which each blanked block is an empty pipeline
// block with the braces the scan found. The pipelines are decoded last,
// one at a time, and their bodies parsed then (undefer): parsing them here
// too would lex and parse nearly half of a typical configuration twice.
// When the file and each block parse alone without a diagnostic, the whole
// file parses without one into the same trees, since the lexer is at the
// top level at each block's start and again after its closing brace. When
// a block does not, Load starts again without skimming (Options.fullParse),
// so that diagnostics are exactly those of parsing each file whole.
func (j *parseJob) parseSkimmed(braces []limits.Braces) bool {
	var skim []limits.Braces
	for _, b := range braces {
		if pipelineHeader(j.src, b.Open) && asciiLastLine(j.src, b) {
			skim = append(skim, b)
		}
	}
	if len(skim) == 0 {
		return false
	}
	blank := bytes.Clone(j.src)
	for _, b := range skim {
		for k := b.Open + 1; k < b.Close; k++ {
			if c := blank[k]; c != '\n' && !(c == '\r' && blank[k+1] == '\n') {
				blank[k] = ' '
			}
		}
	}
	f, diags := hclsyntax.ParseConfig(blank, j.name, hcl.InitialPos)
	body, ok := f.Body.(*hclsyntax.Body)
	if len(diags) > 0 || !ok {
		return false
	}
	n := 0
	for _, b := range body.Blocks {
		if n == len(skim) || b.OpenBraceRange.Start.Byte != skim[n].Open {
			continue
		}
		if b.Type != "pipeline" || b.CloseBraceRange.Start.Byte != skim[n].Close ||
			len(b.Body.Attributes) > 0 || len(b.Body.Blocks) > 0 {
			return false
		}
		n++
	}
	if n != len(skim) {
		return false
	}
	f.Bytes = j.src
	j.file, j.diags = f, nil
	return true
}

// pipelineHeader reports whether the text before the brace at open, on its
// line, is `pipeline "label"` with a plain label (no escapes, no
// templates).
func pipelineHeader(src []byte, open int) bool {
	i := skipBlanksBack(src, open)
	if i == 0 || src[i-1] != '"' {
		return false
	}
	i--
	for i > 0 && src[i-1] != '"' {
		switch src[i-1] {
		case '\\', '$', '%', '\n':
			return false
		}
		i--
	}
	if i == 0 {
		return false
	}
	i = skipBlanksBack(src, i-1)
	const kw = "pipeline"
	if i < len(kw) || string(src[i-len(kw):i]) != kw {
		return false
	}
	i = skipBlanksBack(src, i-len(kw))
	return i == 0 || src[i-1] == '\n'
}

func skipBlanksBack(src []byte, i int) int {
	for i > 0 && (src[i-1] == ' ' || src[i-1] == '\t') {
		i--
	}
	return i
}

// asciiLastLine reports whether the text between the last line end in the
// block and its closing brace is ASCII: blanked, it then keeps the brace's
// column (a column counts characters, not bytes).
func asciiLastLine(src []byte, b limits.Braces) bool {
	start := b.Open + 1
	if k := bytes.LastIndexByte(src[start:b.Close], '\n'); k >= 0 {
		start += k + 1
	}
	for _, c := range src[start:b.Close] {
		if c >= 0x80 {
			return false
		}
	}
	return true
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
	l.skimmed = l.skimmed || j.skimmed
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
