package annotate

import (
	"reflect"
	"slices"
	"testing"
)

// samplesOf returns the samples of beats.
func samplesOf(beats []Beat) []int64 {
	var out []int64
	for _, b := range beats {
		out = append(out, b.Sample)
	}
	return out
}

// TestReplaceModelRegion: a run on other leads replaces the previous run's
// machine beats in its region; what a reader labelled, confirmed or
// deleted stays, and so do the beats outside the region or at its edges.
func TestReplaceModelRegion(t *testing.T) {
	// Run 1 (a noise channel): beats every 300 samples from 1000 to 3100,
	// plus detector beats at 1150 and 1203 (within the merge window of the
	// region's start: a neighbouring chunk's suggestion may take it). Run 2 (the ECG lead) finds 1001, 1600,
	// 2200 only, inside the region [1200, 2800).
	run2 := []Beat{{Sample: 1001, Code: Normal, Prov: Provenance{Source: SourceModel, Who: "beatnet@2"}},
		{Sample: 1600, Code: PVC, Prov: Provenance{Source: SourceModel, Who: "beatnet@2"}},
		{Sample: 2200, Code: Normal, Prov: Provenance{Source: SourceModel, Who: "beatnet@2"}}}
	region := ModelRegion{Start: 1200, End: 2800, Kinds: KindBeats | KindNoise}
	for _, tc := range []struct {
		name    string
		reader  func(*Session) error
		replace bool
		want    []int64 // live beats after the rerun
		removed int
	}{
		{"stale model beats go", nil, true, []int64{1000, 1150, 1203, 1600, 2200, 2800, 3100}, 3},
		{"plain merge keeps them", nil, false, []int64{1000, 1150, 1203, 1300, 1600, 1900, 2200, 2500, 2800, 3100}, 0},
		{"reader label at the same place stays", func(s *Session) error { return s.Relabel([]int64{1300}, APC, "") },
			true, []int64{1000, 1150, 1203, 1300, 1600, 2200, 2800, 3100}, 2},
		{"confirmed beat stays", func(s *Session) error { return s.Confirm([]int64{1900}, "") },
			true, []int64{1000, 1150, 1203, 1600, 1900, 2200, 2800, 3100}, 2},
		{"reader's inserted beat stays", func(s *Session) error { return s.Insert(2000, Normal, "") },
			true, []int64{1000, 1150, 1203, 1600, 2000, 2200, 2800, 3100}, 3},
	} {
		t.Run(tc.name, func(t *testing.T) {
			repo := &MemRepository{}
			run1 := append(modelBeats(8), Beat{Sample: 1150, Code: Unclassified, Prov: Provenance{Source: SourceDetector}},
				Beat{Sample: 1203, Code: Unclassified, Prov: Provenance{Source: SourceDetector}})
			s, err := Open(repo, testRec, Options{Reader: "ann", MergeWindow: 5, Now: fixedNow()})
			if err != nil {
				t.Fatal(err)
			}
			if _, err := s.MergeModel(ModelOutput{Beats: run1}); err != nil {
				t.Fatal(err)
			}
			if tc.reader != nil {
				if err := tc.reader(s); err != nil {
					t.Fatal(err)
				}
			}
			merge := s.MergeModelRegion
			if tc.replace {
				merge = s.ReplaceModelRegion
			}
			st, err := merge(ModelOutput{Beats: run2}, region)
			if err != nil {
				t.Fatal(err)
			}
			if got := samplesOf(s.BeatsIn(0, 1<<40)); !slices.Equal(got, tc.want) {
				t.Errorf("beats = %v, want %v", got, tc.want)
			}
			if st.Removed != tc.removed {
				t.Errorf("removed = %d, want %d (%s)", st.Removed, tc.removed, st)
			}
			snap, err := repo.Load(testRec, "ann")
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(snap.Labels, s.Labels()) {
				t.Error("the stored label set differs from the session's")
			}
			if len(snap.Labels.Deleted) != 0 {
				t.Errorf("a replaced beat left a tombstone (a reader deletion): %v", snap.Labels.Deleted)
			}
		})
	}
}

