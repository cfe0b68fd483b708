package lsp

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"sync"
	"time"

	"go.lsp.dev/jsonrpc2"
	"go.lsp.dev/protocol"
	"go.lsp.dev/uri"
)

// Options configure the server.
type Options struct {
	// Env holds PF_VAR_<name> values by <name>, as validate reads them.
	Env map[string]string
	// Debounce is how long the server waits after the last change before it
	// publishes diagnostics; zero means 150 ms.
	Debounce time.Duration
	// Log receives the server's own problems (a failed write, a recovered
	// crash), never the configuration's.
	Log io.Writer
	// Version is reported to the editor as the server's version.
	Version string
}

// Exit codes of Serve, as the protocol asks: 0 after shutdown then exit,
// 1 for an exit without shutdown or a lost connection.
const (
	ExitOK    = 0
	ExitError = 1
)

// server implements protocol.Server; methods it does not override answer
// "method not found".
type server struct {
	protocol.UnimplementedServer
	opts   Options
	client protocol.Client

	mu       sync.Mutex
	docs     map[string]*document // open documents by absolute path
	folders  map[string]*folder   // by absolute directory
	shutdown bool
	// initialized is set by initialize; the protocol refuses requests before it.
	initialized bool
	exited      chan struct{}
	// pubMu keeps publications of one folder in order.
	pubMu sync.Mutex
}

// document is an open editor buffer.
type document struct {
	path    string
	uri     uri.URI
	version int32
	src     []byte
}

// Serve runs the language server on r and w until the editor sends exit or
// closes the connection, and returns the process exit code.
func Serve(ctx context.Context, r io.Reader, w io.Writer, opts Options) int {
	if opts.Debounce == 0 {
		opts.Debounce = 150 * time.Millisecond
	}
	if opts.Log == nil {
		opts.Log = io.Discard
	}
	s := &server{opts: opts, docs: map[string]*document{}, folders: map[string]*folder{}, exited: make(chan struct{})}
	conn := jsonrpc2.NewConn(jsonrpc2.NewStream(stdio{r, w}), jsonrpc2.WithCodec(codec{}))
	s.client = protocol.ClientDispatcher(conn)
	conn.Go(ctx, s.handler(protocol.ServerHandler(s, jsonrpc2.MethodNotFoundHandler)))
	select {
	case <-s.exited:
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.shutdown {
			return ExitOK
		}
		return ExitError
	case <-conn.Done():
		return ExitError
	}
}

// handler answers one message at a time, in the order they arrive (the
// read loop waits for it), and turns a panic into an error answer: a bug
// costs one request, not the session. An error of a notification is
// logged rather than returned, since the connection would end on it.
func (s *server) handler(next jsonrpc2.Handler) jsonrpc2.Handler {
	return func(ctx context.Context, req *jsonrpc2.Request) (result any, err error) {
		method := req.Method()
		defer func() {
			if r := recover(); r != nil {
				fmt.Fprintf(s.opts.Log, "pipeform lsp: %s crashed: %v\n%s", method, r, debug.Stack())
				result, err = nil, jsonrpc2.Errorf(jsonrpc2.InternalError, "pipeform crashed answering %s: %v; this is a bug in pipeform, please report it", method, r)
			}
			if err != nil && !req.IsCall() {
				if !strings.HasPrefix(method, "$/") {
					fmt.Fprintf(s.opts.Log, "pipeform lsp: %s: %v\n", method, err)
				}
				result, err = nil, nil
			}
		}()
		if err := s.admit(method); err != nil {
			if !req.IsCall() {
				return nil, nil
			}
			return nil, err
		}
		return next(ctx, req)
	}
}

// serverNotInitialized is the protocol's error code for a request sent
// before initialize.
const serverNotInitialized jsonrpc2.Code = -32002

// admit applies the protocol's lifecycle: before initialize only
// initialize and exit are taken, after shutdown only exit.
func (s *server) admit(method string) error {
	if method == "exit" {
		return nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	switch {
	case s.shutdown:
		return jsonrpc2.Errorf(jsonrpc2.InvalidRequest, "%s after shutdown: the server only takes exit now", method)
	case !s.initialized && method != "initialize":
		return jsonrpc2.Errorf(serverNotInitialized, "%s before initialize: send initialize first", method)
	}
	return nil
}

func (s *server) Initialize(ctx context.Context, p *protocol.InitializeParams) (*protocol.InitializeResult, error) {
	s.mu.Lock()
	s.initialized = true
	s.mu.Unlock()
	return &protocol.InitializeResult{
		Capabilities: capabilities(),
		ServerInfo:   protocol.ServerInfo{Name: "pipeform", Version: protocol.NewOptional(s.opts.Version)},
	}, nil
}

func (s *server) Initialized(context.Context, *protocol.InitializedParams) error { return nil }

func (s *server) Shutdown(context.Context) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.shutdown = true
	for _, f := range s.folders {
		if f.timer != nil {
			f.timer.Stop()
		}
	}
	return nil
}

func (s *server) Exit(context.Context) error {
	select {
	case <-s.exited:
	default:
		close(s.exited)
	}
	return nil
}

func (s *server) DidOpen(ctx context.Context, p *protocol.DidOpenTextDocumentParams) error {
	path := p.TextDocument.URI.FsPath()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.docs[path] = &document{path: path, uri: p.TextDocument.URI, version: p.TextDocument.Version, src: []byte(p.TextDocument.Text)}
	s.changed(path)
	return nil
}

