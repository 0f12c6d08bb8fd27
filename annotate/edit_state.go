package annotate

import (
	"cmp"
	"maps"
	"slices"
)

// labels is the in-memory form of a LabelSet, kept by the Session and by
// MemRepository: beats in a sorted slice (for range queries), the rest in
// maps.
type labels struct {
	beats  []Beat
	tombs  map[int64]Tomb
	eps    map[EpisodeID]EpisodeEntry
	noise  map[NoiseID]NoiseEntry
	status Status
}

func newLabels(ls LabelSet) *labels {
	l := &labels{
		beats:  sortedBeats(ls.Beats),
		tombs:  make(map[int64]Tomb, len(ls.Deleted)),
		eps:    make(map[EpisodeID]EpisodeEntry, len(ls.Episodes)),
		noise:  make(map[NoiseID]NoiseEntry, len(ls.Noise)),
		status: ls.Status,
	}
	for _, t := range ls.Deleted {
		l.tombs[t.Sample] = t
	}
	for _, e := range ls.Episodes {
		l.eps[e.ID] = e
	}
	for _, n := range ls.Noise {
		l.noise[n.ID] = n
	}
	return l
}

// set returns a deep enough copy of l as a LabelSet (beats share Probs).
func (l *labels) set() LabelSet {
	ls := LabelSet{Beats: slices.Clone(l.beats), Status: l.status}
	for _, k := range slices.Sorted(maps.Keys(l.tombs)) {
		ls.Deleted = append(ls.Deleted, l.tombs[k])
	}
	for _, k := range slices.Sorted(maps.Keys(l.eps)) {
		ls.Episodes = append(ls.Episodes, l.eps[k])
	}
	for _, k := range slices.Sorted(maps.Keys(l.noise)) {
		ls.Noise = append(ls.Noise, l.noise[k])
	}
	return ls
}

// find returns the index of the beat at sample, or where it would go.
func (l *labels) find(sample int64) (int, bool) {
	return slices.BinarySearchFunc(l.beats, sample, func(b Beat, s int64) int {
		return cmp.Compare(b.Sample, s)
	})
}

// beat returns the beat at sample.
func (l *labels) beat(sample int64) (Beat, bool) {
	i, ok := l.find(sample)
	if !ok {
		return Beat{}, false
	}
	return l.beats[i], true
}

// apply writes every After value of d.
func (l *labels) apply(d Diff) {
	l.applyBeats(d.Beats)
	for _, c := range d.Tombs {
		if c.After == nil {
			delete(l.tombs, c.Sample)
		} else {
			l.tombs[c.Sample] = *c.After
		}
	}
	for _, c := range d.Episodes {
		if c.After == nil {
			delete(l.eps, c.ID)
		} else {
			l.eps[c.ID] = *c.After
		}
	}
	for _, c := range d.Noise {
		if c.After == nil {
			delete(l.noise, c.ID)
		} else {
			l.noise[c.ID] = *c.After
		}
	}
	if d.Status != nil {
		l.status = d.Status.After
	}
}

// applyBeats applies beat changes one by one when they are few, and by one
// splice when they are many (a model merge): only the stretch of the
// sorted slice between the first and the last change is merged anew, in
// place, so a chunk of a pre-annotation costs its own beats (and moving
// the beats after it, none when chunks come in order), not a copy of the
// whole label set.
func (l *labels) applyBeats(cs []BeatChange) {
	if len(cs) <= 32 {
		for _, c := range cs {
			i, ok := l.find(c.Sample)
			switch {
			case c.After == nil && ok:
				l.beats = slices.Delete(l.beats, i, i+1)
			case c.After != nil && ok:
				l.beats[i] = *c.After
			case c.After != nil:
				l.beats = slices.Insert(l.beats, i, *c.After)
			}
		}
		return
	}
	if !slices.IsSortedFunc(cs, byChangeSample) {
		cs = slices.Clone(cs)
		slices.SortFunc(cs, byChangeSample)
	}
	i0, _ := l.find(cs[0].Sample)
	i1, found := l.find(cs[len(cs)-1].Sample)
	if found {
		i1++
	}
	l.beats = slices.Replace(l.beats, i0, i1, spliceBeats(l.beats[i0:i1], cs)...)
}

// spliceBeats returns old (sorted beats) with the changes cs (sorted by
// sample, spanning old) written in.
func spliceBeats(old []Beat, cs []BeatChange) []Beat {
	out := make([]Beat, 0, len(old)+len(cs))
	i := 0
	for _, c := range cs {
		for i < len(old) && old[i].Sample < c.Sample {
			out = append(out, old[i])
			i++
		}
		if i < len(old) && old[i].Sample == c.Sample {
			i++
		}
		if c.After != nil {
			out = append(out, *c.After)
		}
	}
	return append(out, old[i:]...)
}

func byChangeSample(a, b BeatChange) int { return cmp.Compare(a.Sample, b.Sample) }

// nextEpisodeID returns one more than the largest episode ID in use.
func (l *labels) nextEpisodeID() EpisodeID {
	var m EpisodeID
	for id := range l.eps {
		m = max(m, id)
	}
	return m + 1
}

// nextNoiseID returns one more than the largest noise ID in use.
func (l *labels) nextNoiseID() NoiseID {
	var m NoiseID
	for id := range l.noise {
		m = max(m, id)
	}
	return m + 1
}

// Apply returns ls with the After values of ds written in order: how a
// Repository that keeps recent diffs apart from a stored label set reads
// the label set they make. ls is not changed.
func Apply(ls LabelSet, ds ...Diff) LabelSet {
	l := newLabels(ls)
	for _, d := range ds {
		l.apply(d)
	}
	return l.set()
}
