package cli

import (
	"github.com/spf13/cobra"

	"github.com/pipeform/pipeform/cmd/internal/views"
)

func (c *CLI) graphCommand() *cobra.Command {
	var vars varFlags
	var pipeline, format string
	cmd := &cobra.Command{
		Use:   "graph [DIR]",
		Short: "Print the pipelines as a DOT or Mermaid graph",
		Long: `graph prints the execution graph of the pipelines in DIR (default: the
current directory): one cluster per stage, one node per action, artifact
edges labelled with the artifact name, variable references as dotted edges.
Approvals are marked (a double border in DOT, a hexagon in Mermaid) and
actions the local executor does not emulate are dashed; in DOT each node's
tooltip says what a local run does with it. In a stage whose actions run in
several steps (run_order), each node says its run_order and run-order edges
(dashed with an open circle in DOT, circle-ended in Mermaid) lead from one
step to the next.
Render DOT with Graphviz (pipeform graph | dot -Tsvg > graph.svg) or paste
Mermaid into any Markdown that supports it.`,
		Example: `  pipeform graph examples/node-webapp | dot -Tsvg > web.svg
  pipeform graph examples/node-webapp --pipeline node-webapp --format mermaid`,
		Args: cobra.MaximumNArgs(1),
		RunE: func(cmd *cobra.Command, args []string) error {
			return c.runGraph(dirArgument(args), &vars, pipeline, format)
		},
	}
	cmd.Flags().StringVar(&pipeline, "pipeline", "", "only this pipeline")
	cmd.Flags().StringVar(&format, "format", "dot", "output format: dot or mermaid")
	vars.register(cmd)
	return cmd
}

func (c *CLI) runGraph(dir string, vars *varFlags, pipeline, format string) error {
	if format != "dot" && format != "mermaid" {
		return usagef("--format must be dot or mermaid, not %q", format)
	}
	l := c.load(dir, vars)
	c.printDiags(l)
	if l.Diags.HasErrors() || l.Graph == nil {
		return exit(ExitProblems)
	}
	pipelines, err := c.selectPipelines(l, pipeline)
	if err != nil {
		return err
	}
	if format == "mermaid" {
		err = views.WriteMermaid(c.Stdout, pipelines)
	} else {
		err = views.WriteDOT(c.Stdout, pipelines)
	}
	if err != nil {
		return exit(ExitInternal)
	}
	return nil
}
