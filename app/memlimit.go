package main

import (
	"runtime/debug"
	"runtime/metrics"
	"time"
)

// windowHeapLimit is the least soft limit of the window's Go memory (heap,
// stacks, runtime) unless GOMEMLIMIT sets another. Without it the
// collector lets the heap grow to twice what is live: with a 14-day
// record's 1.4 million beats in the session and in the label view, about
// 1.2 GB of heap for 0.6 GB of labels.
const windowHeapLimit = 640 << 20

// liveHeadroom is how far above the live heap the limit stays when the
// labels alone need more than windowHeapLimit: a fixed limit under the
// live heap would keep the collector running all the time (up to half
// the CPU, the runtime's own cap) and the strip would stutter.
const liveHeadroom = 1.5

// heapCheck is how often the window reads its live heap to move the limit.
const heapCheck = 2 * time.Second

// limitHeap sets the window's soft memory limit (runtime/debug
// SetMemoryLimit) unless the environment's GOMEMLIMIT, which the runtime
// read at start, chose one. It reports whether it set one; the window then
// runs followLiveHeap to keep the limit above the live heap.
func limitHeap(getenv func(string) string) bool {
	if getenv("GOMEMLIMIT") != "" {
		return false
	}
	debug.SetMemoryLimit(windowHeapLimit)
	return true
}

// heapLimitFor returns the soft limit for a live heap of live bytes:
// windowHeapLimit, or liveHeadroom times the live heap when that is more.
func heapLimitFor(live uint64) int64 {
	return max(windowHeapLimit, int64(float64(live)*liveHeadroom))
}

// followLiveHeap moves the soft limit with the live heap (as of the last
// collection) every interval, for the life of the program.
func followLiveHeap(every time.Duration) {
	s := []metrics.Sample{{Name: "/gc/heap/live:bytes"}}
	for range time.Tick(every) {
		metrics.Read(s)
		if s[0].Value.Kind() == metrics.KindUint64 {
			debug.SetMemoryLimit(heapLimitFor(s[0].Value.Uint64()))
		}
	}
}
