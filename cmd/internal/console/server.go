package console

import (
	"context"
	"crypto/rand"
	"crypto/subtle"
	"embed"
	"encoding/hex"
	"html/template"
	"io/fs"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local"
)

//go:embed assets
var assets embed.FS

// Process is a pipeform command the console started (apply, resume).
type Process interface {
	// Exited reports whether the command has ended and, if so, what it
	// printed.
	Exited() (bool, string)
}

// Config is what a console serves and how.
type Config struct {
	// Dir is the configuration directory, as pipeform commands take it.
	Dir string
	// Layout is Dir's .pipeform run store; Control acts on its runs.
	Layout  local.Layout
	Control local.Control
	// Load reads Dir's pipelines afresh; problems is the configuration's
	// diagnostics as text (empty when it compiles cleanly). The graph may be
	// nil when it does not.
	Load func() (g *graph.Graph, problems string)
	// Launch starts `pipeform ARGS...` with extra environment variables,
	// detached from the console, so a run outlives it.
	Launch func(args, env []string) (Process, error)
	// User is who the console acts for (the local user who started it).
	User string
	// Hosts are the Host header values accepted (host:port); AnyHost
	// accepts every Host (a remote bind on all interfaces, with a Token).
	Hosts   []string
	AnyHost bool
	// Token, when set, must come with every request: ?token=, then the
	// cookie the console sets, or an Authorization: Bearer header.
	Token string
	// Now is the clock (durations of running actions).
	Now func() time.Time
	// Poll is how often live pages look for changes (default 500ms), and
	// Wait how long a start or retry waits for its run to show (default 15s).
	Poll, Wait time.Duration
}

// Server is the console's http.Handler.
type Server struct {
	cfg   Config
	csrf  string
	mux   *http.ServeMux
	pages *template.Template
}

// New makes a console.
func New(cfg Config) (*Server, error) {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Poll <= 0 {
		cfg.Poll = 500 * time.Millisecond
	}
	if cfg.Wait <= 0 {
		cfg.Wait = 15 * time.Second
	}
	var b [16]byte
	if _, err := rand.Read(b[:]); err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, csrf: hex.EncodeToString(b[:]), mux: http.NewServeMux()}
	t, err := template.New("").Funcs(s.funcs()).ParseFS(assets, "assets/*.html")
	if err != nil {
		return nil, err
	}
	s.pages = t
	s.routes()
	return s, nil
}

func (s *Server) routes() {
	static, _ := fs.Sub(assets, "assets")
	s.mux.Handle("GET /static/", http.StripPrefix("/static/", http.FileServerFS(static)))
	all := func(*http.Request) string { return "all=1" }
	byPipeline := func(r *http.Request) string { return "pipeline=" + url.QueryEscape(r.PathValue("name")) }
	byRun := func(r *http.Request) string { return "run=" + url.QueryEscape(r.PathValue("id")) }
	s.mux.HandleFunc("GET /{$}", s.versioned(all, s.index))
	s.mux.HandleFunc("GET /pipelines/{name}", s.versioned(byPipeline, s.pipeline))
	s.mux.HandleFunc("GET /runs/{id}", s.versioned(byRun, s.run))
	s.mux.HandleFunc("GET /runs/{id}/logs/{action}", s.versioned(byRun, s.log))
	s.mux.HandleFunc("GET /runs/{id}/logs/{action}/tail", s.logTail)
	s.mux.HandleFunc("GET /artifacts/{digest}", s.artifact)
	s.mux.HandleFunc("GET /artifacts/{digest}/files/{path...}", s.artifactFile)
	s.mux.HandleFunc("GET /audit", s.versioned(all, s.audit))
	s.mux.HandleFunc("GET /live", s.live)
	// State changes: POST only, each with the CSRF token (post).
	s.mux.HandleFunc("/runs/{id}/approve", s.post(s.approve))
	s.mux.HandleFunc("/runs/{id}/retry", s.post(s.retry))
	s.mux.HandleFunc("/runs/{id}/stop", s.post(s.stop))
	s.mux.HandleFunc("/pipelines/{name}/start", s.post(s.start))
}

