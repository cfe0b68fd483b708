// Package console is pipeform's local web console: an HTTP handler that
// shows the pipelines of a configuration directory and their runs (the
// stage diagram, the execution history, one run with its timeline, events,
// live logs, artifacts and the audit trail) and acts on them (approve or
// reject, retry, stop, start a run).
//
// It reads runs only through targets/local's run store (Layout's read
// functions) and acts only through the code the CLI commands use:
// local.Control for approve and stop, and the pipeform binary itself
// (`apply`, `resume`) for the runs it starts, through the Launch function
// the CLI gives it. It never builds a path under .pipeform.
//
// It is safe by default: the CLI binds it to loopback unless told
// otherwise; requests whose Host header is not the console's are refused
// (DNS rebinding); with a Token every request must carry it; every change is
// a POST with the page's CSRF token. Assets are embedded; pages are plain
// HTML that reads without JavaScript, and a little JavaScript keeps them
// live through server-sent events.
//
// It may import targets/local, compiler/graph and the standard library;
// never lang, compiler or cmd/internal/cli (the CLI wires it up).
package console
