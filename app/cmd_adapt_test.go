package main

import (
	"bytes"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// wrongSynth writes a 10-minute synthetic record on which the shipped beat
// model calls the V beats (left posterior fascicular, coupling 0.75) and the
// S beats N, pre-annotates it into a label database for reader "ann" and
// returns the record's and the database's paths.
func wrongSynth(t *testing.T) (rec, db string) {
	t.Helper()
	dir := t.TempDir()
	rec, db = filepath.Join(dir, "wrong"), filepath.Join(dir, "labels.db")
	var out bytes.Buffer
	if err := runSynth([]string{"--plain", "--out", rec, "--duration", "10m", "--seed", "1", "--pvc-rate", "150", "--pvc-coupling", "0.75",
		"--pvc-fascicular", "--pac-rate", "150"}, &out, &out); err != nil {
		t.Fatalf("synth: %v\n%s", err, out.String())
	}
	if code := run([]string{"annotate", rec, "--db", db, "--reader", "ann", "--out-dir", dir}, &out, &out); code != 0 {
		if code == exitWithoutModels {
			t.Skip("the adapter needs the beat model, and ONNX Runtime is unavailable")
		}
		t.Fatalf("annotate: exit %d\n%s", code, out.String())
	}
	return rec, db
}

// teachFromReference has reader "ann" fix k V and k S beats and confirm 2k
// N beats, the reference (.atr) saying which: the first ones in the record.
func teachFromReference(t *testing.T, rec, dbPath string, k int) {
	t.Helper()
	ref, err := wfdb.ReadAnnotations(rec + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	sess, done := openReader(t, rec, dbPath, "ann")
	defer done()
	left := map[annotate.Class]int{annotate.ClassV: k, annotate.ClassS: k, annotate.ClassN: 2 * k}
	for _, b := range sess.Labels().Beats {
		i, _ := slices.BinarySearchFunc(ref, b.Sample-20, func(a wfdb.Annotation, s int64) int { return int(a.Sample - s) })
		if i == len(ref) || ref[i].Sample > b.Sample+20 || left[ref[i].Code.Class()] == 0 {
			continue
		}
		left[ref[i].Code.Class()]--
		if err := sess.Relabel([]int64{b.Sample}, ref[i].Code, ""); err != nil {
			t.Fatal(err)
		}
	}
}

// TestAdaptCommand: after a reader's 20 labels, "adapt --run" relabels the
// beats the model got wrong; "--off" stores the switch and gives the
// population labels back; "--run" then refuses; "--on" adapts again; the
// status line reports the switch and the adapted beats.
func TestAdaptCommand(t *testing.T) {
	rec, db := wrongSynth(t)
	teachFromReference(t, rec, db, 5)
	steps := []struct {
		args []string
		want []string
		fail bool
	}{
		{[]string{"--run"}, []string{"ann: Adapter: ", "beats relabelled from 20 reader labels"}, false},
		{nil, []string{"adapter on", "ann: ", "adapted beats (adapt@1 from 20 reader labels)"}, false},
		{[]string{"--off"}, []string{"adapter off", "adapted beats given back the population model's labels"}, false},
		{nil, []string{"adapter off", "ann: 0 adapted beats"}, false},
		{[]string{"--run"}, []string{"the adapter is off", "--on"}, true},
		{[]string{"--on"}, []string{"adapter on", "beats relabelled from 20 reader labels"}, false},
		{[]string{"--on", "--off"}, []string{"give one of --off, --on and --run"}, true},
	}
	for _, s := range steps {
		var out bytes.Buffer
		code := run(append([]string{"adapt", rec + ".hea", "--db", db}, s.args...), &out, &out)
		if (code != 0) != s.fail {
			t.Fatalf("adapt %v: exit %d\n%s", s.args, code, out.String())
		}
		for _, w := range s.want {
			if !strings.Contains(out.String(), w) {
				t.Errorf("adapt %v does not say %q:\n%s", s.args, w, out.String())
			}
		}
	}
	if got, want := settingsAudit(t, rec, db), []string{"adapter off", "adapter on"}; !slices.Equal(got, want) {
		t.Errorf("the audit log says %q of the switch, want %q", got, want)
	}
}

// settingsAudit returns the notes of the record's "settings" audit
// entries, oldest first.
func settingsAudit(t *testing.T, rec, dbPath string) []string {
	t.Helper()
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id, err := store.HashRecord(rec + ".hea")
	if err != nil {
		t.Fatal(err)
	}
	return settingsEntries(t, db, id)
}

// TestAdaptOffGoesOnPastSignedOff: "--off" over every reader reports each
// one, and a signed-off reader (whose labels may not change) does not stop
// the others' adapted labels going back; the command then fails, naming it.
func TestAdaptOffGoesOnPastSignedOff(t *testing.T) {
	rec, dbPath := wrongSynth(t)
	teachFromReference(t, rec, dbPath, 5)
	signOff(t, rec, dbPath, "abe")
	var out bytes.Buffer
	if code := run([]string{"adapt", rec + ".hea", "--db", dbPath, "--reader", "ann", "--run"}, &out, &out); code != 0 {
		t.Fatalf("adapt --run: exit %d\n%s", code, out.String())
	}
	out.Reset()
	code := run([]string{"adapt", rec + ".hea", "--db", dbPath, "--off"}, &out, &out)
	got := out.String()
	if code == 0 || !strings.Contains(got, "abe: adapted labels kept") || !strings.Contains(got, "adapted labels of abe stay") {
		t.Fatalf("adapt --off with abe signed off: exit %d, want a failure naming abe:\n%s", code, got)
	}
	if !strings.Contains(got, "ann: ") || !strings.Contains(got, "adapted beats given back the population model's labels") {
		t.Fatalf("adapt --off stopped at the signed-off reader:\n%s", got)
	}
	out.Reset()
	run([]string{"adapt", rec + ".hea", "--db", dbPath, "--reader", "ann"}, &out, &out)
	if !strings.Contains(out.String(), "ann: 0 adapted beats") {
		t.Errorf("ann's adapted labels stayed:\n%s", out.String())
	}
}

// signOff opens reader's label set of rec and signs it off.
func signOff(t *testing.T, rec, dbPath string, reader annotate.ReaderID) {
	t.Helper()
	sess, done := openReader(t, rec, dbPath, reader)
	defer done()
	if err := sess.SignOff("test: signed off"); err != nil {
		t.Fatal(err)
	}
}

// openReader opens reader's label set of rec in the database at dbPath;
// done closes the database (the commands under test open it after).
func openReader(t *testing.T, rec, dbPath string, reader annotate.ReaderID) (sess *annotate.Session, done func()) {
	t.Helper()
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	id, err := store.HashRecord(rec + ".hea")
	if err == nil {
		sess, err = annotate.Open(db, id, annotate.Options{Reader: reader, MergeWindow: mergeWindow(250)})
	}
	if err != nil {
		db.Close()
		t.Fatal(err)
	}
	return sess, func() { db.Close() }
}
