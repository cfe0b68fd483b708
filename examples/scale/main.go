// Command scale writes N realistic pipelines, one .pf.hcl file each, for
// benchmarks: go run ./examples/scale -pipelines N -out DIR.
//
// Each pipeline has 6 to 8 actions over 4 or 5 stages (sources, parallel
// builds, tests in two run orders, an approval, deploys) and its own
// CodeBuild projects with several phases, environment, exported variables,
// reports, artifacts and caches. The output depends only on N.
package main

import (
	"flag"
	"fmt"
	"os"
	"path/filepath"

	"github.com/hashicorp/hcl/v2"
	"github.com/hashicorp/hcl/v2/hclsyntax"
)

func main() {
	n := flag.Int("pipelines", 100, "number of pipelines to write")
	out := flag.String("out", "", "directory to write the .pf.hcl files to (created if missing)")
	parse := flag.String("parse", "", "instead, parse every .pf.hcl file of this directory with hclsyntax alone (the benchmarks' floor)")
	flag.Parse()
	if *parse != "" {
		if err := parseFloor(*parse); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
		return
	}
	if *out == "" || *n < 1 {
		fmt.Fprintln(os.Stderr, "usage: go run ./examples/scale -pipelines N -out DIR")
		os.Exit(2)
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	for i := 0; i < *n; i++ {
		name, src := Pipeline(i)
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, err)
			os.Exit(1)
		}
	}
	fmt.Printf("wrote %d pipelines to %s\n", *n, *out)
}

// parseFloor reads and parses every *.pf.hcl file of dir with hclsyntax,
// one after another, and nothing else: the least any front end must do,
// against which bench.sh measures validate and generate.
func parseFloor(dir string) error {
	names, err := filepath.Glob(filepath.Join(dir, "*.pf.hcl"))
	if err != nil {
		return err
	}
	for _, name := range names {
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		if _, diags := hclsyntax.ParseConfig(src, name, hcl.InitialPos); diags.HasErrors() {
			return diags
		}
	}
	return nil
}
