package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/pipeform/pipeform/targets/local"
)

// consoleApp is a pipeline with a build that waits for a file (so the test
// can read its log while it runs) and fails unless another file exists (so
// a run can fail and be retried), then a manual approval.
const consoleApp = `pipeline "web" {
  type = "V2"
  variable "release" {
    default = "v1"
  }
  stage "Source" {
    action "checkout" {
      codecommit {
        repository = "web"
        branch     = "main"
      }
      outputs = ["src"]
    }
  }
  stage "Build" {
    action "compile" {
      lambda {
        function_name = "compile"
      }
      local {
        commands = [
          "echo compiling release #{variables.release}",
          "while [ ! -e \"$GATE/go\" ]; do sleep 0.05; done",
          "echo compiled",
          "mkdir -p \"$PIPEFORM_OUTPUT_dist\" && echo '<h1>web</h1>' > \"$PIPEFORM_OUTPUT_dist/index.html\"",
          "[ -e \"$GATE/healthy\" ] || { echo 'the health check failed'; exit 1; }",
        ]
      }
      outputs = ["dist"]
    }
    action "lint" {
      lambda {
        function_name = "lint"
      }
      local {
        commands = ["echo linted"]
      }
    }
  }
  stage "Approve" {
    action "gate" {
      approval {
        message = "Ship it?"
      }
    }
  }
  stage "Deploy" {
    action "ship" {
      lambda {
        function_name = "ship"
      }
      local {
        commands = ["echo shipped release #{variables.release}"]
      }
      inputs = [artifact.dist]
    }
  }
}
`

// chromium finds Debian's chromium (or another Chrome) for the browser
// test.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// TestConsoleInBrowser drives the console the way a person would, in a
// real headless Chromium: it opens the run an apply started from a shell,
// reads a running action's log as it grows, approves with a comment and
// sees the run finish; then it starts a run with Release change, sees it
// fail, retries its failed actions and sees it succeed. It saves a
// screenshot of the run page in the test's temporary folder; with
// PIPEFORM_CONSOLE_SCREENSHOTS=DIR it also writes the pipeline and run
// views the documentation shows (docs/console-*.png).
func TestConsoleInBrowser(t *testing.T) {
	chrome := chromium()
	if chrome == "" {
		if os.Getenv("CI") != "" {
			t.Fatal("chromium is not installed; CI installs it (.ci/run) so the console is tested in a browser")
		}
		t.Skip("chromium is not installed; the console's browser test needs it (apt-get install chromium)")
	}
	work := t.TempDir()
	app, gate := filepath.Join(work, "app"), filepath.Join(work, "gate")
	for _, d := range []string{app, gate} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(app, "main.pf.hcl"), []byte(consoleApp), 0o644); err != nil {
		t.Fatal(err)
	}
	touch(t, gate, "healthy")
	runsDir = filepath.Join(app, ".pipeform", "runs")
	env := append(os.Environ(), "GATE="+gate, "USER=ana", "PIPEFORM_USER=ana")

	// A run started from a shell.
	apply := exec.Command("pipeform", "apply", app, "--run-id", "shell-run")
	apply.Env = env
	applyOut := &strings.Builder{}
	apply.Stdout, apply.Stderr = applyOut, applyOut
	if err := apply.Start(); err != nil {
		t.Fatal(err)
	}
	defer apply.Process.Kill()

	base := startConsole(t, app, env)
	console := lastConsole
	ctx := browser(t, chrome)
	// Runs before the browser closes (cleanups run last first): a failed
	// test's console prints its goroutines while the page is still
	// connected, so a stream that stopped shows where it stands.
	t.Cleanup(func() {
		if t.Failed() {
			console.Process.Signal(syscall.SIGQUIT)
			console.Wait()
		}
	})
	watchAndApprove(t, ctx, base, gate)
	shot := filepath.Join(t.TempDir(), "run.png")
	screenshot(t, ctx, shot)
	t.Logf("screenshot of the run page: %s", shot)
	if err := apply.Wait(); err != nil {
		t.Fatalf("pipeform apply: %v\n%s", err, applyOut)
	}
	if !strings.Contains(applyOut.String(), "Approved by ana: ship it") {
		t.Errorf("apply's output does not show the approval:\n%s", applyOut)
	}

	runURL := releaseFailRetry(t, ctx, base, app, gate)
	if dir := os.Getenv("PIPEFORM_CONSOLE_SCREENSHOTS"); dir != "" {
		run(t, ctx, "the run view", chromedp.Navigate(runURL), chromedp.WaitVisible(`svg.timeline`))
		screenshot(t, ctx, filepath.Join(dir, "console-run.png"))
		run(t, ctx, "the pipeline view", chromedp.Navigate(base+"/pipelines/web"), chromedp.WaitVisible(`svg.diagram`))
		screenshot(t, ctx, filepath.Join(dir, "console-pipeline.png"))
	}
}

