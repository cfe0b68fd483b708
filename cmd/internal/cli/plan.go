package cli

import (
	"fmt"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
)

func (c *CLI) planCommand() *cobra.Command {
	var vars varFlags
	var pipeline string
	var asJSON bool
	var aws awsTarget // --target aws: see aws_plan.go
	var cf cacheFlags
	cmd := &cobra.Command{
		Use:   "plan [DIR]",
		Short: "Show what a local run would do, or what generate would change",
		Long: `plan prints the local run plan of the pipelines in DIR (default: the current
directory): every action in execution order, grouped into steps whose actions
run in parallel, what each consumes and produces, and whether it will run,
wait for approval or is not emulated locally, and why; then the stages'
failure rules and conditions, and which of their rules are evaluated
locally.

CodeBuild and Commands actions are cacheable: apply does not run such an
action again ("Cached from run RUN") when an identical earlier run succeeded.
plan computes each one's cache key as apply would (it snapshots the sources
to hash them, and follows cache hits downstream) and says "cached: reuses the
result of run RUN", or "not cached:" and why: what changed since its last
success (a source file, the project definition, an upstream artifact, a
variable, a secret it uses), no earlier success, or an input known only once
an earlier action has run. Give plan the --secrets-file, --source and
--variable that apply would get; the key covers only the secrets an action
uses. apply --no-cache runs every action anyway. A CodeBuild action also
lists what its build checks and keeps: each install-phase runtime-versions
entry, checked against this machine's tool (node --version for nodejs), and
its cache paths.

--json prints the same as a versioned document: format_version ("1.3"; a new
field is a minor change), pipelines (name, type, execution_mode, stages,
steps, counts by status, and since 1.2 stage_rules: stage, kind, result,
retry_mode and rules with name, provider, status run or not-emulated and
reason) and actions, one entry per action in execution order
with pipeline, stage, name, id (Stage.Action), step (actions with the same
step run in parallel), run_order, category, provider, project, namespace,
consumes, produces, depends_on (the actions whose artifacts or variables it
reads), status (run, approval or not-emulated), reason, cacheable (since
1.1), checks (since 1.2), and for cacheable actions (since 1.3) cache
("cached" or "run"), cached_from (the run whose result is reused) and
cache_reason (why it runs). When the configuration has errors there is no plan: --json prints the
validate --json document instead (format_version, valid false, error_count,
warning_count, diagnostics) and plan exits 1; test "valid" to tell them apart.

With --target aws, plan instead shows what generate would change in --out:
per file, and inside each file per resource, stage, action and buildspec
command, with + (add), ~ (change) and - (remove). It exits 0 when nothing
would change and 2 when something would. --json prints the same as
format_version, out, changes (op, path, details with op, path and value) and
summary (add, change, remove).`,
		Example: `  pipeform plan examples/node-webapp
  pipeform plan examples/node-webapp --pipeline node-webapp --json`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			// --target aws: what generate would change in --out (aws_plan.go).
			if isAWS, err := aws.isAWS(); err != nil || isAWS {
				if err != nil {
					return err
				}
				if pipeline != "" {
					return usagef("--pipeline does not apply with --target aws: generate writes the files of every pipeline into --out, so plan compares them all")
				}
				for _, name := range []string{"secrets-file", "source", "variable"} {
					if cmd.Flags().Changed(name) {
						return usagef("--%s only applies to the local plan, not with --target aws", name)
					}
				}
				aws.opts.JSON = asJSON
				return c.planAWS(dirArgument(args), &vars, aws.opts)
			}
			return c.runPlan(dirArgument(args), &vars, pipeline, asJSON, cf)
		},
	}
	cmd.Flags().StringVar(&pipeline, "pipeline", "", "only this pipeline")
	cmd.Flags().BoolVar(&asJSON, "json", false, "print the plan as JSON")
	aws.register(cmd) // --target, --out, --format, --region (aws_plan.go)
	cf.register(cmd)  // --secrets-file, --source, --variable (plan_cache.go)
	vars.register(cmd)
	return cmd
}

func (c *CLI) runPlan(dir string, vars *varFlags, pipeline string, asJSON bool, cf cacheFlags) error {
	l := c.load(dir, vars)
	if asJSON && l.Diags.HasErrors() {
		// Scripts read stdout: say why there is no plan, in validate
		// --json's shape (valid false), rather than print nothing.
		if err := views.WriteJSON(c.Stdout, views.NewValidation(l.Files, l.Diags)); err != nil {
			return exit(ExitInternal)
		}
		return exit(ExitProblems)
	}
	c.printDiags(l)
	if l.Diags.HasErrors() || l.Graph == nil {
		return exit(ExitProblems)
	}
	pipelines, err := c.selectPipelines(l, pipeline)
	if err != nil {
		return err
	}
	pl := views.NewPlan(pipelines)
	if err := c.forecast(l, pipelines, pl, cf); err != nil {
		return err
	}
	if asJSON {
		err = views.WriteJSON(c.Stdout, pl)
	} else {
		err = views.WritePlan(c.Stdout, pl)
	}
	if err != nil {
		return exit(ExitInternal)
	}
	return nil
}

// selectPipelines picks --pipeline (or every pipeline); an unknown name is a
// usage error with the valid names.
func (c *CLI) selectPipelines(l *loaded, name string) ([]*graph.Pipeline, error) {
	pipelines, names := views.SelectPipelines(l.Graph, name)
	if pipelines == nil && name != "" {
		return nil, usagef("no pipeline %q in %s; pipelines: %s", name, l.Dir, nameList(names))
	}
	if len(pipelines) == 0 {
		fmt.Fprintf(c.Stderr, "No pipelines in %s.\n", l.Dir)
	}
	return pipelines, nil
}

func nameList(names []string) string {
	if len(names) == 0 {
		return "(none)"
	}
	out := ""
	for i, n := range names {
		if i > 0 {
			out += ", "
		}
		out += n
	}
	return out
}

func dirArgument(args []string) string {
	if len(args) > 0 {
		return args[0]
	}
	return ""
}
