package store

import (
	"math/rand/v2"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// randomOutput returns model output for [from, to): beats about 300
// samples apart with random classes, and a few episodes and noise stretches.
func randomOutput(r *rand.Rand, from, to int64) annotate.ModelOutput {
	var out annotate.ModelOutput
	for s := from + r.Int64N(300); s < to; s += 200 + r.Int64N(200) {
		out.Beats = append(out.Beats, annotate.Beat{Sample: s, Code: []annotate.Code{annotate.Normal, annotate.PVC, annotate.APC}[r.IntN(3)],
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@2", Confidence: r.Float32()}})
	}
	for range r.IntN(3) {
		st := from + r.Int64N(to-from)
		out.Episodes = append(out.Episodes, annotate.Episode{Start: st, End: st + 1 + r.Int64N(5000), Rhythm: "AFIB",
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "rhythm@1"}})
		out.Noise = append(out.Noise, annotate.Noise{Start: st, End: st + 1 + r.Int64N(900), Lead: r.IntN(2),
			Reason: "flat", Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "quality@1"}})
	}
	return out
}

// TestModelRegionMatchesMemory commits region merges of random spans and
// kinds (many crossing the 512-beat blocks) through a session on the
// database and one on a MemRepository, whose model layer is
// annotate.ModelRegion.Replace by definition, and checks the two model
// layers agree after every merge and after a reopen.
func TestModelRegionMatchesMemory(t *testing.T) {
	const end = 1_200_000 // about 4000 beats: 8 blocks
	for run := range 4 {
		r := rand.New(rand.NewPCG(uint64(run), 9))
		db, path := openTestDB(t)
		id := newRecord(t, db, run, 0)
		mem := &annotate.MemRepository{}
		whole := randomOutput(r, 0, end)
		sd, sm := openBoth(t, db, mem, id)
		mergeBoth(t, sd, sm, whole, nil)
		for i := range 30 {
			reg := annotate.ModelRegion{Start: r.Int64N(end), Kinds: annotate.LabelKinds(1 + r.IntN(int(annotate.KindAll)))}
			reg.End = reg.Start + 1 + r.Int64N([]int64{2000, 100_000, 400_000}[i%3])
			out := randomOutput(r, reg.Start, reg.End)
			if i%4 == 3 { // a rhythm chunk: episodes, and relabels of some beats (and of none)
				reg.Kinds = annotate.KindEpisodes | annotate.KindRelabel
				out.Beats = relabels(r, reg.Clip(annotate.ModelOutput{Beats: whole.Beats}).Beats, out.Beats)
			}
			mergeBoth(t, sd, sm, out, &reg)
			sameModel(t, db, mem, id)
		}
		db = reopen(t, db, path)
		sameModel(t, db, mem, id)
	}
	t.Run("relabel before the first beat", func(t *testing.T) {
		db, _ := openTestDB(t)
		id := newRecord(t, db, 1, 0)
		mem := &annotate.MemRepository{}
		sd, sm := openBoth(t, db, mem, id)
		mergeBoth(t, sd, sm, annotate.ModelOutput{Beats: modelBeats(10)}, nil) // beats from 1000
		rule := annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1+svt-run"}
		out := annotate.ModelOutput{Beats: []annotate.Beat{{Sample: 700, Code: annotate.APC, Prov: rule},
			{Sample: 1300, Code: annotate.APC, Prov: rule}}}
		mergeBoth(t, sd, sm, out, &annotate.ModelRegion{Start: 0, End: 5000, Kinds: annotate.KindEpisodes | annotate.KindRelabel})
		sameModel(t, db, mem, id)
		if got, _ := db.Model(id); got.Beats[1].Sample != 1300 || got.Beats[1].Code != annotate.APC {
			t.Errorf("model layer's beat at %d is %v, want S by the rule", got.Beats[1].Sample, got.Beats[1].Code)
		}
	})
}

// relabels returns about a third of beats relabelled S by the SVT run
// rule, and the beats of other (after them, at samples that may hold no
// beat).
func relabels(r *rand.Rand, beats, other []annotate.Beat) []annotate.Beat {
	var out []annotate.Beat
	for _, b := range beats {
		if r.IntN(3) == 0 {
			out = append(out, annotate.Beat{Sample: b.Sample, Code: annotate.APC,
				Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@2+svt-run"}})
		}
	}
	return append(out, other...)
}

func openBoth(t *testing.T, db *DB, mem *annotate.MemRepository, id annotate.RecordID) (*annotate.Session, *annotate.Session) {
	t.Helper()
	sd, err := annotate.Open(db, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	sm, err := annotate.Open(mem, id, annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	return sd, sm
}

// mergeBoth merges out into both sessions, whole when reg is nil.
func mergeBoth(t *testing.T, sd, sm *annotate.Session, out annotate.ModelOutput, reg *annotate.ModelRegion) {
	t.Helper()
	for _, s := range []*annotate.Session{sd, sm} {
		var err error
		if reg == nil {
			_, err = s.MergeModel(out)
		} else {
			_, err = s.MergeModelRegion(out, *reg)
		}
		if err != nil {
			t.Fatal(err)
		}
	}
}

func sameModel(t *testing.T, db *DB, mem *annotate.MemRepository, id annotate.RecordID) {
	t.Helper()
	got, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := mem.Model(id)
	if len(got.Beats) != len(want.Beats) || !reflect.DeepEqual(got, want) {
		t.Fatalf("model layer in the database (%d beats, %d episodes, %d noise) differs from the one in memory (%d, %d, %d)",
			len(got.Beats), len(got.Episodes), len(got.Noise), len(want.Beats), len(want.Episodes), len(want.Noise))
	}
}

func TestSaveModelRegion(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 2000) // beats at 1000, 1300, ... 600700
	reg := annotate.ModelRegion{Start: 100_000, End: 200_000, Kinds: annotate.KindBeats}
	out := annotate.ModelOutput{Beats: []annotate.Beat{{Sample: 150_001, Code: annotate.PVC,
		Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@2"}}}}
	if err := db.SaveModelRegion(id, out, reg, "beatnet@2"); err != nil {
		t.Fatal(err)
	}
	got, err := db.Model(id)
	if err != nil {
		t.Fatal(err)
	}
	want := reg.Replace(annotate.ModelOutput{Beats: modelBeats(2000)}, out)
	if !reflect.DeepEqual(got.Beats, want.Beats) {
		t.Fatalf("got %d beats, want %d", len(got.Beats), len(want.Beats))
	}
	var kinds []string
	for e, err := range db.Audit(id, 1) {
		if err != nil {
			t.Fatal(err)
		}
		kinds = append(kinds, e.Kind)
	}
	if len(kinds) != 2 || kinds[1] != "model region" {
		t.Errorf("audit kinds = %v, want [model, model region]", kinds)
	}
	if err := db.SaveModelRegion(testID(99), out, reg, "x"); err == nil {
		t.Error("region saved on a record that is not in the database")
	}
}

// BenchmarkModelRegion stores one 5-minute chunk (about 350 beats at 360
// Hz) as a region of a day's model layer, as each pipeline chunk now is,
// against "whole": saving the whole day's layer, which the GUI did once
// at the end of a run before.
func BenchmarkModelRegion(b *testing.B) {
	db, _ := openTestDB(b)
	id := newRecord(b, db, 1, dayBeats)
	day := modelBeats(dayBeats)
	regs := make([]annotate.ModelRegion, 200)
	chunks := make([]annotate.ModelOutput, len(regs))
	for i := range regs {
		start := 1000 + int64(i)*108_000 // 5 min at 360 Hz
		regs[i] = annotate.ModelRegion{Start: start, End: start + 108_000, Kinds: annotate.KindBeats | annotate.KindNoise}
		chunks[i] = regs[i].Clip(annotate.ModelOutput{Beats: day})
	}
	b.Run("region", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			mustDo(b, db.SaveModelRegion(id, chunks[i%len(regs)], regs[i%len(regs)], "beatnet@1"))
			i++
		}
	})
	b.Run("whole", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			mustDo(b, db.SaveModelOutput(id, annotate.ModelOutput{Beats: day}, "beatnet@1"))
		}
	})
}

// TestModelDone checks that ModelDone marks a layer stored region by
// region complete: the newest audit entry is the "model" entry
// SaveModelOutput writes, with the counts, and the layer is not rewritten.
func TestModelDone(t *testing.T) {
	db, _ := openTestDB(t)
	id := newRecord(t, db, 1, 0)
	out := annotate.ModelOutput{Beats: modelBeats(600)}
	reg := annotate.ModelRegion{Start: 0, End: 1 << 40, Kinds: annotate.KindBeats}
	mustDo(t, db.SaveModelRegion(id, out, reg, "beatnet@2"))
	mustDo(t, db.ModelDone(id, "beatnet@2", 600, 3, 4))
	var last AuditEntry
	for e, err := range db.Audit(id, 1) { // oldest first
		mustDo(t, err)
		last = e
	}
	if last.Kind != "model" || last.Who != "beatnet@2" || last.Note != "600 beats, 3 episodes, 4 noise" {
		t.Errorf("newest audit entry %+v, want the model entry of 600 beats, 3 episodes, 4 noise", last)
	}
	if m, err := db.Model(id); err != nil || !reflect.DeepEqual(m.Beats, out.Beats) {
		t.Errorf("model layer after ModelDone: %d beats (%v), want the %d stored", len(m.Beats), err, len(out.Beats))
	}
	if err := db.ModelDone(testID(99), "x", 0, 0, 0); err == nil {
		t.Error("ModelDone of an unknown record: no error")
	}
}
