//go:build unix

package ui

import "syscall"

// cpuTime returns the process's user and system CPU time so far, ns: on
// a machine shared with other jobs it counts the work a frame costs, where
// the wall time also counts the waits for a core.
func cpuTime() int64 {
	var ru syscall.Rusage
	if syscall.Getrusage(syscall.RUSAGE_SELF, &ru) != nil {
		return 0
	}
	return ru.Utime.Nano() + ru.Stime.Nano()
}
