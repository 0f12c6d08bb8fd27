package sched

import (
	"runtime"
	"syscall"
)

// lower adds Nice to the calling thread's niceness (at most 19): on Linux
// a thread is a task of its own, and setpriority on its thread id changes
// that task only. The raw getpriority call returns 20 minus the niceness.
func lower() bool {
	runtime.LockOSThread()
	tid := syscall.Gettid()
	raw, err := syscall.Getpriority(syscall.PRIO_PROCESS, tid)
	if err != nil {
		return false
	}
	return syscall.Setpriority(syscall.PRIO_PROCESS, tid, min(20-raw+Nice, 19)) == nil
}
