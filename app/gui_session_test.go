package main

import (
	"errors"
	"math"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
	"github.com/ecgstation/ecgstation/ui"
)

// seededRecord writes a 3-minute synthetic record with PVCs into dir, and
// a label database beside it whose model layer is the record's reference
// labels (as if a model had suggested exactly those), saved like a
// completed pre-annotation. It returns the record's header path, the
// database path and the record's id.
func seededRecord(t testing.TB, dir string) (string, string, annotate.RecordID) {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration, cfg.ADCBits, cfg.PVC.PerHour = 3*time.Minute, 12, 200
	if _, _, err := writeSynthRecord(dir, "rec", cfg, 212); err != nil {
		t.Fatal(err)
	}
	hea, dbPath := filepath.Join(dir, "rec.hea"), filepath.Join(dir, "labels.db")
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	id := registerWithModel(t, db, hea)
	return hea, dbPath, id
}

// TestGUIKeysChangeDB opens a record as the window does (real label
// database in a temporary folder, the reader's session, the record screen
// in Fyne's test driver), presses keys on the focused strip, and checks
// the database, reopened from its file, holds exactly the expected labels.
func TestGUIKeysChangeDB(t *testing.T) {
	dir := t.TempDir()
	hea, dbPath, id := seededRecord(t, dir)
	newTestApp(t)
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	g := &gui{db: db, reader: "alice", screen: ui.NewRecordScreen()}
	g.screen.Inline = true // the test driver runs fyne.Do on the calling goroutine
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	s, err := g.openSession(rec, g.reader)
	if err != nil {
		t.Fatal(err)
	}
	g.rec, g.session = rec, s.sess
	g.wireScreen()
	w := test.NewTempWindow(t, g.screen.Content())
	w.Resize(fyne.NewSize(1200, 700))
	g.screen.SetWindow(w)
	g.screen.SetRecord(rec.Signal, nil)
	defer g.screen.Close()
	select { // the overview's build calls back on its own goroutine in the test driver
	case <-g.screen.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("overview not built within 30 s")
	}
	g.screen.SetEditor(s.sess)
	w.Canvas().Focus(g.screen.Strip)
	model, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	mb := model.Beats
	key := func(n fyne.KeyName) { w.Canvas().Focused().TypedKey(&fyne.KeyEvent{Name: n}) }
	rune_ := func(r rune) { w.Canvas().Focused().TypedRune(r) }
	short := func(k fyne.KeyName, m fyne.KeyModifier) {
		w.Canvas().Focused().(fyne.Shortcutable).TypedShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: m})
	}
	key(fyne.KeyRight) // the first beat
	rune_('v')
	key(fyne.KeyRight) // the second beat
	key(fyne.KeyDelete)
	rune_('i') // back in, on the R peak the detector finds
	_, _, _, inserted := g.screen.Strip.Selection()
	short(fyne.KeyZ, fyne.KeyModifierShortcutDefault)
	short(fyne.KeyZ, fyne.KeyModifierShortcutDefault|fyne.KeyModifierShift)
	short(fyne.KeyV, fyne.KeyModifierAlt) // the next V
	nextV, _, _, _ := g.screen.Strip.Selection()
	rune_('q')
	if d := inserted - mb[1].Sample; d < -20 || d > 20 {
		t.Errorf("inserted at %d, %d samples from the deleted beat's R peak %d", inserted, d, mb[1].Sample)
	}
	want := expectedLabels(mb, inserted, nextV)
	if n, m := g.screen.Labels().Len(), s.sess.NumBeats(); n != m || n != len(want) {
		t.Errorf("screen shows %d beats, session has %d, want %d", n, m, len(want))
	}
	if wantV := firstV(mb, inserted); wantV < 0 || nextV != wantV {
		t.Errorf("Alt+V selected %d, want the first V after %d at %d", nextV, inserted, wantV)
	}
	g.screen.Close()
	if err := db.Close(); err != nil {
		t.Fatal(err)
	}
	checkDBLabels(t, dbPath, id, "alice", want)
}

