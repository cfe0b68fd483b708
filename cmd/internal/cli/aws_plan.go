package cli

import (
	"bytes"
	"fmt"
	"path"
	"path/filepath"
	"strings"

	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
	"github.com/pipeform/pipeform/targets/cloudformation"
	"github.com/pipeform/pipeform/targets/outdir"
)

// The --target aws mode of plan and apply: what generate would change in
// OUT, Terraform-style, and writing it.

// planAWS is `plan --target aws`: it prints what generate would change in
// OUT and returns exit code 0 when nothing would change, 2 (ExitChanges)
// when something would, 1 on configuration errors.
func (c *CLI) planAWS(dir string, vars *varFlags, o awsOptions) error {
	o.Target = "all"
	files, owned, err := c.awsFiles(dir, vars, &o)
	if err != nil {
		return err
	}
	changes, err := outdir.Plan(o.Out, files, owned, true)
	if err != nil {
		fmt.Fprintf(c.Stderr, "Error: %s\n", fileError(err))
		return exit(ExitInternal)
	}
	if o.JSON {
		if err := views.WriteFileChangesJSON(c.Stdout, o.Out, changes); err != nil {
			return exit(ExitInternal)
		}
		if len(changes) == 0 {
			return nil
		}
		return exit(ExitChanges)
	}
	if len(changes) == 0 {
		fmt.Fprintf(c.Stdout, "No changes. %s is up to date with the configuration.\n", o.Out)
		return nil
	}
	fmt.Fprintf(c.Stdout, "pipeform generate would make these changes in %s:\n\n", o.Out)
	views.WriteFileChanges(c.Stdout, changes)
	add, change, del := outdir.Count(changes)
	fmt.Fprintf(c.Stdout, "\nPlan: %d to add, %d to change, %d to remove.\n", add, change, del)
	return exit(ExitChanges)
}

// applyAWS is `apply --target aws`: it writes what plan --target aws shows
// and prints the commands that deploy it.
func (c *CLI) applyAWS(dir string, vars *varFlags, o awsOptions) error {
	o.Target = "all"
	files, owned, err := c.awsFiles(dir, vars, &o)
	if err != nil {
		return err
	}
	changes, err := c.writeOut(o, files, owned, true)
	if err != nil {
		return err
	}
	if len(changes) > 0 {
		views.WriteFileChanges(c.Stdout, changes)
		fmt.Fprintln(c.Stdout)
	}
	add, change, del := outdir.Count(changes)
	fmt.Fprintf(c.Stdout, "Apply complete! Files: %d added, %d changed, %d removed.\n", add, change, del)
	var deploy, pipelines []string
	for _, f := range files {
		if dirName, base := path.Split(f.Path); dirName == "cloudformation/" {
			pipelines = append(pipelines, strings.TrimSuffix(base, path.Ext(base)))
		}
	}
	stacks := cloudformation.StackNames(pipelines)
	large, imports := false, false
	for _, f := range files {
		dirName, base := path.Split(f.Path)
		name := strings.TrimSuffix(base, path.Ext(base))
		if dirName == "cloudformation/" {
			cmd := fmt.Sprintf("aws cloudformation deploy --template-file %s --stack-name %s --capabilities CAPABILITY_IAM",
				filepath.Join(o.Out, filepath.FromSlash(f.Path)), stacks[name])
			if len(f.Data) > cloudformation.MaxInlineTemplate {
				cmd += " --s3-bucket BUCKET"
				large = true
			}
			deploy = append(deploy, cmd)
			imports = imports || bytes.Contains(f.Data, []byte("Fn::ImportValue"))
		}
	}
	if len(deploy) > 0 {
		fmt.Fprintf(c.Stdout, "\nTo deploy, run:\n\n")
		if imports {
			// Files are in path order, and a shared project's owner is the
			// first of its templates in that order (targets/cloudformation).
			fmt.Fprintf(c.Stdout, "  (in this order: a template that creates a CodeBuild project or CodeDeploy\n  application shared by pipelines comes before the templates that import from it)\n")
		}
		for _, d := range deploy {
			fmt.Fprintf(c.Stdout, "  %s\n", d)
		}
	}
	if large {
		fmt.Fprintf(c.Stdout, "\nCloudFormation takes templates over %d bytes only from S3: replace BUCKET with a bucket\nyou own in the stack's Region, and the AWS CLI uploads the template there.\n", cloudformation.MaxInlineTemplate)
	}
	return nil
}

// awsTarget holds the --target local|aws flag of plan and apply and the
// flags of the aws mode (--out, --format, --region).
type awsTarget struct {
	target string
	opts   awsOptions
}

func (t *awsTarget) register(cmd *cobra.Command) {
	cmd.Flags().StringVar(&t.target, "target", "local", "local (run on this machine) or aws (the generated AWS configuration in --out)")
	t.opts.register(cmd)
	if cmd.Name() == "apply" { // plan writes nothing, so it has no --force
		t.opts.registerForce(cmd)
	}
}

// isAWS reports whether --target aws was given; an unknown target or --out
// without --target aws is a usage error.
func (t *awsTarget) isAWS() (bool, error) {
	switch t.target {
	case "aws":
		return true, nil
	case "local", "":
		if t.opts.Out != "" {
			return false, usagef("--out only applies with --target aws")
		}
		if t.opts.Force {
			return false, usagef("--force only applies with --target aws")
		}
		return false, nil
	}
	return false, usagef("--target must be local or aws, not %q", t.target)
}
