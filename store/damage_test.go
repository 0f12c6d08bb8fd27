package store_test

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"reflect"
	"runtime/debug"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
	"github.com/ecgstation/ecgstation/store/report"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// synthRecord writes a synthetic WFDB record dir/name (.hea, .dat, .atr
// with its beats) and returns the header's path and the beats.
func synthRecord(t testing.TB, dir, name string, seed uint64, d time.Duration) (string, []annotate.Beat) {
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = d, seed
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	info.Name = name
	w, err := wfdb.Create(dir, name, info, 16)
	if err != nil {
		t.Fatal(err)
	}
	if err := w.Write(samples); err != nil {
		t.Fatal(err)
	}
	if err := w.Close(); err != nil {
		t.Fatal(err)
	}
	var anns []wfdb.Annotation
	for _, b := range ann.Beats {
		anns = append(anns, wfdb.Annotation{Sample: b.Sample, Code: b.Code})
	}
	var buf bytes.Buffer
	if err := wfdb.WriteAnnotations(&buf, anns); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name+".atr"), buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	return filepath.Join(dir, name+".hea"), ann.Beats
}

// damageDB builds a small real label database in dir: three synthetic
// records, each with a model layer; reader alice's labels imported on all
// three, bob's on two; and alice's edits on the first (journalled ones,
// an undo, and a relabel big enough to go into her buckets at once).
func damageDB(t testing.TB, dir string) string {
	path := filepath.Join(dir, "labels.db")
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	now := time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)
	var first annotate.RecordID
	for i, d := range []time.Duration{4 * time.Minute, 2 * time.Minute, time.Minute} {
		hea, beats := synthRecord(t, dir, fmt.Sprintf("s%d", i+1), uint64(i+1), d)
		readers := []annotate.ReaderID{"alice", "bob"}[:2-i/2]
		for _, r := range readers {
			if _, err := export.ImportAnnotations(db, hea, "atr", r, now); err != nil {
				t.Fatal(err)
			}
		}
		id, err := store.HashRecord(hea)
		if err != nil {
			t.Fatal(err)
		}
		model := annotate.ModelOutput{}
		for _, b := range beats {
			b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "synth-model@1", Confidence: 0.9}
			model.Beats = append(model.Beats, b)
		}
		if err := db.SaveModelOutput(id, model, "synth-model@1"); err != nil {
			t.Fatal(err)
		}
		if i == 0 {
			first = id
		}
	}
	editAlice(t, db, first)
	return path
}

// editAlice makes alice's edits on rec: single relabels (journalled), an
// undo, a delete, and a relabel of 100 beats (folded at once).
func editAlice(t testing.TB, db *store.DB, rec annotate.RecordID) {
	s, err := annotate.Open(db, rec, annotate.Options{Reader: "alice"})
	if err != nil {
		t.Fatal(err)
	}
	beats := s.BeatsIn(0, 1<<40)
	for i := 0; i < 6; i++ {
		if err := s.Relabel([]int64{beats[10+7*i].Sample}, annotate.PVC, "damage test"); err != nil {
			t.Fatal(err)
		}
	}
	mustNil(t, s.Undo())
	mustNil(t, s.Delete([]int64{beats[3].Sample}, ""))
	var many []int64
	for _, b := range beats[100:200] {
		many = append(many, b.Sample)
	}
	mustNil(t, s.Relabel(many, annotate.APC, "big"))
	mustNil(t, s.Relabel([]int64{beats[5].Sample}, annotate.PVC, "after the fold"))
}

