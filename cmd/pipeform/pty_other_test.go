//go:build !linux

package main

import (
	"fmt"
	"os"
)

// ptyRunMain needs Linux's /dev/ptmx; scripts using it skip elsewhere.
func ptyRunMain() {
	fmt.Fprintln(os.Stderr, "ptyrun: only on Linux")
	os.Exit(2)
}
