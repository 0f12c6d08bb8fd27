package main

import (
	"runtime/debug"
)

// windowHeapLimit is the soft limit of the window's Go memory (heap,
// stacks, runtime) unless GOMEMLIMIT sets another. Without it the
// collector lets the heap grow to twice what is live: with a 14-day
// record's 1.4 million beats in the session and in the label view, about
// 1.2 GB of heap for 0.6 GB of labels. Near the limit the collector runs
// more often instead (at most half the CPU, the runtime's own cap), so a
// record whose labels need more than the limit still opens, only slower.
const windowHeapLimit = 640 << 20

// limitHeap sets the window's soft memory limit (runtime/debug
// SetMemoryLimit) unless the environment's GOMEMLIMIT, which the runtime
// read at start, chose one.
func limitHeap(getenv func(string) string) {
	if getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(windowHeapLimit)
}
