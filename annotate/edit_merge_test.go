package annotate

import (
	"errors"
	"math/rand/v2"
	"reflect"
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
func checkMergeKeepsReader(t *testing.T, s *Session, r *rand.Rand, window int64) {
	t.Helper()
	before := s.Labels()
	b0, t0, e0 := readerOwned(before)
	if _, err := s.MergeModel(randomModel(r)); err != nil {
		t.Fatal(err)
	}
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
				checkMergeKeepsReader(t, s, r, window)
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
