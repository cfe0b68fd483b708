package cli

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"syscall"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/compiler/graph"
	"github.com/pipeform/pipeform/lang"
	"github.com/pipeform/pipeform/targets"
	"github.com/pipeform/pipeform/targets/buildspec"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/codepipeline"
	"github.com/pipeform/pipeform/targets/outdir"
)

// awsOptions are the flags shared by generate, plan --target aws and
// apply --target aws.
type awsOptions struct {
	Out    string
	Target string // buildspec, codepipeline, cloudformation or all
	Format string // json or yaml (CloudFormation)
	Region string // --region, else AWS_REGION / AWS_DEFAULT_REGION
	JSON   bool   // plan --target aws --json
	Force  bool   // generate / apply --target aws --force
}

// register adds --out, --format and --region; generate adds --target
// itself because plan and apply use --target for "local" vs "aws".
func (o *awsOptions) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&o.Out, "out", "", "output directory for the generated AWS configuration")
	cmd.Flags().StringVar(&o.Format, "format", "json", "CloudFormation template format: json or yaml")
	cmd.Flags().StringVar(&o.Region, "region", "", "the pipelines' AWS Region (needed for cross-Region artifact stores; default $AWS_REGION)")
}

// registerForce adds --force (generate and apply --target aws).
func (o *awsOptions) registerForce(cmd *cobra.Command) {
	cmd.Flags().BoolVar(&o.Force, "force", false, "also replace files in --out that pipeform did not generate (not listed in OUT/"+outdir.ManifestName+")")
}

func (c *CLI) generateCommand() *cobra.Command {
	var vars varFlags
	o := awsOptions{Target: "all"}
	cmd := &cobra.Command{
		Use:   "generate [DIR] --out OUT",
		Short: "Write buildspecs, CodePipeline JSON and CloudFormation templates",
		Long: `generate compiles the configuration in DIR (default: the current directory)
and writes the AWS configuration under OUT:

  OUT/buildspec/<project>.yml         one buildspec per CodeBuild project
  OUT/codepipeline/<pipeline>.json    aws codepipeline create-pipeline --cli-input-json input
  OUT/cloudformation/<pipeline>.json  a complete stack (or .yaml with --format yaml)

OUT/.pipeform-generated lists the files generate wrote; a listed file of the
selected targets that is no longer generated is removed, so OUT matches the
configuration, and files pipeform did not write are never removed. A file it
did not write that it would now replace with other content (a hand-written
buildspec/<project>.yml, say) is an error, and nothing is written, unless
--force is given. Every file is written inside OUT: a folder of OUT that is a
symbolic link leading outside it (OUT/buildspec -> ../elsewhere) is refused
(exit 1), naming the file. The output
is byte-for-byte stable: generating twice gives identical files. The
codepipeline target needs each pipeline's role_arn and artifact_store; with
--target all a pipeline lacking them only gets a warning and no codepipeline
file.

Exit status: 0 on success, 1 when the configuration has errors or a file
pipeform did not write would be replaced, 2 on bad usage (OUT is a file, say),
3 when a file of OUT cannot be written (the error names it).`,
		Example: `  pipeform generate examples/node-webapp --out build/aws
  pipeform generate --out build/aws --target cloudformation --format yaml`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.generate(dirArgument(args), &vars, o)
		},
	}
	cmd.Flags().StringVar(&o.Target, "target", "all", "what to write: buildspec, codepipeline, cloudformation or all")
	o.register(cmd)
	o.registerForce(cmd)
	vars.register(cmd)
	return cmd
}

// generate is `pipeform generate`.
func (c *CLI) generate(dir string, vars *varFlags, o awsOptions) error {
	files, owned, err := c.awsFiles(dir, vars, &o)
	if err != nil {
		return err
	}
	changes, err := c.writeOut(o, files, owned, false)
	if err != nil {
		return err
	}
	add, change, del := outdir.Count(changes)
	noun := "files"
	if len(files) == 1 {
		noun = "file"
	}
	fmt.Fprintf(c.Stdout, "Wrote %d %s to %s (%d added, %d changed, %d removed).\n", len(files), noun, o.Out, add, change, del)
	return nil
}

// writeOut brings OUT in line with files, as generate and apply --target
// aws do: it refuses to replace files no earlier generate wrote (unless
// --force), then writes the files and the manifest. A file system error is
// printed in words and returned as an exit error; the changes are what was
// written, with what changed inside each file when details is set.
func (c *CLI) writeOut(o awsOptions, files []targets.File, owned []outdir.Owned, details bool) ([]outdir.Change, error) {
	changes, err := outdir.Plan(o.Out, files, owned, details)
	if err == nil && c.refuseForeign(o.Out, changes, o.Force) {
		return nil, exit(ExitProblems)
	}
	if err == nil {
		err = outdir.Write(o.Out, files, owned, changes)
	}
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", fileError(err))
		if outdir.Escapes(err) {
			return nil, exit(ExitProblems)
		}
		return nil, exit(ExitInternal)
	}
	return changes, nil
}

