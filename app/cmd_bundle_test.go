package main

import (
	"bytes"
	"math"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/export"
)

// TestBundleImportNoDoubles is issue 17's repro on MIT-BIH record 100, as
// a shell runs it: alice's labels from the reference annotations on one
// laptop, from the app's QRS detector on another (placing most beats a few
// samples off), the second brought to the first as a bundle file. The
// merge must leave no two beats closer than the refractory period, and
// list every beat the two sides place or label differently as a conflict.
func TestBundleImportNoDoubles(t *testing.T) {
	data := ecgdata.Dir(t, "", "mitdb")
	dir := t.TempDir()
	for _, ext := range []string{"hea", "dat", "atr"} {
		b, err := os.ReadFile(filepath.Join(data, "mitdb", "100."+ext))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "100."+ext), b, 0o600); err != nil {
			t.Fatal(err)
		}
	}
	rec, a, b, bundle := filepath.Join(dir, "100"), filepath.Join(dir, "a.db"), filepath.Join(dir, "b.db"), filepath.Join(dir, "b.ecgb")
	var out string
	for _, args := range [][]string{
		{"detect", rec},
		{"import-ann", rec, "--ext", "atr", "--reader", "alice", "--db", a},
		{"import-ann", rec, "--ext", "qrs", "--reader", "alice", "--db", b},
		{"bundle-export", "--db", b, "--out", bundle},
		{"bundle-import", bundle, "--db", a},
	} {
		var o bytes.Buffer
		if got := run(args, &o, &o); got != 0 {
			t.Fatalf("%v: status %d\n%s", args, got, o.String())
		}
		out = o.String()
	}
	added, listed := importCounts(t, out)
	beats := aliceBeats(t, a)
	if len(beats) != 2273+added {
		t.Errorf("%d beats after the import, want the 2273 of 100.atr and %d added", len(beats), added)
	}
	if d := minGap(beats); float64(d) < export.Refractory*360 {
		t.Errorf("two beats %d samples (%.1f ms) apart after the import", d, float64(d)/0.36)
	}
	if listed < 1000 {
		t.Errorf("%d conflicts listed; the detector places most of the 2273 beats off the reference sample", listed)
	}
	t.Logf("%s", strings.SplitN(out, "\n", 2)[0])
}

// importCounts reads bundle-import's output: beats added, and conflict
// lines, which must number as many as its summary counts.
func importCounts(t *testing.T, out string) (added, listed int) {
	t.Helper()
	m := regexp.MustCompile(`(\d+) added, .* (\d+) conflicts\n`).FindStringSubmatch(out)
	if m == nil {
		t.Fatalf("no summary in\n%s", out)
	}
	added, _ = strconv.Atoi(m[1])
	want, _ := strconv.Atoi(m[2])
	listed = strings.Count(out, "  conflict: ")
	if listed != want {
		t.Errorf("%d conflict lines, summary says %d", listed, want)
	}
	return added, listed
}

// aliceBeats returns the samples of alice's QRS labels in the database at path.
func aliceBeats(t *testing.T, path string) []int64 {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Records()
	if err != nil || len(recs) != 1 {
		t.Fatalf("records %v: %v", recs, err)
	}
	var out []int64
	for b, err := range db.Beats(recs[0].ID, "alice", 0, math.MaxInt64) {
		if err != nil {
			t.Fatal(err)
		}
		if b.Code.IsBeat() {
			out = append(out, b.Sample)
		}
	}
	return out
}

func minGap(s []int64) int64 {
	d := int64(math.MaxInt64)
	for i := 1; i < len(s); i++ {
		d = min(d, s[i]-s[i-1])
	}
	return d
}
