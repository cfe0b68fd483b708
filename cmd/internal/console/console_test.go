package console

import (
	"bufio"
	"context"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/targets/local"
)

// fixture is a console over a store holding two runs written as the
// executor writes them: r1 in progress (this test process stands for its
// pipeform and holds the pipeline's lock) and waiting for an approval, r2
// failed.
type fixture struct {
	t      *testing.T
	dir    string
	layout local.Layout
	srv    *Server
	digest string
	mu     sync.Mutex
	// launched are the pipeform commands the console started.
	launched [][]string
	env      [][]string
}

func newFixture(t *testing.T, edit func(*Config)) *fixture {
	t.Helper()
	dir := t.TempDir()
	f := &fixture{t: t, dir: dir, layout: local.Layout{Root: filepath.Join(dir, ".pipeform")}}
	if err := f.layout.Create(); err != nil {
		t.Fatal(err)
	}
	art := filepath.Join(dir, "art")
	os.MkdirAll(filepath.Join(art, "sub"), 0o755)
	os.WriteFile(filepath.Join(art, "sub", "index.html"), []byte("<h1>hi</h1>\n"), 0o644)
	digest, err := local.Store{Dir: f.layout.ArtifactsDir()}.Put(art)
	if err != nil {
		t.Fatal(err)
	}
	f.digest = digest
	start := time.Date(2026, 12, 5, 10, 0, 0, 0, time.UTC)
	end := start.Add(3 * time.Second)
	r1 := &local.Run{FormatVersion: local.RunFormatVersion, ID: "r1", Pipeline: "web", Status: local.StatusInProgress,
		Attempt: 1, StartTime: start, PID: os.Getpid(), Variables: map[string]string{"release": "v1"},
		Stages: []*local.StageState{
			{Name: "Build", Status: local.StatusSucceeded, Actions: []*local.ActionState{{
				Stage: "Build", Name: "unit", Provider: "CodeBuild", Status: local.StatusSucceeded,
				StartTime: &start, EndTime: &end, Log: local.LogFile("Build.unit"), Summary: "Build succeeded",
				Variables: map[string]string{"VERSION": "1.2.3", "TOKEN": "***"}, Outputs: map[string]string{"dist": digest},
			}}},
			{Name: "Approve", Status: local.StatusInProgress, Actions: []*local.ActionState{{
				Stage: "Approve", Name: "ship", Provider: "Manual", Status: local.StatusWaiting, ExecutionID: "x-1",
				StartTime: &end, Log: local.LogFile("Approve.ship"),
			}}},
		}}
	r2 := &local.Run{FormatVersion: local.RunFormatVersion, ID: "r2", Pipeline: "web", Status: local.StatusFailed,
		Attempt: 1, StartTime: end, EndTime: &end, PID: os.Getpid(), Message: "Build.unit: Build failed",
		Trigger: &local.Trigger{Event: "push", Branch: "main", Detail: "push to branch main (push filter 1 of checkout)"},
		Stages: []*local.StageState{{Name: "Build", Status: local.StatusFailed, Actions: []*local.ActionState{{
			Stage: "Build", Name: "unit", Provider: "CodeBuild", Status: local.StatusFailed}}}}}
	for _, r := range []*local.Run{r1, r2} {
		if err := f.layout.SaveRun(r); err != nil {
			t.Fatal(err)
		}
	}
	lock, err := f.layout.AcquireLock("web", "r1", os.Getpid())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { lock.Release() })
	os.MkdirAll(filepath.Join(f.layout.RunDir("r1"), "logs"), 0o755)
	os.WriteFile(filepath.Join(f.layout.RunDir("r1"), local.LogFile("Build.unit")), []byte("compiling\ntoken is ***\n"), 0o644)
	cfg := Config{
		Dir: dir, Layout: f.layout, Control: local.Control{Layout: f.layout}, User: "ana",
		Load:   func() (*graph.Graph, string) { return webGraph(), "" },
		Launch: f.launch, Hosts: LoopbackHosts("8484"), Wait: 5 * time.Second,
	}
	if edit != nil {
		edit(&cfg)
	}
	srv, err := New(cfg)
	if err != nil {
		t.Fatal(err)
	}
	f.srv = srv
	return f
}