// watchAndApprove opens the run started from the shell from the pipelines
// page, reads its running build's log as it grows, then approves with a
// comment and sees the run finish.
func watchAndApprove(t *testing.T, ctx context.Context, base, gate string) {
	run(t, ctx, "open the run",
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(`a[href="/pipelines/web"]`),
		chromedp.Click(`a[href="/pipelines/web"]`),
		chromedp.WaitVisible(`a[href="/runs/shell-run"]`),
		chromedp.Click(`a[href="/runs/shell-run"]`),
		chromedp.WaitVisible(`svg.diagram`),
	)
	waitText(t, ctx, "the build runs", `#action-Build\.compile`, "InProgress")
	run(t, ctx, "open the build's log", chromedp.Click(`#action-Build\.compile a[href$="/logs/Build.compile"]`))
	waitText(t, ctx, "the log so far", `#log`, "compiling release v1")
	touch(t, gate, "go")
	waitText(t, ctx, "the log as it grows", `#log`, "compiled")
	waitText(t, ctx, "the build's end", `#log-status`, "Succeeded")

	run(t, ctx, "back to the run", chromedp.Click(`a[href="/runs/shell-run"]`))
	approve(t, ctx, "ship it")
	waitText(t, ctx, "the run finishes", `#run-status`, "Succeeded")
	waitText(t, ctx, "the audit trail", `#stages`, "Approved Approve.gate: ship it")
}

// releaseFailRetry starts a run with Release change and another release,
// sees its health check fail, retries the failed actions once it is fixed,
// approves, and sees the run succeed with the action that had succeeded
// kept. It returns the run's address.
func releaseFailRetry(t *testing.T, ctx context.Context, base, app, gate string) string {
	if err := os.Remove(filepath.Join(gate, "healthy")); err != nil {
		t.Fatal(err)
	}
	run(t, ctx, "release change",
		chromedp.Navigate(base+"/pipelines/web"),
		chromedp.WaitVisible(`#release`),
		chromedp.SetValue(`input[name="var.release"]`, "v2"),
		chromedp.Click(`#release`),
		chromedp.WaitVisible(`#run-status`),
	)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	if err != nil {
		t.Fatal(err)
	}
	runURL, _, _ := strings.Cut(loc, "?")
	waitText(t, ctx, "the new run fails", `#run-status`, "Failed")
	waitText(t, ctx, "why it failed", `#summary`, "Build.compile: Local block failed")
	store := local.Layout{Root: filepath.Join(app, ".pipeform")}
	failed, err := store.Run(path.Base(runURL))
	if err != nil {
		t.Fatal(err)
	}

	touch(t, gate, "healthy")
	run(t, ctx, "retry", chromedp.WaitVisible(`#retry-failed`), chromedp.Click(`#retry-failed`))
	approve(t, ctx, "fixed")
	waitText(t, ctx, "the retried run succeeds", `#run-status`, "Succeeded")
	waitText(t, ctx, "a resumed attempt", `#summary`, "attempt 2 (resumed)")
	waitText(t, ctx, "the retry in the audit trail", `#stages`, "Retried stage Build (FAILED_ACTIONS)")
	waitText(t, ctx, "the variable override", `#stages`, "v2")
	done, err := store.Run(failed.ID)
	if err != nil {
		t.Fatal(err)
	}
	if a, b := failed.Action("Build.lint").ExecutionID, done.Action("Build.lint").ExecutionID; a != b {
		t.Errorf("Build.lint ran again (%s, was %s): Retry failed actions keeps what succeeded", b, a)
	}
	return runURL
}

