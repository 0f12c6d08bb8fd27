package archive_test

import (
	"crypto/sha256"
	"encoding/hex"
	"math"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/export"
)

// fixtureRecord is one synthetic record of the test archive and the label
// sets written for it, kept in memory for the independent computation of
// the figures.
type fixtureRecord struct {
	name, folder string
	id           annotate.RecordID
	info         annotate.RecordInfo
	model        annotate.ModelOutput
	reader       annotate.ReaderID // "" when only the model layer
	shown        labels            // the label set the figures must come from
	// relabelled, dropped and extra model beats against the reader's, for
	// the expected agreement.
	confusion [annotate.ClassQ + 1][annotate.ClassQ + 1]int
	reviewed  int
}

// labels is a label set as plain lists.
type labels struct {
	beats    []annotate.Beat
	episodes []annotate.Episode
	noise    []annotate.Noise
}

func sec(s float64, fs float64) int64 { return int64(s * fs) }

// synthRecord generates a record and its reference labels.
func synthRecord(t testing.TB, seed uint64, dur time.Duration, ev []synth.Event, drop []synth.Dropout) (annotate.RecordInfo, synth.Annotations) {
	t.Helper()
	cfg := synth.Default()
	cfg.Seed, cfg.Duration, cfg.PVC.PerHour, cfg.PAC.PerHour = seed, dur, 240, 120
	cfg.Events, cfg.Noise.Dropouts = ev, drop
	info, _, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return info, ann
}

// asModel returns beats as the model layer holds them.
func asModel(bs []annotate.Beat) []annotate.Beat {
	out := make([]annotate.Beat, len(bs))
	for i, b := range bs {
		b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1", Confidence: 0.9}
		out[i] = b
	}
	return out
}

// buildArchive writes three records into a new label database:
//
//	a (folder devA): reference labels imported as reader "reference" (AF,
//	   a dropout on every lead, noise on single leads); a model layer with
//	   beats relabelled, dropped and one added, and its own AF and noise.
//	b (folder devB): the model layer only.
//	c (folder devA): the model layer, and reader "ana" who relabels three
//	   beats, confirms two and marks noise on lead 1.
func buildArchive(t testing.TB) (*store.DB, []*fixtureRecord) {
	t.Helper()
	dir := t.TempDir()
	db, err := store.OpenDB(filepath.Join(dir, "labels.db"), store.DBOptions{})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	recs := []*fixtureRecord{recordA(t), recordB(t), recordC(t)}
	for _, r := range recs {
		sum := sha256.Sum256([]byte(r.name + r.folder))
		r.id = annotate.RecordID(hex.EncodeToString(sum[:]))
		r.info.Name = r.name
		// The files are never written: the figures come from the database
		// alone (and the paths are the same on every run, for the golden
		// CSV files).
		if err := db.PutRecord(r.id, filepath.Join("/archive", r.folder, r.name), r.info); err != nil {
			t.Fatal(err)
		}
		if err := db.SaveModelOutput(r.id, r.model, "beatnet@1"); err != nil {
			t.Fatal(err)
		}
	}
	importReference(t, db, recs[0])
	editAsAna(t, db, recs[2])
	return db, recs
}

