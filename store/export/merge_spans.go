package export

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate"
)

func ownedEp(e annotate.EpisodeEntry) bool { return annotate.ReaderOwned(e.Prov, e.Review) }

func ownedNoise(n annotate.NoiseEntry) bool { return annotate.ReaderOwned(n.Prov, annotate.Unreviewed) }

func descEp(e annotate.EpisodeEntry) string {
	if e.Deleted {
		return fmt.Sprintf("%s deleted", e.Rhythm)
	}
	return fmt.Sprintf("%s (%s %s, %s)", e.Rhythm, e.Prov.Source, e.Prov.Who, e.Review)
}

func sameEp(a, b annotate.EpisodeEntry) bool {
	return a.Start == b.Start && a.End == b.End && a.Rhythm == b.Rhythm
}

// episodes merges the incoming episodes; m.eps[:nLocal] are the local ones
// (their Deleted kept up to date), later entries were added by the merge.
func (m *merger) episodes(in []annotate.EpisodeEntry) {
	nLocal := len(m.eps)
	for _, e := range in {
		if e.Deleted {
			m.deleteEp(e, nLocal)
			continue
		}
		if i := m.findEp(e, nLocal); i >= 0 {
			m.sameEpisode(i, e)
			continue
		}
		m.overlapEp(e, nLocal)
	}
}

// findEp returns the local episode equal to e (live first), or -1.
func (m *merger) findEp(e annotate.EpisodeEntry, nLocal int) int {
	hit := -1
	for i, l := range m.eps[:nLocal] {
		if sameEp(l, e) && (hit < 0 || !l.Deleted) {
			hit = i
		}
	}
	return hit
}

func (m *merger) sameEpisode(i int, e annotate.EpisodeEntry) {
	l := m.eps[i]
	switch {
	case l.Deleted && ownedEp(e):
		m.conflict("episode", e.Start, e.End, descEp(l), descEp(e))
	case l.Deleted:
		m.res.Kept++
	case ownedEp(e) && !ownedEp(l):
		m.putEp(i, annotate.EpisodeEntry{ID: l.ID, Episode: e.Episode})
		m.res.Updated++
	default:
		m.res.Unchanged++
	}
}

// overlapEp adds a new incoming episode, replacing the overlapping local
// suggestions, or lists the conflict with a reader's local episode.
func (m *merger) overlapEp(e annotate.EpisodeEntry, nLocal int) {
	var over []int
	for i, l := range m.eps[:nLocal] {
		if !l.Deleted && l.Start < e.End && e.Start < l.End {
			over = append(over, i)
		}
	}
	if len(over) > 0 && !ownedEp(e) {
		m.res.Kept++
		return
	}
	for _, i := range over {
		if ownedEp(m.eps[i]) {
			m.conflict("episode", e.Start, e.End, fmt.Sprintf("%s %d-%d", descEp(m.eps[i]), m.eps[i].Start, m.eps[i].End), descEp(e))
			return
		}
	}
	for _, i := range over {
		d := m.eps[i]
		d.Deleted = true
		m.putEp(i, d)
		m.res.Deleted++
	}
	n := annotate.EpisodeEntry{ID: m.nextE, Episode: e.Episode}
	m.nextE++
	m.eps = append(m.eps, n)
	m.ech[n.ID] = annotate.EpisodeChange{ID: n.ID, After: &n}
	m.res.Added++
}

func (m *merger) deleteEp(e annotate.EpisodeEntry, nLocal int) {
	for i, l := range m.eps[:nLocal] {
		if l.Deleted || !sameEp(l, e) {
			continue
		}
		if ownedEp(l) {
			m.conflict("episode", e.Start, e.End, descEp(l), "deleted")
			return
		}
		l.Deleted = true
		m.putEp(i, l)
		m.res.Deleted++
		return
	}
	m.res.Unchanged++
}

// putEp records the new value of local episode i.
func (m *merger) putEp(i int, after annotate.EpisodeEntry) {
	c, ok := m.ech[after.ID]
	if !ok {
		before := m.eps[i]
		c = annotate.EpisodeChange{ID: after.ID, Before: &before}
	}
	a := after
	c.After = &a
	m.ech[after.ID] = c
	m.eps[i] = after
}

func sameNoise(a, b annotate.NoiseEntry) bool {
	return a.Start == b.Start && a.End == b.End && a.Lead == b.Lead
}

func descNoise(n annotate.NoiseEntry) string {
	if n.Deleted {
		return "noise deleted"
	}
	return fmt.Sprintf("%s on lead %d (%s %s)", n.Reason, n.Lead, n.Prov.Source, n.Prov.Who)
}

// noise merges the incoming noise stretches.
func (m *merger) noise(in []annotate.NoiseEntry) {
	nLocal := len(m.noises)
	for _, n := range in {
		i := -1
		for j, l := range m.noises[:nLocal] {
			if sameNoise(l, n) && (i < 0 || !l.Deleted) {
				i = j
			}
		}
		switch {
		case i < 0 && n.Deleted:
			m.res.Unchanged++
		case i < 0:
			a := annotate.NoiseEntry{ID: m.nextN, Noise: n.Noise}
			m.nextN++
			m.nch[a.ID] = annotate.NoiseChange{ID: a.ID, After: &a}
			m.res.Added++
		default:
			m.sameNoise(i, n)
		}
	}
}

func (m *merger) sameNoise(i int, n annotate.NoiseEntry) {
	l := m.noises[i]
	switch {
	case l.Deleted == n.Deleted:
		m.res.Unchanged++
	case (l.Deleted && ownedNoise(n)) || (n.Deleted && ownedNoise(l)):
		m.conflict("noise", n.Start, n.End, descNoise(l), descNoise(n))
	case l.Deleted:
		m.res.Kept++
	default:
		before, after := l, l
		after.Deleted = true
		m.nch[l.ID] = annotate.NoiseChange{ID: l.ID, Before: &before, After: &after}
		m.noises[i] = after
		m.res.Deleted++
	}
}
