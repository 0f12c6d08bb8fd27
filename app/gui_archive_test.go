package main

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	fynetest "fyne.io/fyne/v2/test"

	"github.com/ecgstation/ecgstation/annotate/figures"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/ui"
)

// testArchiveView returns an archive view holding the figures of the
// three records of archiveDB, read as the window reads them.
func testArchiveView(t *testing.T) *archiveView {
	t.Helper()
	_, path := archiveDB(t)
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	rows, segs, errs := archive.Summarise(db, archive.Options{SegmentLen: archiveSegment}, nil)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return &archiveView{rows: rows, segs: segs}
}

func TestArchiveExportTables(t *testing.T) {
	v := testArchiveView(t)
	dir := t.TempDir()
	for _, c := range []struct {
		level, head string
		lines       int
	}{
		{"records", "record_id,record,format", 1 + 3},
		{"segments", "record_id,record,device", 1 + 3}, // one 5-minute segment a record
		{"lead-noise", "record_id,record,device", 1 + 3*2},
	} {
		path := filepath.Join(dir, c.level+".csv")
		if err := v.export(c.level, path); err != nil {
			t.Fatalf("%s: %v", c.level, err)
		}
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		lines := strings.Split(strings.TrimSpace(string(data)), "\n")
		if !strings.HasPrefix(lines[0], c.head) || len(lines) != c.lines {
			t.Errorf("%s: %d lines, header %q; want %d lines, header from %q", c.level, len(lines), lines[0], c.lines, c.head)
		}
		if fi, err := os.Stat(path); err == nil && fi.Mode().Perm()&0o077 != 0 {
			t.Errorf("%s: mode %v, want the owner's only", c.level, fi.Mode())
		}
	}
	if err := v.export("pie", filepath.Join(dir, "x.csv")); err == nil {
		t.Error("an unknown table was exported")
	}
	if err := (&archiveView{}).export("records", filepath.Join(dir, "y.csv")); !errors.Is(err, errNotRead) {
		t.Errorf("export before the rows are read: %v, want errNotRead", err)
	}
}

func TestArchiveFitGlue(t *testing.T) {
	v := testArchiveView(t)
	// One record per patient and one segment per record: the patient's
	// variance cannot be told from the residual, and the view says so.
	if _, err := v.fit("segments.noise_pct_mean", "device"); !errors.Is(err, archive.ErrNoVariance) {
		t.Errorf("fit with one row per patient: %v, want ErrNoVariance", err)
	}
	if _, err := v.fit("noise_pct_mean", "device"); err == nil || !strings.Contains(err.Error(), "table.column") {
		t.Errorf("a figure without its table: %v", err)
	}
	// Two patients with two records each: a2 and b1 belong to a1's patient.
	for i := range v.rows {
		v.rows[i].Patient = map[string]string{"a1": "p1", "a2": "p1", "b1": "p2"}[v.rows[i].Name]
	}
	v.rows = append(v.rows, v.rows...)
	for i := 3; i < len(v.rows); i++ {
		v.rows[i].Patient = "p3"
	}
	text, err := v.fit("records.beats", "device")
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"Table: records (6 rows)", "Mixed Linear Model Regression Results", "C(device)[T.holter-b]", "Group Var"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks %q:\n%s", want, text)
		}
	}
}

// TestArchiveFitNumericDevices: devices named by numbers (serials, site
// codes, a year folder) are levels of the window's fit, each with its
// effect against the first, never one slope over the numbers.
func TestArchiveFitNumericDevices(t *testing.T) {
	v := testArchiveView(t)
	v.rows = append(v.rows, v.rows...)
	for i := range v.rows {
		r := &v.rows[i]
		r.Device = []string{"7", "7", "31", "2024", "31", "2024"}[i]
		r.Patient = []string{"p1", "p2", "p3", "p1", "p2", "p3"}[i]
	}
	text, err := v.fit("records.beats", "device")
	if err != nil {
		t.Fatal(err)
	}
	// Levels in numeric order (as patsy orders them): 7 is the reference.
	for _, want := range []string{"C(device)[T.31]", "C(device)[T.2024]"} {
		if !strings.Contains(text, want) {
			t.Errorf("summary lacks the level %q:\n%s", want, text)
		}
	}
	if strings.Contains(text, "\ndevice ") || strings.Contains(text, "C(device)[T.7]") {
		t.Errorf("device fitted as a number, or its reference level given an effect:\n%s", text)
	}
}

func TestGroupRows(t *testing.T) {
	v := testArchiveView(t)
	gs := groupRows(v.rows, archive.ByDevice)
	if len(gs) != 2 || gs[0].Key != "holter-a" || gs[0].Records != 2 || gs[1].Records != 1 {
		t.Errorf("groups %+v, want holter-a (2 records) and holter-b (1)", gs)
	}
}