func recordA(t testing.TB) *fixtureRecord {
	info, ann := synthRecord(t, 1, 3*time.Minute, []synth.Event{{Rhythm: "AFIB", At: 60 * time.Second, Length: 40 * time.Second}},
		[]synth.Dropout{{Kind: synth.DropLeadOff, At: 150 * time.Second, Length: 4 * time.Second}})
	fs := info.Fs
	ref := labels{beats: ann.Beats, episodes: ann.Episodes, noise: append(ann.Noise,
		annotate.Noise{Start: sec(10, fs), End: sec(20, fs), Lead: 1, Reason: "noise"},
		annotate.Noise{Start: sec(15, fs), End: sec(25, fs), Lead: 0, Reason: "noise"},
		annotate.Noise{Start: sec(18, fs), End: sec(30, fs), Lead: 1, Reason: "noise"})}
	r := &fixtureRecord{name: "a", folder: "devA", info: info, reader: "reference", shown: ref, reviewed: len(qrs(ref.beats))}
	// The model: every 7th beat relabelled (N <-> V), beats 3 and 4
	// dropped, one beat added halfway between beats 20 and 21, every beat
	// up to 16 samples off the reference.
	var mb []annotate.Beat
	for i, b := range asModel(ann.Beats) {
		switch {
		case i == 3 || i == 4:
			r.confusion[b.Code.Class()][annotate.ClassNone]++
			continue
		case i%7 == 0 && b.Code.Class() == annotate.ClassN:
			b.Code = annotate.PVC
		case i%7 == 0:
			b.Code = annotate.Normal
		}
		r.confusion[ann.Beats[i].Code.Class()][b.Code.Class()]++
		b.Sample += int64(i%5-2) * 8 // the model places beats a little off (up to 64 ms)
		mb = append(mb, b)
		if i == 20 {
			mb = append(mb, annotate.Beat{Sample: (ann.Beats[20].Sample + ann.Beats[21].Sample) / 2, Code: annotate.APC,
				Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1"}})
			r.confusion[annotate.ClassNone][annotate.ClassS]++
		}
	}
	r.model = annotate.ModelOutput{Beats: mb,
		Episodes: []annotate.Episode{{Start: sec(60, fs), End: sec(90, fs), Rhythm: "AFIB"}},
		Noise:    []annotate.Noise{{Start: sec(100, fs), End: sec(110, fs), Lead: 0, Reason: "noise"}}}
	return r
}

func recordB(t testing.TB) *fixtureRecord {
	info, ann := synthRecord(t, 2, 2*time.Minute, []synth.Event{{Rhythm: "AFIB", At: 20 * time.Second, Length: 30 * time.Second}}, nil)
	fs := info.Fs
	m := labels{beats: asModel(ann.Beats), episodes: ann.Episodes,
		noise: []annotate.Noise{{Start: sec(5, fs), End: sec(65, fs), Lead: 1, Reason: "noise"}, {Start: sec(70, fs), End: sec(71, fs), Lead: -1, Reason: "saturation"}}}
	return &fixtureRecord{name: "b", folder: "devB", info: info, shown: m,
		model: annotate.ModelOutput{Beats: m.beats, Episodes: m.episodes, Noise: m.noise}}
}

func recordC(t testing.TB) *fixtureRecord {
	info, ann := synthRecord(t, 3, 2*time.Minute, nil, nil)
	m := asModel(ann.Beats)
	return &fixtureRecord{name: "c", folder: "devA", info: info, reader: "ana", model: annotate.ModelOutput{Beats: m}}
}

// qrs returns the beats that are QRS complexes.
func qrs(bs []annotate.Beat) []annotate.Beat {
	var out []annotate.Beat
	for _, b := range bs {
		if b.Code.IsBeat() {
			out = append(out, b)
		}
	}
	return out
}

// importReference brings record a's reference labels in as reader
// "reference", as import-ann does.
func importReference(t testing.TB, db *store.DB, r *fixtureRecord) {
	t.Helper()
	ls := annotate.LabelSet{Beats: r.shown.beats}
	for i, e := range r.shown.episodes {
		ls.Episodes = append(ls.Episodes, annotate.EpisodeEntry{ID: annotate.EpisodeID(i + 1), Episode: e})
	}
	for i, n := range r.shown.noise {
		ls.Noise = append(ls.Noise, annotate.NoiseEntry{ID: annotate.NoiseID(i + 1), Noise: n})
	}
	if _, err := export.Merge(db, export.Incoming{Record: r.id, Name: r.name, Reader: r.reader, Labels: ls, From: "a.atr"}, time.Now()); err != nil {
		t.Fatal(err)
	}
}

// editAsAna opens record c as reader ana, relabels three N beats as V,
// confirms two others and marks noise on lead 1; the expected label set
// is worked out from the model's beats, not read back.
func editAsAna(t testing.TB, db *store.DB, r *fixtureRecord) {
	t.Helper()
	s, err := annotate.Open(db, r.id, annotate.Options{Reader: r.reader})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeModel(r.model); err != nil {
		t.Fatal(err)
	}
	beats := append([]annotate.Beat(nil), r.model.Beats...)
	var relabel, confirm []int64
	for i, b := range beats {
		if b.Code == annotate.Normal && i > 10 && len(relabel) < 3 && i%5 == 0 {
			relabel = append(relabel, b.Sample)
			beats[i].Code = annotate.PVC
			r.confusion[annotate.ClassV][annotate.ClassN]++
			continue
		}
		if b.Code == annotate.Normal && i > 40 && len(confirm) < 2 {
			confirm = append(confirm, b.Sample)
		}
		r.confusion[b.Code.Class()][b.Code.Class()]++
	}
	fs := r.info.Fs
	noise := annotate.Noise{Start: sec(5, fs), End: sec(8.5, fs), Lead: 1, Reason: "noise"}
	for _, err := range []error{s.Relabel(relabel, annotate.PVC, ""), s.Confirm(confirm, "")} {
		if err != nil {
			t.Fatal(err)
		}
	}
	if _, err := s.MarkNoise(noise, ""); err != nil {
		t.Fatal(err)
	}
	r.shown = labels{beats: beats, noise: []annotate.Noise{noise}}
	r.reviewed = len(relabel) + len(confirm)
}

// mask marks [start, end) of spans clipped to n samples.
func mask(n int64, spans []annotate.Span) []bool {
	m := make([]bool, n)
	for _, s := range spans {
		for i := max(0, s.Start); i < min(n, s.End); i++ {
			m[i] = true
		}
	}
	return m
}

// share returns the percent of [lo, hi) of m that is true.
func share(m []bool, lo, hi int64) float64 {
	k := 0
	for _, v := range m[lo:hi] {
		if v {
			k++
		}
	}
	return 100 * float64(k) / float64(hi-lo)
}

// leadMask marks the samples of lead l (or of any lead when l < 0) under
// noise.
func leadMask(n int64, noise []annotate.Noise, l, leads int) []bool {
	var s []annotate.Span
	for _, x := range noise {
		if x.Lead == l || x.Lead == -1 || (l < 0 && x.Lead < leads) {
			s = append(s, annotate.Span{Start: x.Start, End: x.End})
		}
	}
	return mask(n, s)
}

func afMask(n int64, eps []annotate.Episode) []bool {
	var s []annotate.Span
	for _, e := range eps {
		if e.Rhythm == "AFIB" {
			s = append(s, annotate.Span{Start: e.Start, End: e.End})
		}
	}
	return mask(n, s)
}

// kappaOf is Cohen's kappa written out: (po - pe) / (1 - pe).
func kappaOf(m [annotate.ClassQ + 1][annotate.ClassQ + 1]int) (n int, po, k float64) {
	var rows, cols [annotate.ClassQ + 1]int
	diag := 0
	for i := range m {
		for j := range m[i] {
			n += m[i][j]
			rows[i] += m[i][j]
			cols[j] += m[i][j]
		}
		diag += m[i][i]
	}
	po = float64(diag) / float64(n)
	pe := 0.0
	for i := range rows {
		pe += float64(rows[i]) * float64(cols[i]) / float64(n*n)
	}
	return n, po, (po - pe) / (1 - pe)
}

func near(a, b float64) bool {
	return math.Abs(a-b) < 1e-9 || (math.IsNaN(a) && math.IsNaN(b))
}

// TestSummarise checks every figure of every record, and of its segments,
// against a computation on the labels written, sample by sample.
func TestSummarise(t *testing.T) {
	db, recs := buildArchive(t)
	var calls []int
	rows, segs, errs := archive.Summarise(db, archive.Options{SegmentLen: 50 * time.Second}, func(done, total int) {
		if total != len(recs) {
			t.Errorf("progress total %d, want %d", total, len(recs))
		}
		calls = append(calls, done)
	})
	if len(errs) != 0 || len(rows) != len(recs) || len(calls) != len(recs) {
		t.Fatalf("%d rows, errors %v, progress %v", len(rows), errs, calls)
	}
	byName := map[string]*archive.Row{}
	for i := range rows {
		byName[rows[i].Name] = &rows[i]
	}
	for _, f := range recs {
		t.Run(f.name, func(t *testing.T) {
			r := byName[f.name]
			if r == nil {
				t.Fatalf("no row")
			}
			checkRow(t, r, f)
			var mine []archive.Segment
			for _, s := range segs {
				if s.Row.ID == f.id {
					mine = append(mine, s)
				}
			}
			checkSegments(t, mine, f, 50*time.Second)
		})
	}
}

func checkRow(t *testing.T, r *archive.Row, f *fixtureRecord) {
	t.Helper()
	n, fs := f.info.NSamples, f.info.Fs
	if r.ID != f.id || r.Device != f.folder || r.DeviceFrom != archive.FromFolder || r.Patient != f.name || r.Site != "" {
		t.Errorf("id %s device %q from %q patient %q site %q", r.ID, r.Device, r.DeviceFrom, r.Patient, r.Site)
	}
	if !near(r.Hours, float64(n)/fs/3600) || r.LabelSet != f.reader {
		t.Errorf("hours %v, label set %q; want %v, %q", r.Hours, r.LabelSet, float64(n)/fs/3600, f.reader)
	}
	for l := range f.info.Leads {
		if want := share(leadMask(n, f.shown.noise, l, len(f.info.Leads)), 0, n); !near(r.NoisePct[l], want) {
			t.Errorf("lead %d noise %v%%, want %v%%", l, r.NoisePct[l], want)
		}
	}
	if want := share(afMask(n, f.shown.episodes), 0, n); !near(r.AFPct, want) {
		t.Errorf("AF %v%%, want %v%%", r.AFPct, want)
	}
	var counts [annotate.ClassQ + 1]int
	for _, b := range qrs(f.shown.beats) {
		counts[b.Code.Class()]++
	}
	if r.Counts != counts || r.Beats != len(qrs(f.shown.beats)) || r.Reviewed != f.reviewed {
		t.Errorf("counts %v (%d beats, %d reviewed), want %v (%d reviewed)", r.Counts, r.Beats, r.Reviewed, counts, f.reviewed)
	}
	if f.reader == "" {
		if r.AgreePairs != 0 || !math.IsNaN(r.AgreePct) || !math.IsNaN(r.Kappa) {
			t.Errorf("agreement without a reader: %d pairs, %v%%, kappa %v", r.AgreePairs, r.AgreePct, r.Kappa)
		}
		return
	}
	pairs, po, k := kappaOf(f.confusion)
	if r.AgreePairs != pairs || !near(r.AgreePct, 100*po) || !near(r.Kappa, k) || r.Confusion != f.confusion {
		t.Errorf("agreement %d pairs, %v%%, kappa %v; want %d, %v%%, %v", r.AgreePairs, r.AgreePct, r.Kappa, pairs, 100*po, k)
	}
}

func checkSegments(t *testing.T, segs []archive.Segment, f *fixtureRecord, d time.Duration) {
	t.Helper()
	n, fs, leads := f.info.NSamples, f.info.Fs, len(f.info.Leads)
	step := int64(d.Seconds() * fs)
	if want := int((n + step - 1) / step); len(segs) != want {
		t.Fatalf("%d segments, want %d", len(segs), want)
	}
	af, anyLead := afMask(n, f.shown.episodes), leadMask(n, f.shown.noise, -1, leads)
	for i, s := range segs {
		lo, hi := int64(i)*step, min(n, int64(i+1)*step)
		var counts [annotate.ClassQ + 1]int
		beats := 0
		for _, b := range qrs(f.shown.beats) {
			if b.Sample >= lo && b.Sample < hi {
				counts[b.Code.Class()]++
				beats++
			}
		}
		if s.Index != i || s.Counts != counts || s.Beats != beats || !near(s.AFPct, share(af, lo, hi)) ||
			!near(s.AnyNoisePct, share(anyLead, lo, hi)) || s.Start != time.Duration(float64(lo)/fs*1e9) {
			t.Errorf("segment %d: %+v; want counts %v, AF %v%%, any-lead noise %v%%", i, s, counts, share(af, lo, hi), share(anyLead, lo, hi))
		}
		for l := range leads {
			if want := share(leadMask(n, f.shown.noise, l, leads), lo, hi); !near(s.NoisePct[l], want) {
				t.Errorf("segment %d lead %d noise %v%%, want %v%%", i, l, s.NoisePct[l], want)
			}
		}
	}
}

// TestAgreeChunks checks the agreement paired a few seconds at a time (cut
// in the gaps between beats) is the agreement of annotate.Agree over the
// whole record, on every record of the test archive.
func TestAgreeChunks(t *testing.T) {
	db, recs := buildArchive(t)
	for _, span := range []time.Duration{700 * time.Millisecond, 3 * time.Second, 7 * time.Second} {
		restore := archive.SetAgreeSpan(span)
		rows, _, errs := archive.Summarise(db, archive.Options{}, nil)
		restore()
		if len(errs) > 0 {
			t.Fatal(errs)
		}
		for _, r := range rows {
			for _, f := range recs {
				if f.id != r.ID || f.reader == "" {
					continue
				}
				whole := annotate.Agree(qrs(f.shown.beats), qrs(f.model.Beats), int64(0.15*f.info.Fs+0.5))
				if r.Confusion != whole.Confusion || r.AgreePairs != whole.N || !near(r.Kappa, whole.Kappa) || !near(r.AgreePct, 100*whole.Observed) {
					t.Errorf("span %v, record %s: confusion %v, kappa %v; whole record %v, %v", span, f.name, r.Confusion, r.Kappa, whole.Confusion, whole.Kappa)
				}
			}
		}
	}
}

// BenchmarkSummarise sums up the test archive (three records of 2 to 3
// minutes, 50-second segments).
func BenchmarkSummarise(b *testing.B) {
	db, _ := buildArchive(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, _, errs := archive.Summarise(db, archive.Options{SegmentLen: 50 * time.Second}, nil); len(errs) > 0 {
			b.Fatal(errs)
		}
	}
}
