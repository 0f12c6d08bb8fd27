package report

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/export"
)

var testNow = time.Date(2025, 6, 7, 8, 9, 10, 0, time.UTC)

// phi is patient data written into the test record's header comments and
// recording date; none of it may appear in a report.
var phi = []string{"Jane Doe", "1931-02-03", "Age: 94", "01/01/2000", "2000-01-01"}

// fixture copies the committed synth60 record (60 s: N, A and V beats, an
// AF episode and a 2.5-s pause) into a temporary directory with patient
// data in its header, imports its .atr as reader "ann"'s labels and signs
// the label set off.
func fixture(t *testing.T) (*store.DB, string) {
	t.Helper()
	dir := t.TempDir()
	src := filepath.Join("..", "..", "testdata", "synth")
	for _, ext := range []string{"dat", "atr"} {
		b, err := os.ReadFile(filepath.Join(src, "synth60."+ext))
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(filepath.Join(dir, "synth60."+ext), b, 0o644)
	}
	hea, err := os.ReadFile(filepath.Join(src, "synth60.hea"))
	if err != nil {
		t.Fatal(err)
	}
	hea = append(hea, []byte("#Name: Jane Doe, born 1931-02-03\n#Age: 94 Sex: F\n")...)
	path := filepath.Join(dir, "synth60.hea")
	os.WriteFile(path, hea, 0o644)
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	res, err := export.ImportAnnotations(db, path, "atr", "ann", testNow)
	if err != nil {
		t.Fatal(err)
	}
	s, err := annotate.Open(db, res.Record, annotate.Options{Reader: "ann", Now: func() time.Time { return testNow }})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.SignOff("read"); err != nil {
		t.Fatal(err)
	}
	return db, path
}

// openFixture loads the fixture record's report data for reader and opens
// its signal, closed when the test ends.
func openFixture(t *testing.T, reader annotate.ReaderID) (*Data, *store.Recording) {
	t.Helper()
	db, _ := fixture(t)
	d, err := Load(db, "synth60", reader)
	if err != nil {
		t.Fatal(err)
	}
	rec, err := d.Open()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { rec.Close() })
	return d, rec
}

func TestPDF(t *testing.T) {
	d, rec := openFixture(t, "")
	opt := DefaultOptions()
	opt.NoCompress, opt.Now = true, func() time.Time { return testNow }
	var buf bytes.Buffer
	if err := WritePDF(&buf, d, rec.Signal, opt); err != nil {
		t.Fatal(err)
	}
	pdf := buf.String()
	text := pdfText(pdf)
	for _, want := range []string{"Holter report", "Read by ann", "Signed off by ann on 2025-06-07 08:09 UTC",
		"Longest RR interval", "AF episode", "Total beats", "AF burden", "Recording started at 08:00:00",
		"Heart rate variability", "SDNN index", "pNN50", "(mean of 8 RR intervals)"} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
	for _, p := range phi {
		if strings.Contains(pdf, p) {
			t.Errorf("report holds patient data %q", p)
		}
	}
	if n := strings.Count(pdf, "/Type /Page\n"); n < 3 {
		t.Errorf("%d pages, want summary, episodes and strips", n)
	}
}

// pdfText joins the strings of the PDF's text operators "(...) Tj".
func pdfText(pdf string) string {
	var b strings.Builder
	for _, m := range regexp.MustCompile(`\((.*?)\) ?Tj`).FindAllStringSubmatch(pdf, -1) {
		b.WriteString(m[1])
		b.WriteByte(' ')
	}
	return strings.NewReplacer(`\(`, "(", `\)`, ")").Replace(b.String())
}

