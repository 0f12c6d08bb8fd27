package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"runtime/trace"
)

// envCPUProfile names a file that receives a CPU profile of the whole
// run of any command (the window included), for finding what costs a
// frame or a merge: go tool pprof bin/ecgstation FILE.
const envCPUProfile = "ECGSTATION_CPUPROFILE"

// envMemProfile names a file that receives a heap profile at the end of
// any command (after a GC): what it still holds (-sample_index=inuse_space)
// and what it allocated on the way (alloc_space), for finding where a long
// record's memory goes. The window also writes FILE.preannotate when its
// pre-annotation is done, while it holds the record's labels.
const envMemProfile = "ECGSTATION_MEMPROFILE"

// envExecTrace names a file that receives a Go execution trace of the
// whole run (go tool trace FILE): where the UI goroutine waited for a
// processor, for the collector or for a system call. With
// ECGSTATION_TRACE_TIMING=1 each strip frame is logged in it ("frame").
const envExecTrace = "ECGSTATION_EXECTRACE"

// startProfile starts the CPU profile ECGSTATION_CPUPROFILE and the
// execution trace ECGSTATION_EXECTRACE ask for and returns the function
// that ends them and writes the heap profile ECGSTATION_MEMPROFILE asks
// for; one that cannot start or be written is reported on stderr and the
// command runs without it.
func startProfile(stderr io.Writer) func() {
	stopCPU := startRecorder(stderr, envCPUProfile, "CPU profile", pprof.StartCPUProfile, pprof.StopCPUProfile)
	stopTrace := startRecorder(stderr, envExecTrace, "execution trace", trace.Start, trace.Stop)
	return func() {
		stopCPU()
		stopTrace()
		writeHeapProfile(stderr)
	}
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

// writeHeapProfile writes the heap profile ECGSTATION_MEMPROFILE asks for.
func writeHeapProfile(stderr io.Writer) { writeHeapProfileAs(stderr, "") }

// writeHeapProfileAs writes the heap profile ECGSTATION_MEMPROFILE asks
// for, its file name followed by suffix.
func writeHeapProfileAs(stderr io.Writer, suffix string) {
	path := os.Getenv(envMemProfile)
	if path == "" {
		return
	}
	path += suffix
	f, err := os.Create(path)
	if err == nil {
		runtime.GC() // the profile's in-use figures as of now
		err = pprof.WriteHeapProfile(f)
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	if err != nil {
		fmt.Fprintf(stderr, "ecgstation: no heap profile: %v\n", err)
	}
}
