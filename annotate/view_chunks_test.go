package annotate

import (
	"math/rand/v2"
	"reflect"
	"sync"
	"testing"
)

// TestApplyBeatsSplice checks the splice that applies many beat changes
// (a model merge) against applying the same changes one by one, for
// changes in one stretch (a pipeline chunk: at the end, at the start, in
// the middle) and scattered over the whole set, with inserts, updates and
// deletes, and changes given out of order.
func TestApplyBeatsSplice(t *testing.T) {
	cases := []struct {
		name     string
		from, to int64 // the stretch the changes fall in
	}{
		{"chunk after every beat", 400_000, 500_000},
		{"chunk before every beat", 0, 90_000},
		{"chunk in the middle", 150_000, 250_000},
		{"scattered", 0, 500_000},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(c.from)))
			var beats []Beat
			for s := int64(100_000); s < 400_000; s += 100 + r.Int64N(200) {
				beats = append(beats, Beat{Sample: s, Code: Normal})
			}
			cs := randomChanges(r, beats, c.from, c.to)
			want := &labels{beats: slicesClone(beats)}
			for _, ch := range cs {
				want.applyBeats([]BeatChange{ch}) // one by one: the small path
			}
			got := &labels{beats: slicesClone(beats)}
			got.applyBeats(cs)
			if !reflect.DeepEqual(got.beats, want.beats) {
				t.Fatalf("%d changes: the splice gives %d beats, one by one %d", len(cs), len(got.beats), len(want.beats))
			}
		})
	}
}

// randomChanges returns about 400 changes of beats in [from, to): new
// beats, relabelled ones and deleted ones, in random order.
func randomChanges(r *rand.Rand, beats []Beat, from, to int64) []BeatChange {
	var cs []BeatChange
	seen := map[int64]bool{}
	for len(cs) < 400 {
		s := from + r.Int64N(to-from)
		if i, _ := (&labels{beats: beats}).find(s); r.IntN(2) == 0 && i < len(beats) && beats[i].Sample < to {
			s = beats[i].Sample // an existing beat
		}
		if seen[s] {
			continue
		}
		seen[s] = true
		switch r.IntN(3) {
		case 0:
			cs = append(cs, BeatChange{Sample: s}) // delete (nothing when there is no beat)
		default:
			cs = append(cs, BeatChange{Sample: s, After: &Beat{Sample: s, Code: PVC}})
		}
	}
	return cs
}

func slicesClone(b []Beat) []Beat { return append([]Beat(nil), b...) }

// TestLabelViewFollowsChunks runs a pre-annotation as the window does:
// region merges of chunks of 300 beats (out of order: the reader's focus
// moves) into a session while its view's owner goroutine relabels beats
// the chunks already brought. The view catches up by the session's diffs;
// every edit must be stored as the reader made it (no chunk after it
// overwrites it) and at the end the view shows exactly the session's
// labels.
func TestLabelViewFollowsChunks(t *testing.T) {
	s := openTest(t, &MemRepository{}, "ann", 0)
	v := NewLabelView(nil)
	o := newOwner()
	defer func() { close(o.jobs); <-o.done }()
	o.run(func() { v.Open(s, func(f func()) { o.jobs <- f }) })
	const chunk = 300 * 250
	order := []int{0, 1, 2, 7, 8, 9, 3, 4, 5, 6, 10, 11}
	var wg sync.WaitGroup
	wg.Add(1)
	go func() { // the pipeline
		defer wg.Done()
		for _, i := range order {
			out := ModelOutput{}
			for k := range 300 {
				out.Beats = append(out.Beats, Beat{Sample: int64(i)*chunk + int64(k)*250 + 7, Code: Normal,
					Prov: Provenance{Source: SourceModel, Who: "beatnet@2", Confidence: 0.9}})
			}
			if _, err := s.MergeModelRegion(out, ModelRegion{Start: int64(i) * chunk, End: int64(i+1) * chunk, Kinds: KindBeats}); err != nil {
				t.Error(err)
			}
			v.Changed()
		}
	}()
	edited := map[int64]Code{}
	for n := 0; len(edited) < 40; n++ {
		var at int64 = -1
		o.run(func() {
			if all := v.All(); len(all) > 0 {
				at = all[(n*37)%len(all)].Sample
			}
		})
		if at < 0 || edited[at] != 0 {
			continue
		}
		c := []Code{PVC, APC}[n%2]
		edited[at] = c
		o.run(func() { v.Do(Relabel{Samples: []int64{at}, Code: c}, nil) })
	}
	wg.Wait()
	waitFor(t, "the edits stored and the last chunk read", func() bool {
		rev, saving := uint64(0), 0
		o.run(func() { rev, saving = v.Revision(), v.Saving() })
		v.Changed()
		return saving == 0 && rev == s.Revision()
	})
	o.run(func() {
		sameState(t, "after the chunks", stateOfView(v), stateOfSession(s))
		v.Close()
	})
	if n := s.NumBeats(); n != len(order)*300 {
		t.Errorf("the session holds %d beats, want %d", n, len(order)*300)
	}
	for at, c := range edited {
		if b, ok := s.Beat(at); !ok || b.Code != c || !ReaderOwned(b.Prov, b.Review) {
			t.Errorf("the reader's %s at %d was lost: %+v", c, at, b)
		}
	}
}

// TestRecentLog checks the session's log of recent diffs: the diffs after
// a revision, oldest first, and none once a gap or the bound cut them.
func TestRecentLog(t *testing.T) {
	var r recentLog
	for rev := uint64(1); rev <= 5; rev++ {
		r.add(rev, Diff{Beats: []BeatChange{{Sample: int64(rev)}}})
	}
	if ds, ok := r.since(2); !ok || len(ds) != 3 || ds[0].Beats[0].Sample != 3 {
		t.Errorf("since(2) = %v, %v: want the diffs of revisions 3, 4 and 5", ds, ok)
	}
	r.add(9, Diff{}) // revisions 6 to 8 never came here
	if _, ok := r.since(2); ok {
		t.Error("since(2) after a gap in the revisions: want false")
	}
	r.add(10, Diff{Beats: make([]BeatChange, recentMax+1)})
	if _, ok := r.since(8); ok || len(r.diffs) != 1 {
		t.Errorf("a diff of more than recentMax beats keeps %d diffs, want only itself", len(r.diffs))
	}
}