func webGraph() *graph.Graph {
	p := &graph.Pipeline{Name: "web", Variables: []*graph.PipelineVariable{{Name: "release", DefaultValue: "v1", HasDefault: true}}}
	for i, name := range []string{"Build", "Approve"} {
		st := &graph.Stage{Name: name, Index: i}
		a := &graph.Action{Name: map[string]string{"Build": "unit", "Approve": "ship"}[name], Stage: st, Pipeline: p, RunOrder: 1,
			Type: graph.ActionType{Provider: map[string]string{"Build": "CodeBuild", "Approve": "Manual"}[name]}}
		st.Actions = []*graph.Action{a}
		p.Stages = append(p.Stages, st)
	}
	return &graph.Graph{Pipelines: []*graph.Pipeline{p}}
}

// launch stands for the pipeform binary: it records the command and
// writes the run record the command would.
func (f *fixture) launch(args, env []string) (Process, error) {
	f.mu.Lock()
	f.launched = append(f.launched, args)
	f.env = append(f.env, env)
	f.mu.Unlock()
	switch args[0] {
	case "resume":
		r, err := f.layout.Run(args[len(args)-1]) // after --: an id is never read as a flag
		if err != nil {
			return nil, err
		}
		r.Attempt++
		r.Status = local.StatusInProgress
		return done{}, f.layout.SaveRun(r)
	case "apply":
		id := args[slices.Index(args, "--run-id")+1]
		return done{}, f.layout.SaveRun(&local.Run{ID: id, Pipeline: "web", Status: local.StatusInProgress, Attempt: 1, PID: os.Getpid(), StartTime: time.Now()})
	}
	return done{}, nil
}

type done struct{}

func (done) Exited() (bool, string) { return false, "" }

// do sends one request from 127.0.0.1 with Host 127.0.0.1:8484 (unless
// the header says otherwise).
func (f *fixture) do(method, target string, form url.Values, header http.Header) *httptest.ResponseRecorder {
	var body *strings.Reader
	if form != nil {
		body = strings.NewReader(form.Encode())
	} else {
		body = strings.NewReader("")
	}
	req := httptest.NewRequest(method, "http://127.0.0.1:8484"+target, body)
	req.RemoteAddr = "127.0.0.1:50000"
	if form != nil {
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	}
	for k, v := range header {
		req.Header[k] = v
	}
	if h := header.Get("Host"); h != "" {
		req.Host = h
	}
	w := httptest.NewRecorder()
	f.srv.ServeHTTP(w, req)
	return w
}

func (f *fixture) form(kv ...string) url.Values {
	v := url.Values{"csrf": {f.srv.csrf}}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestRefusals(t *testing.T) {
	f := newFixture(t, nil)
	approve := f.form("action", "Approve.ship", "decision", "approve")
	noCSRF := url.Values{"action": {"Approve.ship"}, "decision": {"approve"}}
	badCSRF := url.Values{"action": {"Approve.ship"}, "decision": {"approve"}, "csrf": {"0123"}}
	tests := []struct {
		name, method, target string
		form                 url.Values
		header               http.Header
		want                 int
	}{
		{"foreign Host (DNS rebinding)", "GET", "/", nil, http.Header{"Host": {"evil.example:8484"}}, 403},
		{"foreign Host on a change", "POST", "/runs/r1/approve", approve, http.Header{"Host": {"evil.example"}}, 403},
		{"Host with another port", "GET", "/", nil, http.Header{"Host": {"127.0.0.1:9999"}}, 403},
		{"run id with ..", "GET", "/runs/..%2F..%2Fetc", nil, nil, 404},
		{"run id that is a path", "GET", "/runs/r1%2F..%2Fr2", nil, nil, 404},
		{"log of a path", "GET", "/runs/r1/logs/..%2F..%2Frun.json", nil, nil, 404},
		{"log tail of a path", "GET", "/runs/r1/logs/..%2Frun.json/tail", nil, nil, 404},
		{"artifact digest with ..", "GET", "/artifacts/..%2Fruns", nil, nil, 404},
		{"artifact file with ..", "GET", "/artifacts/" + f.digest + "/files/..%2F..%2Fruns%2Fr1%2Frun.json", nil, nil, 404},
		{"artifact file absolute", "GET", "/artifacts/" + f.digest + "/files/%2Fetc%2Fpasswd", nil, nil, 404},
		{"artifact folder", "GET", "/artifacts/" + f.digest + "/files/sub", nil, nil, 404},
		{"GET on approve", "GET", "/runs/r1/approve", nil, nil, 405},
		{"GET on retry", "GET", "/runs/r2/retry", nil, nil, 405},
		{"GET on stop", "GET", "/runs/r1/stop", nil, nil, 405},
		{"GET on start", "GET", "/pipelines/web/start", nil, nil, 405},
		{"POST without CSRF token", "POST", "/runs/r1/approve", noCSRF, nil, 403},
		{"POST with a wrong CSRF token", "POST", "/runs/r1/approve", badCSRF, nil, 403},
		{"retry without CSRF token", "POST", "/runs/r2/retry", url.Values{"mode": {"ALL_ACTIONS"}}, nil, 403},
		{"stop without CSRF token", "POST", "/runs/r1/stop", url.Values{}, nil, 403},
		{"start without CSRF token", "POST", "/pipelines/web/start", url.Values{}, nil, 403},
		{"retry of a run in progress", "POST", "/runs/r1/retry", f.form("mode", "ALL_ACTIONS"), nil, 409},
		{"approve of an action that waits for nothing", "POST", "/runs/r1/approve", f.form("action", "Build.unit", "decision", "approve"), nil, 409},
		{"start of an unknown pipeline", "POST", "/pipelines/nope/start", f.form(), nil, 404},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := f.do(tt.method, tt.target, tt.form, tt.header)
			if w.Code != tt.want {
				t.Errorf("%s %s: %d %s, want %d", tt.method, tt.target, w.Code, strings.TrimSpace(w.Body.String()), tt.want)
			}
		})
	}
	if _, err := os.Stat(f.layout.ApprovalFile("r1", "Approve.ship")); err == nil {
		t.Error("a refused request wrote a decision")
	}
	if len(f.launched) != 0 {
		t.Errorf("a refused request started pipeform: %v", f.launched)
	}
	if audit, _ := f.layout.Audit(""); len(audit) != 0 {
		t.Errorf("refused requests were audited: %+v", audit)
	}
}

