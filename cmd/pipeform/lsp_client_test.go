package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf16"
)

// lspClient talks to a `pipeform lsp` subprocess as an editor does: JSON-RPC
// messages with Content-Length headers on its standard input and output.
// It is written on encoding/json alone, apart from the server's library, so
// the tests check the wire format the editor sees.
type lspClient struct {
	t    *testing.T
	cmd  *exec.Cmd
	in   io.WriteCloser
	done chan struct{} // closed when the server's output ends

	mu      sync.Mutex
	cond    *sync.Cond
	nextID  int
	results map[int]rpcMessage
	diags   map[string][]lspDiagnostic // the latest list by URI
	pubs    int                        // publications received
}

type rpcMessage struct {
	ID     *json.RawMessage `json:"id,omitempty"`
	Method string           `json:"method,omitempty"`
	Params json.RawMessage  `json:"params,omitempty"`
	Result json.RawMessage  `json:"result,omitempty"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error,omitempty"`
}

type lspPosition struct {
	Line      int `json:"line"`
	Character int `json:"character"`
}

type lspRange struct {
	Start lspPosition `json:"start"`
	End   lspPosition `json:"end"`
}

type lspDiagnostic struct {
	Range    lspRange `json:"range"`
	Severity int      `json:"severity"`
	Code     string   `json:"code"`
	Source   string   `json:"source"`
	Message  string   `json:"message"`
}

// startLSP starts `pipeform lsp` (the test binary, as testscript installs
// it on PATH) and initializes it.
func startLSP(t *testing.T, env ...string) *lspClient {
	t.Helper()
	c := spawnLSP(t, env...)
	var init struct {
		Capabilities map[string]json.RawMessage `json:"capabilities"`
	}
	c.call("initialize", map[string]any{"processId": os.Getpid(), "rootUri": nil, "capabilities": map[string]any{}}, &init)
	if len(init.Capabilities) == 0 {
		t.Fatal("initialize returned no capabilities")
	}
	c.notify("initialized", map[string]any{})
	return c
}

// spawnLSP starts `pipeform lsp` without initializing it.
func spawnLSP(t *testing.T, env ...string) *lspClient {
	t.Helper()
	cmd := exec.Command("pipeform", "lsp")
	cmd.Env = append(os.Environ(), env...)
	in, err := cmd.StdinPipe()
	if err != nil {
		t.Fatal(err)
	}
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	cmd.Stderr = &testLog{t: t}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	c := &lspClient{t: t, cmd: cmd, in: in, done: make(chan struct{}), results: map[int]rpcMessage{}, diags: map[string][]lspDiagnostic{}}
	c.cond = sync.NewCond(&c.mu)
	go c.read(bufio.NewReader(out))
	t.Cleanup(func() {
		if c.cmd.ProcessState == nil {
			_ = c.cmd.Process.Kill()
			_ = c.cmd.Wait()
		}
	})
	return c
}

// testLog passes the server's standard error to the test log.
type testLog struct{ t *testing.T }

func (l *testLog) Write(p []byte) (int, error) {
	l.t.Logf("pipeform lsp stderr: %s", p)
	return len(p), nil
}

func (c *lspClient) read(r *bufio.Reader) {
	defer close(c.done)
	defer c.cond.Broadcast()
	for {
		n := -1
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\r\n")
			if line == "" {
				break
			}
			if v, ok := strings.CutPrefix(line, "Content-Length: "); ok {
				n, _ = strconv.Atoi(v)
			}
		}
		body := make([]byte, n)
		if _, err := io.ReadFull(r, body); err != nil {
			return
		}
		var m rpcMessage
		if err := json.Unmarshal(body, &m); err != nil {
			c.t.Errorf("server sent bad JSON %q: %v", body, err)
			return
		}
		c.handle(m)
	}
}

func (c *lspClient) handle(m rpcMessage) {
	c.mu.Lock()
	defer c.mu.Unlock()
	defer c.cond.Broadcast()
	switch {
	case m.Method == "textDocument/publishDiagnostics":
		var p struct {
			URI         string          `json:"uri"`
			Diagnostics []lspDiagnostic `json:"diagnostics"`
		}
		if err := json.Unmarshal(m.Params, &p); err != nil {
			c.t.Errorf("bad publishDiagnostics %s: %v", m.Params, err)
		}
		c.diags[p.URI] = p.Diagnostics
		c.pubs++
	case m.Method != "" && m.ID != nil:
		// A request from the server (registerCapability, configuration):
		// answer null, as an editor without that feature does.
		go c.send(map[string]any{"jsonrpc": "2.0", "id": m.ID, "result": nil})
	case m.ID != nil:
		id, _ := strconv.Atoi(string(*m.ID))
		c.results[id] = m
	}
}