func (s *server) DidChange(ctx context.Context, p *protocol.DidChangeTextDocumentParams) error {
	path := p.TextDocument.URI.FsPath()
	s.mu.Lock()
	defer s.mu.Unlock()
	d := s.docs[path]
	if d == nil {
		return fmt.Errorf("change of %s, which is not open", path)
	}
	// Versions only grow (LSP: "the version number increases after each
	// change"); a change for an older version than the buffer has arrived
	// late and applying it would corrupt the buffer, so it is dropped.
	if p.TextDocument.Version < d.version {
		return nil
	}
	for _, c := range p.ContentChanges {
		switch c := c.(type) {
		case *protocol.TextDocumentContentChangeWholeDocument:
			d.src = []byte(c.Text)
		case *protocol.TextDocumentContentChangePartial:
			t := newText(d.src)
			start, end := t.offset(c.Range.Start), t.offset(c.Range.End)
			end = max(start, end)
			d.src = append(append(append([]byte{}, d.src[:start]...), c.Text...), d.src[end:]...)
		}
	}
	d.version = p.TextDocument.Version
	s.changed(path)
	return nil
}

func (s *server) DidSave(ctx context.Context, p *protocol.DidSaveTextDocumentParams) error {
	path := p.TextDocument.URI.FsPath()
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[path]; d != nil && p.Text != nil {
		d.src = []byte(*p.Text)
	}
	s.changed(path)
	return nil
}

func (s *server) DidClose(ctx context.Context, p *protocol.DidCloseTextDocumentParams) error {
	path := p.TextDocument.URI.FsPath()
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.docs, path)
	s.changed(path)
	return nil
}

// DidChangeWatchedFiles re-analyses the folders of files changed on disk.
func (s *server) DidChangeWatchedFiles(ctx context.Context, p *protocol.DidChangeWatchedFilesParams) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, c := range p.Changes {
		if f := s.folders[filepath.Dir(c.URI.FsPath())]; f != nil {
			s.changed(c.URI.FsPath())
		}
	}
	return nil
}

// isConfigFile reports whether lang reads the file.
func isConfigFile(path string) bool {
	return strings.HasSuffix(path, ".pf.hcl") || strings.HasSuffix(path, ".pfvars")
}

// changed marks the folder of path stale and schedules its diagnostics
// after the debounce. s.mu is held.
func (s *server) changed(path string) {
	if !isConfigFile(path) {
		return
	}
	dir := filepath.Dir(path)
	f := s.folders[dir]
	if f == nil {
		f = &folder{dir: dir, published: map[string]bool{}}
		s.folders[dir] = f
	}
	f.gen++ // f.gen is guarded by s.mu
	if s.shutdown {
		return
	}
	if f.timer == nil {
		f.timer = time.AfterFunc(s.opts.Debounce, func() { s.publish(dir) })
	} else {
		f.timer.Reset(s.opts.Debounce)
	}
}

// current returns the folder's snapshot, analysing it first if a buffer
// changed since. s.mu must not be held: the analysis runs without it, so
// changes keep arriving while it runs (a later one makes it stale, and
// the next request or publication analyses again).
func (s *server) current(f *folder) *snapshot {
	f.analysing.Lock()
	defer f.analysing.Unlock()
	s.mu.Lock()
	gen, snap := f.gen, f.snap
	if snap != nil && snap.gen == gen {
		s.mu.Unlock()
		return snap
	}
	bufs := map[string][]byte{}
	for p, d := range s.docs {
		if filepath.Dir(p) == f.dir && isConfigFile(p) {
			bufs[filepath.Base(p)] = d.src // never changed in place
		}
	}
	s.mu.Unlock()
	snap = f.analyze(gen, bufs, s.opts.Env)
	s.mu.Lock()
	if f.snap == nil || f.snap.gen < snap.gen {
		f.snap = snap
	}
	s.mu.Unlock()
	return snap
}

// folderOf returns the folder of dir, made on first use.
func (s *server) folderOf(dir string) *folder {
	s.mu.Lock()
	defer s.mu.Unlock()
	f := s.folders[dir]
	if f == nil {
		f = &folder{dir: dir, published: map[string]bool{}}
		s.folders[dir] = f
	}
	return f
}

// snapshotOf returns the current snapshot of the folder of the document at
// u and the document's file name in it; nil for a file lang does not read.
func (s *server) snapshotOf(u uri.URI) (*snapshot, string) {
	path := u.FsPath()
	if !isConfigFile(path) {
		return nil, ""
	}
	return s.current(s.folderOf(filepath.Dir(path))), filepath.Base(path)
}

// uriOf is the URI of a file of a snapshot's folder: the open document's
// own URI when it is open, so the editor matches it exactly.
func (s *server) uriOf(dir, name string) uri.URI {
	path := filepath.Join(dir, name)
	s.mu.Lock()
	defer s.mu.Unlock()
	if d := s.docs[path]; d != nil {
		return d.uri
	}
	return uri.File(path)
}

// stdio joins the process's standard streams into the connection's
// transport. Closing it closes the input when it can, which ends the read.
type stdio struct {
	io.Reader
	io.Writer
}

func (s stdio) Close() error {
	if c, ok := s.Reader.(io.Closer); ok && s.Reader != os.Stdin {
		return c.Close()
	}
	return nil
}

// codec marshals message payloads with the protocol package's union-aware
// encoder (what its NewServer installs; that codec type is unexported).
type codec struct{}

func (codec) Marshal(v any) ([]byte, error) {
	if m, ok := v.(jsonrpc2.RawMessage); ok {
		if m == nil {
			return []byte("null"), nil
		}
		return m, nil
	}
	return protocol.Marshal(v)
}

func (codec) Unmarshal(data []byte, v any) error {
	if p, ok := v.(*jsonrpc2.RawMessage); ok {
		*p = append(jsonrpc2.RawMessage(nil), data...)
		return nil
	}
	return protocol.Unmarshal(data, v)
}