// firstV returns the first model V beat after sample.
func firstV(beats []annotate.Beat, after int64) int64 {
	for _, b := range beats {
		if b.Sample > after && b.Code.Class() == annotate.ClassV {
			return b.Sample
		}
	}
	return -1
}

// expectedLabels is the model beats after the edits of the key tests: the
// first beat V, the second deleted and a reader's N inserted at inserted,
// the beat at nextV relabelled Q.
func expectedLabels(model []annotate.Beat, inserted, nextV int64) map[int64]annotate.Code {
	want := map[int64]annotate.Code{}
	for _, b := range model {
		want[b.Sample] = b.Code
	}
	want[model[0].Sample] = annotate.PVC
	delete(want, model[1].Sample)
	want[inserted] = annotate.Normal
	want[nextV] = annotate.Unknown
	return want
}

// checkDBLabels opens the database file and checks the reader's beats are
// exactly want, the edited ones set by the reader and the rest untouched
// model labels.
func checkDBLabels(t *testing.T, path string, id annotate.RecordID, reader annotate.ReaderID, want map[int64]annotate.Code) {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	ls, _, err := db.Labels(id, reader)
	if err != nil {
		t.Fatal(err)
	}
	if len(ls.Beats) != len(want) {
		t.Errorf("database holds %d beats, want %d", len(ls.Beats), len(want))
	}
	changed := 0
	have := map[int64]bool{}
	for _, b := range ls.Beats {
		have[b.Sample] = true
	}
	for s := range want {
		if !have[s] {
			t.Errorf("beat %d (%s) missing from the database", s, want[s])
		}
	}
	for _, b := range ls.Beats {
		c, ok := want[b.Sample]
		if !ok || c != b.Code {
			t.Errorf("beat %d: %s in the database, want %s (present %v)", b.Sample, b.Code, c, ok)
		}
		if b.Prov.Source == annotate.SourceReader {
			changed++
		}
	}
	if changed != 3 {
		t.Errorf("%d beats carry the reader's provenance, want 3 (V, inserted N, Q)", changed)
	}
}

// TestSnapToPeak checks that a beat put near an R peak lands on the peak
// the reference marks (within the detector's mark offset).
func TestSnapToPeak(t *testing.T) {
	dir := t.TempDir()
	hea, _, _ := seededRecord(t, dir)
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if err := rec.LoadReference(); err != nil {
		t.Fatal(err)
	}
	fs := rec.Signal.Info().Fs
	var beats []annotate.Beat
	for _, b := range rec.Beats {
		if b.Code.IsBeat() && b.Sample > int64(10*fs) {
			beats = append(beats, b)
		}
	}
	cases := []struct {
		name   string
		beat   int
		offset float64 // s from the reference mark
	}{
		{"on the mark", 3, 0}, {"60 ms early", 10, -0.06}, {"100 ms late", 20, 0.1},
		{"40 ms late on a later beat", 40, 0.04},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			ref := beats[c.beat].Sample
			got := snapToPeak(rec.Signal, ref+int64(c.offset*fs))
			if d := float64(got-ref) / fs; d < -0.03 || d > 0.03 {
				t.Errorf("snapped to %d, %.0f ms from the reference mark %d", got, 1000*d, ref)
			}
		})
	}
}

// TestOpenDBBad checks that a label database that cannot be opened leaves
// the window without one and says which file and why, instead of failing.
func TestOpenDBBad(t *testing.T) {
	cases := []struct {
		name    string
		content []byte
		want    error
	}{
		{"text file", []byte("these are not the labels you are looking for"), store.ErrDBCorrupt},
		{"truncated bbolt file", make([]byte, 100), store.ErrDBCorrupt},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			path := filepath.Join(t.TempDir(), "labels.db")
			if err := os.WriteFile(path, c.content, 0o644); err != nil {
				t.Fatal(err)
			}
			newTestApp(t)
			g := &gui{opts: guiOptions{sharedFlags: sharedFlags{db: path, reader: "alice"}}, app: fyne.CurrentApp()}
			g.openDB()
			if g.db != nil {
				g.db.Close()
				t.Fatal("a bad file opened as a label database")
			}
			if g.dbErr == nil || !strings.Contains(g.dbErr.Error(), path) {
				t.Errorf("error %v does not name %s", g.dbErr, path)
			}
			if !errors.Is(g.dbErr, c.want) {
				t.Errorf("error %v, want %v", g.dbErr, c.want)
			}
		})
	}
}

