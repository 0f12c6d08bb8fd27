package archive_test

import (
	"crypto/sha256"
	"encoding/hex"
	"path/filepath"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/export"
)

// BenchmarkSummarise14Days sums up one 14-day record at 250 Hz (1.45
// million beats in the model layer and again in an imported reader set,
// an AF episode every ten hours, a noise stretch an hour): the agreement
// reads an hour at a time (go test -bench 14Days -memprofile shows where
// the allocations are).
// Building the database takes about 8 s before the timer starts.
func BenchmarkSummarise14Days(b *testing.B) {
	db := longArchive(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		rows, _, errs := archive.Summarise(db, archive.Options{}, nil)
		if len(errs) > 0 || rows[0].AgreePairs < 1_400_000 {
			b.Fatal(errs, rows)
		}
	}
}

// longArchive writes the 14-day record of BenchmarkSummarise14Days.
func longArchive(b *testing.B) *store.DB {
	db, err := store.OpenDB(filepath.Join(b.TempDir(), "labels.db"), store.DBOptions{})
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { db.Close() })
	const fs = 250.0
	n := int64(14 * 24 * 3600 * fs)
	sum := sha256.Sum256([]byte("holter14"))
	id := annotate.RecordID(hex.EncodeToString(sum[:]))
	info := annotate.RecordInfo{Name: "holter14", Format: "WFDB", Fs: fs, NSamples: n,
		Leads: []annotate.Lead{{Name: "I", Gain: 200}, {Name: "II", Gain: 200}, {Name: "V1", Gain: 200}}}
	if err := db.PutRecord(id, "/archive/devX/holter14", info); err != nil {
		b.Fatal(err)
	}
	var model, ref []annotate.Beat
	for s, i := int64(100), 0; s < n; s, i = s+200+int64(i%7)*3, i+1 {
		c := annotate.Normal
		if i%40 == 0 {
			c = annotate.PVC
		}
		model = append(model, annotate.Beat{Sample: s, Code: c, Prov: annotate.Provenance{Source: annotate.SourceModel,
			Who: "beatnet@1", Confidence: 0.9, Probs: []float32{0.9, 0.05, 0.03, 0.01, 0.01}}})
		if i%97 == 0 {
			c = annotate.APC
		}
		ref = append(ref, annotate.Beat{Sample: s + int64(i%3), Code: c, Prov: annotate.Provenance{Source: annotate.SourceReference, Who: "atr"}})
	}
	var ls annotate.LabelSet
	out := annotate.ModelOutput{Beats: model}
	for h := int64(0); h < 14*24; h++ {
		at := int64(float64(h) * 3600 * fs)
		if h%10 == 0 {
			e := annotate.Episode{Start: at, End: at + int64(3600*fs), Rhythm: "AFIB"}
			out.Episodes = append(out.Episodes, e)
			ls.Episodes = append(ls.Episodes, annotate.EpisodeEntry{ID: annotate.EpisodeID(len(ls.Episodes) + 1), Episode: e})
		}
		out.Noise = append(out.Noise, annotate.Noise{Start: at + 60*fs, End: at + 90*fs, Lead: int(h % 3), Reason: "noise"})
	}
	if err := db.SaveModelOutput(id, out, "beatnet@1"); err != nil {
		b.Fatal(err)
	}
	ls.Beats = ref
	if _, err := export.Merge(db, export.Incoming{Record: id, Name: "holter14", Reader: "reference", Labels: ls, From: "holter14.atr"}, time.Now()); err != nil {
		b.Fatal(err)
	}
	return db
}