func (c *lspClient) send(msg any) {
	body, err := json.Marshal(msg)
	if err != nil {
		c.t.Fatal(err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if _, err := fmt.Fprintf(c.in, "Content-Length: %d\r\n\r\n%s", len(body), body); err != nil {
		c.t.Errorf("writing to the server: %v", err)
	}
}

func (c *lspClient) notify(method string, params any) {
	c.send(map[string]any{"jsonrpc": "2.0", "method": method, "params": params})
}

// call sends a request and decodes its result into result (if not nil). An
// error answer fails the test.
func (c *lspClient) call(method string, params, result any) {
	c.t.Helper()
	if err := c.tryCall(method, params, result); err != nil {
		c.t.Fatalf("%s: %v", method, err)
	}
}

// tryCall is call returning the server's error answer.
func (c *lspClient) tryCall(method string, params, result any) error {
	c.mu.Lock()
	c.nextID++
	id := c.nextID
	c.mu.Unlock()
	c.send(map[string]any{"jsonrpc": "2.0", "id": id, "method": method, "params": params})
	m, ok := c.wait(func() (rpcMessage, bool) { m, ok := c.results[id]; return m, ok })
	if !ok {
		return fmt.Errorf("no answer: the server ended")
	}
	if m.Error != nil {
		return fmt.Errorf("error answer %d: %s", m.Error.Code, m.Error.Message)
	}
	if result != nil && len(m.Result) > 0 {
		if err := json.Unmarshal(m.Result, result); err != nil {
			return fmt.Errorf("bad result %s: %v", m.Result, err)
		}
	}
	return nil
}

// wait blocks until ready reports true or the server's output ends. It is
// not a timing assertion: five minutes (a 10 MB buffer under the race
// detector on a busy machine takes more than one) only keep a broken
// server from hanging the test run.
func wait[T any](c *lspClient, ready func() (T, bool)) (T, bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	stop := time.AfterFunc(5*time.Minute, func() {
		c.t.Errorf("the server gave no answer for five minutes")
		_ = c.cmd.Process.Kill()
	})
	defer stop.Stop()
	for {
		if v, ok := ready(); ok {
			return v, true
		}
		select {
		case <-c.done:
			var zero T
			return zero, false
		default:
		}
		c.cond.Wait()
	}
}

func (c *lspClient) wait(ready func() (rpcMessage, bool)) (rpcMessage, bool) { return wait(c, ready) }

// waitDiagnostics waits until the latest list published for u satisfies ok.
func (c *lspClient) waitDiagnostics(u string, ok func([]lspDiagnostic) bool) []lspDiagnostic {
	c.t.Helper()
	d, alive := wait(c, func() ([]lspDiagnostic, bool) {
		d, published := c.diags[u]
		return d, published && ok(d)
	})
	if !alive {
		c.t.Fatalf("the server ended while waiting for diagnostics of %s", u)
	}
	return d
}

// stop sends shutdown and exit and checks that the server exits with 0.
func (c *lspClient) stop() {
	c.t.Helper()
	c.call("shutdown", nil, nil)
	c.notify("exit", nil)
	_ = c.in.Close()
	if err := c.cmd.Wait(); err != nil {
		c.t.Fatalf("pipeform lsp after shutdown and exit: %v", err)
	}
}

func (c *lspClient) open(path string) string {
	src, err := os.ReadFile(path)
	if err != nil {
		c.t.Fatal(err)
	}
	u := fileURI(path)
	c.notify("textDocument/didOpen", map[string]any{"textDocument": map[string]any{
		"uri": u, "languageId": "pipeform", "version": 1, "text": string(src)}})
	return u
}

func (c *lspClient) change(u string, version int, text string) {
	c.notify("textDocument/didChange", map[string]any{
		"textDocument":   map[string]any{"uri": u, "version": version},
		"contentChanges": []any{map[string]any{"text": text}}})
}

func fileURI(path string) string {
	abs, err := filepath.Abs(path)
	if err != nil {
		panic(err)
	}
	return (&url.URL{Scheme: "file", Path: filepath.ToSlash(abs)}).String()
}

// copyFolder copies a testdata folder to a temporary one, so edits and
// renames never touch the repository.
func copyFolder(t *testing.T, src string) string {
	t.Helper()
	dst := t.TempDir()
	entries, err := os.ReadDir(src)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(src, e.Name()))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dst, e.Name()), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return dst
}

// utf16Col is the LSP column of byte offset off in src: UTF-16 units since
// the start of its line.
func utf16Col(src []byte, off int) (line, col int) {
	start := 0
	for i := 0; i < off; i++ {
		if src[i] == '\n' {
			line++
			start = i + 1
		}
	}
	return line, len(utf16.Encode([]rune(string(src[start:off]))))
}

// publications counts the diagnostics publications received so far.
func (c *lspClient) publications() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.pubs
}
