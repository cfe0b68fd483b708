package lsp

import (
	"bytes"
	"os"
	"sync"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"

	"github.com/pipeform/pipeform/cmd/internal/check"
	"github.com/pipeform/pipeform/lang"
)

// folder is one configuration folder: the directory of one or more open
// documents, analysed as a whole the way `pipeform validate DIR` does.
type folder struct {
	dir string // absolute path
	// analysing is held while the folder is analysed; it guards cache
	// and decoded.
	analysing sync.Mutex
	// gen counts changes to the folder's buffers; a snapshot of an older
	// gen is stale.
	gen   int
	snap  *snapshot
	cache map[string]*parsed // by file name
	// decoded keeps the decoded pipelines and project bodies between
	// analyses (one at a time, as lang.DecodeCache asks), so an edit
	// decodes again only the blocks it can change.
	decoded *lang.DecodeCache
	timer   *time.Timer
	// published are the files whose last published list was not empty, so
	// the next publication clears those that are fixed.
	published map[string]bool
}

// parsed is one file's cached parse, reused while its contents are equal.
type parsed struct {
	src   []byte
	file  *hcl.File
	diags hcl.Diagnostics
	text  *text
	idx   *index // this file's names
}

// snapshot is one analysis of a folder; it is never changed once made, so
// requests read it without locks.
type snapshot struct {
	gen   int
	dir   string
	res   *check.Result
	texts map[string]*text  // by file name, every file lang read
	parts map[string]*index // each file's index, by file name

	idxOnce sync.Once
	idx     *index
}

// index returns the snapshot's index, built on first use.
func (s *snapshot) index() *index {
	s.idxOnce.Do(func() { s.idx = mergeIndexes(s.parts) })
	return s.idx
}

// analyze runs the one analysis (check.Run, what validate runs) on the
// folder with bufs, the buffers as of change gen, over the disk. Parses of
// files whose contents did not change are reused, and so are the decoded
// pipelines whose inputs did not change. f.analysing is held.
func (f *folder) analyze(gen int, bufs map[string][]byte, env map[string]string) *snapshot {
	ov := &overlay{bufs: bufs}
	if root, err := os.OpenRoot(f.dir); err == nil {
		// os.Root keeps file functions from following a symbolic link out
		// of the folder, as validate does.
		defer root.Close()
		ov.base = root.FS()
	}
	used := map[string]*parsed{}
	parse := func(src []byte, name string) (*hcl.File, hcl.Diagnostics) {
		p := f.cache[name]
		if p == nil || !bytes.Equal(p.src, src) {
			file, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos)
			p = &parsed{src: src, file: file, diags: diags, text: newText(src), idx: fileIndex(name, file)}
		}
		used[name] = p
		return p.file, p.diags
	}
	if f.decoded == nil {
		f.decoded = &lang.DecodeCache{}
	}
	res := check.Run(ov, lang.Options{Env: env, Parse: parse, Decoded: f.decoded})
	f.cache = used
	s := &snapshot{gen: gen, dir: f.dir, res: res, texts: map[string]*text{}, parts: map[string]*index{}}
	for name, p := range used {
		s.texts[name] = p.text
		s.parts[name] = p.idx
	}
	return s
}