// TestOpenSessionMatchesImportedBeats imports a record's .atr as a
// reader's labels, saves model beats a few samples off each reference beat
// (within EC57's 150 ms match window) as the model layer, and opens the
// reader's session as the window does: each model beat must land on the
// reader's beat, not beside it (record 233 showed 6156 beats instead of
// about 3150 with an exact-sample merge).
func TestOpenSessionMatchesImportedBeats(t *testing.T) {
	dir := t.TempDir()
	hea, dbPath, id := seededRecord(t, dir)
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	if _, err := export.ImportAnnotations(db, hea, "atr", "alice", time.Now()); err != nil {
		t.Fatal(err)
	}
	ref, _, err := db.Labels(id, "alice")
	if err != nil {
		t.Fatal(err)
	}
	fs := testFs(t, hea)
	w := mergeWindow(fs)
	var shifted annotate.ModelOutput
	for i, b := range ref.Beats {
		b.Sample += []int64{-w, -3, 0, 4, w}[i%5] // at most the window off
		b.Code, b.Prov = annotate.PVC, annotate.Provenance{Source: annotate.SourceModel, Who: "shifted@1"}
		shifted.Beats = append(shifted.Beats, b)
	}
	if err := db.SaveModelOutput(id, shifted, "shifted@1"); err != nil {
		t.Fatal(err)
	}
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	g := &gui{db: db, reader: "alice"}
	s, err := g.openSession(rec, g.reader)
	if err != nil {
		t.Fatal(err)
	}
	if got := s.sess.BeatsIn(0, 1<<62); !reflect.DeepEqual(got, ref.Beats) {
		t.Errorf("session has %d beats after the merge, want the reader's %d unchanged", len(got), len(ref.Beats))
	}
	if w != int64(math.Round(0.150*fs)) || w == 0 {
		t.Errorf("merge window %d samples at %v Hz, want 150 ms", w, fs)
	}
}

// testFs returns the sampling frequency of the record at hea.
func testFs(t *testing.T, hea string) float64 {
	t.Helper()
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	return rec.Signal.Info().Fs
}

// newTestApp is Fyne's test app with the app's theme, whose ECG colours
// (paper, grid, trace text) the default test theme does not define.
func newTestApp(t testing.TB) fyne.App {
	a := test.NewTempApp(t)
	a.Settings().SetTheme(ui.NewTheme())
	return a
}

// TestOpeningNotNotSaved: while a record's labels open from the database,
// the tool bar says they are opening, not "not saved: no label database"
// (which flashed for about 2 s with --db); if they fail to open it says so.
func TestOpeningNotNotSaved(t *testing.T) {
	dir := t.TempDir()
	hea, dbPath, _ := seededRecord(t, dir)
	g := newDBGUI(t, dbPath)
	t.Cleanup(g.screen.Close)
	w := test.NewTempWindow(t, g.screen.Content())
	w.Resize(fyne.NewSize(1200, 700))
	g.win = w
	g.screen.SetWindow(w)
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	g.show(rec, nil)
	t.Cleanup(func() { g.rec.Close() })
	select { // the overview's build repaints on its own goroutine in the test driver: read the widgets after it
	case <-g.screen.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("overview not built within 30 s")
	}
	state := func(text string) bool {
		return findIn(w.Content(), func(o fyne.CanvasObject) bool {
			l, ok := o.(*widget.Label)
			return ok && l.Text == text
		}) != nil
	}
	if !state("opening the labels…") || state("not saved: no label database") {
		t.Errorf("while the session opens the tool bar does not say the labels are opening")
	}
	g.failLabels(errors.New("test failure"))
	if !state("not saved: the labels did not open") {
		t.Errorf("after the labels failed the tool bar does not say so")
	}
}
