package main

import (
	"bytes"
	"crypto/sha256"
	"errors"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// damagedDB makes a real label database (a synthetic record's model layer
// and alice's imported labels) and zeroes the first page in use whose loss
// CheckDB reports; it returns the record, the database and the page.
func damagedDB(t *testing.T) (hea, path string, page int) {
	dir := t.TempDir()
	hea, path, _ = seededRecord(t, dir)
	if code := run([]string{"import-ann", hea, "--ext", "atr", "--reader", "alice", "--db", path}, io.Discard, io.Discard); code != 0 {
		t.Fatalf("import-ann: exit %d", code)
	}
	good, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	ps := os.Getpagesize()
	for page = 2; page*ps < len(good); page++ {
		bad := bytes.Clone(good)
		clear(bad[page*ps : (page+1)*ps])
		if err := os.WriteFile(path, bad, 0o644); err != nil {
			t.Fatal(err)
		}
		if rep, err := store.CheckDB(path); err == nil && rep.Damaged() {
			return hea, path, page
		}
	}
	t.Fatal("no page whose damage CheckDB reports")
	return
}

// TestDamagedDBCommands runs the commands on a damaged database: each one
// fails with exit status 1 saying the file is damaged and what to do,
// none writes to it, db check lists the damage, and db salvage writes a
// new file that checks out.
func TestDamagedDBCommands(t *testing.T) {
	hea, path, page := damagedDB(t)
	before := fileHash(t, path)
	dir := filepath.Dir(path)
	cases := [][]string{
		{"export", "--db", path, "--out", filepath.Join(dir, "out"), "--reader", "alice"},
		{"bundle-export", "--db", path, "--out", filepath.Join(dir, "b.ecgb")},
		{"check", hea, "--db", path, "--reader", "alice"},
		{"import-ann", hea, "--ext", "atr", "--reader", "bob", "--db", path},
		{"annotate", hea, "--db", path, "--out-dir", filepath.Join(dir, "ann")},
		{"db", "check", path},
	}
	for _, args := range cases {
		var out, errb bytes.Buffer
		code := run(args, &out, &errb)
		if code != 1 || !strings.Contains(errb.String(), "damaged") || !strings.Contains(errb.String(), "db salvage") {
			t.Errorf("%s (page %d zeroed): exit %d, stderr %q; want 1 saying damaged and how to salvage", args[0], page, code, errb.String())
		}
	}
	if fileHash(t, path) != before {
		t.Error("a command wrote to the damaged file")
	}
	salvaged := filepath.Join(dir, "new.db")
	var out bytes.Buffer
	if code := run([]string{"db", "salvage", path, "--out", salvaged}, &out, io.Discard); code != 0 || !strings.Contains(out.String(), "salvaged into") {
		t.Fatalf("db salvage: exit %d: %s", code, out.String())
	}
	if code := run([]string{"db", "check", salvaged}, &out, io.Discard); code != 0 {
		t.Errorf("db check of the salvaged file: exit %d: %s", code, out.String())
	}
}

func fileHash(t *testing.T, path string) [32]byte {
	raw, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return sha256.Sum256(raw)
}

// TestDamagedDBDialog opens a damaged database as the window does: the
// dialog says it is damaged, its check lists the damage, its salvage
// writes a new file beside it, and using that file gives the window a
// label database that saves again.
func TestDamagedDBDialog(t *testing.T) {
	_, path, _ := damagedDB(t)
	a := newTestApp(t)
	g := &gui{app: a, opts: guiOptions{sharedFlags: sharedFlags{db: path, reader: "alice"}}, stderr: io.Discard}
	g.win = a.NewWindow("ECG Station")
	g.openDB()
	if g.db != nil || !errors.Is(g.dbErr, store.ErrDBCorrupt) {
		t.Fatalf("opened a damaged database: db %v, error %v", g.db, g.dbErr)
	}
	g.warnDB()
	dlg := g.win.Canvas().Overlays().Top()
	if dlg == nil || findButton(dlg, ui.DamagedCheck) == nil || findButton(dlg, ui.DamagedSalvage) == nil {
		t.Fatal("no damaged-database dialog with check and salvage")
	}
	g.win.Canvas().Overlays().Remove(dlg)
	d := g.showDamagedDB() // the same dialog, with a handle to wait on
	dlg = g.win.Canvas().Overlays().Top()
	test.Tap(findButton(dlg, ui.DamagedCheck))
	waitFor(t, "the check's report", func() bool { return strings.Contains(d.Report(), "damaged pages:") })
	test.Tap(findButton(dlg, ui.DamagedSalvage))
	waitFor(t, "the salvage", func() bool { return d.Salvaged() != "" || strings.Contains(d.Report(), "Salvage failed") })
	if d.Salvaged() == "" {
		t.Fatal(d.Report())
	}
	use := findButton(dlg, ui.DamagedUse)
	test.Tap(use)
	if g.db == nil || g.dbErr != nil {
		t.Fatalf("after using the salvaged file: db %v, error %v", g.db, g.dbErr)
	}
	defer g.db.Close()
	if got := a.Preferences().String(ui.PrefLabelDB); got != g.db.Path() || !strings.Contains(got, "-salvaged-") {
		t.Errorf("preference %q, database %q: want the salvaged file", got, g.db.Path())
	}
	if _, err := g.db.Records(); err != nil {
		t.Errorf("the salvaged database: %v", err)
	}
}

// waitFor polls cond for up to 20 s.
func waitFor(t *testing.T, what string, cond func() bool) {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
		if cond() {
			return
		}
	}
	t.Fatalf("timed out waiting for %s", what)
}

// findIn returns the first object under o (o included) that matches.
func findIn(o fyne.CanvasObject, match func(fyne.CanvasObject) bool) fyne.CanvasObject {
	if match(o) {
		return o
	}
	var kids []fyne.CanvasObject
	switch c := o.(type) {
	case *fyne.Container:
		kids = c.Objects
	case fyne.Widget:
		kids = test.WidgetRenderer(c).Objects()
	}
	for _, k := range kids {
		if f := findIn(k, match); f != nil {
			return f
		}
	}
	return nil
}
