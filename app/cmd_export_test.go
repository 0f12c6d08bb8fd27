package main

import (
	"bytes"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestExportCommands drives import-ann, export, bundle-export and
// bundle-import through run, as a shell would, on two MIT-BIH records.
func TestExportCommands(t *testing.T) {
	data := ecgdata.Dir(t, "", "mitdb")
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	recs := []string{filepath.Join(data, "mitdb", "100"), filepath.Join(data, "mitdb", "101")}
	steps := []struct {
		name   string
		args   []string
		status int
		out    string
	}{
		{"import-ann", append(append([]string{"import-ann"}, recs...), "--ext", "atr", "--reader", "mitdb", "--db", db), 0, "2274 added"},
		{"import again", append(append([]string{"import-ann"}, recs...), "--reader", "mitdb", "--db", db), 0, "2274 unchanged"},
		{"export", []string{"export", "--db", db, "--out", filepath.Join(dir, "ds"), "--format", "npz,csv,wfdb", "--split", "50,0,50"}, 0, "2 records"},
		{"export balanced", []string{"export", "--db", db, "--out", filepath.Join(dir, "ds2"), "--balance", "cap:100", "--reader", "mitdb"}, 0, "split"},
		{"bundle-export", []string{"bundle-export", "--db", db, "--out", filepath.Join(dir, "b.ecgb")}, 0, "2 label sets"},
		{"bundle-import", []string{"bundle-import", filepath.Join(dir, "b.ecgb"), "--db", filepath.Join(dir, "other.db"), "--records-dir", filepath.Join(data, "mitdb")}, 0, "2274 added"},
		{"no db", []string{"export", "--out", dir}, 2, ""},
		{"bad balance", []string{"export", "--db", db, "--out", dir, "--balance", "cap:x"}, 2, ""},
		{"unknown reader", []string{"export", "--db", db, "--out", filepath.Join(dir, "ds3"), "--reader", "nobody"}, 1, ""},
		{"folder of other files", []string{"export", "--db", db, "--out", dir}, 1, ""},
		{"no reader", append([]string{"import-ann"}, recs...), 2, ""},
		{"import at the detector's beats", append(append([]string{"import-ann"}, recs...), "--reader", "mitdb", "--at", "detector",
			"--db", filepath.Join(dir, "det.db")), 0, "beats moved to the detector's positions"},
		{"bad --at", append(append([]string{"import-ann"}, recs...), "--reader", "mitdb", "--at", "middle", "--db", db), 2, ""},
	}
	for _, s := range steps {
		var out, errb bytes.Buffer
		if got := run(s.args, &out, &errb); got != s.status {
			t.Fatalf("%s: status %d, want %d\n%s%s", s.name, got, s.status, out.String(), errb.String())
		}
		if !strings.Contains(out.String(), s.out) {
			t.Errorf("%s: output lacks %q:\n%s", s.name, s.out, out.String())
		}
	}
	for _, f := range []string{"beats.npz", "rhythm.npz", "manifest.json", "beats.csv", "100.ecg", "101.ecg"} {
		if _, err := os.Stat(filepath.Join(dir, "ds", f)); err != nil {
			t.Error(err)
		}
	}
}