func TestToken(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Token = "s3cret"
		c.Hosts = append(c.Hosts, "192.0.2.7:8484")
	})
	remote := http.Header{"Host": {"192.0.2.7:8484"}}
	if w := f.do("GET", "/", nil, remote); w.Code != 401 {
		t.Errorf("no token: %d", w.Code)
	}
	if w := f.do("GET", "/?token=guess", nil, remote); w.Code != 401 {
		t.Errorf("wrong token: %d", w.Code)
	}
	if w := f.do("GET", "/", nil, http.Header{"Host": {"192.0.2.7:8484"}, "Cookie": {"pipeform_token=guess"}}); w.Code != 401 {
		t.Errorf("wrong token cookie: %d", w.Code)
	}
	if w := f.do("POST", "/runs/r1/approve", f.form("action", "Approve.ship", "decision", "approve"), remote); w.Code != 401 {
		t.Errorf("change without the token: %d", w.Code)
	}
	w := f.do("GET", "/runs/r1?token=s3cret", nil, remote)
	if w.Code != 303 || w.Header().Get("Location") != "/runs/r1" || !strings.Contains(w.Header().Get("Set-Cookie"), "pipeform_token=s3cret") {
		t.Errorf("right token: %d %v", w.Code, w.Header())
	}
	if w := f.do("GET", "/runs/r1", nil, http.Header{"Host": {"192.0.2.7:8484"}, "Cookie": {"pipeform_token=s3cret"}}); w.Code != 200 {
		t.Errorf("token cookie: %d", w.Code)
	}
	if w := f.do("GET", "/", nil, http.Header{"Host": {"192.0.2.7:8484"}, "Authorization": {"Bearer s3cret"}}); w.Code != 200 {
		t.Errorf("bearer token: %d", w.Code)
	}
}

