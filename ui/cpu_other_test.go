//go:build !unix

package ui

// cpuTime returns 0 where getrusage is missing: the benchmarks then report
// no CPU time.
func cpuTime() int64 { return 0 }
