package main

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// errorsDB writes two synthetic records with PVCs, imports their reference
// labels as reader "ref" and saves a model layer that calls every V beat N;
// it returns the database and the number of N and V reference beats.
func errorsDB(t *testing.T) (db *store.DB, nN, nV int) {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "labels.db")
	cfg := synth.Default()
	cfg.Duration, cfg.PVC.PerHour = 2*time.Minute, 900
	var models []annotate.ModelOutput
	var paths []string
	for i, name := range []string{"r1", "r2"} {
		cfg.Seed = uint64(10 + i)
		_, ann, err := writeSynthRecord(dir, name, cfg, 212)
		if err != nil {
			t.Fatal(err)
		}
		var m annotate.ModelOutput
		for _, b := range ann.Beats {
			switch b.Code {
			case annotate.Normal:
				nN++
			case annotate.PVC:
				nV++
			}
			b.Code = annotate.Normal
			b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "test@1", Confidence: 0.7}
			m.Beats = append(m.Beats, b)
		}
		models = append(models, m)
		paths = append(paths, filepath.Join(dir, name+".hea"))
	}
	var out, errb bytes.Buffer
	if code := run(append([]string{"import-ann", "--db", dbPath, "--reader", "ref"}, paths...), &out, &errb); code != 0 {
		t.Fatalf("import-ann: %s", errb.String())
	}
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	for i, p := range paths {
		id, err := store.HashRecord(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := db.SaveModelOutput(id, models[i], "test@1"); err != nil {
			t.Fatal(err)
		}
	}
	return db, nN, nV
}

// TestErrorBrowserOnDB checks the matrix the browser shows on records
// whose answer is known: every reader V is a model N, every N an N.
func TestErrorBrowserOnDB(t *testing.T) {
	db, nN, nV := errorsDB(t)
	m, err := computeErrors(db, ui.ErrorOptions{Whole: true})
	if err != nil {
		t.Fatal(err)
	}
	count := m.Count
	if count("N", "N") != nN || count("V", "N") != nV || count("V", "V") != 0 || len(m.Results) != 2 {
		t.Fatalf("N>N %d (want %d), V>N %d (want %d), V>V %d, %d records", count("N", "N"), nN, count("V", "N"), nV, count("V", "V"), len(m.Results))
	}
	a := &analysis{g: &gui{db: db}, files: newRecordFiles()}
	defer a.files.close()
	cell, _ := m.Cell("V", "N")
	beats := cell.Beats
	if len(beats) != nV || beats[0].Name == "" || m.Info[beats[0].Record].Fs == 0 {
		t.Fatalf("cell V>N: %d beats, first %+v", len(beats), beats[0])
	}
	sn, err := a.snippet(beats[0])
	if err != nil {
		t.Fatal(err)
	}
	if sn.At != beats[0].Sample || len(sn.Values) != 2 || len(sn.Beats) == 0 {
		t.Errorf("snippet at %d with %d leads and %d beats", sn.At, len(sn.Values), len(sn.Beats))
	}
	// Only the records named.
	m1, err := computeErrors(db, ui.ErrorOptions{Records: []string{"r2"}, Whole: true})
	if err != nil || len(m1.Results) != 1 {
		t.Fatalf("one record chosen: %v records, %v", len(m1.Results), err)
	}
}

