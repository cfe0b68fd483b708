package cli

import (
	"bufio"
	"context"
	"fmt"
	"os"
	"os/signal"
	"os/user"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"syscall"
	"time"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/local"
	"github.com/pipeform/pipeform/targets/local/runners"
	"github.com/pipeform/pipeform/targets/trigger"
)

// runFlags are the flags apply and resume share.
type runFlags struct {
	approve     []string
	secretsFile string
	parallelism int
	asJSON      bool
	noCache     bool
	ruleResults []string
	now         string
	debug       bool
}

func (f *runFlags) register(cmd *cobra.Command) {
	cmd.Flags().StringArrayVar(&f.approve, "approve", nil, `approve manual approvals up front: "all" or STAGE.ACTION (repeatable)`)
	cmd.Flags().StringVar(&f.secretsFile, "secrets-file", "", `JSON file with the Parameter Store and Secrets Manager values: {"parameter-store": {...}, "secrets-manager": {...}}`)
	cmd.Flags().IntVar(&f.parallelism, "parallelism", 0, "how many actions may run at once (default: the number of CPUs)")
	cmd.Flags().BoolVar(&f.asJSON, "json", false, "stream progress as versioned NDJSON events (configuration errors too)")
	cmd.Flags().BoolVar(&f.noCache, "no-cache", false, "run every action, even when an identical earlier run succeeded, and restore no build cache")
	cmd.Flags().StringArrayVar(&f.ruleResults, "rule-result", nil, "give a stage condition's rule its result: --rule-result STAGE.RULE=succeeded|failed (repeatable; rules that need AWS otherwise succeed)")
	cmd.Flags().BoolVar(&f.debug, "debug", false, "when the run fails, open a shell in the state its failed CodeBuild action left (see pipeform debug)")
	cmd.Flags().StringVar(&f.now, "now", "", "the time DeploymentWindow rules check, in RFC 3339 (2026-01-05T10:00:00Z); default: now")
}

