package archive_test

import (
	"bytes"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/export"
)

// deviceCases are the devices CSV table: good files with the entries they
// hold, bad ones with the named error and the line it names.
var deviceCases = []struct {
	name, in string
	want     []archive.DeviceEntry
	err      error
	line     int
}{
	{name: "minimal", in: "record,device\n100,holter-A\n",
		want: []archive.DeviceEntry{{Record: "100", Device: "holter-A", Line: 2}}},
	{name: "any order, case, spaces, BOM, CRLF", in: "\ufeffPatient , SITE,Device,Record\r\np1, Leeds ,h1,/a/100\r\n,,h2,200\r\n",
		want: []archive.DeviceEntry{{Record: "/a/100", Device: "h1", Site: "Leeds", Patient: "p1", Line: 2}, {Record: "200", Device: "h2", Line: 3}}},
	{name: "quoted comma", in: "record,device,site\n\"x,1\",h,\"St Mary's, London\"\n",
		want: []archive.DeviceEntry{{Record: "x,1", Device: "h", Site: "St Mary's, London", Line: 2}}},
	{name: "blank line", in: "record,device\n\n100,h\n", want: []archive.DeviceEntry{{Record: "100", Device: "h", Line: 3}}},
	{name: "header only", in: "record,device\n"},
	{name: "empty file", in: "", err: archive.ErrDevicesHeader, line: 1},
	{name: "no device column", in: "record,site\n100,x\n", err: archive.ErrDevicesHeader, line: 1},
	{name: "no header", in: "100,holter\n", err: archive.ErrDevicesColumn, line: 1},
	{name: "unknown column", in: "record,device,sight\n100,h,x\n", err: archive.ErrDevicesColumn, line: 1},
	{name: "column twice", in: "record,device,device\n", err: archive.ErrDevicesHeader, line: 1},
	{name: "empty device", in: "record,device\n100,h\n101,\n", err: archive.ErrDevicesCell, line: 3},
	{name: "short row", in: "record,device,site\n100,h,s\n101\n", err: archive.ErrDevicesCell, line: 3},
	{name: "record twice", in: "record,device\n100,h\n101,h\n100,g\n", err: archive.ErrDevicesDup, line: 4},
	{name: "bad quote", in: "record,device\n100,h\n\"10\"1,h\n", err: archive.ErrDevicesCSV, line: 3},
}

