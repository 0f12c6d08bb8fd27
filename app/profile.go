package main

import (
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
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

// startProfile starts the CPU profile ECGSTATION_CPUPROFILE asks for and
// returns the function that ends it and writes the heap profile
// ECGSTATION_MEMPROFILE asks for; a profile that cannot be written is
// reported on stderr and the command runs without it.
func startProfile(stderr io.Writer) func() {
	stopCPU := startCPUProfile(stderr)
	return func() {
		stopCPU()
		writeHeapProfile(stderr)
	}
}

// startCPUProfile starts the CPU profile and returns what ends it.
func startCPUProfile(stderr io.Writer) func() {
	path := os.Getenv(envCPUProfile)
	if path == "" {
		return func() {}
	}
	f, err := os.Create(path)
	if err == nil {
		err = pprof.StartCPUProfile(f)
	}
	if err != nil {
		fmt.Fprintf(stderr, "ecgstation: no CPU profile: %v\n", err)
		return func() {}
	}
	return func() {
		pprof.StopCPUProfile()
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
