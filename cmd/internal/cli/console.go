package cli

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sync"
	"syscall"
	"time"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/console"
	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
)

func (c *CLI) consoleCommand() *cobra.Command {
	var addr string
	var allowRemote bool
	cmd := &cobra.Command{
		Use:   "console [DIR]",
		Short: "Serve a local web console of DIR's pipelines and runs",
		Long: `console serves a web console of the pipelines of DIR (default: the current
directory) and of the runs recorded under DIR/.pipeform, and keeps its pages
live while 'pipeform apply' runs in another shell: the stage diagram with each
action's latest status, the execution history, each run with its timeline,
events, logs (followed while they grow), output variables and artifacts, and
the audit trail.

It acts through the same code as the CLI: Approve and Reject are 'pipeform
approve', Retry is 'pipeform resume --retry-mode', Stop is 'pipeform stop',
Release change is 'pipeform apply --pipeline --variable'. Runs it starts are
'pipeform apply' and 'pipeform resume' processes of their own: they go on
when the console ends.

It binds to loopback (127.0.0.1:8484 unless --addr says otherwise) and
answers only to requests whose Host is that address. Binding to another
address needs --allow-remote; every request must then carry the token the
console prints at start-up (open the printed address once; a cookie keeps
it). Ctrl-C ends it.`,
		Example: `  pipeform console examples/node-webapp
  pipeform console . --addr 127.0.0.1:9000
  pipeform console . --addr 0.0.0.0:8484 --allow-remote`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runConsole(dirArgument(args), addr, allowRemote)
		},
	}
	cmd.Flags().StringVar(&addr, "addr", "127.0.0.1:8484", "the address to serve on, HOST:PORT (port 0: any free port)")
	cmd.Flags().BoolVar(&allowRemote, "allow-remote", false, "allow an address other than loopback, with a token every request must carry")
	return cmd
}

func (c *CLI) runConsole(dir, addr string, allowRemote bool) error {
	if dir == "" {
		dir = "."
	}
	if err := checkDir("console "+dir, dir); err != nil {
		return err
	}
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return usagef("--addr %q is not HOST:PORT, such as 127.0.0.1:8484", addr)
	}
	ip := net.ParseIP(host)
	loopback := host == "localhost" || ip != nil && ip.IsLoopback()
	if !loopback && !allowRemote {
		return usagef("--addr %s is not a loopback address: anyone who can reach it could approve, stop and start runs. Serve on 127.0.0.1, or add --allow-remote to serve there with a token", addr)
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return usagef("--addr %s: cannot listen there: %v", addr, err)
	}
	defer ln.Close()
	port := fmt.Sprint(ln.Addr().(*net.TCPAddr).Port)
	cfg := console.Config{
		Dir: dir, Layout: stateLayout(dir), Control: c.control(dir), User: c.userName(),
		Load: func() (*graph.Graph, string) { return c.consoleLoad(dir) }, Launch: launch,
		Hosts: console.LoopbackHosts(port),
	}
	shown := "http://127.0.0.1:" + port + "/"
	if !loopback {
		var b [24]byte
		if _, err := rand.Read(b[:]); err != nil {
			return err
		}
		cfg.Token = hex.EncodeToString(b[:])
		cfg.Hosts = append(cfg.Hosts, net.JoinHostPort(host, port))
		cfg.AnyHost = host == "" || ip != nil && ip.IsUnspecified()
		shownHost := host
		if cfg.AnyHost {
			// All interfaces: say the machine's name, which others use.
			if name, err := os.Hostname(); err == nil && name != "" {
				shownHost = name
			}
		}
		shown = "http://" + net.JoinHostPort(shownHost, port) + "/?token=" + cfg.Token
	}
	srv, err := console.New(cfg)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: cannot start the console: %v.\n", err)
		return exit(ExitInternal)
	}
	hs := &http.Server{Handler: srv, ReadHeaderTimeout: 10 * time.Second}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	go func() {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(sctx)
	}()
	fmt.Fprintf(c.Stdout, "Console of %s at %s\n", dir, shown)
	if !loopback {
		fmt.Fprintf(c.Stdout, "Every request needs the token above; share the address only with people who may approve and start runs.\n")
	}
	fmt.Fprintf(c.Stdout, "Press Ctrl-C to stop.\n")
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		fmt.Fprintf(c.Stderr, "Error: the console stopped: %v.\n", err)
		return exit(ExitInternal)
	}
	return nil
}

// consoleLoad reads the pipelines for a console page; problems are the
// configuration's errors as validate prints them.
func (c *CLI) consoleLoad(dir string) (*graph.Graph, string) {
	l := c.load(dir, &varFlags{})
	if !l.Diags.HasErrors() {
		return l.Graph, ""
	}
	var b bytes.Buffer
	views.SortDiagnostics(l.Diags)
	_ = views.WriteDiagnostics(&b, l.Files, l.Diags, 0, false)
	return l.Graph, b.String()
}

// launched is a pipeform command the console started.
type launched struct {
	mu   sync.Mutex
	done bool
	out  *os.File
}

func (p *launched) Exited() (bool, string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	if !p.done {
		return false, ""
	}
	st, err := p.out.Stat()
	if err != nil {
		return true, ""
	}
	data := make([]byte, min(st.Size(), 1<<20))
	n, _ := p.out.ReadAt(data, 0)
	return true, string(data[:n])
}

// launch starts this pipeform binary with args, in a process group of its
// own so Ctrl-C in the console's shell does not stop the runs it started;
// what it prints goes to an unlinked temporary file the console reads if it
// fails (so nothing is left behind, whenever either process ends).
func launch(args, env []string) (console.Process, error) {
	self, err := os.Executable()
	if err != nil || filepath.Base(self) != filepath.Base(os.Args[0]) {
		// Started through a link of another name (a test harness's):
		// run what was run, as it was named.
		self = os.Args[0]
	}
	out, err := os.CreateTemp("", "pipeform-console-*.out")
	if err != nil {
		return nil, err
	}
	cmd := exec.Command(self, args...)
	cmd.Env = append(os.Environ(), env...)
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	if err := cmd.Start(); err != nil {
		out.Close()
		os.Remove(out.Name())
		return nil, err
	}
	os.Remove(out.Name())
	p := &launched{out: out}
	go func() {
		cmd.Wait()
		p.mu.Lock()
		p.done = true
		p.mu.Unlock()
		// Kept a minute for the console to read.
		time.AfterFunc(time.Minute, func() { out.Close() })
	}()
	return p, nil
}