// TestReplaceKeepsUndo: the rerun is not on the undo stack, and the
// reader's own command before it still undoes exactly: the relabelled
// beat the rerun kept gets its model label back.
func TestReplaceKeepsUndo(t *testing.T) {
	s := openTest(t, &MemRepository{}, "ann", 4) // 1000 1300 1600 1900
	if err := s.Relabel([]int64{1300}, APC, ""); err != nil {
		t.Fatal(err)
	}
	st, err := s.ReplaceModelRegion(ModelOutput{Beats: modelBeats(1)}, ModelRegion{Start: 0, End: 5000, Kinds: KindBeats})
	if err != nil {
		t.Fatal(err)
	}
	if st.Removed != 2 {
		t.Fatalf("removed %d, want 2 (1600 and 1900)", st.Removed)
	}
	if err := s.Undo(); err != nil {
		t.Fatal(err)
	}
	got := s.BeatsIn(0, 1<<40)
	if !slices.Equal(samplesOf(got), []int64{1000, 1300}) || got[1].Code != Normal || got[1].Prov.Source != SourceModel {
		t.Errorf("after undo: %+v, want 1000 and the model's N at 1300", got)
	}
	if err := s.Undo(); err == nil {
		t.Error("the rerun went on the undo stack")
	}
}

// TestReplaceRefusesSignedOff: a signed-off label set takes no replacing
// merge either.
func TestReplaceRefusesSignedOff(t *testing.T) {
	s := openTest(t, &MemRepository{}, "ann", 3)
	if err := s.SignOff(""); err != nil {
		t.Fatal(err)
	}
	before := s.Labels()
	if _, err := s.ReplaceModelRegion(ModelOutput{}, ModelRegion{Start: 0, End: 5000, Kinds: KindBeats}); err == nil {
		t.Error("a signed-off label set took a replacing merge")
	}
	if !reflect.DeepEqual(before, s.Labels()) {
		t.Error("the refused merge changed the labels")
	}
}

// TestReplaceEpisodesAndNoise: a replacing merge also replaces the old
// run's machine episodes and noise stretches in its region (a false run,
// noise flagged on the channel no longer read); a suggestion equal to
// what is there keeps it, and reader episodes stay.
func TestReplaceEpisodesAndNoise(t *testing.T) {
	model := Provenance{Source: SourceModel, Who: "rhythm@1"}
	run1 := ModelOutput{
		Episodes: []Episode{{Start: 1000, End: 2000, Rhythm: "VT", Prov: model}, {Start: 3000, End: 4000, Rhythm: "AFIB", Prov: model}},
		Noise:    []Noise{{Start: 500, End: 900, Lead: 0, Reason: "noise", Prov: model}, {Start: 5000, End: 5200, Lead: 1, Reason: "noise", Prov: model}},
	}
	run2 := ModelOutput{
		Episodes: []Episode{{Start: 3000, End: 4100, Rhythm: "AFIB", Prov: model}},
		Noise:    []Noise{{Start: 5000, End: 5200, Lead: 1, Reason: "noise", Prov: model}, {Start: 6000, End: 6100, Lead: 1, Reason: "noise", Prov: model}},
	}
	s, err := Open(&MemRepository{}, testRec, Options{Reader: "ann", Now: fixedNow()})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeModel(run1); err != nil {
		t.Fatal(err)
	}
	if _, err := s.SetEpisode(Episode{Start: 7000, End: 8000, Rhythm: "SVTA"}, ""); err != nil {
		t.Fatal(err)
	}
	all := ModelRegion{Start: 0, End: 10000, Kinds: KindAll}
	st, err := s.ReplaceModelRegion(run2, all)
	if err != nil {
		t.Fatal(err)
	}
	var eps []string
	for _, e := range s.Episodes() {
		if !e.Deleted {
			eps = append(eps, e.Rhythm)
		}
	}
	slices.Sort(eps)
	if !slices.Equal(eps, []string{"AFIB", "SVTA"}) {
		t.Errorf("episodes %v, want AFIB (updated) and SVTA (the reader's)", eps)
	}
	var noise []int64
	for _, n := range s.Labels().Noise {
		if !n.Deleted {
			noise = append(noise, n.Start)
		}
	}
	slices.Sort(noise)
	if !slices.Equal(noise, []int64{5000, 6000}) {
		t.Errorf("noise stretches start at %v, want 5000 (kept) and 6000 (added)", noise)
	}
	if st.Removed != 2 {
		t.Errorf("removed %d, want 2 (the VT run, the stretch at 500): %s", st.Removed, st)
	}
}