// checkOut refuses an --out that cannot be a folder: a regular file, or a
// path through one. A missing folder is fine (it is created).
func checkOut(out string) error {
	fi, err := os.Stat(out)
	switch {
	case err == nil && !fi.IsDir():
		return usagef("--out %s is a file: give a folder (it is created when missing) for the generated AWS configuration", out)
	case err != nil && errors.Is(err, syscall.ENOTDIR):
		// The deepest ancestor that exists is the file in the way.
		file := filepath.Dir(out)
		for {
			if fi, err := os.Stat(file); err == nil && !fi.IsDir() {
				break
			}
			parent := filepath.Dir(file)
			if parent == file {
				break
			}
			file = parent
		}
		return usagef("--out %s is inside %s, which is a file, not a folder: give a folder (it is created when missing) for the generated AWS configuration", out, file)
	}
	return nil
}

// checkAWSOptions validates flags and fills defaults.
func (c *CLI) checkAWSOptions(o *awsOptions) error {
	if o.Out == "" {
		return usagef("--out is required: the directory to write the AWS configuration to")
	}
	if err := checkOut(o.Out); err != nil {
		return err
	}
	switch o.Target {
	case "buildspec", "codepipeline", "cloudformation", "all":
	default:
		return usagef("--target must be buildspec, codepipeline, cloudformation or all, not %q", o.Target)
	}
	if o.Format != "json" && o.Format != "yaml" {
		return usagef("--format must be json or yaml, not %q", o.Format)
	}
	if o.Region == "" {
		o.Region = c.Getenv("AWS_REGION")
	}
	if o.Region == "" {
		o.Region = c.Getenv("AWS_DEFAULT_REGION")
	}
	return nil
}

// awsFiles loads dir and emits the selected targets. owned lists the
// (directory, extension) pairs of OUT that the selected targets own.
func (c *CLI) awsFiles(dir string, vars *varFlags, o *awsOptions) ([]targets.File, []outdir.Owned, error) {
	if err := c.checkAWSOptions(o); err != nil {
		return nil, nil, err
	}
	l := c.load(dir, vars)
	if l.Diags.HasErrors() || l.Graph == nil {
		c.printDiags(l)
		return nil, nil, exit(ExitProblems)
	}
	opts := targets.Options{Format: o.Format, Region: o.Region}
	var names []string
	var owned []outdir.Owned
	for _, name := range []string{"buildspec", "codepipeline", "cloudformation"} {
		if o.Target != "all" && o.Target != name {
			continue
		}
		names = append(names, name)
		owned = append(owned, outdir.OwnedBy(name)...)
	}
	files, diags := emitTargets(l.Graph, opts, names, o.Target == "all")
	lang.Redact(diags, l.Secrets)
	l.Diags = append(l.Diags, diags...)
	l.Diags = append(l.Diags, sensitiveWarnings(l.SensitiveUses)...)
	views.SortDiagnostics(l.Diags)
	c.printDiags(l)
	if l.Diags.HasErrors() {
		return nil, nil, exit(ExitProblems)
	}
	sort.Slice(files, func(i, j int) bool { return files[i].Path < files[j].Path })
	return files, owned, nil
}

// emitTargets runs the named targets at once (they only read the graph)
// and returns their files and diagnostics in the order of names. A panic
// in one is raised again here, where Run reports it as an internal error.
func emitTargets(g *graph.Graph, opts targets.Options, names []string, all bool) ([]targets.File, hcl.Diagnostics) {
	fileSets := make([][]targets.File, len(names))
	diagSets := make([]hcl.Diagnostics, len(names))
	crashes := make([]any, len(names))
	var wg sync.WaitGroup
	for i, name := range names {
		wg.Go(func() {
			defer func() { crashes[i] = recover() }()
			switch name {
			case "buildspec":
				fileSets[i], diagSets[i] = buildspec.Target{}.Emit(g, opts)
			case "codepipeline":
				// Under --target all the CloudFormation template covers a
				// pipeline the create-pipeline input cannot.
				fileSets[i], diagSets[i] = codepipeline.Target{Optional: all}.Emit(g, opts)
			case "cloudformation":
				fileSets[i], diagSets[i] = cloudformation.New().Emit(g, opts)
			}
		})
	}
	wg.Wait()
	var files []targets.File
	var diags hcl.Diagnostics
	for i := range names {
		if crashes[i] != nil {
			panic(crashes[i])
		}
		files = append(files, fileSets[i]...)
		diags = append(diags, diagSets[i]...)
	}
	return files, diags
}

// sensitiveWarnings warns at each project or pipeline expression whose
// value comes from a sensitive variable: the generated files hold it in
// plain text.
func sensitiveWarnings(uses []hcl.Range) hcl.Diagnostics {
	var diags hcl.Diagnostics
	for _, r := range uses {
		diags = append(diags, &hcl.Diagnostic{
			Severity: hcl.DiagWarning,
			Summary:  "Sensitive value in generated file",
			Detail: "This value comes from a sensitive variable, and the generated files (buildspec, CodePipeline JSON, CloudFormation template) hold it in plain text, as will the AWS resources made from them. " +
				"Have the build read the secret at run time instead, with parameter_store or secrets_manager in the project's env block.",
			Subject: r.Ptr(),
		})
	}
	return diags
}