// refSession opens the first record of errorsDB as reader "ref" in a gui
// with the database, the session and the record.
func refSession(t *testing.T) (*gui, annotate.RecordID) {
	t.Helper()
	db, _, _ := errorsDB(t)
	es, err := db.Records()
	if err != nil {
		t.Fatal(err)
	}
	sess, err := annotate.Open(db, es[0].ID, annotate.Options{Reader: "ref"})
	if err != nil {
		t.Fatal(err)
	}
	rec, err := store.Open(es[0].Path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	return &gui{app: newTestApp(t), db: db, session: sess, rec: rec}, es[0].ID
}

// TestPlotsAndChecksOfSession draws a plot and runs the checks on a
// reader's session.
func TestPlotsAndChecksOfSession(t *testing.T) {
	g, _ := refSession(t)
	sess, rec := g.session, g.rec
	for _, kind := range []string{"hr", "rr", "poincare", "bland-altman"} {
		img, err := renderPlot(g, kind, 640, 360)
		if err != nil {
			t.Fatalf("%s: %v", kind, err)
		}
		if b := img.Bounds(); b.Dx() != 640 || b.Dy() != 360 {
			t.Errorf("%s: %v", kind, b)
		}
	}
	out := filepath.Join(t.TempDir(), "hr.svg")
	if err := exportPlot(g, "hr", out, 640, 360); err != nil {
		t.Fatal(err)
	}
	// Two beats 50 ms apart break the refractory rule.
	b := sess.BeatsIn(0, 1<<40)[10]
	if err := sess.Insert(b.Sample+18, annotate.Normal, ""); err != nil {
		t.Fatal(err)
	}
	items, err := checkItems(sess, rec.Signal.Info())
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, it := range items {
		found = found || (it.Rule == "beats-too-close" && it.Sample <= b.Sample+18 && it.Time != "")
	}
	if !found {
		t.Errorf("no beats-too-close finding in %+v", items)
	}
	if _, err := renderPlot(&gui{}, "hr", 640, 360); err != errNoLabels {
		t.Errorf("without a session: %v", err)
	}
}

// BenchmarkOpenErrorBrowser times opening the model error browser as the
// window does it: the comparison over every record of the label database
// named by $ECGSTATION_BENCH_DB (for example the 22 DS2 records imported
// with import-ann and pre-annotated with annotate --db), the matrix turned
// into what the screen shows, and the screen filled.
func BenchmarkOpenErrorBrowser(b *testing.B) {
	path := os.Getenv("ECGSTATION_BENCH_DB")
	if path == "" {
		b.Skip("ECGSTATION_BENCH_DB not set: a label database with reader labels and a model layer")
	}
	newTestApp(b)
	e := ui.NewErrorBrowser(ui.ErrorActions{}, nil)
	b.ReportAllocs()
	for b.Loop() {
		t0 := time.Now()
		db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
		if err != nil {
			b.Fatal(err)
		}
		m, err := computeErrors(db, ui.ErrorOptions{})
		db.Close()
		if err != nil {
			b.Fatal(err)
		}
		e.SetConfusion(confusionTitle(m, ui.ErrorOptions{}, time.Since(t0)), m)
		b.ReportMetric(float64(len(m.Results)), "records")
	}
}

// TestModelABOnDB runs model A/B with the same model on both sides: the
// tables agree and no beat flips.
func TestModelABOnDB(t *testing.T) {
	db, _, _ := errorsDB(t)
	m := filepath.Join("..", "testdata", "models", "beat_small.onnx")
	svc := modelsvc.New(modelsvc.Config{Beat: m})
	defer svc.Close()
	res, _, err := runModelAB(svc, db, m, ui.ErrorOptions{Whole: true})
	if errors.Is(err, model.ErrRuntimeUnavailable) {
		t.Skipf("ONNX Runtime not found (make ort): %v", err)
	}
	if err != nil {
		t.Fatal(err)
	}
	flips := len(res.Flips)
	if res.Beats == 0 || flips != 0 || res.A.ID != res.B.ID || len(res.A.Matrix.PerClass) != 5 {
		t.Fatalf("%d beats, %d flips, A %q B %q, %d class lines", res.Beats, flips, res.A.ID, res.B.ID, len(res.A.Matrix.PerClass))
	}
	for i, a := range res.A.Matrix.PerClass {
		if a != res.B.Matrix.PerClass[i] {
			t.Errorf("class %s: A %+v, B %+v", a.Class, a, res.B.Matrix.PerClass[i])
		}
	}
	// The error browser's reference: ref has the records, nobody none.
	if _, n, err := runModelAB(svc, db, m, ui.ErrorOptions{Whole: true, Reference: "ref"}); err != nil || n != 2 {
		t.Errorf("reference ref: %d records, %v; want 2", n, err)
	}
	if _, _, err := runModelAB(svc, db, m, ui.ErrorOptions{Whole: true, Reference: "nobody"}); !errors.Is(err, eval.ErrNoRecords) {
		t.Errorf("reference nobody: %v, want no records", err)
	}
}

// TestFixSInAF fixes an s-in-af finding from the checks view: the S beats
// inside the AF episode become N in the label database, the finding goes,
// and one undo brings them back.
func TestFixSInAF(t *testing.T) {
	g, id := refSession(t)
	sess, rec, db := g.session, g.rec, g.db
	bs := sess.BeatsIn(0, 1<<40)
	s := []int64{bs[20].Sample, bs[22].Sample}
	if _, err := sess.SetEpisode(annotate.Episode{Rhythm: "AFIB", Start: bs[19].Sample, End: bs[30].Sample}, ""); err != nil {
		t.Fatal(err)
	}
	if err := sess.Relabel(s, annotate.APC, ""); err != nil {
		t.Fatal(err)
	}
	v := ui.NewChecksView()
	it := findingItem(t, sess, rec, "s-in-af")
	if it.Fix != "2 S beats to N" {
		t.Fatalf("fix %q, want 2 S beats to N", it.Fix)
	}
	fixFinding(g, v, it)
	for _, at := range s {
		if b, ok := dbBeats(t, db, id, "ref")[at]; !ok || b.Code != annotate.Normal {
			t.Errorf("beat at %d in the database: %v, want N", at, b.Code)
		}
	}
	for _, x := range v.Items() {
		if x.Rule == "s-in-af" {
			t.Errorf("finding still listed after the fix: %+v", x)
		}
	}
	fixFinding(g, v, it) // the stale item again: nothing to do, and it says so
	if !strings.Contains(v.Message(), "Nothing left to fix") {
		t.Errorf("stale fix: message %q", v.Message())
	}
	other := it
	other.Record = "another record" // the strip moved on to another record
	if err := sess.Relabel(s[:1], annotate.APC, ""); err != nil {
		t.Fatal(err)
	}
	fixFinding(g, v, other)
	if b, _ := sess.Beat(s[0]); b.Code != annotate.APC || !strings.Contains(v.Message(), "has changed") {
		t.Errorf("fix of another record's finding: beat %v, message %q", b.Code, v.Message())
	}
	if err := sess.Undo(); err != nil {
		t.Fatal(err)
	}
	if err := sess.Undo(); err != nil {
		t.Fatal(err)
	}
	if b, _ := sess.Beat(s[0]); b.Code != annotate.APC {
		t.Errorf("after undo: %v, want A", b.Code)
	}
}

// findingItem returns the check item of rule on the session's labels.
func findingItem(t *testing.T, sess *annotate.Session, rec *store.Recording, rule string) ui.CheckItem {
	t.Helper()
	items, err := checkItems(sess, rec.Signal.Info())
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if string(it.Rule) == rule {
			return it
		}
	}
	t.Fatalf("no %s finding in %+v", rule, items)
	return ui.CheckItem{}
}