// approve approves Approve.gate with a comment once the run page offers
// it (the page updates itself when the approval starts waiting). It clicks
// only once the comment is in the field (the live update leaves a form
// being typed in alone, but may replace it just before the typing starts),
// and then waits for the answer to the POST: the redirect back to the run
// page with its message.
func approve(t *testing.T, ctx context.Context, comment string) {
	t.Helper()
	field := `#comment-Approve\.gate`
	typed := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.value === %q; })()`, field, comment)
	for attempt := 1; ; attempt++ {
		if attempt > 1 { // what the last attempt typed, if its field is still there
			lctx, cancel := context.WithTimeout(ctx, lookTime)
			chromedp.Run(lctx, chromedp.Evaluate[bool](fmt.Sprintf(`(() => { const e = document.querySelector(%q); if (e) e.value = ""; return true; })()`, field)))
			cancel()
		}
		run(t, ctx, "type the comment "+comment,
			chromedp.WaitVisible(`#approve-Approve\.gate`),
			chromedp.SendKeys(field, comment),
		)
		if waitJSFor(ctx, typed, lookTime) == nil {
			break
		}
		if attempt == 3 {
			t.Fatalf("the comment field never kept %q\npage:\n%s", comment, pageText(ctx))
		}
	}
	run(t, ctx, "approve with "+comment, chromedp.Click(`#approve-Approve\.gate`))
	if err := waitJS(ctx, `location.search.includes("flash=Approved")`); err != nil {
		t.Fatalf("approving with %s: the console never answered with its redirect: %v\npage:\n%s", comment, err, pageText(ctx))
	}
}

func touch(t *testing.T, dir, name string) {
	t.Helper()
	if err := os.WriteFile(filepath.Join(dir, name), nil, 0o644); err != nil {
		t.Fatal(err)
	}
}

// lastConsole is the process startConsole started last.
var lastConsole *exec.Cmd

// startConsole runs pipeform console on a free loopback port (or as args
// say) and returns the address it printed.
func startConsole(t *testing.T, dir string, env []string, args ...string) string {
	t.Helper()
	if len(args) == 0 {
		args = []string{"--addr", "127.0.0.1:0"}
	}
	cmd := exec.Command("pipeform", append([]string{"console", dir}, args...)...)
	cmd.Env = env
	out, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	stderr := &strings.Builder{}
	cmd.Stderr = stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	lastConsole = cmd
	t.Cleanup(func() {
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		if stderr.Len() > 0 {
			t.Logf("console stderr:\n%s", stderr)
		}
	})
	line, err := bufio.NewReader(out).ReadString('\n')
	if err != nil {
		t.Fatalf("console: %v\n%s", err, stderr)
	}
	go io.Copy(io.Discard, out)
	_, addr, ok := strings.Cut(strings.TrimSpace(line), " at ")
	if !ok || !strings.HasPrefix(addr, "http://") {
		t.Fatalf("console printed %q", line)
	}
	return strings.TrimSuffix(addr, "/")
}

// TestConsoleRemoteToken: served on all interfaces with --allow-remote,
// the console prints an address with a token, and refuses requests
// without it.
func TestConsoleRemoteToken(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "main.pf.hcl"), []byte(consoleApp), 0o644); err != nil {
		t.Fatal(err)
	}
	addr := startConsole(t, dir, os.Environ(), "--addr", "0.0.0.0:0", "--allow-remote")
	u, err := url.Parse(addr)
	if err != nil {
		t.Fatal(err)
	}
	token := u.Query().Get("token")
	if len(token) < 32 {
		t.Fatalf("the console printed %s, without a token", addr)
	}
	// Reach it through loopback, as a remote browser would through the
	// machine's address.
	base := "http://127.0.0.1:" + u.Port()
	client := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(target string, header ...string) *http.Response {
		req, _ := http.NewRequest("GET", base+target, nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	if r := get("/"); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("without the token: %s", r.Status)
	}
	if r := get("/?token=" + strings.Repeat("0", len(token))); r.StatusCode != http.StatusUnauthorized {
		t.Errorf("with a wrong token: %s", r.Status)
	}
	if r := get("/?token=" + token); r.StatusCode != http.StatusSeeOther || len(r.Cookies()) == 0 {
		t.Errorf("with the token: %s %v", r.Status, r.Cookies())
	}
	if r := get("/pipelines/web", "Authorization", "Bearer "+token); r.StatusCode != http.StatusOK {
		t.Errorf("with the token as a bearer: %s", r.Status)
	}
}