func TestPagesRead(t *testing.T) {
	f := newFixture(t, nil)
	tests := []struct {
		target string
		want   []string
	}{
		{"/", []string{`<svg class="diagram"`, `href="/pipelines/web"`, "r2", "Failed", "InProgress"}},
		{"/pipelines/web", []string{"Release change", `name="var.release" value="v1"`, "Execution history", "r1", "r2",
			"<code>VERSION</code> = <code>1.2.3</code>", "<code>TOKEN</code> = <code>***</code>", "/artifacts/" + f.digest + "?name=dist"}},
		{"/runs/r1", []string{"Approve.ship is waiting for approval", `name="csrf" value="` + f.srv.csrf, `<svg class="timeline"`,
			`href="/runs/r1/logs/Build.unit"`, "Stop execution", "pipeform approve r1 Approve.ship"}},
		{"/runs/r2", []string{"Retry failed actions", "Retry all actions", "Build.unit: Build failed",
			"trigger WebhookV2 (push to branch main (push filter 1 of checkout))"}},
		{"/runs/r1/logs/Build.unit", []string{"compiling\ntoken is ***"}},
		{"/artifacts/" + f.digest + "?name=dist", []string{"Artifact dist", `href="/artifacts/` + f.digest + `/files/sub/index.html"`}},
		{"/artifacts/" + f.digest + "/files/sub/index.html", []string{"<h1>hi</h1>"}},
		{"/audit", []string{"Nothing recorded yet"}},
		{"/static/console.js", []string{"EventSource"}},
	}
	for _, tt := range tests {
		w := f.do("GET", tt.target, nil, nil)
		if w.Code != 200 {
			t.Errorf("GET %s: %d %s", tt.target, w.Code, w.Body)
			continue
		}
		for _, s := range tt.want {
			if !strings.Contains(w.Body.String(), s) {
				t.Errorf("GET %s lacks %q", tt.target, s)
			}
		}
	}
	if w := f.do("GET", "/runs/r2", nil, nil); strings.Contains(w.Body.String(), "Stop execution") {
		t.Error("a failed run offers Stop")
	}
	w := f.do("GET", "/runs/r1/logs/Build.unit/tail?offset=10", nil, nil)
	if !strings.Contains(w.Body.String(), `"text":"token is ***\n"`) || !strings.Contains(w.Body.String(), `"offset":23`) {
		t.Errorf("log tail: %s", w.Body)
	}
	if got := f.do("GET", "/artifacts/"+f.digest+"/files/sub/index.html", nil, nil).Header().Get("Content-Type"); got != "application/octet-stream" {
		t.Errorf("a download is served as %s", got)
	}
}

func TestApproveGoesThroughControl(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do("POST", "/runs/r1/approve", f.form("action", "Approve.ship", "decision", "reject", "comment", "not today"), http.Header{"User-Agent": {"TestBrowser/1"}})
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/runs/r1?flash=Rejected") {
		t.Fatalf("approve: %d %v %s", w.Code, w.Header(), w.Body)
	}
	data, err := os.ReadFile(f.layout.ApprovalFile("r1", "Approve.ship"))
	if err != nil || !strings.Contains(string(data), `"approved":false`) || !strings.Contains(string(data), `"comment":"not today"`) || !strings.Contains(string(data), `"by":"ana"`) {
		t.Errorf("decision file: %s %v", data, err)
	}
	audit, _ := f.layout.Audit("r1")
	if len(audit) != 1 {
		t.Fatalf("audit: %+v", audit)
	}
	a := audit[0]
	if a.EventName != "PutApprovalResult" || a.UserIdentity.UserName != "ana" || a.SourceIPAddress != "127.0.0.1" ||
		a.UserAgent != "pipeform-console (TestBrowser/1)" || a.EventSource != "codepipeline.amazonaws.com" || a.EventVersion != "1.11" {
		t.Errorf("audit record: %+v", a)
	}
	if page := f.do("GET", "/runs/r1", nil, nil).Body.String(); !strings.Contains(page, "Rejected Approve.ship: not today") {
		t.Error("the run page does not show the audit record")
	}
}

func TestStopGoesThroughControl(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do("POST", "/runs/r1/stop", f.form("reason", "wrong branch", "abandon", "1"), nil)
	if w.Code != 303 {
		t.Fatalf("stop: %d %s", w.Code, w.Body)
	}
	r, _ := f.layout.Run("r1")
	if req := f.layout.StopRequested("r1"); req == nil || !req.Abandon || req.Reason != "wrong branch" || f.layout.Status(r) != "Stopping" {
		t.Errorf("stop request %+v, status %s", req, f.layout.Status(r))
	}
	if w := f.do("POST", "/runs/r2/stop", f.form(), nil); w.Code != 409 {
		t.Errorf("stopping a finished run: %d", w.Code)
	}
}

