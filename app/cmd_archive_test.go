package main

import (
	"bytes"
	"encoding/csv"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate/synth"
)

// archiveFixture writes two synthetic records into folders devA and devB,
// imports their reference annotations as reader "reference" into a new
// label database and returns its path and each record's QRS count.
func archiveFixture(t *testing.T) (string, map[string]int) {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "labels.db")
	beats := map[string]int{}
	for i, folder := range []string{"devA", "devB"} {
		if err := os.MkdirAll(filepath.Join(dir, folder), 0o755); err != nil {
			t.Fatal(err)
		}
		cfg := synth.Default()
		cfg.Seed, cfg.Duration, cfg.PVC.PerHour = uint64(i+1), 2*time.Minute+time.Duration(i)*30*time.Second, 200
		_, ann, err := writeSynthRecord(filepath.Join(dir, folder), "r"+strconv.Itoa(i), cfg, 212)
		if err != nil {
			t.Fatal(err)
		}
		for _, b := range ann.Beats {
			if b.Code.IsBeat() {
				beats[folder]++
			}
		}
		args := []string{filepath.Join(dir, folder, "r"+strconv.Itoa(i)), "--ext", "atr", "--reader", "reference", "--db", db}
		if err := runImportAnn(args, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
	}
	return db, beats
}

func TestArchiveCommand(t *testing.T) {
	db, beats := archiveFixture(t)
	dir := filepath.Dir(db)
	devs := filepath.Join(dir, "devices.csv")
	if err := os.WriteFile(devs, []byte("record,site\nr0,Leeds\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(good, []byte("record,device,site\nr0,holter-1,Leeds\nr9,holter-2,York\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	t.Run("by device", func(t *testing.T) {
		var out, errs bytes.Buffer
		if err := runArchive([]string{"--db", db, "--by", "device", "--quiet"}, &out, &errs); err != nil {
			t.Fatal(err)
		}
		for _, folder := range []string{"devA", "devB"} {
			f := tableRow(out.String(), folder)
			if len(f) < 6 || f[1] != "1" || f[5] != strconv.Itoa(beats[folder]) {
				t.Errorf("%s line %q, want 1 record of %d beats:\n%s", folder, f, beats[folder], out.String())
			}
		}
	})
	t.Run("devices CSV by site", func(t *testing.T) {
		var out, errs bytes.Buffer
		if err := runArchive([]string{"--db", db, "--devices", good, "--by", "site", "--quiet"}, &out, &errs); err != nil {
			t.Fatal(err)
		}
		if f := tableRow(out.String(), "Leeds"); len(f) < 2 || f[1] != "1" {
			t.Errorf("no Leeds line of 1 record:\n%s", out.String())
		}
		if !strings.Contains(errs.String(), `line 3: "r9" names no record`) {
			t.Errorf("no warning of the unmatched row: %s", errs.String())
		}
	})
	t.Run("lead CSV", func(t *testing.T) {
		out := filepath.Join(dir, "lead.csv")
		if err := runArchive([]string{"--db", db, "--csv", out, "--level", "lead", "--segment", "1m", "--quiet"}, &bytes.Buffer{}, &bytes.Buffer{}); err != nil {
			t.Fatal(err)
		}
		f, err := os.Open(out)
		if err != nil {
			t.Fatal(err)
		}
		defer f.Close()
		recs, err := csv.NewReader(f).ReadAll()
		// 2 min and 2.5 min, 1-minute segments, 2 leads: (2 + 3) x 2 rows.
		if err != nil || len(recs) != 1+10 || recs[0][len(recs[0])-1] != "noise_pct" {
			t.Errorf("%d rows (%v), header %v", len(recs), err, recs[0])
		}
	})
	for _, c := range []struct {
		name string
		args []string
		want string
		use  bool
	}{
		{"no db", []string{"--by", "device"}, "ecgstation archive --db FILE", true},
		{"missing db", []string{"--db", filepath.Join(dir, "none.db")}, "no label database at", false},
		{"bad by", []string{"--db", db, "--by", "patient"}, `--by "patient"`, true},
		{"bad level", []string{"--db", db, "--level", "beat"}, `--level "beat"`, true},
		{"bad segment", []string{"--db", db, "--segment", "0s"}, "--segment", true},
		{"bad devices", []string{"--db", db, "--devices", devs}, "line 1: the first row must name the columns", false},
	} {
		t.Run(c.name, func(t *testing.T) {
			err := runArchive(c.args, &bytes.Buffer{}, &bytes.Buffer{})
			if err == nil || !strings.Contains(err.Error(), c.want) || errors.Is(err, errUsage) != c.use {
				t.Errorf("error %v, want %q (usage: %v)", err, c.want, c.use)
			}
		})
	}
}

// tableRow returns the fields of the first line of s whose first field
// is key.
func tableRow(s, key string) []string {
	for _, l := range strings.Split(s, "\n") {
		if f := strings.Fields(l); len(f) > 0 && f[0] == key {
			return f
		}
	}
	return nil
}