func TestFind(t *testing.T) {
	db, path := fixture(t)
	all, _ := db.Records()
	id := string(all[0].ID)
	tests := []struct {
		name, sel string
		want      error
	}{
		{"name", "synth60", nil},
		{"id", id, nil},
		{"id prefix", id[:10], nil},
		{"path", path, nil},
		{"path without .hea", strings.TrimSuffix(path, ".hea"), nil},
		{"short prefix", id[:4], ErrNoRecord},
		{"unknown", "nothere", ErrNoRecord},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := Find(db, tt.sel)
			if !errors.Is(err, tt.want) || (err == nil && string(e.ID) != id) {
				t.Errorf("Find(%q) = %s, %v; want %v", tt.sel, e.ID, err, tt.want)
			}
		})
	}
	if _, err := Load(db, "synth60", "bob"); !errors.Is(err, ErrNoReader) {
		t.Errorf("reader bob: %v, want ErrNoReader", err)
	}
}

func TestSnippet(t *testing.T) {
	d, rec := openFixture(t, "ann")
	info := rec.Signal.Info()
	beat := d.Labels.Beats[3]
	sn, err := ReadSnippet(rec.Signal, beat.Sample, time.Second, 2*time.Second, d.Labels.Beats)
	if err != nil {
		t.Fatal(err)
	}
	if sn.Start != max(0, beat.Sample-250) || len(sn.Values[0]) != int(beat.Sample+500-sn.Start) {
		t.Errorf("snippet from %d of %d samples, want from %d to %d", sn.Start, len(sn.Values[0]), beat.Sample-250, beat.Sample+500)
	}
	raw := [][]int32{make([]int32, 1), make([]int32, 1)}
	rec.Signal.Read(raw, beat.Sample)
	if got, want := sn.Values[1][beat.Sample-sn.Start], float32(info.Leads[1].Physical(raw[1][0])); got != want {
		t.Errorf("value at the beat %v, want %v mV", got, want)
	}
	if len(sn.Beats) < 3 || sn.Beats[0].Sample < sn.Start {
		t.Errorf("snippet beats %v", sn.Beats)
	}
	if _, err := ReadSnippet(rec.Signal, info.NSamples+5, time.Second, time.Second, nil); !errors.Is(err, ErrSnippet) {
		t.Errorf("beyond the end: %v, want ErrSnippet", err)
	}
}

func TestKeyEvents(t *testing.T) {
	db, _ := fixture(t)
	d, _ := Load(db, "synth60", "")
	s, err := stats.Compute(d.Input(), stats.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	win := int64(7 * s.Fs)
	evs := KeyEvents(s, win)
	if len(evs) < 3 || !strings.HasPrefix(evs[0].Title, "Maximum heart rate") {
		t.Fatalf("events %+v: want the maximum heart rate first", evs)
	}
	for i, a := range evs {
		for _, b := range evs[:i] {
			if abs(a.At-b.At) < win/2 {
				t.Errorf("events %q and %q are %d samples apart: one strip would repeat the other", a.Title, b.Title, abs(a.At-b.At))
			}
		}
	}
}

// TestCleanestAt checks where an episode's strip goes: a 100-sample window,
// an episode from 1000 to 2000 whose onset strip (centred at 1025) spans
// [975, 1075).
func TestCleanestAt(t *testing.T) {
	e := stats.EpisodeSummary{Episode: annotate.Episode{Start: 1000, End: 2000, Rhythm: "AFIB"}}
	tests := []struct {
		name  string
		noise []annotate.Span
		want  int64
	}{
		{"clean onset", nil, 1025},
		{"noise elsewhere", []annotate.Span{{Start: 1500, End: 1600}}, 1025},
		// Noise over [900, 1120): strips at 1050, 1075, ... ; the first
		// clean one is centred at 1175, spanning [1125, 1225).
		{"noisy onset", []annotate.Span{{Start: 900, End: 1120}}, 1175},
		// Noise over the whole episode but for [1800, 1990): the strip that
		// overlaps it least, centred at 1850 ([1800, 1900)), is clean.
		{"one clean stretch", []annotate.Span{{Start: 900, End: 1800}, {Start: 1990, End: 2100}}, 1850},
		// Noise everywhere: the onset stays.
		{"all noise", []annotate.Span{{Start: 0, End: 3000}}, 1025},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := cleanestAt(e, 100, tt.noise); got != tt.want {
				t.Errorf("strip centred at %d, want %d", got, tt.want)
			}
		})
	}
}

