package main

import (
	"bytes"
	"io/fs"
	"path/filepath"
	"syscall"
	"testing"

	"github.com/ecgstation/ecgstation/store/private"
)

// TestFilesArePrivate runs, as a shell would, every command that writes a
// file (a synthetic record, QRS annotations, the label database, a label
// bundle, a report, a plot, a training set in every format) under umask 0,
// where a file created 0644 or 0666 would show its group and other bits,
// and checks that every file has private.FileMode and every folder
// private.DirMode.
func TestFilesArePrivate(t *testing.T) {
	old := syscall.Umask(0)
	t.Cleanup(func() { syscall.Umask(old) })
	dir := t.TempDir()
	rec := filepath.Join(dir, "rec", "r")
	db := filepath.Join(dir, "labels.db")
	steps := [][]string{
		{"synth", "--plain", "--out", rec, "--duration", "2m", "--pvc-rate", "600"},
		{"detect", rec},
		{"import-ann", rec, "--ext", "atr", "--reader", "alice", "--db", db},
		{"bundle-export", "--db", db, "--out", filepath.Join(dir, "b.ecgb")},
		{"report", rec, "--db", db, "--out", filepath.Join(dir, "report.pdf")},
		{"plot", "hr", rec, "--db", db, "--out", filepath.Join(dir, "hr.png")},
		{"export", "--db", db, "--out", filepath.Join(dir, "ds"), "--format", "npz,csv,wfdb", "--split", "100,0,0"},
	}
	for _, s := range steps {
		var out bytes.Buffer
		if got := run(s, &out, &out); got != 0 {
			t.Fatalf("%v: status %d\n%s", s, got, out.String())
		}
	}
	kinds := map[string]bool{}
	err := filepath.WalkDir(dir, func(path string, d fs.DirEntry, err error) error {
		if err != nil || path == dir {
			return err
		}
		fi, err := d.Info()
		if err != nil {
			return err
		}
		want := private.FileMode
		if d.IsDir() {
			want = private.DirMode | fs.ModeDir
		}
		if fi.Mode() != want {
			t.Errorf("%s: mode %v, want %v", path[len(dir):], fi.Mode(), want)
		}
		kinds[filepath.Ext(path)] = true
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range []string{".hea", ".dat", ".atr", ".qrs", ".db", ".ecgb", ".pdf", ".png", ".npz", ".csv", ".json", ".ecg"} {
		if !kinds[k] {
			t.Errorf("no %s file was written: the test no longer covers it", k)
		}
	}
}