func TestParseDevices(t *testing.T) {
	for _, c := range deviceCases {
		t.Run(c.name, func(t *testing.T) {
			d, err := archive.ParseDevices(strings.NewReader(c.in))
			if c.err != nil {
				var de *archive.DevicesError
				if !errors.Is(err, c.err) || !errors.As(err, &de) || de.Line != c.line ||
					!strings.Contains(err.Error(), "line ") {
					t.Fatalf("error %v, want %v on line %d", err, c.err, c.line)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if len(d.Entries) != len(c.want) {
				t.Fatalf("entries %+v, want %+v", d.Entries, c.want)
			}
			for i := range c.want {
				if d.Entries[i] != c.want[i] {
					t.Errorf("entry %d %+v, want %+v", i, d.Entries[i], c.want[i])
				}
			}
		})
	}
}

func TestReadDevicesFileErrors(t *testing.T) {
	if _, err := archive.ReadDevicesFile(filepath.Join(t.TempDir(), "none.csv")); err == nil || !strings.Contains(err.Error(), "none.csv") {
		t.Errorf("missing file: %v", err)
	}
	p := filepath.Join(t.TempDir(), "dev.csv")
	if err := os.WriteFile(p, []byte("record,device\n100,\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := archive.ReadDevicesFile(p); err == nil || !strings.Contains(err.Error(), "dev.csv: devices CSV line 2, column device: empty cell") {
		t.Errorf("bad file: %v", err)
	}
}

// FuzzParseDevices checks ParseDevices never panics, that an error names
// a line, and that every entry has a record and a device, named once.
func FuzzParseDevices(f *testing.F) {
	for _, c := range deviceCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, in string) {
		d, err := archive.ParseDevices(strings.NewReader(in))
		if err != nil {
			var de *archive.DevicesError
			if errors.As(err, &de) && de.Line < 1 {
				t.Errorf("error names line %d: %v", de.Line, err)
			}
			return
		}
		seen := map[string]bool{}
		for _, e := range d.Entries {
			if e.Record == "" || e.Device == "" || seen[e.Record] {
				t.Errorf("entry %+v (seen %v)", e, seen[e.Record])
			}
			seen[e.Record] = true
		}
	})
}

// TestDevicesLookup checks a CSV row finds its record by id, path, base
// name with or without extension, and name, in that order.
func TestDevicesLookup(t *testing.T) {
	e := store.RecordEntry{ID: "abc", Path: "/d/rec1.edf", Info: annotate.RecordInfo{Name: "n1"}}
	for _, c := range []struct{ csv, want string }{
		{"record,device\nabc,by-id\n/d/rec1.edf,by-path\n", "by-id"},
		{"record,device\n/d/rec1.edf,by-path\nrec1.edf,by-base\n", "by-path"},
		{"record,device\nrec1.edf,by-base\nrec1,by-stem\n", "by-base"},
		{"record,device\nn1,by-name\nrec1,by-stem\n", "by-stem"},
		{"record,device\nn1,by-name\n", "by-name"},
		{"record,device\nother,x\n", ""},
	} {
		d, err := archive.ParseDevices(strings.NewReader(c.csv))
		if err != nil {
			t.Fatal(err)
		}
		got, ok := d.Lookup(e)
		if got.Device != c.want || ok != (c.want != "") {
			t.Errorf("%q: found %q (%v), want %q", c.csv, got.Device, ok, c.want)
		}
	}
}

func TestEquipmentOf(t *testing.T) {
	for _, c := range []struct{ in, want string }{
		{"Startdate 02-MAR-2002 EMG561 BK/JOP Sony. MNC R Median Nerve.", "Sony."},
		{"Startdate 02-MAR-2002 X X X", ""},
		{"Startdate 02-MAR-2002 X X", ""},
		{"Jane Doe ward 5 holter", ""},
		{"", ""},
	} {
		if got := archive.EquipmentOf(c.in); got != c.want {
			t.Errorf("EquipmentOf(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// TestDeviceSources checks where a row's device, site and patient come
// from: the devices CSV, else an EDF+ file's equipment field, else the
// folder (also for an EDF+ whose field says X, and a file that moved).
func TestDeviceSources(t *testing.T) {
	dir := t.TempDir()
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	for _, c := range []struct{ name, recording string }{{"eq", "Startdate 01-JAN-2024 A1 tech Holter-9 extra"}, {"unknown", ""}, {"csv", "Startdate 01-JAN-2024 X X Holter-9"}} {
		writeEDFPlus(t, filepath.Join(dir, "site1", c.name+".edf"), c.recording)
	}
	var ids = map[string]annotate.RecordID{}
	for _, n := range []string{"eq", "unknown", "csv"} {
		id, _, err := export.RegisterRecord(db, filepath.Join(dir, "site1", n+".edf"))
		if err != nil {
			t.Fatal(err)
		}
		ids[n] = id
	}
	if err := os.Rename(filepath.Join(dir, "site1", "unknown.edf"), filepath.Join(dir, "moved.edf")); err != nil {
		t.Fatal(err)
	}
	devs, err := archive.ParseDevices(strings.NewReader("record,device,site,patient\ncsv.edf,from-csv,York,p7\n"))
	if err != nil {
		t.Fatal(err)
	}
	rows, _, errs := archive.Summarise(db, archive.Options{Devices: devs}, nil)
	if len(errs) > 0 || len(rows) != 3 {
		t.Fatalf("rows %d, errors %v", len(rows), errs)
	}
	want := map[string][4]string{"eq": {"Holter-9", archive.FromHeader, "", "eq"}, "unknown": {"site1", archive.FromFolder, "", "unknown"},
		"csv": {"from-csv", archive.FromCSV, "York", "p7"}}
	for _, r := range rows {
		if got := [4]string{r.Device, r.DeviceFrom, r.Site, r.Patient}; got != want[r.Name] || r.ID != ids[r.Name] {
			t.Errorf("%s: device, from, site, patient %q; want %q", r.Name, got, want[r.Name])
		}
	}
	if un := devs.Unmatched(rows); len(un) != 0 {
		t.Errorf("unmatched %+v", un)
	}
}

// writeEDFPlus writes a 4-second one-lead EDF+ file with the recording
// field given (the EDF+ default when empty).
func writeEDFPlus(t *testing.T, path, recording string) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	spec := edf.Spec{Plus: true, Recording: recording, Start: time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC), RecordDuration: 1,
		Signals: []edf.SignalSpec{{Label: "ECG II", Dimension: "mV", PhysMin: -5, PhysMax: 5, DigMin: -2048, DigMax: 2047, Samples: 250}}}
	var recs []edf.Record
	for i := range 4 {
		s := make([]int32, 250)
		s[i*10] = int32(len(path)) // records differ from file to file
		recs = append(recs, edf.Record{Samples: [][]int32{s}})
	}
	if err := edf.WriteFile(path, spec, recs); err != nil {
		t.Fatal(err)
	}
	if b, err := os.ReadFile(path); err != nil || !bytes.Contains(b, []byte("EDF+C")) {
		t.Fatalf("%s is no EDF+ file: %v", path, err)
	}
}

// TestShownLabelSet checks the library's rule for whose labels count.
func TestShownLabelSet(t *testing.T) {
	signed := annotate.Status{State: annotate.StateSignedOff, By: "bo", At: time.Unix(100, 0)}
	later := annotate.Status{State: annotate.StateSignedOff, By: "cy", At: time.Unix(200, 0)}
	for _, c := range []struct {
		name    string
		readers []store.ReaderEntry
		me      annotate.ReaderID
		want    annotate.ReaderID
	}{
		{"none", nil, "ana", store.ModelLayer},
		{"mine", []store.ReaderEntry{{Reader: "ana", Rev: 1}, {Reader: "bo", Rev: 9, Status: signed}}, "ana", "ana"},
		{"signed off last", []store.ReaderEntry{{Reader: "bo", Rev: 9, Status: signed}, {Reader: "cy", Rev: 2, Status: later}}, "ana", "cy"},
		{"the only one", []store.ReaderEntry{{Reader: "bo", Rev: 1}}, "", "bo"},
		{"most commits", []store.ReaderEntry{{Reader: "bo", Rev: 3}, {Reader: "cy", Rev: 7}, {Reader: "dee", Rev: 5}}, "ana", "cy"},
	} {
		if got := archive.ShownLabelSet(store.RecordEntry{Readers: c.readers}, c.me); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}