// ServeHTTP checks the Host header and the token, then routes.
func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("X-Frame-Options", "DENY")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Content-Security-Policy", "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; frame-ancestors 'none'")
	if !s.hostAllowed(r.Host) {
		// A page of another site whose name resolves to this machine (DNS
		// rebinding) sends its own name as Host.
		http.Error(w, "Forbidden: this console answers only to "+strings.Join(s.cfg.Hosts, ", ")+" (Host header "+r.Host+")", http.StatusForbidden)
		return
	}
	if s.cfg.Token != "" {
		switch {
		case r.URL.Query().Get("token") != "":
			if !s.tokenOK(r.URL.Query().Get("token")) {
				http.Error(w, "Unauthorized: wrong token; use the address the console printed at start-up", http.StatusUnauthorized)
				return
			}
			// Keep it in a cookie and drop it from the address bar.
			http.SetCookie(w, &http.Cookie{Name: "pipeform_token", Value: s.cfg.Token, Path: "/", HttpOnly: true, SameSite: http.SameSiteStrictMode})
			q := r.URL.Query()
			q.Del("token")
			u := url.URL{Path: r.URL.Path, RawQuery: q.Encode()}
			http.Redirect(w, r, u.String(), http.StatusSeeOther)
			return
		case !s.tokenOK(requestToken(r)):
			http.Error(w, "Unauthorized: this console needs the token it printed at start-up; open the address it printed", http.StatusUnauthorized)
			return
		}
	}
	s.mux.ServeHTTP(w, r)
}

func requestToken(r *http.Request) string {
	if c, err := r.Cookie("pipeform_token"); err == nil {
		return c.Value
	}
	if v, ok := strings.CutPrefix(r.Header.Get("Authorization"), "Bearer "); ok {
		return v
	}
	return ""
}

func (s *Server) tokenOK(t string) bool {
	return t != "" && subtle.ConstantTimeCompare([]byte(t), []byte(s.cfg.Token)) == 1
}

func (s *Server) hostAllowed(host string) bool {
	if s.cfg.AnyHost {
		return true
	}
	for _, h := range s.cfg.Hosts {
		if strings.EqualFold(h, host) {
			return true
		}
	}
	return false
}

// post wraps a state-changing handler: only POST, and only with the CSRF
// token of the console's pages (a page of another origin cannot read it).
func (s *Server) post(h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodPost {
			w.Header().Set("Allow", http.MethodPost)
			http.Error(w, "Method not allowed: this changes a run, so it takes a POST from the console's form", http.StatusMethodNotAllowed)
			return
		}
		r.Body = http.MaxBytesReader(w, r.Body, 1<<20)
		if err := r.ParseForm(); err != nil {
			http.Error(w, "Bad request: "+err.Error(), http.StatusBadRequest)
			return
		}
		if subtle.ConstantTimeCompare([]byte(r.PostForm.Get("csrf")), []byte(s.csrf)) != 1 {
			http.Error(w, "Forbidden: missing or wrong CSRF token; reload the page and try again", http.StatusForbidden)
			return
		}
		h(w, r)
	}
}

// actor is who asks, for the audit trail.
func (s *Server) actor(r *http.Request) local.Actor {
	ip, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		ip = r.RemoteAddr
	}
	return local.Actor{User: s.cfg.User, SourceIP: ip, UserAgent: "pipeform-console (" + r.UserAgent() + ")"}
}

// LoopbackHosts are the Host values a console bound to port on loopback
// answers to.
func LoopbackHosts(port string) []string {
	return []string{"127.0.0.1:" + port, "localhost:" + port, "[::1]:" + port}
}

// version is the fingerprint of what a live page follows, taken before
// its handler reads what it shows.
type version struct{ live, fingerprint string }

type versionKey struct{}

// versioned takes the fingerprint of what a page follows (live gives its
// query) before the page's handler reads what it shows. A change made
// while the page is built then differs from the version the page carries,
// and the live stream's first event makes the page fetch itself again.
// Taken after the reads, it would match a newer state than the page shows,
// and the page would wait for a change that already happened.
func (s *Server) versioned(live func(*http.Request) string, h http.HandlerFunc) http.HandlerFunc {
	return func(w http.ResponseWriter, r *http.Request) {
		l := live(r)
		if q, err := url.ParseQuery(l); err == nil {
			r = r.WithContext(context.WithValue(r.Context(), versionKey{}, version{l, s.fingerprint(q)}))
		}
		h(w, r)
	}
}