func (c *CLI) applyCommand() *cobra.Command {
	var vars varFlags
	var rf runFlags
	var pipeline, runID string
	var sources, variables []string
	var aws awsTarget // --target aws: see aws_plan.go
	var ef eventFlags
	cmd := &cobra.Command{
		Use:   "apply [DIR]",
		Short: "Run a pipeline locally, or write the AWS configuration",
		Long: `apply runs a pipeline of DIR (default: the current directory) on this
machine the way CodePipeline and CodeBuild would: stages in order, the actions
of one run order in parallel, artifacts handed over as copies, #{ns.VAR}
resolved just before each action starts, manual approvals, CodeDeploy and S3
deploys into folders under DIR/.pipeform/deploy.

Everything the run does is recorded under DIR/.pipeform/runs/<id>/: run.json,
one log per action and events.jsonl in EventBridge's event shapes. Source
actions snapshot DIR (through git when it is in a working tree: tracked and
untracked-but-not-ignored files) unless --source maps them to a folder.

A manual approval is approved by --approve, asked on a terminal, or waits for
'pipeform approve RUN STAGE.ACTION' from another shell. Ctrl-C (or SIGTERM)
stops the run and every process it started; 'pipeform resume RUN' retries it
from the failed stage.

--event push|pull_request (with trigger's --branch, --tag, --pr-event, --base
and --head) runs only a pipeline the git event would start: the one of
--pipeline if its triggers match, else the only pipeline they start. When
none starts, apply says why and runs nothing (exit 0). The run record keeps
the trigger (event, branch or tag, commits, the source action and filter
that matched).

--json streams the progress as NDJSON events (format_version, type, run,
pipeline, ...). Diagnostics are an event of type "diagnostics" with validate
--json's fields (valid, error_count, warning_count, diagnostics): the
configuration's errors, a bad secrets file or a usage error (summary "Invalid
command line"), when the run cannot start (the only line then), and the
executor's, after the run. With --event, an event that starts nothing is one
event of type "not_triggered" whose message says why.

Exit status: 0 the run succeeded, 1 it failed, was rejected or stopped (or the
configuration has errors), 2 bad usage, 3 internal failure.`,
		Example: `  pipeform apply examples/node-webapp --approve all
  pipeform apply ci --pipeline web --source checkout=.
  pipeform apply . --variable release=v2 --secrets-file secrets.json --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			if isAWS, err := aws.isAWS(); err != nil || isAWS {
				if err != nil {
					return err
				}
				if err := localOnlyFlags(cmd); err != nil {
					return err
				}
				return c.applyAWS(dirArgument(args), &vars, aws.opts)
			}
			var req *trigger.Request
			if ef.given(cmd) {
				r, err := ef.request()
				if err != nil {
					return err
				}
				req = &r
			}
			return c.runApply(dirArgument(args), &vars, pipeline, runID, sources, variables, rf, req)
		},
	}
	cmd.Flags().StringVar(&pipeline, "pipeline", "", "the pipeline to run (needed when DIR has several)")
	cmd.Flags().StringVar(&runID, "run-id", "", "the new run's id: letters, digits, '-' and '_', starting with a letter or a digit (default: a random UUID)")
	cmd.Flags().StringArrayVar(&sources, "source", nil, "run source action NAME from the folder PATH: --source NAME=PATH (repeatable)")
	cmd.Flags().StringArrayVar(&variables, "variable", nil, "set a pipeline variable (#{variables.NAME}) for this run: --variable NAME=VALUE (repeatable)")
	rf.register(cmd)
	ef.register(cmd)  // --event and its flags (trigger.go)
	aws.register(cmd) // --target, --out, --format, --region (aws_plan.go)
	vars.register(cmd)
	return cmd
}

// localOnlyFlags rejects the flags of a local run given with --target aws,
// which writes files and runs nothing: silently ignoring them would hide a
// mistake.
func localOnlyFlags(cmd *cobra.Command) error {
	var given []string
	for _, name := range []string{"pipeline", "run-id", "source", "variable", "approve", "secrets-file", "parallelism", "json", "no-cache", "rule-result", "now", "debug", "event", "pr-event", "branch", "tag", "base", "head"} {
		if cmd.Flags().Changed(name) {
			given = append(given, "--"+name)
		}
	}
	if len(given) == 0 {
		return nil
	}
	return usagef("%s only apply to a local run, not with --target aws, which writes the AWS configuration into --out and runs nothing: remove them, or drop --target aws to run the pipeline here", strings.Join(given, ", "))
}

func (c *CLI) runApply(dir string, vars *varFlags, name, runID string, sources, variables []string, rf runFlags, event *trigger.Request) error {
	if dir == "" {
		dir = "."
	}
	if runID == "" {
		runID = newUUID()
	} else if err := local.CheckRunID(runID); err != nil {
		return usagef("--run-id: %v", err)
	} else if _, err := stateLayout(dir).Run(runID); err == nil {
		return usagef("--run-id: run %s already exists under %s; give a new id, or retry it with pipeform resume %s", runID, stateLayout(dir).Root, runID)
	}
	srcMap, err := pairs("--source", sources)
	if err != nil {
		return err
	}
	for _, n := range sortedKeys(srcMap) {
		if err := checkDir("--source "+n+"="+srcMap[n], srcMap[n]); err != nil {
			return err
		}
	}
	varMap, err := pairs("--variable", variables)
	if err != nil {
		return err
	}
	l, err := c.loadForRun(dir, vars, nil, rf.asJSON)
	if err != nil {
		return err
	}
	var started *local.Trigger
	if event != nil {
		res, t, err := c.triggeredPipeline(l, name, *event, rf.asJSON)
		if err != nil || res == nil {
			return err
		}
		name, started = res.Pipeline, t
		if !rf.asJSON {
			fmt.Fprintf(c.Stdout, "Triggered by %s\n", t.Detail)
		}
	}
	p, err := c.onePipeline(l, name)
	if err != nil {
		return err
	}
	opts, err := c.runOptions(l, p, rf)
	if err != nil {
		return err
	}
	opts.Trigger = started
	opts.RunID = runID
	opts.Sources = srcMap
	opts.Variables = varMap
	return c.execute(l, opts, rf, func(ctx context.Context, o local.Options) (*local.Run, hcl.Diagnostics) {
		return local.Start(ctx, o)
	})
}

// jsonUsageError makes a usage error of a run streaming --json (apply,
// resume), a flag error included, a diagnostics event on stdout too (its
// text still goes to stderr), so a script reading the stream learns why
// nothing ran: with --json every failure is JSON.
func (c *CLI) jsonUsageError(cmd *cobra.Command, args []string, err error) {
	if name := cmd.Name(); name != "apply" && name != "resume" {
		return
	}
	f := cmd.Flags().Lookup("json")
	if f == nil || f.Value.String() != "true" && !slices.Contains(args, "--json") && !slices.Contains(args, "--json=true") {
		return
	}
	_ = views.WriteDiagnosticsEvent(c.Stdout, nil, nil, hcl.Diagnostics{{
		Severity: hcl.DiagError, Summary: "Invalid command line", Detail: err.Error() + ".",
	}})
}

// loadForRun loads the configuration a run (prev, for resume) needs. With
// --json its errors are a diagnostics event on stdout, so a script reading
// the stream learns why nothing ran; otherwise diagnostics go to stderr.
func (c *CLI) loadForRun(dir string, vars *varFlags, prev *local.Run, asJSON bool) (*loaded, error) {
	l := c.load(dir, vars)
	if asJSON && l.Diags.HasErrors() {
		if err := views.WriteDiagnosticsEvent(c.Stdout, prev, l.Files, l.Diags); err != nil {
			return nil, exit(ExitInternal)
		}
		return nil, exit(ExitProblems)
	}
	c.printDiags(l)
	if l.Diags.HasErrors() || l.Graph == nil {
		return nil, exit(ExitProblems)
	}
	return l, nil
}

// onePipeline picks the pipeline to run: --pipeline, or the only one.
func (c *CLI) onePipeline(l *loaded, name string) (*graph.Pipeline, error) {
	var names []string
	for _, p := range l.Graph.Pipelines {
		names = append(names, p.Name)
	}
	if name != "" {
		if p := l.Graph.Pipeline(name); p != nil {
			return p, nil
		}
		return nil, usagef("no pipeline %q in %s; pipelines: %s", name, l.Dir, nameList(names))
	}
	switch len(names) {
	case 0:
		return nil, usagef("there is no pipeline in %s to run", l.Dir)
	case 1:
		return l.Graph.Pipelines[0], nil
	}
	return nil, usagef("%s has several pipelines; choose one with --pipeline: %s", l.Dir, nameList(names))
}

// runOptions fills the executor's inputs from the environment, the clock
// and the flags: the CLI is the only place that reads them.
func (c *CLI) runOptions(l *loaded, p *graph.Pipeline, rf runFlags) (local.Options, error) {
	// Absolute, so runners may change directory (a build's shell does).
	root, err := filepath.Abs(filepath.Join(l.Dir, ".pipeform"))
	if err != nil {
		return local.Options{}, usagef("cannot resolve %s: %v", l.Dir, err)
	}
	o := local.Options{
		Pipeline: p, Layout: local.Layout{Root: root}, ConfigDir: l.Dir,
		Now: time.Now, NewID: newUUID, PID: os.Getpid(), Parallelism: rf.parallelism,
		Approve: rf.approve, User: c.userName(), Env: c.Environ(), NoCache: rf.noCache,
		Region:         firstNonEmpty(c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION")),
		ParseBuildspec: buildspec.Parse, Minute: c.Minute, Actor: c.actor(),
		SourceEntries: c.SourceEntries,
		Sensitive:     l.Secrets,
	}
	if o.Parallelism < 0 {
		return o, usagef("--parallelism %d is negative: give how many actions may run at once, such as 4 (0 or no flag: the number of CPUs)", o.Parallelism)
	}
	if o.Parallelism == 0 {
		o.Parallelism = runtime.NumCPU()
	}
	if err := rf.ruleOptions(&o); err != nil {
		return o, err
	}
	if rf.debug && rf.asJSON {
		return o, usagef("--debug opens an interactive shell, which the --json event stream cannot carry: use one or the other")
	}
	if o.Secrets, err = c.loadSecrets(rf.secretsFile, rf.asJSON); err != nil {
		return o, err
	}
	if rf.secretsFile != "" {
		o.SecretsFile, _ = filepath.Abs(rf.secretsFile)
	}
	return o, nil
}

// maskDiags hides in the run's diagnostics (text and --json) the values
// its actions' output is masked for: a sensitive value of the
// configuration reads "(sensitive value)", as in every other diagnostic,
// and a value of the secrets file ***.
func maskDiags(diags hcl.Diagnostics, o local.Options) {
	lang.Redact(diags, o.Sensitive)
	m := runners.NewMasker(nil, o.Secrets.Values())
	for _, d := range diags {
		d.Summary, d.Detail = m.String(d.Summary), m.String(d.Detail)
	}
}

// loadSecrets reads --secrets-file (nil when not given), printing its
// problems (also as a diagnostics event with --json). The file is never
// handed to the renderer: a diagnostic names the key and the position, and
// never shows the line (values).
func (c *CLI) loadSecrets(path string, asJSON bool) (*runners.Secrets, error) {
	if path == "" {
		return nil, nil
	}
	src, err := readSecretsFile(path)
	if err != nil {
		return nil, err
	}
	s, diags := runners.ParseSecrets(path, src)
	if diags.HasErrors() {
		_ = views.WriteDiagnostics(c.Stderr, nil, diags, 0, c.color())
		if asJSON {
			_ = views.WriteDiagnosticsEvent(c.Stdout, nil, nil, diags)
		}
		return nil, exit(ExitProblems)
	}
	return s, nil
}

// execute runs start with the progress view, the terminal prompt and the
// signal handling, then reports and maps the outcome to an exit code.
func (c *CLI) execute(l *loaded, o local.Options, rf runFlags, start func(context.Context, local.Options) (*local.Run, hcl.Diagnostics)) error {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	// Nothing the run starts outlives it: pipeform adopts the orphans of
	// its actions and stops whatever is left when the run ends. (A run is
	// the work of the whole pipeform process: every descendant left then
	// is the run's.)
	_ = runners.Contain()
	defer runners.StopDescendants()
	var tty *views.TTYProgress
	switch {
	case rf.asJSON:
		o.Hooks = views.NewJSONProgress(c.Stdout)
	case isTerminal(c.Stdout) && c.Getenv("TERM") != "dumb":
		width, _, _ := term.GetSize(int(c.Stdout.(*os.File).Fd()))
		tty = views.NewTTYProgress(c.Stdout, width, time.Now)
		o.Hooks = tty
	default:
		o.Hooks = views.NewPlainProgress(c.Stdout)
	}
	if f, ok := c.Stdin.(*os.File); ok && !rf.asJSON && term.IsTerminal(int(f.Fd())) && isTerminal(c.Stderr) {
		o.Prompt = c.prompter(tty)
	}
	dirs := []string{o.ConfigDir}
	for _, name := range sortedKeys(o.Sources) {
		dirs = append(dirs, o.Sources[name])
	}
	run, diags := start(ctx, o)
	maskDiags(diags, o)
	diags = append(secretsInside(o.SecretsFile, dirs), diags...)
	if len(diags) > 0 {
		views.SortDiagnostics(diags)
		_ = views.WriteDiagnostics(c.Stderr, l.Files, diags, 0, c.color())
		if rf.asJSON {
			_ = views.WriteDiagnosticsEvent(c.Stdout, run, l.Files, diags)
		}
	}
	if run == nil || run.Status != local.StatusSucceeded {
		if run != nil && rf.debug {
			c.debugFailedBuild(run, o.Layout, o.Secrets)
		}
		return exit(ExitProblems)
	}
	return nil
}

// prompter asks on the terminal, one approval at a time. End of input means
// no answer: the approval then waits for `pipeform approve`.
func (c *CLI) prompter(tty *views.TTYProgress) func(ctx context.Context, id, question string) (bool, string, error) {
	var mu sync.Mutex
	in := bufio.NewReader(c.Stdin)
	return func(ctx context.Context, id, question string) (bool, string, error) {
		mu.Lock()
		defer mu.Unlock()
		if tty != nil {
			tty.Suspend()
			defer tty.Resume()
		}
		fmt.Fprintf(c.Stderr, "%s: %s\nApprove? [y/N, or type a comment after y/n] ", id, question)
		answer := make(chan string, 1)
		go func() {
			line, err := in.ReadString('\n')
			if err != nil && line == "" {
				close(answer)
				return
			}
			answer <- strings.TrimSpace(line)
		}()
		select {
		case <-ctx.Done():
			return false, "", ctx.Err()
		case line, ok := <-answer:
			if !ok {
				return false, "", runners.ErrNoAnswer
			}
			verdict, comment, _ := strings.Cut(line, " ")
			switch strings.ToLower(verdict) {
			case "y", "yes":
				return true, strings.TrimSpace(comment), nil
			}
			return false, strings.TrimSpace(comment), nil
		}
	}
}

func (c *CLI) color() bool { return isTerminal(c.Stderr) && c.Getenv("NO_COLOR") == "" }

// userName is who approves: the login name from the environment, else the
// operating system's account name (USER is often unset in containers and CI).
func (c *CLI) userName() string {
	if name := firstNonEmpty(c.Getenv("PIPEFORM_USER"), c.Getenv("USER"), c.Getenv("LOGNAME")); name != "" {
		return name
	}
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "unknown"
}

// pairs parses NAME=VALUE flags.
func pairs(flag string, list []string) (map[string]string, error) {
	m := map[string]string{}
	for _, s := range list {
		k, v, ok := strings.Cut(s, "=")
		if !ok || k == "" {
			return nil, usagef("%s wants NAME=VALUE, got %q", flag, s)
		}
		m[k] = v
	}
	return m, nil
}

// newUUID returns a random (version 4) UUID, the shape of CodePipeline's
// execution ids.
func newUUID() string { return local.NewUUID() }

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if s != "" {
			return s
		}
	}
	return ""
}

// ruleOptions fills the stage-rule options from --rule-result and --now.
func (f *runFlags) ruleOptions(o *local.Options) error {
	results, err := pairs("--rule-result", f.ruleResults)
	if err != nil {
		return err
	}
	o.RuleResults = map[string]string{}
	for k, v := range results {
		switch strings.ToLower(v) {
		case "succeeded":
			o.RuleResults[k] = local.StatusSucceeded
		case "failed":
			o.RuleResults[k] = local.StatusFailed
		default:
			return usagef("--rule-result %s=%s: the result is succeeded or failed", k, v)
		}
	}
	if f.now != "" {
		t, err := time.Parse(time.RFC3339, f.now)
		if err != nil {
			return usagef("--now %s is not an RFC 3339 time; write it as 2026-01-05T10:00:00Z or 2026-01-05T11:00:00+01:00", f.now)
		}
		o.RuleTime = t
	}
	return nil
}
