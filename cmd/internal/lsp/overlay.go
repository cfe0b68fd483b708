package lsp

import (
	"bytes"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"time"
)

// overlay is the fs.FS a folder is analysed through: the editor's open
// buffers (by file name at the root of the folder) on top of the disk, so
// lang.Load reads unsaved text, and a buffer not yet saved is a file too.
type overlay struct {
	base fs.FS // the folder on disk; nil when it cannot be opened
	bufs map[string][]byte
}

func (o *overlay) Open(name string) (fs.File, error) {
	if src, ok := o.bufs[name]; ok {
		return &memFile{info: memInfo{name: name, size: int64(len(src))}, r: bytes.NewReader(src)}, nil
	}
	if o.base == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return o.base.Open(name)
}

func (o *overlay) ReadFile(name string) ([]byte, error) {
	if src, ok := o.bufs[name]; ok {
		return slices.Clone(src), nil
	}
	if o.base == nil {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return fs.ReadFile(o.base, name)
}

// ReadDir lists the disk's entries with the buffers added; a buffer whose
// file is on disk replaces its entry.
func (o *overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	var entries []fs.DirEntry
	var err error
	if o.base != nil {
		entries, err = fs.ReadDir(o.base, name)
	} else {
		err = &fs.PathError{Op: "readdir", Path: name, Err: fs.ErrNotExist}
	}
	if name != "." || len(o.bufs) == 0 {
		return entries, err
	}
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { _, ok := o.bufs[e.Name()]; return ok })
	for n, src := range o.bufs {
		entries = append(entries, fs.FileInfoToDirEntry(memInfo{name: n, size: int64(len(src))}))
	}
	slices.SortFunc(entries, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return entries, nil
}

// memFile is an open buffer.
type memFile struct {
	info memInfo
	r    *bytes.Reader
}

func (f *memFile) Stat() (fs.FileInfo, error) { return f.info, nil }
func (f *memFile) Read(p []byte) (int, error) { return f.r.Read(p) }
func (f *memFile) Close() error               { return nil }

type memInfo struct {
	name string
	size int64
}

func (i memInfo) Name() string       { return i.name }
func (i memInfo) Size() int64        { return i.size }
func (i memInfo) Mode() fs.FileMode  { return 0o644 }
func (i memInfo) ModTime() time.Time { return time.Time{} }
func (i memInfo) IsDir() bool        { return false }
func (i memInfo) Sys() any           { return nil }
