package annotate

import (
	"fmt"
	"maps"
	"slices"
)

// MergeStats counts what a model merge did.
type MergeStats struct {
	Added     int // labels that were not there
	Updated   int // unreviewed model labels replaced by the new suggestion
	Unchanged int // suggestions equal to what was there
	Kept      int // suggestions not taken because a reader owns the label
	Rejected  int // suggestions not taken because a reader deleted the label
	Removed   int // stale machine labels a replacing merge took out (ReplaceModelRegion)
}

// String summarises the merge for the audit log.
func (m MergeStats) String() string {
	s := fmt.Sprintf("added %d, updated %d, unchanged %d, kept reader's %d, rejected %d",
		m.Added, m.Updated, m.Unchanged, m.Kept, m.Rejected)
	if m.Removed > 0 {
		s += fmt.Sprintf(", removed stale %d", m.Removed)
	}
	return s
}

// MergeModel merges model output into the reader's label set and stores it
// as the record's model layer, in one commit. Reader edits always win: a
// suggestion never replaces a label a reader set or confirmed, and never
// brings back a beat, episode or noise stretch a reader deleted. A merge is
// not a reader command: it is not on the undo stack. A signed-off label
// set takes no merge (ErrSignedOff): the reader reopens it first.
func (s *Session) MergeModel(out ModelOutput) (MergeStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.merge(out, &out)
}

// merge commits the merge of out; model, when not nil, is stored as the
// model layer in the same commit.
func (s *Session) merge(out ModelOutput, model *ModelOutput) (MergeStats, error) {
	return s.mergeRegion(out, model, nil, false)
}

// mergeRegion is merge with the region of the model layer that model
// replaces (nil: the whole layer). With replace, the region's stale
// machine labels go too (see dropStale, dropStaleEpisodes, mergeNoise). A
// signed-off label set refuses it (ErrSignedOff), model layer and all.
func (s *Session) mergeRegion(out ModelOutput, model *ModelOutput, region *ModelRegion, replace bool) (MergeStats, error) {
	var st MergeStats
	if err := modelLocked(s.l.status, ActMerge); err != nil {
		return st, err
	}
	b := newBuilder(s.l)
	stale := ModelRegion{} // names no kind: nothing is stale
	if replace && region != nil {
		stale = *region
	}
	if region != nil && region.Kinds&KindBeats == 0 {
		out.Beats = s.relabels(out.Beats)
	}
	used := s.mergeBeats(b, out.Beats, &st)
	if stale.Kinds&KindBeats != 0 {
		s.dropStale(b, stale, used, &st)
	}
	if !s.opt.HideModel {
		hit := s.mergeEpisodes(b, out.Episodes, &st)
		s.dropStaleEpisodes(b, stale, hit, &st)
		s.mergeNoise(b, out.Noise, stale, &st)
	}
	err := s.commitModel(CommitMerge, Edit{Action: ActMerge, Note: st.String()}, b.diff(), model, region)
	return st, err
}

// relabels returns the beats of a KindRelabel region as relabelled labels
// of the beats they match (match: the beat at their sample, else the
// nearest within the merge window, as mergeBeats matches suggestions), to
// merge as suggestions; one that matches no beat is left out (a relabel
// adds no beat), and so is one whose beat is not Relabelable (a newer
// model label, an adapted or a reader's label).
func (s *Session) relabels(in []Beat) []Beat {
	var out []Beat
	s.match(sortedBeats(in), map[int64]bool{}, func(e, u Beat) {
		if Relabelable(e) {
			out = append(out, Relabelled(e, u))
		}
	})
	return out
}

// mergeBeats merges the suggested beats in and returns the samples of the
// existing beats a suggestion matched.
func (s *Session) mergeBeats(b *builder, in []Beat, st *MergeStats) map[int64]bool {
	if s.opt.HideModel {
		in = slices.DeleteFunc(slices.Clone(in), func(b Beat) bool { return b.Prov.Source != SourceDetector })
	}
	used := map[int64]bool{}
	rest := s.match(sortedBeats(in), used, func(e, m Beat) { mergeBeat(b, e, m, st) })
	tombs := slices.Sorted(maps.Keys(s.l.tombs))
	for _, m := range rest {
		if near(tombs, m.Sample, s.opt.MergeWindow) {
			st.Rejected++
			continue
		}
		b.putBeat(m.Sample, &m)
		st.Added++
	}
	return used
}

// match calls f with each beat m of in and the existing beat e it matches:
// the beat at m's sample, else (once every exact match is taken) the
// nearest one within the merge window that no other matched. It adds the
// matched beats' samples to used and returns the beats of in that matched
// none.
func (s *Session) match(in []Beat, used map[int64]bool, f func(e, m Beat)) []Beat {
	var rest []Beat
	for _, m := range in {
		if e, ok := s.l.beat(m.Sample); ok {
			used[m.Sample] = true
			f(e, m)
			continue
		}
		rest = append(rest, m)
	}
	var none []Beat
	for _, m := range rest {
		if e, ok := s.nearest(m.Sample, used); ok {
			used[e.Sample] = true
			f(e, m)
			continue
		}
		none = append(none, m)
	}
	return none
}