// TestPDFLongRRInArtefact checks that a pause under an artefact mark stays a
// pause and the longest pause in the report, flagged "check", and is listed
// for the reader to check, with the mark, and gets a strip: noise never
// hides a pause.
func TestPDFLongRRInArtefact(t *testing.T) {
	d, rec := openFixture(t, "")
	s, err := stats.Compute(d.Input(), stats.DefaultOptions())
	if err != nil {
		t.Fatal(err)
	}
	p := s.LongestPause
	if p.Sec < 2 {
		t.Fatalf("fixture's longest pause %+v, want the 2.5-s pause", p)
	}
	d.Labels.Noise = append(d.Labels.Noise, annotate.NoiseEntry{Noise: annotate.Noise{Start: p.Prev + 10, End: p.Prev + 200, Lead: 0, Reason: "artefact"}})
	opt := DefaultOptions()
	opt.NoCompress, opt.Now = true, func() time.Time { return testNow }
	var buf bytes.Buffer
	if err := WritePDF(&buf, d, rec.Signal, opt); err != nil {
		t.Fatal(err)
	}
	text := pdfText(buf.String())
	for _, want := range []string{fmt.Sprintf("%.2f s at %s (in artefact: check); %d pauses of 2.0 s or more (1 in noise or artefact: check)", p.Sec, stats.Clock(d.Entry.Info.Start, d.Entry.Info.Fs, p.Prev), s.Pauses),
		"1 long RR interval(s) in noise or artefact listed after the episodes to check", fmt.Sprintf("Longest RR interval, %.2f s (in artefact: check)", p.Sec),
		"Long RR intervals in noise or artefact: check each", fmt.Sprintf("%.2f s", p.Sec), "artefact (" + d.Entry.Info.Leads[0].Name + ")",
		fmt.Sprintf("Long RR interval in noise or artefact, %.2f s: check", p.Sec)} {
		if !strings.Contains(text, want) {
			t.Errorf("report lacks %q", want)
		}
	}
}

// TestPDFEpisodeRateNote checks that an episode whose only clean RR
// interval lies between two noise marks (a double detection at a noise edge
// would show as "300 bpm") has no heart rate in the episode list, "-", and
// the report says why.
func TestPDFEpisodeRateNote(t *testing.T) {
	d, rec := openFixture(t, "")
	rrs := stats.Intervals(d.Input())
	i := len(rrs) / 2
	for !rrs[i-1].Valid || !rrs[i].Valid || !rrs[i+1].Valid {
		i++
	}
	for _, r := range []stats.RR{rrs[i-1], rrs[i+1]} {
		mid := (r.Prev + r.Sample) / 2
		d.Labels.Noise = append(d.Labels.Noise, annotate.NoiseEntry{Noise: annotate.Noise{Start: mid, End: mid + 2, Lead: 0, Reason: "noise"}})
	}
	d.Labels.Episodes = append(d.Labels.Episodes, annotate.EpisodeEntry{Episode: annotate.Episode{Start: rrs[i-1].Sample - 1, End: rrs[i+1].Sample, Rhythm: "B"}})
	opt := DefaultOptions()
	opt.NoCompress, opt.Now = true, func() time.Time { return testNow }
	var buf bytes.Buffer
	if err := WritePDF(&buf, d, rec.Signal, opt); err != nil {
		t.Fatal(err)
	}
	if text, want := pdfText(buf.String()), "(1 episodes): "+stats.NoteShortRuns; !strings.Contains(text, want) {
		t.Errorf("report lacks %q", want)
	}
}
