package main

import (
	"fmt"
	"io"
	"os"
	"runtime/pprof"
)

// envCPUProfile names a file that receives a CPU profile of the whole
// run of any command (the window included), for finding what costs a
// frame or a merge: go tool pprof bin/ecgstation FILE.
const envCPUProfile = "ECGSTATION_CPUPROFILE"

// startProfile starts the CPU profile ECGSTATION_CPUPROFILE asks for and
// returns the function that ends it; a profile that cannot start is
// reported on stderr and the command runs without it.
func startProfile(stderr io.Writer) func() {
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
