package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
	"runtime/trace"
)

// envCPUProfile names a file that receives a CPU profile of the whole
// run of any command (the window included), for finding what costs a
// frame or a merge: go tool pprof bin/ecgstation FILE.
const envCPUProfile = "ECGSTATION_CPUPROFILE"

// envExecTrace names a file that receives a Go execution trace of the
// whole run (go tool trace FILE): where the UI goroutine waited for a
// processor, for the collector or for a system call. With
// ECGSTATION_TRACE_TIMING=1 each strip frame is logged in it ("frame").
const envExecTrace = "ECGSTATION_EXECTRACE"

// startProfile starts the CPU profile ECGSTATION_CPUPROFILE and the
// execution trace ECGSTATION_EXECTRACE ask for and returns the function
// that ends them; one that cannot start is reported on stderr and the
// command runs without it.
func startProfile(stderr io.Writer) func() {
	stopCPU := startRecorder(stderr, envCPUProfile, "CPU profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := startRecorder(stderr, envExecTrace, "execution trace", trace.Start, trace.Stop)
	return func() { stopCPU(); stopTrace() }
}

// startRecorder starts one recorder writing to the file the environment
// variable env names, if any, and returns the function that ends it.
func startRecorder(stderr io.Writer, env, what string, start func(io.Writer) error, stop func()) func() {
	path := os.Getenv(env)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = start(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ecgstation: no %s: %v\n", what, err)
		if f != nil {
			_ = f.Close()
		}
		return func() {}
	}
	return func() {
		stop()
		_ = f.Close()
	}
}
