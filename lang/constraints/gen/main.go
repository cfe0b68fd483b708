// Command gen writes the constraint table of package constraints
// (table.go) from the AWS models in the shared reference folder:
//
//	go run ./gen -ref ../../../shared/reference -out table.go
//
// It fails when a constrained member that pipeform writes has neither a
// mapping to the HCL attribute that produces it nor a recorded reason for
// not being checked (mapping.go).
package main

import (
	"flag"
	"fmt"
	"os"
)

func main() {
	ref := flag.String("ref", "../../../shared/reference", "folder of the AWS models")
	out := flag.String("out", "table.go", "file to write")
	flag.Parse()
	src, err := generate(*ref)
	if err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
	if err := os.WriteFile(*out, src, 0o644); err != nil {
		fmt.Fprintln(os.Stderr, "gen:", err)
		os.Exit(1)
	}
}
