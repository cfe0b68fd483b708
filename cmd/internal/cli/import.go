package cli

import (
	"strings"

	"github.com/hashicorp/hcl/v2"
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/importer"
	"github.com/pipeform/pipeform/targets/buildspec"
)

func (c *CLI) importCommand() *cobra.Command {
	var name, region string
	var specs []string
	cmd := &cobra.Command{
		Use:   "import FILE",
		Short: "Convert a buildspec, a get-pipeline output or a CloudFormation template into HCL",
		Long: `import reads what AWS already runs and prints the equivalent pipeform HCL on
standard output, formatted like pipeform fmt. FILE is one of:

  - a CodeBuild buildspec (version 0.2 or 0.1): a project block, named after
    the file (buildspec-prod.yml becomes "buildspec-prod") unless --name is
    given;
  - the output of aws codepipeline get-pipeline (JSON with a "pipeline"
    member): a pipeline block, with a project block for each CodeBuild
    project whose buildspec is given with --buildspec NAME=FILE;
  - a CloudFormation template (JSON or YAML): a pipeline block for each
    AWS::CodePipeline::Pipeline and a project block for each
    AWS::CodeBuild::Project with an inline buildspec (or one given with
    --buildspec).

Actions get their typed provider block, and custom only where no typed
block exists or their configuration does not fit it; input artifacts are
artifact.NAME references and CodeBuild actions refer to their imported
project as project.NAME. What cannot be carried over is reported as a
warning on standard error, never dropped silently.`,
		Example: `  pipeform import buildspec.yml > build.pf.hcl
  pipeform import ci/buildspec-test.yml --name test
  aws codepipeline get-pipeline --name web > web.json && pipeform import web.json --buildspec web-test=buildspec.yml
  pipeform import template.yaml > pipeline.pf.hcl`,
		Args: cobra.ExactArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runImport(args[0], name, region, specs)
		},
	}
	cmd.Flags().StringVar(&name, "name", "", "the project label of an imported buildspec (default: the file name without its extension)")
	cmd.Flags().StringVar(&region, "region", "", "the pipeline's own AWS Region, for a get-pipeline output with cross-Region artifact stores and no metadata (default: AWS_REGION)")
	cmd.Flags().StringArrayVar(&specs, "buildspec", nil, "the buildspec of CodeBuild project NAME: --buildspec NAME=FILE (repeatable)")
	return cmd
}

func (c *CLI) runImport(path, name, region string, specs []string) error {
	src, why := readFileArg(path)
	if why != "" {
		return usagef("cannot read the file %s: %s", path, why)
	}
	src = importer.Text(src)
	files := map[string]*hcl.File{path: {Bytes: src}}
	kind := importer.Detect(src)
	if kind == importer.KindBuildspec && len(specs) > 0 {
		return usagef("--buildspec goes with a get-pipeline output or a CloudFormation template; %s is a buildspec", path)
	}
	var out []byte
	var diags hcl.Diagnostics
	switch kind {
	case importer.KindBuildspec:
		if t := strings.TrimSpace(string(src)); strings.HasPrefix(t, "{") {
			return usagef("%s is JSON but neither get-pipeline output (no \"pipeline\" member) nor a CloudFormation template (no \"Resources\")", path)
		}
		if name == "" {
			name = importer.ProjectLabel(path)
		}
		b, pdiags := buildspec.Parse(path, src)
		if b == nil || pdiags.HasErrors() {
			c.writeDiags(files, pdiags)
			return exit(ExitProblems)
		}
		out, diags = importer.Buildspec(path, src, b, name)
		diags = append(pdiags, diags...)
	default:
		if name != "" {
			return usagef("--name goes with a buildspec; %s holds pipelines, which keep their own names", path)
		}
		opts := importer.Options{Buildspecs: map[string]importer.File{}, Region: firstNonEmpty(region, c.Getenv("AWS_REGION"), c.Getenv("AWS_DEFAULT_REGION"))}
		for _, s := range specs {
			project, file, ok := strings.Cut(s, "=")
			if !ok || project == "" || file == "" {
				return usagef("--buildspec %q: give NAME=FILE, the CodeBuild project name and its buildspec file", s)
			}
			data, why := readFileArg(file)
			if why != "" {
				return usagef("cannot read the buildspec file %s: %s", file, why)
			}
			data = importer.Text(data)
			opts.Buildspecs[project] = importer.File{Path: file, Src: data}
			files[file] = &hcl.File{Bytes: data}
		}
		if kind == importer.KindGetPipeline {
			out, diags = importer.GetPipeline(path, src, opts)
		} else {
			out, diags = importer.Template(path, src, opts)
		}
	}
	c.writeDiags(files, diags)
	if diags.HasErrors() {
		return exit(ExitProblems)
	}
	_, err := c.Stdout.Write(out)
	return err
}
