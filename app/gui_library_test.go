package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// TestLibraryImportAndCount imports a folder (two synthetic records and a
// file that is no record), then lists and counts the records as the
// library shows them.
func TestLibraryImportAndCount(t *testing.T) {
	dir := t.TempDir()
	cfg := synth.Default()
	cfg.Duration, cfg.PVC.PerHour = 2*time.Minute, 300
	for i, name := range []string{"a", "b"} {
		cfg.Seed = uint64(i + 1)
		if _, _, err := writeSynthRecord(dir, name, cfg, 212); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(dir, "junk.edf"), []byte("not an EDF file"), 0o644); err != nil {
		t.Fatal(err)
	}
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	paths, err := recordFilesIn(dir)
	if err != nil || len(paths) != 3 {
		t.Fatalf("record files %v, %v; want a.hea, b.hea and junk.edf", paths, err)
	}
	n, err := importRecords(db, paths)
	if n != 2 || err == nil || !strings.Contains(err.Error(), "junk.edf") {
		t.Fatalf("imported %d, error %v; want 2 and an error naming junk.edf", n, err)
	}
	// Give record a a reader with two beats, one confirmed.
	rows, err := libraryRows(db)
	if err != nil || len(rows) != 2 {
		t.Fatalf("rows %v, %v", rows, err)
	}
	var a ui.LibraryRow
	for _, r := range rows {
		if r.Name == "a" {
			a = r
		}
	}
	if a.Duration != 2*time.Minute || a.Format != "WFDB" || a.State != annotate.StateNew || a.Counted {
		t.Fatalf("row a %+v", a)
	}
	s, err := annotate.Open(db, annotate.RecordID(a.ID), annotate.Options{Reader: "ana"})
	if err != nil {
		t.Fatal(err)
	}
	for _, at := range []int64{1000, 1300} {
		if err := s.Insert(at, annotate.PVC, ""); err != nil {
			t.Fatal(err)
		}
	}
	got, err := countRow(db, a, "ana")
	if err != nil {
		t.Fatal(err)
	}
	if !got.Counted || got.Beats != 2 || got.Counts[annotate.ClassV] != 2 || got.Reviewed != 2 {
		t.Errorf("counts %+v, want 2 V beats, both the reader's", got)
	}
	rows, _ = libraryRows(db)
	for _, r := range rows {
		if r.Name == "a" && (r.State != annotate.StateInProgress || len(r.Readers) != 1 || r.Readers[0] != "ana") {
			t.Errorf("after the edit row a is %+v", r)
		}
	}
}

func TestSamePath(t *testing.T) {
	for _, c := range []struct {
		a, b string
		want bool
	}{
		{"/d/100.hea", "/d/100", true},
		{"/d/./100", "/d/100.hea", true},
		{"/d/100.edf", "/d/100", false},
		{"/d/100", "/e/100", false},
	} {
		if got := samePath(c.a, c.b); got != c.want {
			t.Errorf("samePath(%q, %q) = %v", c.a, c.b, got)
		}
	}
}
