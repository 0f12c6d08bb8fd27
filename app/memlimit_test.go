package main

import (
	"math"
	"runtime/debug"
	"testing"
)

// TestLimitHeap checks that the window sets its soft memory limit, and
// leaves the one GOMEMLIMIT chose alone.
func TestLimitHeap(t *testing.T) {
	was := debug.SetMemoryLimit(math.MaxInt64)
	t.Cleanup(func() { debug.SetMemoryLimit(was) })
	for _, c := range []struct {
		name string
		env  string
		want int64
	}{
		{"default", "", windowHeapLimit},
		{"GOMEMLIMIT", "2GiB", math.MaxInt64},
	} {
		debug.SetMemoryLimit(math.MaxInt64)
		_ = limitHeap(func(k string) string {
			if k == "GOMEMLIMIT" {
				return c.env
			}
			return ""
		})
		if got := debug.SetMemoryLimit(-1); got != c.want {
			t.Errorf("%s: memory limit %d, want %d", c.name, got, c.want)
		}
	}
}

// TestHeapLimitFollowsLive checks the limit the window moves to as the
// live heap grows: the least limit while the labels fit in it, and room
// above the live heap once they do not, so the collector never runs
// without pause on a record whose labels alone exceed the least limit.
func TestHeapLimitFollowsLive(t *testing.T) {
	for _, c := range []struct {
		live uint64
		want int64
	}{
		{0, windowHeapLimit},
		{200 << 20, windowHeapLimit},
		{windowHeapLimit * 2 / 3, windowHeapLimit},
		{600 << 20, 900 << 20},
		{2 << 30, 3 << 30},
	} {
		if got := heapLimitFor(c.live); got != c.want {
			t.Errorf("live %d MiB: limit %d MiB, want %d MiB", c.live>>20, got>>20, c.want>>20)
		}
	}
}
