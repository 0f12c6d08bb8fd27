package annotate

import (
	"errors"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

// randomModel returns model output with beats near a 300-sample grid,
// random classes and sometimes an AFIB episode.
func randomModel(r *rand.Rand) ModelOutput {
	var out ModelOutput
	for i := range 40 {
		if r.IntN(5) == 0 {
			continue
		}
		code := []Code{Normal, PVC, APC}[r.IntN(3)]
		out.Beats = append(out.Beats, Beat{Sample: int64(1000+300*i) + r.Int64N(5) - 2, Code: code,
			Prov: Provenance{Source: SourceModel, Who: "beatnet@2", Confidence: r.Float32()}})
	}
	if r.IntN(2) == 0 {
		st := r.Int64N(10000)
		out.Episodes = append(out.Episodes, Episode{Start: st, End: st + 1 + r.Int64N(3000), Rhythm: "AFIB",
			Prov: Provenance{Source: SourceModel, Who: "rhythm@1"}})
	}
	return out
}

// RandomEdit applies one random reader command (or undo or redo) to s and
// returns its error, ignoring the expected refusals (no beat there...).
func randomEdit(r *rand.Rand, s *Session) error {
	beats := s.BeatsIn(0, 1<<40)
	pick := func() int64 {
		if len(beats) == 0 {
			return 1000
		}
		return beats[r.IntN(len(beats))].Sample
	}
	var err error
	switch r.IntN(9) {
	case 0:
		err = s.Relabel([]int64{pick()}, []Code{Normal, PVC, APC, Fusion}[r.IntN(4)], "")
	case 1:
		err = s.RelabelSet([]int64{pick(), pick()}, PVC, "")
	case 2:
		err = s.Insert(r.Int64N(13000), APC, "")
	case 3:
		err = s.Delete([]int64{pick()}, "")
	case 4:
		err = s.Move(pick(), r.Int64N(13000), "")
	case 5:
		err = s.Confirm([]int64{pick()}, "")
	case 6:
		err = s.Undo()
	case 7:
		err = s.Redo()
	default:
		if eps := s.Episodes(); len(eps) > 0 && r.IntN(2) == 0 {
			err = s.DeleteEpisode(eps[r.IntN(len(eps))].ID, "")
		} else {
			st := r.Int64N(10000)
			_, err = s.SetEpisode(Episode{Start: st, End: st + 500, Rhythm: "AFIB"}, "")
		}
	}
	for _, ok := range []error{ErrNoBeat, ErrBeatExists, ErrNothingToUndo, ErrNothingToRedo} {
		if errors.Is(err, ok) {
			return nil
		}
	}
	return err
}

// readerOwned returns the reader-owned beats, beat tombstones and reader
// episodes (live or deleted) of a label set.
func readerOwned(ls LabelSet) (beats []Beat, tombs []Tomb, eps []EpisodeEntry) {
	for _, b := range ls.Beats {
		if ReaderOwned(b.Prov, b.Review) {
			beats = append(beats, b)
		}
	}
	for _, e := range ls.Episodes {
		if e.Deleted || ReaderOwned(e.Prov, e.Review) {
			eps = append(eps, e)
		}
	}
	return beats, ls.Deleted, eps
}

// checkMergeKeepsReader is the property: after a merge every reader-owned
// label is unchanged, no tombstoned beat came back, and the model layer
// holds the new output.
func checkMergeKeepsReader(t *testing.T, s *Session, repo Repository, r *rand.Rand, window int64) {
	t.Helper()
	before := s.Labels()
	b0, t0, e0 := readerOwned(before)
	mergeRandom(t, s, repo, r)
	after := s.Labels()
	b1, _, e1 := readerOwned(after)
	if !reflect.DeepEqual(b0, b1) {
		t.Fatalf("merge changed reader beats:\nbefore %+v\nafter  %+v", b0, b1)
	}
	if !reflect.DeepEqual(e0, e1) {
		t.Fatalf("merge changed reader episodes:\nbefore %+v\nafter  %+v", e0, e1)
	}
	for _, tb := range t0 {
		if n0, n1 := beatsNear(before, tb.Sample, window), beatsNear(after, tb.Sample, window); n1 > n0 {
			t.Fatalf("merge put a model beat next to the beat the reader deleted at %d (%d -> %d beats)", tb.Sample, n0, n1)
		}
	}
}

// mergeRandom merges random model output into s, whole or (half the
// time) in a random region of random kinds, and checks the model layer:
// the output's labels in the region, the layer before everywhere else.
func mergeRandom(t *testing.T, s *Session, repo Repository, r *rand.Rand) {
	t.Helper()
	out := randomModel(r)
	layer0, err := repo.Model(testRec)
	if err != nil {
		t.Fatal(err)
	}
	want := out
	if r.IntN(2) == 0 {
		reg := ModelRegion{Start: r.Int64N(12000), Kinds: LabelKinds(1 + r.IntN(int(KindAll)))}
		reg.End = reg.Start + 1 + r.Int64N(4000)
		_, err = s.MergeModelRegion(out, reg)
		want = ModelOutput{
			Beats:    slices.Concat(outside(layer0.Beats, reg, KindBeats, func(b Beat) int64 { return b.Sample }), inside(out.Beats, reg, KindBeats, func(b Beat) int64 { return b.Sample })),
			Episodes: slices.Concat(outside(layer0.Episodes, reg, KindEpisodes, func(e Episode) int64 { return e.Start }), inside(out.Episodes, reg, KindEpisodes, func(e Episode) int64 { return e.Start })),
			Noise:    slices.Concat(outside(layer0.Noise, reg, KindNoise, func(n Noise) int64 { return n.Start }), inside(out.Noise, reg, KindNoise, func(n Noise) int64 { return n.Start })),
		}
		want.Beats = sortedBeats(want.Beats)
	} else {
		_, err = s.MergeModel(out)
	}
	if err != nil {
		t.Fatal(err)
	}
	got, err := repo.Model(testRec)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, want) {
		t.Fatalf("model layer after the merge:\n got %+v\nwant %+v", got, want)
	}
}

