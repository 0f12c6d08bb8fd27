package export

import (
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// twoDetectors makes the beats of a 10-minute record at mergeFs as a
// reference file has them (ref) and as another detector places them
// (other): half at the same sample, half moved by -10 to 10 samples, 5%
// with another label; 4% missed, half of those found 30 to 120 samples
// late; and in 4% of places an extra detection 65 to 100 samples after a
// beat. Like any QRS detector it never puts two beats closer than
// Refractory. It also counts what a merge of other into ref must give:
// conflicts (a moved or relabelled beat, a late one closer than Refractory
// to its reference beat) and added beats.
func twoDetectors(seed uint64) (ref, other []wfdb.Annotation, conflicts, added int) {
	rng := rand.New(rand.NewPCG(seed, 1))
	_, refr := windows(mergeFs)
	for s := int64(100); s < 10*60*mergeFs-400; s += 200 + rng.Int64N(100) {
		code := annotate.Normal
		if rng.IntN(10) == 0 {
			code = annotate.PVC
		}
		ref = append(ref, wfdb.Annotation{Sample: s, Code: code})
		b := wfdb.Annotation{Sample: s, Code: code}
		switch {
		case rng.IntN(100) < 2:
			continue
		case rng.IntN(100) < 2:
			b.Sample += 30 + rng.Int64N(91)
		case rng.IntN(2) == 0:
			b.Sample += int64(rng.IntN(21) - 10)
		}
		if rng.IntN(100) < 5 {
			b.Code = annotate.APC
		}
		switch d := b.Sample - s; {
		case d >= refr:
			added++ // out of reach of its reference beat
		case d != 0 || b.Code != code:
			conflicts++ // moved within reach (or too close), or relabelled
		}
		other = append(other, b)
		if rng.IntN(100) < 4 && b.Sample-s <= 10 {
			other = append(other, wfdb.Annotation{Sample: s + 65 + rng.Int64N(36), Code: annotate.Normal})
			added++
		}
	}
	return ref, other, conflicts, added
}

func writeAnns(t *testing.T, path string, anns []wfdb.Annotation) {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if err := wfdb.WriteAnnotations(f, anns); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
}

// TestBundleMergeTwoDetectors is issue 17's repro on a synthetic record:
// a reader's label set imported from a reference file on one laptop, the
// same reader's from another detector's file on another, the second
// brought to the first as a bundle file. Before beats were paired by
// position the merge added every beat placed a few samples off beside
// its twin (RR of a few ms); now no two beats end up closer than
// Refractory and each moved or relabelled beat is a listed conflict.
func TestBundleMergeTwoDetectors(t *testing.T) {
	dir := t.TempDir()
	rec := filepath.Join(dir, "r.edf")
	writeEDF(t, rec, mergeFs, 600, "X X X X", "Startdate X X X X", testNow)
	ref, other, wantConflicts, wantAdded := twoDetectors(17)
	writeAnns(t, filepath.Join(dir, "r.atr"), ref)
	writeAnns(t, filepath.Join(dir, "r.aib"), other)
	a, b := openDB(t, t.TempDir()), openDB(t, t.TempDir())
	if _, err := ImportAnnotations(a, rec, "atr", "alice", testNow); err != nil {
		t.Fatal(err)
	}
	if _, err := ImportAnnotations(b, rec, "aib", "alice", testNow); err != nil {
		t.Fatal(err)
	}
	res := bundleMerge(t, b, a, filepath.Join(dir, "b.ecgb"))
	got := res.Conflicts
	if len(got) != wantConflicts || res.Added != wantAdded {
		t.Errorf("%s; want %d added, %d conflicts", res, wantAdded, wantConflicts)
	}
	for _, c := range got {
		if c.Kind != "beat" || c.End-c.Start > 51 {
			t.Errorf("conflict %s is not about one beat", c)
		}
	}
	ls, _, err := a.Labels(res.Record, "alice")
	if err != nil {
		t.Fatal(err)
	}
	_, refr := windows(mergeFs)
	if d, at := minRR(ls.Beats); d < refr {
		t.Errorf("beats %d samples apart at %d after the merge, want at least %d", d, at, refr)
	}
	if len(ls.Beats) != len(ref)+wantAdded {
		t.Errorf("%d beats after the merge, want the %d reference beats and %d added", len(ls.Beats), len(ref), wantAdded)
	}
	t.Logf("%d reference beats, %d from the other detector: %s", len(ref), len(other), res)
}

// bundleMerge writes from's label sets to a bundle file and imports it
// into into, returning the result of its one label set.
func bundleMerge(t *testing.T, from, into *store.DB, path string) MergeResult {
	t.Helper()
	f, err := os.Create(path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := WriteBundle(from, f, BundleOptions{Now: testNow}); err != nil {
		t.Fatal(err)
	}
	if err := f.Close(); err != nil {
		t.Fatal(err)
	}
	r, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer r.Close()
	res, skipped, err := ImportBundle(into, r, ImportOptions{Now: testNow, From: filepath.Base(path)})
	if err != nil || len(res) != 1 || len(skipped) != 0 {
		t.Fatalf("import: %v %v %v", res, skipped, err)
	}
	return res[0]
}
