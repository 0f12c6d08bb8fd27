package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/export"
)

// TestExportPatients exports MIT-BIH 100, 201 and 202 with a patients file
// that names 201 and 202 as one subject: for every seed tried they share a
// split, the manifest carries the same patient index (p001) for both and none for
// 100, and --format edf writes one EDF+ file per record. A bad patients
// file is a usage error.
func TestExportPatients(t *testing.T) {
	data := ecgdata.Dir(t, "mitdb", "202.hea")
	dir := t.TempDir()
	db := filepath.Join(dir, "l.db")
	pat := filepath.Join(dir, "patients.csv")
	if err := os.WriteFile(pat, []byte("# one subject\n201,s201\n202,s201\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	args := []string{"import-ann", "--ext", "atr", "--reader", "mitdb", "--db", db}
	for _, r := range []string{"100", "201", "202"} {
		args = append(args, filepath.Join(data, r))
	}
	if _, stderr, code := runCmd(t, args...); code != 0 {
		t.Fatalf("import-ann: %s", stderr)
	}
	for _, seed := range []string{"1", "2", "3", "4"} {
		out := filepath.Join(dir, "ds"+seed)
		format := "npz"
		if seed == "1" {
			format = "npz,edf"
		}
		if _, stderr, code := runCmd(t, "export", "--db", db, "--out", out, "--patients", pat, "--split", "50,0,50", "--seed", seed, "--format", format); code != 0 {
			t.Fatalf("export seed %s: exit %d: %s", seed, code, stderr)
		}
		var m export.Manifest
		b, err := os.ReadFile(filepath.Join(out, "manifest.json"))
		if err == nil {
			err = json.Unmarshal(b, &m)
		}
		if err != nil {
			t.Fatal(err)
		}
		by := map[string]export.RecordInfo{}
		for _, r := range m.Records {
			by[r.Name] = r
		}
		if by["201"].Split != by["202"].Split || by["201"].Patient != "p001" || by["201"].Patient != by["202"].Patient || by["100"].Patient != "" {
			t.Errorf("seed %s: 100 %s %q, 201 %s %q, 202 %s %q", seed, by["100"].Split, by["100"].Patient,
				by["201"].Split, by["201"].Patient, by["202"].Split, by["202"].Patient)
		}
	}
	for _, r := range []string{"100", "201", "202"} {
		if _, err := os.Stat(filepath.Join(dir, "ds1", r+".edf")); err != nil {
			t.Error(err)
		}
	}
	bad := filepath.Join(dir, "bad.csv")
	if err := os.WriteFile(bad, []byte("201 s201\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if _, _, code := runCmd(t, "export", "--db", db, "--out", filepath.Join(dir, "x"), "--patients", bad); code != 2 {
		t.Errorf("bad patients file: exit %d, want 2", code)
	}
}
