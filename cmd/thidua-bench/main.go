// Command thidua-bench is the load harness behind `make bench`: it starts a
// throwaway PostgreSQL cluster, loads a province-sized data set, serves the
// portal beside three reference servers and measures each workload on
// loopback. See docs/performance.md.
package main

import (
	"fmt"
	"os"

	"thidua/internal/bench"
)

func main() {
	if err := bench.Main(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "thidua-bench:", err)
		os.Exit(1)
	}
}
