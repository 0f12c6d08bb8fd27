// Package ecgdata finds the shared ECG data for tests and benchmarks: the
// folder named by the ECGDATA environment variable (CI sets it to
// ../shared/data), which holds mitdb/, wfdb-samples/ and noise/. When the
// variable is unset or the folder lacks what a test needs, the test is
// skipped with a message that says how to run it:
//
//	dir := ecgdata.Dir(t, "mitdb", "100.hea") // $ECGDATA/mitdb, or skip
//
// Code that needs the data must never write into it.
package ecgdata

import (
	"os"
	"path/filepath"
	"testing"
)

// Env is the environment variable that names the data folder.
const Env = "ECGDATA"

// Dir returns $ECGDATA/sub ($ECGDATA itself for sub ""), or skips tb when
// ECGDATA is unset or $ECGDATA/sub/probe does not exist (probe "" checks
// the folder alone).
func Dir(tb testing.TB, sub, probe string) string {
	tb.Helper()
	root := os.Getenv(Env)
	if root == "" {
		tb.Skip(Env + " not set: set it to ../shared/data to run this")
	}
	dir := filepath.Join(root, sub)
	if _, err := os.Stat(filepath.Join(dir, probe)); err != nil {
		tb.Skipf("%s has no %s: %v", Env, filepath.Join(sub, probe), err)
	}
	return dir
}

// Study is Dir for a long study that runs only on request: it also skips tb
// unless the environment variable gate is set, saying that setting it to 1
// runs the study (what names it, e.g. "score the beat model on svdb").
func Study(tb testing.TB, gate, sub, probe, what string) string {
	tb.Helper()
	dir := Dir(tb, sub, probe)
	if os.Getenv(gate) == "" {
		tb.Skipf("set %s=1 to %s", gate, what)
	}
	return dir
}
