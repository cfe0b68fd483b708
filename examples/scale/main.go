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
)

func main() {
	n := flag.Int("pipelines", 100, "number of pipelines to write")
	out := flag.String("out", "", "directory to write the .pf.hcl files to (created if missing)")
	flag.Parse()
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