func mustNil(t testing.TB, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// readSets reads every label set of the database at path: the model
// layer's labels and revision, a reader's whole snapshot.
func readSets(t testing.TB, path string) map[store.LabelSetRef]annotate.Snapshot {
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	recs, err := db.Records()
	if err != nil {
		t.Fatal(err)
	}
	out := map[store.LabelSetRef]annotate.Snapshot{}
	for _, e := range recs {
		ref := store.LabelSetRef{Record: e.ID, Name: e.Info.Name, Reader: store.ModelLayer}
		var snap annotate.Snapshot
		snap.Labels, snap.Rev, err = db.Labels(e.ID, store.ModelLayer)
		mustNil(t, err)
		out[ref] = snap
		for _, r := range e.Readers {
			ref.Reader = r.Reader
			out[ref], err = db.Load(e.ID, r.Reader)
			mustNil(t, err)
		}
	}
	return out
}

// damages are the three ways a page is damaged.
var damages = []struct {
	name string
	fill func(file []byte, id, ps int, r *rand.Rand)
}{
	{"random", func(file []byte, id, ps int, r *rand.Rand) {
		for i := range ps {
			file[id*ps+i] = byte(r.Uint32())
		}
	}},
	{"zeros", func(file []byte, id, ps int, _ *rand.Rand) { clear(file[id*ps : (id+1)*ps]) }},
	{"copy", func(file []byte, id, ps int, _ *rand.Rand) {
		n := len(file) / ps
		from := (id + n/2) % n
		copy(file[id*ps:(id+1)*ps], file[from*ps:(from+1)*ps])
	}},
}

// TestDamagedPages damages each page of a real database in turn (random
// bytes, zeros, a copy of another page) and checks that no store function
// the commands and the window use panics, that every error they return
// says the file is damaged, that a damaged file is never opened for
// writing, that CheckDB finds the damage on every page in use, and that
// Salvage brings back, identical, every label set whose pages are intact.
func TestDamagedPages(t *testing.T) {
	dir := t.TempDir()
	path := damageDB(t, dir)
	pristine := usedBytes(t, path)
	want := readSets(t, path)
	var refs []store.LabelSetRef
	for ref := range want {
		refs = append(refs, ref)
	}
	pages := setPages(t, path, pristine, refs)
	used, n := inUse(t, path, pristine)
	ps := os.Getpagesize() // bbolt's page size: the OS's

	r := rand.New(rand.NewPCG(1, 2))
	var st damageStats
	for id := range n {
		if testing.Short() && id%5 != 2 {
			continue
		}
		for _, d := range damages {
			file := bytes.Clone(pristine)
			d.fill(file, id, ps, r)
			bad := filepath.Join(dir, "bad.db")
			mustNil(t, os.WriteFile(bad, file, 0o644))
			c := damageCase{t: t, path: bad, name: fmt.Sprintf("page %d %s", id, d.name), id: uint64(id), used: used[uint64(id)]}
			c.run(&st, want, pages)
		}
	}
	t.Logf("%d pages of %d bytes (%d in use), %d damaged files: %d panics; %d store errors that did not say damaged; "+
		"label sets with intact pages: %d, salvaged identical: %d; label sets on the damaged page: %d, salvaged: %d",
		n, ps, len(used), st.files, st.panics, st.badErrs, st.intact, st.salvaged, st.hit, st.hitSalvaged)
}

type damageStats struct {
	files, panics, badErrs int
	intact, salvaged       int
	hit, hitSalvaged       int
}

// damageCase is one damaged file.
type damageCase struct {
	t    *testing.T
	path string
	name string
	id   uint64 // the damaged page
	used bool   // the page is in a tree of the undamaged file
	// quick leaves out the training-set export (which reads the
	// records' signals) for the fuzz target.
	quick bool
}

func (c damageCase) run(st *damageStats, want map[store.LabelSetRef]annotate.Snapshot, pages map[store.LabelSetRef]map[uint64]bool) {
	st.files++
	for _, step := range []struct {
		name string
		fn   func() error
	}{
		{"read as export, bundle-export and check do", c.readAll},
		{"check", c.check},
		{"salvage", func() error { c.salvage(st, want, pages); return nil }},
		{"write as annotate, import-ann and the window do", c.writeAll}, // last: it may write
	} {
		if err := c.noPanic(st, step.fn); err != nil {
			st.badErrs++
			c.t.Errorf("%s: %s: %v", c.name, step.name, err)
		}
	}
}

// noPanic runs fn, turning a panic into a test failure.
func (c damageCase) noPanic(st *damageStats, fn func() error) (err error) {
	defer func() {
		if p := recover(); p != nil {
			st.panics++
			c.t.Errorf("%s: panic: %v\n%s", c.name, p, debug.Stack())
		}
	}()
	return fn()
}

// damaged returns nil when err is nil or says the file is damaged.
func damaged(err error) error {
	if err == nil || errors.Is(err, store.ErrDBCorrupt) {
		return nil
	}
	return fmt.Errorf("an error that does not say the file is damaged: %w", err)
}

// readAll opens the file read-only and reads it as the commands do.
func (c damageCase) readAll() error {
	db, err := store.OpenDB(c.path, store.DBOptions{ReadOnly: true})
	if err != nil {
		return damaged(err)
	}
	defer db.Close()
	_, err = export.WriteBundle(db, io.Discard, export.BundleOptions{Now: time.Now()})
	if err := damaged(err); err != nil {
		return fmt.Errorf("bundle: %w", err)
	}
	recs, err := db.Records()
	if err != nil {
		return damaged(err)
	}
	for _, e := range recs {
		if err := readRecord(db, e); err != nil {
			return err
		}
	}
	if c.quick {
		return nil
	}
	out := filepath.Join(filepath.Dir(c.path), "export")
	defer os.RemoveAll(out)
	opt := export.DefaultOptions()
	opt.Reader = "alice"
	_, err = export.Export(db, out, opt)
	return damaged(err)
}

// readRecord reads every label set of e as check, export and the window do.
func readRecord(db *store.DB, e store.RecordEntry) error {
	if _, err := report.LoadEntry(db, e, "alice"); damaged(err) != nil && !errors.Is(err, report.ErrNoReader) {
		return fmt.Errorf("report load: %w", err)
	}
	if _, _, err := db.FindPath(e.Path); damaged(err) != nil {
		return damaged(err)
	}
	for _, r := range append([]store.ReaderEntry{{Reader: store.ModelLayer}}, e.Readers...) {
		if _, _, err := db.Labels(e.ID, r.Reader); damaged(err) != nil {
			return damaged(err)
		}
		if _, err := db.Spans(e.ID, r.Reader); damaged(err) != nil {
			return damaged(err)
		}
		for _, err := range db.Beats(e.ID, r.Reader, 0, 1<<40) {
			if damaged(err) != nil {
				return damaged(err)
			}
		}
	}
	for _, err := range db.Audit(e.ID, 1) {
		if damaged(err) != nil {
			return damaged(err)
		}
	}
	return nil
}

// writeAll opens the file for writing as annotate, import-ann and the
// window do, and writes. A file with damage in a page in use must not
// open for writing at all.
func (c damageCase) writeAll() error {
	db, err := store.OpenDB(c.path, store.DBOptions{})
	if err != nil {
		return damaged(err)
	}
	defer db.Close()
	if c.used && c.id >= 2 {
		return errors.New("a file with a damaged page in use opened for writing")
	}
	recs, err := db.Records()
	if err != nil {
		return damaged(err)
	}
	for _, e := range recs {
		if _, err := export.ImportAnnotations(db, e.Path, "atr", "carol", time.Now()); damaged(err) != nil {
			return fmt.Errorf("import: %w", err)
		}
		s, err := annotate.Open(db, e.ID, annotate.Options{Reader: "alice"})
		if err != nil {
			return damaged(err)
		}
		if b := s.BeatsIn(0, 1<<40); len(b) > 0 {
			if err := s.Relabel([]int64{b[0].Sample}, annotate.PVC, ""); damaged(err) != nil {
				return damaged(err)
			}
		}
	}
	return nil
}

// check runs CheckDB: it must find the damage of every page in use.
func (c damageCase) check() error {
	rep, err := store.CheckDB(c.path)
	if err != nil {
		return damaged(err)
	}
	if c.id < 2 && !rep.Damaged() {
		return errors.New("CheckDB does not report a damaged meta page")
	}
	if c.id >= 2 && rep.Damaged() != c.used {
		return fmt.Errorf("CheckDB says damaged %v, the page is in use: %v (%v, %v)", rep.Damaged(), c.used, rep.Pages, rep.Other)
	}
	return nil
}

// salvage copies the damaged file and checks the label sets whose pages
// are intact come back identical.
func (c damageCase) salvage(st *damageStats, want map[store.LabelSetRef]annotate.Snapshot, pages map[store.LabelSetRef]map[uint64]bool) {
	out := filepath.Join(filepath.Dir(c.path), "salvaged.db")
	os.Remove(out)
	_, err := store.Salvage(c.path, out)
	if err != nil && c.id >= 2 {
		c.t.Errorf("%s: salvage: %v", c.name, err)
		return
	}
	got := map[store.LabelSetRef]annotate.Snapshot{}
	if err == nil {
		got = readSets(c.t, out)
	}
	for ref, w := range want {
		g, ok := got[ref]
		same := ok && reflect.DeepEqual(g, w)
		switch {
		case c.id < 2: // a meta page: bbolt may fall back to the transaction before
		case !pages[ref][c.id]:
			st.intact++
			if same {
				st.salvaged++
			} else {
				c.t.Errorf("%s: label set %s has intact pages but was not salvaged whole (found %v)", c.name, ref, ok)
			}
		default:
			st.hit++
			if same {
				st.hitSalvaged++
			}
		}
	}
}
