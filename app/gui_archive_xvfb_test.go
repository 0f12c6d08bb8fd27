package main

import (
	"cmp"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
)

// archiveDB writes three synthetic records in two folders (holter-a: two,
// holter-b: one, so the device comes from the folder) with different PVC
// rates and lengths, registers them in a label database with their reference beats as
// the model layer, and returns the first record's header and the
// database.
func archiveDB(t *testing.T) (string, string) {
	t.Helper()
	dir := t.TempDir()
	dbPath := filepath.Join(dir, "labels.db")
	db, err := store.OpenDB(dbPath, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	var first string
	for i, r := range []struct {
		dev, name string
		pvc       float64
		mins      time.Duration
	}{{"holter-a", "a1", 50, 3}, {"holter-a", "a2", 400, 5}, {"holter-b", "b1", 150, 4}} {
		folder := filepath.Join(dir, r.dev)
		if err := os.MkdirAll(folder, 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := synth.Default()
		cfg.Duration, cfg.ADCBits, cfg.PVC.PerHour, cfg.Seed = r.mins*time.Minute, 12, r.pvc, uint64(10+i)
		if _, _, err := writeSynthRecord(folder, r.name, cfg, 212); err != nil {
			t.Fatal(err)
		}
		hea := filepath.Join(folder, r.name+".hea")
		registerWithModel(t, db, hea)
		if first == "" {
			first = hea
		}
	}
	return first, dbPath
}

// registerWithModel puts the record at hea in db with its reference beats
// saved as the model layer, and returns its id.
func registerWithModel(t testing.TB, db *store.DB, hea string) annotate.RecordID {
	t.Helper()
	rec, err := store.Open(hea)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	if err := rec.LoadReference(); err != nil {
		t.Fatal(err)
	}
	out := annotate.ModelOutput{}
	for _, b := range rec.Beats {
		if b.Code.IsBeat() {
			b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "reference-as-model@1", Confidence: 0.9}
			out.Beats = append(out.Beats, b)
		}
	}
	id, err := store.HashRecord(hea)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.PutRecord(id, hea, rec.Signal.Info()); err != nil {
		t.Fatal(err)
	}
	if err := db.SaveModelOutput(id, out, "reference-as-model@1"); err != nil {
		t.Fatal(err)
	}
	return id
}

// summarised returns what package archive makes of the database, as the
// archive view reads it.
func summarised(t *testing.T, path string) []archive.Row {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, _, errs := archive.Summarise(db, archive.Options{Me: "xvfb", SegmentLen: archiveSegment}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return rows
}

// TestArchiveViewXvfb opens the archive view from the library in the real
// window (Ctrl+L, then its Archive view… button), waits for the records'
// rows, and clicks the Beats header twice and the Devices selector: the
// table must show the record with the fewest beats first, then the most,
// then the devices, as package archive sums up the same database once the
// window has closed (opening a record gives its reader a label set, so the
// figures are read after).
func TestArchiveViewXvfb(t *testing.T) {
	if testing.Short() {
		t.Skip("real-window test skipped in -short mode")
	}
	display := xDisplay(t)
	hea, dbPath := archiveDB(t)
	bin := buildBinary(t)
	w := startWindow(t, bin, display, hea, "--db", dbPath, "--reader", "xvfb", "--no-preannotate")
	win := w.windowID(t)
	w.expect(t, "session-open-ms")
	w.key(t, win, "ctrl+l")
	lib := w.searchWindow(t, "Library$")
	w.click(t, lib, 460, 21) // the Archive view… button, right of the imports
	shown := w.expect(t, "archive-rows ")
	arch := w.searchWindow(t, "Archive$")
	start := w.tableSorted(t, `Records sorted="Record ▲"`)
	w.click(t, arch, 590, 61) // the Beats header
	up := w.tableSorted(t, `Records sorted="Beats ▲"`)
	time.Sleep(time.Second) // two clicks this close would be a double click
	w.click(t, arch, 590, 61)
	down := w.tableSorted(t, `Records sorted="Beats ▼"`)
	w.click(t, arch, 170, 21) // Rows: Devices
	devices := w.tableSorted(t, `Devices sorted="Device ▲"`)
	w.key(t, win, "ctrl+q")
	w.waitExit(t)

	rows := summarised(t, dbPath)
	fewest := slices.MinFunc(rows, func(a, b archive.Row) int { return cmp.Or(cmp.Compare(a.Beats, b.Beats), cmp.Compare(a.Name, b.Name)) })
	most := slices.MinFunc(rows, func(a, b archive.Row) int { return cmp.Or(cmp.Compare(b.Beats, a.Beats), cmp.Compare(a.Name, b.Name)) })
	for _, c := range []struct{ name, got, want string }{
		{"rows", shown, fmt.Sprintf("archive-rows %d", len(rows))},
		{"by name", start[0], "a1"},
		{"fewest beats first", up[0], fewest.Name}, // ties by name either way
		{"most beats first", down[0], most.Name},
		{"devices", devices[0], "holter-a"},
	} {
		if c.got != c.want {
			t.Errorf("%s: %q, want %q", c.name, c.got, c.want)
		}
	}
	checkAsCommand(t, bin, dbPath, devices)
}

// checkAsCommand compares the device row the window showed with the one
// "ecgstation archive --by device" prints: records, patients, beats and
// the beats of each class (the columns both show in the same order).
func checkAsCommand(t *testing.T, bin, dbPath string, cells []string) {
	t.Helper()
	out, err := exec.Command(bin, "archive", "--db", dbPath, "--by", "device", "--reader", "xvfb", "--quiet").Output()
	if err != nil {
		t.Fatalf("ecgstation archive: %v", err)
	}
	for _, l := range strings.Split(string(out), "\n") {
		f := strings.Fields(l)
		if len(f) < 11 || f[0] != cells[0] {
			continue
		}
		for _, c := range []int{1, 2, 5, 6, 7, 8, 9, 10} { // records patients beats N S V F Q
			if f[c] != cells[c] {
				t.Errorf("column %d of %s: window %q, ecgstation archive %q", c, cells[0], cells[c], f[c])
			}
		}
		return
	}
	t.Errorf("ecgstation archive printed no row for %s:\n%s", cells[0], out)
}

// searchWindow waits for the window named name and returns its id.
func (w *window) searchWindow(t *testing.T, name string) string {
	t.Helper()
	out, err := w.xdotool("search", "--sync", "--name", name)
	if err != nil || strings.TrimSpace(out) == "" {
		t.Fatalf("no window %q: %v", name, err)
	}
	return strings.Fields(out)[0]
}

// click clicks at x, y of window id.
func (w *window) click(t *testing.T, id string, x, y int) {
	t.Helper()
	time.Sleep(300 * time.Millisecond) // let the window lay out
	if _, err := w.xdotool("mousemove", "--window", id, fmt.Sprint(x), fmt.Sprint(y), "click", "1"); err != nil {
		t.Fatalf("xdotool click at %d,%d: %v", x, y, err)
	}
}

// tableSorted waits for the archive table's trace that starts with view
// (older traces of it are skipped) and returns the first row's cells.
func (w *window) tableSorted(t *testing.T, view string) []string {
	t.Helper()
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end); {
		got := strings.TrimPrefix(w.expect(t, "archive-table "), "archive-table ")
		if rest, ok := strings.CutPrefix(got, view+" first="); ok {
			_, cells, _ := strings.Cut(rest, " cells=")
			return strings.Split(cells, "|")
		}
	}
	t.Fatalf("the archive table never showed %s", view)
	return nil
}
