package annotate

import (
	"maps"
	"reflect"
	"slices"
)

// builder collects the changes of one command against a label set without
// changing it: it remembers the value before of each key the first time the
// key is touched and the latest value after, so a command may touch a key
// several times and still yield one change per key.
type builder struct {
	l      *labels
	beats  map[int64]*BeatChange
	tombs  map[int64]*TombChange
	eps    map[EpisodeID]*EpisodeChange
	noise  map[NoiseID]*NoiseChange
	status *StatusChange
}

func newBuilder(l *labels) *builder {
	return &builder{
		l:     l,
		beats: map[int64]*BeatChange{},
		tombs: map[int64]*TombChange{},
		eps:   map[EpisodeID]*EpisodeChange{},
		noise: map[NoiseID]*NoiseChange{},
	}
}

// beat returns the beat at sample as it is with the pending changes.
func (b *builder) beat(sample int64) (Beat, bool) {
	if c, ok := b.beats[sample]; ok {
		if c.After == nil {
			return Beat{}, false
		}
		return *c.After, true
	}
	return b.l.beat(sample)
}

func (b *builder) putBeat(sample int64, after *Beat) {
	c, ok := b.beats[sample]
	if !ok {
		c = &BeatChange{Sample: sample}
		if old, ok := b.l.beat(sample); ok {
			c.Before = &old
		}
		b.beats[sample] = c
	}
	c.After = after
}

func (b *builder) tomb(sample int64) (Tomb, bool) {
	if c, ok := b.tombs[sample]; ok {
		if c.After == nil {
			return Tomb{}, false
		}
		return *c.After, true
	}
	t, ok := b.l.tombs[sample]
	return t, ok
}

func (b *builder) putTomb(sample int64, after *Tomb) {
	c, ok := b.tombs[sample]
	if !ok {
		c = &TombChange{Sample: sample}
		if old, ok := b.l.tombs[sample]; ok {
			c.Before = &old
		}
		b.tombs[sample] = c
	}
	c.After = after
}

func (b *builder) episode(id EpisodeID) (EpisodeEntry, bool) {
	if c, ok := b.eps[id]; ok {
		if c.After == nil {
			return EpisodeEntry{}, false
		}
		return *c.After, true
	}
	e, ok := b.l.eps[id]
	return e, ok
}

func (b *builder) putEpisode(id EpisodeID, after *EpisodeEntry) {
	c, ok := b.eps[id]
	if !ok {
		c = &EpisodeChange{ID: id}
		if old, ok := b.l.eps[id]; ok {
			c.Before = &old
		}
		b.eps[id] = c
	}
	c.After = after
}

func (b *builder) putNoise(id NoiseID, after *NoiseEntry) {
	c, ok := b.noise[id]
	if !ok {
		c = &NoiseChange{ID: id}
		if old, ok := b.l.noise[id]; ok {
			c.Before = &old
		}
		b.noise[id] = c
	}
	c.After = after
}

func (b *builder) setStatus(s Status) {
	if b.status == nil {
		b.status = &StatusChange{Before: b.l.status}
	}
	b.status.After = s
}

// diff returns the collected changes sorted by key, leaving out those whose
// after equals their before.
func (b *builder) diff() Diff {
	var d Diff
	for _, k := range slices.Sorted(maps.Keys(b.beats)) {
		if c := b.beats[k]; !samePtr(c.Before, c.After) {
			d.Beats = append(d.Beats, *c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b.tombs)) {
		if c := b.tombs[k]; !samePtr(c.Before, c.After) {
			d.Tombs = append(d.Tombs, *c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b.eps)) {
		if c := b.eps[k]; !samePtr(c.Before, c.After) {
			d.Episodes = append(d.Episodes, *c)
		}
	}
	for _, k := range slices.Sorted(maps.Keys(b.noise)) {
		if c := b.noise[k]; !samePtr(c.Before, c.After) {
			d.Noise = append(d.Noise, *c)
		}
	}
	if b.status != nil && !sameStatus(b.status.Before, b.status.After) {
		d.Status = b.status
	}
	return d
}

// samePtr reports whether two optional values are both absent or equal.
func samePtr[T any](a, b *T) bool {
	if a == nil || b == nil {
		return a == b
	}
	return reflect.DeepEqual(*a, *b)
}

func sameStatus(a, b Status) bool {
	return a.State == b.State && a.By == b.By && a.At.Equal(b.At)
}
