// Command pipeform type-checks CI/CD pipelines written in HCL, runs them
// locally like CodeBuild and CodePipeline, and generates their AWS
// configuration.
package main

import (
	"os"

	"github.com/pipeform/pipeform/cmd/internal/cli"
)

func main() {
	os.Exit(cli.Main(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}
