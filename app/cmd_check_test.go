package main

import (
	"bytes"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// spoilSynth60 gives reader ann's labels of synth60 (reportDB) 5 double
// detections and a VT episode over N beats only.
func spoilSynth60(t *testing.T, path string) {
	t.Helper()
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	es, err := db.Records()
	if err != nil || len(es) != 1 {
		t.Fatalf("records %v, %v", es, err)
	}
	sess, err := annotate.Open(db, es[0].ID, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	bs := sess.BeatsIn(0, 1<<40)
	for _, i := range []int{5, 10, 15, 20, 25} {
		if err := sess.Insert(bs[i].Sample+10, annotate.Normal, ""); err != nil {
			t.Fatal(err)
		}
	}
	if _, err := sess.SetEpisode(annotate.Episode{Rhythm: "VT", Start: bs[40].Sample - 5, End: bs[44].Sample + 5}, ""); err != nil {
		t.Fatal(err)
	}
}

// TestCheckCommandSummary prints one line per kind of finding with its
// count, the most urgent kind first, and the first findings of each kind
// under it (all of them with -v). synth60 has a 15-s AFIB episode of its
// own: one af-short finding.
func TestCheckCommandSummary(t *testing.T) {
	db := reportDB(t)
	spoilSynth60(t, db)
	tests := []struct {
		name string
		args []string
		want []string // each kind's line, then how many lines under it
	}{
		{"first few", []string{"check", "synth60", "--db", db}, []string{
			"1  vt-few-v          VT episode with fewer than 3 V beats", "1",
			"5  beats-too-close   beats closer than the refractory period", "3+… 2 more (-v lists them all)",
			"1  af-short          AF episode shorter than 30 s", "1"}},
		{"all with -v", []string{"check", "synth60", "--db", db, "-v"}, []string{
			"1  vt-few-v          VT episode with fewer than 3 V beats", "1",
			"5  beats-too-close   beats closer than the refractory period", "5",
			"1  af-short          AF episode shorter than 30 s", "1"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var out, errb bytes.Buffer
			if code := run(tt.args, &out, &errb); code != 0 {
				t.Fatalf("exit %d: %s", code, errb.String())
			}
			head, got := summaryLines(out.String())
			if !strings.HasPrefix(head, "# synth60, reader ann") || !strings.Contains(head, "7 findings of 3 kinds") {
				t.Errorf("header %q", head)
			}
			if !slices.Equal(got, tt.want) {
				t.Errorf("kinds\n%q\nwant\n%q\n%s", got, tt.want, out.String())
			}
		})
	}
}

// summaryLines returns the header of check's output and, for each kind,
// its line trimmed and how many findings are listed under it (with the
// "… N more" line after a +).
func summaryLines(out string) (string, []string) {
	lines := strings.Split(strings.TrimRight(out, "\n"), "\n")
	var got []string
	n, more := 0, ""
	flush := func() {
		if len(got) > 0 {
			got = append(got, strconv.Itoa(n)+more)
		}
	}
	for _, l := range lines[1:] {
		switch {
		case strings.HasPrefix(l, "       … "):
			more = "+" + strings.TrimSpace(l)
		case strings.HasPrefix(l, "       "):
			n++
		default:
			flush()
			got, n, more = append(got, strings.TrimSpace(l)), 0, ""
		}
	}
	flush()
	return lines[0], got
}