// devicesView returns an archive view of archiveDB's records (open
// read-only until the test ends) and the path of a devices CSV holding
// text.
func devicesView(t *testing.T, text string) (*archiveView, *store.DB, string) {
	t.Helper()
	_, path := archiveDB(t)
	db, err := store.OpenDB(path, store.DBOptions{ReadOnly: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	a := fynetest.NewTempApp(t)
	w := a.NewWindow("archive")
	v := &archiveView{g: &gui{app: a, db: db, stderr: io.Discard}, win: w}
	v.screen = ui.NewArchiveScreen(ui.ArchiveActions{Group: groupRows}, w)
	csv := filepath.Join(t.TempDir(), "devices.csv")
	if err := os.WriteFile(csv, []byte(text), 0o600); err != nil {
		t.Fatal(err)
	}
	return v, db, csv
}

// checkFromCSV fails unless rows hold a1 on holter-z at york, patient p9,
// as the devices CSV says.
func checkFromCSV(t *testing.T, rows []archive.Row) {
	t.Helper()
	i := slices.IndexFunc(rows, func(r archive.Row) bool { return r.Name == "a1" })
	if i < 0 || rows[i].Device != "holter-z" || rows[i].Site != "york" || rows[i].Patient != "p9" || rows[i].DeviceFrom != archive.FromCSV {
		t.Fatalf("rows %+v, want a1 on holter-z at york, patient p9, from the CSV", rows)
	}
}

// TestArchiveDevicesCSV reads the records with a devices CSV chosen in the
// view: the rows then carry the CSV's device, site and patient.
func TestArchiveDevicesCSV(t *testing.T) {
	v, _, csv := devicesView(t, "record,device,site,patient\na1,holter-z,york,p9\n")
	v.readDevices(csv)
	var rows []archive.Row
	for end := time.Now().Add(20 * time.Second); time.Now().Before(end) && len(rows) < 3; time.Sleep(20 * time.Millisecond) {
		rows, _ = v.snapshot()
	}
	checkFromCSV(t, rows)
}

// TestArchiveDevicesCSVWhileReading: a devices CSV chosen while the records
// are being read is kept, and the records are read again with it when that
// read ends; its row naming no record is said under the table.
func TestArchiveDevicesCSVWhileReading(t *testing.T) {
	v, db, csv := devicesView(t, "record,device,site,patient\na1,holter-z,york,p9\nzz9,holter-q,leeds,p1\n")
	v.loading = true // a read without the CSV is under way
	v.readDevices(csv)
	if !v.pending {
		t.Fatal("the devices CSV chosen during a read was dropped")
	}
	v.read(db, archive.Options{SegmentLen: archiveSegment}) // that read, to its end
	rows, _ := v.snapshot()
	checkFromCSV(t, rows)
	if v.loading || v.pending {
		t.Errorf("after the reads: loading %v, pending %v; want neither", v.loading, v.pending)
	}
	want := `3 records · devices.csv line 3: "zz9" names no record of the database · `
	if got := v.screen.Message(); !strings.HasPrefix(got, want) {
		t.Errorf("message %q, want it to start %q", got, want)
	}
}

func TestUnmatchedNotes(t *testing.T) {
	e := func(line int, rec string) archive.DeviceEntry { return archive.DeviceEntry{Record: rec, Line: line} }
	for _, c := range []struct {
		un   []archive.DeviceEntry
		want string
	}{
		{nil, ""},
		{[]archive.DeviceEntry{e(3, "zz9")}, `d.csv line 3: "zz9" names no record of the database`},
		{[]archive.DeviceEntry{e(2, "a"), e(5, "b")}, `d.csv: 2 rows name no record of the database (line 2 "a", line 5 "b")`},
		{[]archive.DeviceEntry{e(2, "a"), e(3, "b"), e(4, "c"), e(9, "d")}, `d.csv: 4 rows name no record of the database (line 2 "a", line 3 "b", line 4 "c", …)`},
	} {
		if got := strings.Join(unmatchedNotes("d.csv", c.un), "|"); got != c.want {
			t.Errorf("%d unmatched: %q, want %q", len(c.un), got, c.want)
		}
	}
}

// TestSaveArchivePlot writes every plot kind as PNG, SVG and PDF (checked
// by each format's own signature) and refuses another extension.
func TestSaveArchivePlot(t *testing.T) {
	v := testArchiveView(t)
	dir := t.TempDir()
	magic := map[string]string{"png": "\x89PNG", "svg": "<?xml", "pdf": "%PDF"}
	for _, k := range figures.PlotKinds {
		for ext, sig := range magic {
			path := filepath.Join(dir, k.Name+"."+ext)
			err := saveArchivePlot(k.Name, v.rows, path)
			if err != nil && strings.Contains(err.Error(), "nothing to plot") {
				continue // a figure none of the fixture's records has (agreement: no reader)
			}
			if err != nil {
				t.Fatalf("%s: %v", path, err)
			}
			if b, err := os.ReadFile(path); err != nil || !strings.HasPrefix(string(b), sig) {
				t.Errorf("%s: does not start with %q (%v)", path, sig, err)
			}
		}
	}
	if err := saveArchivePlot(figures.PlotKinds[0].Name, v.rows, filepath.Join(dir, "x.jpg")); err == nil || !strings.Contains(err.Error(), ".png, .svg or .pdf") {
		t.Errorf("a .jpg: %v, want a message naming the formats", err)
	}
}
