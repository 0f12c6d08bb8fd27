package sched

import (
	"os"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
)

// TestBackgroundLowersOnlyItsThread checks that Background lowers the
// calling goroutine's thread to Nice and leaves the process's other
// threads (the test's own goroutine here) at their priority, and that the
// lowered thread ends with its goroutine.
func TestBackgroundLowersOnlyItsThread(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("per-thread priority is Linux only")
	}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	before := niceOf(t, syscall.Gettid())
	type result struct {
		ok        bool
		tid, nice int
	}
	got := make(chan result)
	done := make(chan struct{})
	go func() {
		ok := Background()
		tid := syscall.Gettid()
		got <- result{ok, tid, niceOf(t, tid)}
		<-done
	}()
	r := <-got
	if !r.ok || r.nice != min(before+Nice, 19) {
		t.Fatalf("background thread: lowered %v, nice %d; want nice %d", r.ok, r.nice, min(before+Nice, 19))
	}
	if n := niceOf(t, syscall.Gettid()); n != before {
		t.Errorf("the caller's thread went from nice %d to %d", before, n)
	}
	close(done)
}

// niceOf reads a thread's niceness from /proc (field 19 of stat).
func niceOf(t *testing.T, tid int) int {
	t.Helper()
	b, err := os.ReadFile("/proc/self/task/" + strconv.Itoa(tid) + "/stat")
	if err != nil {
		t.Fatal(err)
	}
	s := string(b)
	f := strings.Fields(s[strings.LastIndexByte(s, ')')+2:])
	n, err := strconv.Atoi(f[16])
	if err != nil {
		t.Fatal(err)
	}
	return n
}
