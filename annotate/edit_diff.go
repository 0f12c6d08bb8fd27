package annotate

import (
	"cmp"
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
	beats  pending[int64, Beat]
	tombs  pending[int64, Tomb]
	eps    pending[EpisodeID, EpisodeEntry]
	noise  pending[NoiseID, NoiseEntry]
	status *StatusChange
}

func newBuilder(l *labels) *builder {
	return &builder{
		l:     l,
		beats: newPending(l.beat),
		tombs: newPending(func(k int64) (Tomb, bool) { t, ok := l.tombs[k]; return t, ok }),
		eps:   newPending(func(k EpisodeID) (EpisodeEntry, bool) { e, ok := l.eps[k]; return e, ok }),
		noise: newPending(func(k NoiseID) (NoiseEntry, bool) { n, ok := l.noise[k]; return n, ok }),
	}
}

// pending holds the changes of one kind of label, by key: its value before
// the command (read through now the first time the key is touched) and
// its latest value after (nil: removed).
type pending[K cmp.Ordered, V any] struct {
	now     func(K) (V, bool)
	changes map[K]*[2]*V // before, after
}

func newPending[K cmp.Ordered, V any](now func(K) (V, bool)) pending[K, V] {
	return pending[K, V]{now: now, changes: map[K]*[2]*V{}}
}

// get returns the value at k with the pending changes.
func (p pending[K, V]) get(k K) (V, bool) {
	if c, ok := p.changes[k]; ok {
		if c[1] == nil {
			var zero V
			return zero, false
		}
		return *c[1], true
	}
	return p.now(k)
}

// put sets the value at k after the command; nil removes it.
func (p pending[K, V]) put(k K, after *V) {
	c, ok := p.changes[k]
	if !ok {
		c = new([2]*V)
		if old, ok := p.now(k); ok {
			c[0] = &old
		}
		p.changes[k] = c
	}
	c[1] = after
}

// each calls f for every real change, in key order, leaving out the keys
// whose value after equals their value before.
func (p pending[K, V]) each(f func(k K, before, after *V)) {
	for _, k := range slices.Sorted(maps.Keys(p.changes)) {
		if c := p.changes[k]; !samePtr(c[0], c[1]) {
			f(k, c[0], c[1])
		}
	}
}

// beat returns the beat at sample as it is with the pending changes.
func (b *builder) beat(sample int64) (Beat, bool) { return b.beats.get(sample) }

func (b *builder) putBeat(sample int64, after *Beat) { b.beats.put(sample, after) }

func (b *builder) putTomb(sample int64, after *Tomb) { b.tombs.put(sample, after) }

func (b *builder) episode(id EpisodeID) (EpisodeEntry, bool) { return b.eps.get(id) }

func (b *builder) putEpisode(id EpisodeID, after *EpisodeEntry) { b.eps.put(id, after) }

func (b *builder) putNoise(id NoiseID, after *NoiseEntry) { b.noise.put(id, after) }

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
	b.beats.each(func(k int64, before, after *Beat) {
		d.Beats = append(d.Beats, BeatChange{Sample: k, Before: before, After: after})
	})
	b.tombs.each(func(k int64, before, after *Tomb) {
		d.Tombs = append(d.Tombs, TombChange{Sample: k, Before: before, After: after})
	})
	b.eps.each(func(k EpisodeID, before, after *EpisodeEntry) {
		d.Episodes = append(d.Episodes, EpisodeChange{ID: k, Before: before, After: after})
	})
	b.noise.each(func(k NoiseID, before, after *NoiseEntry) {
		d.Noise = append(d.Noise, NoiseChange{ID: k, Before: before, After: after})
	})
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
