package main

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/store"
)

// TestDemoPath checks the demo record is generated into the user cache on
// first use, opens with its reference beats, and is reused afterwards.
func TestDemoPath(t *testing.T) {
	if testing.Short() {
		t.Skip("generates the 30-minute demo record")
	}
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	hea, err := demoPath()
	if err != nil {
		t.Fatal(err)
	}
	want := filepath.Join(os.Getenv("XDG_CACHE_HOME"), "ecgstation", "demo-"+demoVersion, "demo.hea")
	if hea != want {
		t.Errorf("demo at %s, want %s", hea, want)
	}
	rec, err := store.Open(hea)
	if err == nil {
		err = rec.LoadReference()
	}
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if info := rec.Signal.Info(); info.Duration().Minutes() != 30 || len(info.Leads) != 2 {
		t.Errorf("demo is %v with %d leads, want 30 min with 2", info.Duration(), len(info.Leads))
	}
	if len(rec.Beats) < 1500 || len(rec.Episodes) == 0 {
		t.Errorf("demo has %d beats and %d episodes, want a 30 min record's worth", len(rec.Beats), len(rec.Episodes))
	}
	st, _ := os.Stat(filepath.Join(filepath.Dir(hea), "demo.dat"))
	again, err := demoPath()
	if err != nil || again != hea {
		t.Fatalf("second demoPath = %s, %v", again, err)
	}
	if st2, _ := os.Stat(filepath.Join(filepath.Dir(hea), "demo.dat")); !st2.ModTime().Equal(st.ModTime()) {
		t.Error("demo regenerated on second use, want it reused")
	}
	if left, _ := filepath.Glob(filepath.Join(filepath.Dir(filepath.Dir(hea)), "demo-tmp-*")); len(left) != 0 {
		t.Errorf("temporary folders left behind: %v", left)
	}
}