func TestRetryAndStartRunTheCLI(t *testing.T) {
	f := newFixture(t, nil)
	w := f.do("POST", "/runs/r2/retry", f.form("mode", "FAILED_ACTIONS"), nil)
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/runs/r2?") {
		t.Fatalf("retry: %d %s", w.Code, w.Body)
	}
	w = f.do("POST", "/pipelines/web/start", f.form("var.release", "v2"), nil)
	if w.Code != 303 || !strings.HasPrefix(w.Header().Get("Location"), "/runs/") {
		t.Fatalf("start: %d %s", w.Code, w.Body)
	}
	id := strings.TrimPrefix(strings.Split(w.Header().Get("Location"), "?")[0], "/runs/")
	want := [][]string{
		{"resume", "--dir", f.dir, "--retry-mode", "FAILED_ACTIONS", "--", "r2"},
		{"apply", f.dir, "--pipeline", "web", "--run-id", id, "--variable", "release=v2"},
	}
	if !slices.EqualFunc(f.launched, want, slices.Equal) {
		t.Errorf("launched %q, want %q", f.launched, want)
	}
	if !slices.Contains(f.env[0], "PIPEFORM_AUDIT_SOURCE_IP=127.0.0.1") || !slices.Contains(f.env[0], "PIPEFORM_USER=ana") {
		t.Errorf("environment of the started command: %q", f.env[0])
	}
	// A default value is not passed on.
	f.do("POST", "/pipelines/web/start", f.form("var.release", "v1"), nil)
	if got := f.launched[2]; slices.Contains(got, "--variable") {
		t.Errorf("start with the default: %q", got)
	}
}

func TestLiveSendsChanges(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Poll = 20 * time.Millisecond })
	ts := httptest.NewServer(f.srv)
	defer ts.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", ts.URL+"/live?run=r1", nil)
	req.Host = "127.0.0.1:8484"
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	sc := bufio.NewScanner(resp.Body)
	next := func() string {
		for sc.Scan() {
			if ev, ok := strings.CutPrefix(sc.Text(), "event: "); ok {
				return ev
			}
		}
		return "end: " + ctx.Err().Error()
	}
	if ev := next(); ev != "hello" {
		t.Fatalf("first event %q", ev)
	}
	r, _ := f.layout.Run("r1")
	r.Stages[1].Actions[0].Status = local.StatusSucceeded
	f.layout.SaveRun(r)
	if ev := next(); ev != "change" {
		t.Errorf("after a change: %q", ev)
	}
}

func TestCriticalPath(t *testing.T) {
	at := func(s int) *time.Time { x := time.Date(2026, 1, 1, 0, 0, s, 0, time.UTC); return &x }
	src := &local.ActionState{Name: "src", StartTime: at(0), EndTime: at(1)}
	unit := &local.ActionState{Name: "unit", StartTime: at(1), EndTime: at(9)}
	lint := &local.ActionState{Name: "lint", StartTime: at(1), EndTime: at(3)}
	ship := &local.ActionState{Name: "ship", StartTime: at(9), EndTime: at(10)}
	got := criticalPath([]*local.ActionState{src, unit, lint, ship}, *at(10))
	var names []string
	for _, a := range []*local.ActionState{src, unit, lint, ship} {
		if got[a] {
			names = append(names, a.Name)
		}
	}
	if strings.Join(names, " ") != "src unit ship" {
		t.Errorf("critical path %v, want src unit ship (lint ran beside unit)", names)
	}
}

// A run that changes while its page is built: the page carries the version
// from before the change, so the live stream's hello (the version after it)
// differs and the page fetches itself again. Were the version taken after
// the reads, it would name a state the page does not show, and the page
// would wait for a change that already happened.
func TestPageVersionTakenBeforeReads(t *testing.T) {
	var f *fixture
	changed := false
	f = newFixture(t, func(c *Config) {
		load := c.Load
		c.Load = func() (*graph.Graph, string) {
			if !changed {
				changed = true
				r, _ := f.layout.Run("r1")
				r.Stages[1].Actions[0].Status = local.StatusSucceeded
				r.Status = local.StatusSucceeded
				f.layout.SaveRun(r)
			}
			return load()
		}
	})
	w := f.do("GET", "/runs/r1", nil, nil)
	if w.Code != http.StatusOK || !changed {
		t.Fatalf("GET /runs/r1: %d (changed while built: %v)\n%s", w.Code, changed, w.Body)
	}
	_, rest, _ := strings.Cut(w.Body.String(), `data-version="`)
	carried, _, _ := strings.Cut(rest, `"`)
	if now := f.srv.fingerprint(url.Values{"run": {"r1"}}); carried == "" || carried == now {
		t.Errorf("the page carries version %q, the state after the change is %q: the stream's hello would not make it fetch again", carried, now)
	}
}