// browser starts a headless Chromium with a fresh profile that talks to
// nothing but the console.
func browser(t *testing.T, chrome string) context.Context {
	t.Helper()
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(chrome),
		chromedp.Flag("headless", true),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1200, 860),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	// Start the browser now, on ctx: the context of the first run owns it,
	// and the steps run on shorter-lived ones.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting %s: %v", chrome, err)
	}
	return ctx
}

// stepTime bounds one step on a browser or console that hangs; it is no
// measure of speed.
const stepTime = 90 * time.Second

func run(t *testing.T, ctx context.Context, what string, actions ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	sctx, cancel := context.WithTimeout(ctx, stepTime)
	defer cancel()
	if err := chromedp.Do(sctx, actions...); err != nil {
		t.Fatalf("%s: %v\npage:\n%s", what, err, pageText(ctx))
	}
}

// waitText waits until the element sel holds text (the page updates itself).
// Each look is bounded on its own and asked again after an error: a page
// that is being replaced (the redirect after a POST, a click that
// navigates) has no context to evaluate in for a moment, and an evaluation
// sent just then can wait for one that never comes, which left the test
// stuck on a loaded machine when it asked on the browser's own context.
func waitText(t *testing.T, ctx context.Context, what, sel, text string) {
	t.Helper()
	js := fmt.Sprintf(`(() => { const e = document.querySelector(%q); return !!e && e.textContent.includes(%q); })()`, sel, text)
	if err := waitJS(ctx, js); err != nil {
		t.Fatalf("%s: %s never showed %q: %v\npage:\n%s", what, sel, text, err, pageText(ctx))
	}
}

// waitJS waits until the expression js is true in the page, for at most
// stepTime; the error is the last one a look gave.
func waitJS(ctx context.Context, js string) error {
	return waitJSFor(ctx, js, stepTime)
}

// waitJSFor is waitJS for at most d.
func waitJSFor(ctx context.Context, js string, d time.Duration) error {
	deadline := time.Now().Add(d)
	var last error
	for {
		lctx, cancel := context.WithTimeout(ctx, lookTime)
		ok, err := chromedp.Run(lctx, chromedp.Evaluate[bool](js))
		cancel()
		if ok {
			return nil
		}
		if err != nil {
			last = err
		}
		if time.Now().After(deadline) {
			if last == nil {
				last = fmt.Errorf("still false after %s", d)
			}
			return last
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// lookTime bounds one evaluation in the page; waitJS asks again after it.
const lookTime = 10 * time.Second

// runsDir is the runs folder of the app the browser test runs, which a
// failure shows: what the runs' logs and records say next to what the page
// shows tells a page that stopped updating from a run that stopped.
var runsDir string

// runFiles is the text of every log and run record under runsDir.
func runFiles() string {
	var b strings.Builder
	filepath.WalkDir(runsDir, func(p string, d os.DirEntry, err error) error {
		if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".log") || strings.HasSuffix(p, "run.json")) {
			data, _ := os.ReadFile(p)
			fmt.Fprintf(&b, "--- %s\n%s\n", strings.TrimPrefix(p, runsDir), data)
		}
		return nil
	})
	return b.String()
}

func pageText(ctx context.Context) string {
	if runsDir != "" {
		defer func() { fmt.Fprintf(os.Stderr, "run files at the failure:\n%s", runFiles()) }()
	}
	tctx, cancel := context.WithTimeout(ctx, 5*time.Second)
	defer cancel()
	s, _ := chromedp.Run(tctx, chromedp.Evaluate[string](`location.href + " (version " + document.body.dataset.version + ", refreshed " + (document.body.dataset.refreshed || 0) + " times, " + (document.body.dataset.fetches || 0) + " fetches begun, stream: " + (document.body.dataset.stream || "nothing") + ", live " + !(document.getElementById("live-state") || {}).hidden + ")\n" + document.body.innerText`))
	return s
}

func screenshot(t *testing.T, ctx context.Context, path string) {
	t.Helper()
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatalf("screenshot: %v", err)
	}
	if err := os.WriteFile(path, png, 0o644); err != nil {
		t.Fatal(err)
	}
}
