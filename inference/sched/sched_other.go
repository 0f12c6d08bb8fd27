//go:build !linux

package sched

// lower does nothing where the thread priority is not per thread through
// setpriority (macOS and Windows have other means, not used yet).
func lower() bool { return false }
