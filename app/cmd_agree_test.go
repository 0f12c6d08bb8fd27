package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"path/filepath"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// twoReaderDB writes a label database in which readers a and b (blinded
// from each other) labelled a record of 1000 model beats, 300 samples
// apart from sample 1000 at 360 Hz: a calls beats 10-19 V; b calls beats
// 10-14 and 20-24 V, deletes beat 30 and marks an AF episode.
func twoReaderDB(t *testing.T) (path string, id annotate.RecordID) {
	t.Helper()
	path = filepath.Join(t.TempDir(), "labels.db")
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	h := sha256.Sum256([]byte("agree test record"))
	id = annotate.RecordID(hex.EncodeToString(h[:]))
	info := annotate.RecordInfo{Name: "r1", Fs: 360, NSamples: 400000}
	at := func(i int) int64 { return 1000 + int64(i)*300 }
	model := make([]annotate.Beat, 1000)
	for i := range model {
		model[i] = annotate.Beat{Sample: at(i), Code: annotate.Normal,
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1", Confidence: 0.9}}
	}
	must(t, db.PutRecord(id, "/data/r1.hea", info))
	must(t, db.SaveModelOutput(id, annotate.ModelOutput{Beats: model}, "beatnet@1"))
	span := func(i, j int) (s []int64) {
		for ; i < j; i++ {
			s = append(s, at(i))
		}
		return s
	}
	sa, err := annotate.Open(db, id, annotate.Options{Reader: "a"})
	must(t, err)
	must(t, sa.Relabel(span(10, 20), annotate.PVC, ""))
	sb, err := annotate.Open(db, id, annotate.Options{Reader: "b"})
	must(t, err)
	must(t, sb.Relabel(append(span(10, 15), span(20, 25)...), annotate.PVC, ""))
	must(t, sb.Delete([]int64{at(30)}, ""))
	_, err = sb.SetEpisode(annotate.Episode{Start: at(100), End: at(200), Rhythm: "(AFIB"}, "")
	must(t, err)
	return path, id
}

func must(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}

// TestAgreeTwoReaders checks the agree command on a real database file.
// Expected figures, worked by hand from twoReaderDB: 1000 pairs (999
// matched, beat 30 only A's), 989 agree (5 V/V, 984 N/N): observed 98.90%.
// V one-versus-rest: 5 both V, 5 only A, 5 only B, 985 neither; po = 0.99,
// pe = 0.01*0.01 + 0.99*0.99 = 0.9802, kappa = 0.0098/0.0198 = 0.49.
// EC57 of b against a, whole record: QRS TP 999, FN 1, FP 0, Se 99.90,
// +P 100.00; V TP 5 FN 5 FP 5: Se 50.00, +P 50.00; S undefined. The
// adjudication list: 10 class disagreements, beat 30, the AF stretch.
func TestAgreeTwoReaders(t *testing.T) {
	path, id := twoReaderDB(t)
	for _, rec := range []string{string(id), "/data/r1.hea"} {
		var out bytes.Buffer
		must(t, runAgree([]string{"--db", path, "--record", rec, "--readers", "a,b", "--whole", "--list", "-1"}, &out, io.Discard))
		got := out.String()
		for _, want := range []string{"1000 pairs, observed 98.90%", "Adjudication list: 12 items", "AAMI classes: N = N L R e j"} {
			if !strings.Contains(got, want) {
				t.Errorf("output lacks %q:\n%s", want, got)
			}
		}
		if row := lineFields(got, "kappa", 1); len(row) != 5 || row[2] != "0.49" {
			t.Errorf("per-class kappa row %q, want V = 0.49", row)
		}
		if row := lineFields(got, "r1", 0); strings.Join(row, " ") != "r1 999 1 0 99.90 100.00 50.00 50.00 - -" {
			t.Errorf("EC57 row %q", row)
		}
		if n := strings.Count(got, " class "); n != 10 {
			t.Errorf("%d class disagreements listed, want 10", n)
		}
		if !strings.Contains(got, "only A") || !strings.Contains(got, "rhythm only B") {
			t.Errorf("list lacks the deleted beat or the AF stretch:\n%s", got)
		}
	}
}

// lineFields returns the fields of the line after (skip lines) the first
// line starting with prefix.
func lineFields(out, prefix string, skip int) []string {
	lines := strings.Split(out, "\n")
	for i, l := range lines {
		if strings.HasPrefix(l, prefix) && i+skip < len(lines) {
			return strings.Fields(lines[i+skip])
		}
	}
	return nil
}

func TestAgreeErrors(t *testing.T) {
	path, id := twoReaderDB(t)
	for _, tt := range []struct {
		name string
		args []string
		want string
	}{
		{"no readers", []string{"--db", path, "--record", string(id)}, "usage"},
		{"same reader twice", []string{"--db", path, "--record", string(id), "--readers", "a,a"}, "usage"},
		{"unknown reader", []string{"--db", path, "--record", string(id), "--readers", "a,zed"}, `reader "zed" has no label set`},
		{"unknown record", []string{"--db", path, "--record", "/nowhere.hea", "--readers", "a,b"}, "no such record"},
		{"missing database", []string{"--db", filepath.Join(t.TempDir(), "none.db"), "--record", "x", "--readers", "a,b"}, "no such file"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			err := runAgree(tt.args, io.Discard, io.Discard)
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want %q", err, tt.want)
			}
			if tt.want == "usage" && !errors.Is(err, errUsage) {
				t.Errorf("err = %v, want errUsage", err)
			}
		})
	}
}