// dropStale removes the beats of region r that no suggestion matched
// (used) and no reader owns (ReaderOwned: unreviewed detector, model and
// adapted beats only), so a run on other leads replaces the previous run's
// beats instead of adding to them. Beats within the merge window of r's
// edges stay (but at sample 0): a suggestion of the neighbouring region,
// merged before or after, may match them.
func (s *Session) dropStale(b *builder, r ModelRegion, used map[int64]bool, st *MergeStats) {
	w := s.opt.MergeWindow
	lo := r.Start
	if lo > 0 {
		lo += w
	}
	i, _ := s.l.find(lo)
	for ; i < len(s.l.beats) && s.l.beats[i].Sample < r.End-w; i++ {
		e := s.l.beats[i]
		if used[e.Sample] || ReaderOwned(e.Prov, e.Review) {
			continue
		}
		b.putBeat(e.Sample, nil)
		st.Removed++
	}
}

// mergeBeat replaces the label of the existing beat e with the suggestion
// m, keeping e's position, unless a reader owns e or e's layer is above
// m's (an adapted label over a model suggestion: see Outranks).
func mergeBeat(b *builder, e, m Beat, st *MergeStats) {
	switch {
	case ReaderOwned(e.Prov, e.Review) || !Outranks(m, e):
		st.Kept++
	default:
		m.Sample = e.Sample // the same beat: keep where it is
		if samePtr(&e, &m) {
			st.Unchanged++
			return
		}
		b.putBeat(m.Sample, &m)
		st.Updated++
	}
}

// nearest returns the closest beat within the merge window of sample that
// is not used yet.
func (s *Session) nearest(sample int64, used map[int64]bool) (Beat, bool) {
	w := s.opt.MergeWindow
	i, _ := s.l.find(sample - w)
	var best Beat
	found := false
	for ; i < len(s.l.beats) && s.l.beats[i].Sample <= sample+w; i++ {
		e := s.l.beats[i]
		if used[e.Sample] {
			continue
		}
		if !found || abs64(e.Sample-sample) < abs64(best.Sample-sample) {
			best, found = e, true
		}
	}
	return best, found
}

// near reports whether sorted holds a value within w of x.
func near(sorted []int64, x, w int64) bool {
	i, _ := slices.BinarySearch(sorted, x-w)
	return i < len(sorted) && sorted[i] <= x+w
}

func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}

func overlaps(a0, a1, b0, b1 int64) bool { return a0 < b1 && b0 < a1 }

// mergeEpisodes merges the suggested episodes in and returns the IDs of
// the existing episodes a suggestion updated or found unchanged.
func (s *Session) mergeEpisodes(b *builder, in []Episode, st *MergeStats) map[EpisodeID]bool {
	hit := map[EpisodeID]bool{}
	next := s.l.nextEpisodeID()
	ids := slices.Sorted(maps.Keys(s.l.eps))
	for _, m := range in {
		var target *EpisodeEntry
		blocked := false
		for _, id := range ids {
			e, _ := b.episode(id)
			if e.Rhythm != m.Rhythm || !overlaps(e.Start, e.End, m.Start, m.End) {
				continue
			}
			if e.Deleted || ReaderOwned(e.Prov, e.Review) {
				blocked = true
				st.Kept++
				break
			}
			if target == nil {
				target = &e
			}
		}
		if !blocked {
			next = mergeEntry(b, target, m, next, st)
			if target != nil {
				hit[target.ID] = true
			}
		}
	}
	return hit
}

// dropStaleEpisodes removes the live episodes starting in stale that no
// suggestion updated (hit) and no reader owns.
func (s *Session) dropStaleEpisodes(b *builder, stale ModelRegion, hit map[EpisodeID]bool, st *MergeStats) {
	for id, e := range s.l.eps {
		if !e.Deleted && !hit[id] && !ReaderOwned(e.Prov, e.Review) && stale.in(KindEpisodes, e.Start) {
			b.putEpisode(id, nil)
			st.Removed++
		}
	}
}

// mergeEntry updates target with m, or adds m under the ID next.
func mergeEntry(b *builder, target *EpisodeEntry, m Episode, next EpisodeID, st *MergeStats) EpisodeID {
	switch {
	case target == nil:
		b.putEpisode(next, &EpisodeEntry{ID: next, Episode: m})
		st.Added++
		return next + 1
	case samePtr(&target.Episode, &m):
		st.Unchanged++
	default:
		b.putEpisode(target.ID, &EpisodeEntry{ID: target.ID, Episode: m})
		st.Updated++
	}
	return next
}

// mergeNoise adds the suggested noise stretches that overlap none of the
// same lead. The machine stretches starting in stale are replaced: one
// equal to a suggestion stays, the others go and block nothing.
func (s *Session) mergeNoise(b *builder, in []Noise, stale ModelRegion, st *MergeStats) {
	gone := map[NoiseID]bool{}
	for id, n := range s.l.noise {
		if !n.Deleted && !ReaderOwned(n.Prov, Unreviewed) && stale.in(KindNoise, n.Start) {
			gone[id] = true
		}
	}
	next := s.l.nextNoiseID()
	for _, m := range in {
		blocked := false
		for _, n := range s.l.noise {
			if gone[n.ID] && sameStretch(n.Noise, m) {
				delete(gone, n.ID) // the suggestion is what is there
			}
			if !gone[n.ID] && n.Lead == m.Lead && overlaps(n.Start, n.End, m.Start, m.End) {
				blocked = true
				break
			}
		}
		if blocked {
			st.Kept++
			continue
		}
		b.putNoise(next, &NoiseEntry{ID: next, Noise: m})
		next++
		st.Added++
	}
	for id := range gone {
		b.putNoise(id, nil)
		st.Removed++
	}
}

// sameStretch reports whether a and b mark the same stretch of the same
// lead for the same reason.
func sameStretch(a, b Noise) bool {
	return a.Start == b.Start && a.End == b.End && a.Lead == b.Lead && a.Reason == b.Reason
}
