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
		limitHeap(func(k string) string {
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