// inside returns the values of s of kind k in region reg; outside the rest.
func inside[T any](s []T, reg ModelRegion, k LabelKinds, pos func(T) int64) []T {
	var out []T
	for _, v := range s {
		if reg.Kinds&k != 0 && pos(v) >= reg.Start && pos(v) < reg.End {
			out = append(out, v)
		}
	}
	return out
}

func outside[T any](s []T, reg ModelRegion, k LabelKinds, pos func(T) int64) []T {
	var out []T
	for _, v := range s {
		if reg.Kinds&k == 0 || pos(v) < reg.Start || pos(v) >= reg.End {
			out = append(out, v)
		}
	}
	return out
}

// beatsNear counts the beats within w of x.
func beatsNear(ls LabelSet, x, w int64) int {
	n := 0
	for _, b := range ls.Beats {
		if abs64(b.Sample-x) <= w {
			n++
		}
	}
	return n
}

func TestMergeNeverReplacesReaderLabels(t *testing.T) {
	runs, steps := 200, 60
	if testing.Short() {
		runs = 40
	}
	for run := range runs {
		r := rand.New(rand.NewPCG(uint64(run), 4))
		window := int64(run % 4)
		repo := &MemRepository{}
		s, err := Open(repo, testRec, Options{Reader: "ann", MergeWindow: window, Now: fixedNow()})
		if err != nil {
			t.Fatal(err)
		}
		for range steps {
			if r.IntN(4) == 0 {
				checkMergeKeepsReader(t, s, repo, r, window)
				continue
			}
			if err := randomEdit(r, s); err != nil {
				t.Fatalf("run %d: %v", run, err)
			}
		}
		snap, err := repo.Load(testRec, "ann")
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(snap.Labels, s.Labels()) || snap.Rev != s.Revision() {
			t.Fatalf("run %d: stored label set differs from the session's", run)
		}
	}
}

func TestMergeStats(t *testing.T) {
	s := openTest(t, &MemRepository{}, "ann", 3)
	if err := s.Relabel([]int64{1000}, PVC, ""); err != nil {
		t.Fatal(err)
	}
	if err := s.Delete([]int64{1300}, ""); err != nil {
		t.Fatal(err)
	}
	m := modelBeats(4)
	m[2].Code = APC
	st, err := s.MergeModel(ModelOutput{Beats: m})
	if err != nil {
		t.Fatal(err)
	}
	want := MergeStats{Added: 1, Updated: 1, Kept: 1, Rejected: 1}
	if st != want {
		t.Errorf("stats = %+v, want %+v", st, want)
	}
	if u, _ := s.History(); u != 2 {
		t.Errorf("merge went on the undo stack: %d entries", u)
	}
}

func TestMergeModelRegionRefusesBadRegion(t *testing.T) {
	s := openTest(t, &MemRepository{}, "ann", 3)
	for name, reg := range map[string]ModelRegion{
		"empty":    {Start: 10, End: 10, Kinds: KindAll},
		"reversed": {Start: 10, End: 5, Kinds: KindBeats},
		"negative": {Start: -1, End: 5, Kinds: KindBeats},
		"no kinds": {Start: 0, End: 5},
	} {
		if _, err := s.MergeModelRegion(ModelOutput{}, reg); !errors.Is(err, ErrBadSpan) {
			t.Errorf("%s: err = %v, want ErrBadSpan", name, err)
		}
	}
}
