package annotate

import (
	"cmp"
	"fmt"
	"slices"
)

// LabelKinds is a set of kinds of labels.
type LabelKinds uint8

// The kinds of labels a region merge can replace.
const (
	KindBeats    LabelKinds = 1 << iota // beats, by their sample
	KindEpisodes                        // rhythm episodes, by their start
	KindNoise                           // noise stretches, by their start
	// KindRelabel relabels beats, by their sample: a beat of the output
	// takes the place of the layer's beat at its sample (Relabelled) if
	// that is an unreviewed model N (Relabelable); no beat is added or
	// removed. A rule applied after the beat model
	// (the SVT run rule of a rhythm chunk) changes a few labels this way.
	KindRelabel
	KindAll = KindBeats | KindEpisodes | KindNoise
)

// ModelRegion is the part of the model layer that a region merge replaces:
// the labels of the kinds in Kinds whose sample (beats) or start (episodes,
// noise) lies in [Start, End). A pipeline chunk of beats and noise names
// KindBeats|KindNoise, a rhythm chunk KindEpisodes, a re-classification
// KindBeats: the labels of the other kinds in the span stay. A rhythm chunk
// also names KindRelabel for the beats the SVT run rule relabelled.
type ModelRegion struct {
	Start, End int64
	Kinds      LabelKinds
}

// in reports whether a label of kind k at (or starting at) x is in r.
func (r ModelRegion) in(k LabelKinds, x int64) bool {
	return r.Kinds&k != 0 && r.Start <= x && x < r.End
}

// Clip returns the labels of out that r replaces.
func (r ModelRegion) Clip(out ModelOutput) ModelOutput {
	var c ModelOutput
	for _, b := range out.Beats {
		if r.in(KindBeats|KindRelabel, b.Sample) {
			c.Beats = append(c.Beats, b)
		}
	}
	for _, e := range out.Episodes {
		if r.in(KindEpisodes, e.Start) {
			c.Episodes = append(c.Episodes, e)
		}
	}
	for _, n := range out.Noise {
		if r.in(KindNoise, n.Start) {
			c.Noise = append(c.Noise, n)
		}
	}
	return c
}

// Replace returns layer with the labels r covers replaced by those of out
// that r covers: beats in sample order, episodes and noise in layer's
// order with out's after them. With KindRelabel (and not KindBeats) out's
// beats relabel layer's at the same samples (RelabelBeats). Labels
// outside r, or of kinds r does not name, are kept as they are; neither
// argument is changed.
func (r ModelRegion) Replace(layer, out ModelOutput) ModelOutput {
	out = r.Clip(out)
	keep := func(k LabelKinds) func(int64) bool { return func(x int64) bool { return !r.in(k, x) } }
	var res ModelOutput
	if r.Kinds&KindBeats != 0 {
		res.Beats = slices.Concat(filter(layer.Beats, func(b Beat) int64 { return b.Sample }, keep(KindBeats)), out.Beats)
		res.Beats = sortedBeats(res.Beats)
	} else {
		res.Beats = RelabelBeats(slices.Clone(layer.Beats), out.Beats)
	}
	res.Episodes = slices.Concat(filter(layer.Episodes, func(e Episode) int64 { return e.Start }, keep(KindEpisodes)), out.Episodes)
	res.Noise = slices.Concat(filter(layer.Noise, func(n Noise) int64 { return n.Start }, keep(KindNoise)), out.Noise)
	return res
}

// filter returns the values of s whose position pos passes ok, in order.
func filter[T any](s []T, pos func(T) int64, ok func(int64) bool) []T {
	var out []T
	for _, v := range s {
		if ok(pos(v)) {
			out = append(out, v)
		}
	}
	return out
}

// check returns ErrBadSpan when r is empty or names no kind.
func (r ModelRegion) check() error {
	if r.Start < 0 || r.End <= r.Start || r.Kinds&(KindAll|KindRelabel) == 0 {
		return fmt.Errorf("%w: model region [%d, %d) of kinds %#x", ErrBadSpan, r.Start, r.End, r.Kinds)
	}
	return nil
}

// MergeModelRegion merges the labels of out that region covers into the
// reader's label set, as MergeModel does (reader labels win, deleted
// labels stay deleted, not on the undo stack), and in the same commit
// replaces only that region of the record's model layer with them: the
// model labels outside the region, or of kinds it does not name, stay.
// Pipeline chunks and re-classifications are merged this way, so each is
// durable as it comes without wiping the rest of the model layer.
func (s *Session) MergeModelRegion(out ModelOutput, region ModelRegion) (MergeStats, error) {
	return s.clippedMerge(out, region, false)
}

// ReplaceModelRegion is MergeModelRegion for a run whose suggestions
// replace the previous run's instead of adding to them (the models read
// other leads now): inside region, the unreviewed detector, model and
// adapted beats that no new suggestion matches are removed as well, and so
// are the machine episodes no suggestion updates and the machine noise
// stretches no suggestion equals (see MergeStats.Removed). Beats within
// the merge window of region's edges stay (a neighbouring chunk's
// suggestion may have matched them). Reader labels, reviewed labels and
// reader deletions stay;
// a signed-off label set refuses it (ErrSignedOff). Like every merge it
// is not on the undo stack.
func (s *Session) ReplaceModelRegion(out ModelOutput, region ModelRegion) (MergeStats, error) {
	return s.clippedMerge(out, region, true)
}

// clippedMerge merges the labels of out that region covers and stores
// them as that region of the model layer.
func (s *Session) clippedMerge(out ModelOutput, region ModelRegion, replace bool) (MergeStats, error) {
	if err := region.check(); err != nil {
		return MergeStats{}, err
	}
	out = region.Clip(out)
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.mergeRegion(out, &out, &region, replace)
}

// Relabelled returns old with the label of u: u's code and provenance, but
// old's position, lead, flags and review, and old's class probabilities
// when u has none (a rule that relabels a model beat keeps the model's
// probabilities).
func Relabelled(old, u Beat) Beat {
	probs := old.Prov.Probs
	old.Code, old.Prov = u.Code, u.Prov
	if old.Prov.Probs == nil {
		old.Prov.Probs = probs
	}
	return old
}

// Relabelable reports whether a relabel (KindRelabel) may change b: an
// unreviewed model beat of class N. The SVT run rule turns the run's N
// into S, and by the time its relabels come the beat may carry a newer
// model label (the reclassifier's V), which a relabel must not undo.
func Relabelable(b Beat) bool {
	return b.Review == Unreviewed && b.Prov.Source == SourceModel && b.Code.Class() == ClassN
}

// RelabelBeats relabels the beats of layer (in sample order) that have
// the sample of a beat of out and are Relabelable (Relabelled), in place,
// and returns layer. Beats of out with no such beat of layer at their
// sample are left out; of two at one sample the later wins.
func RelabelBeats(layer, out []Beat) []Beat {
	at := make([]int, len(out)) // checked before any is applied: a relabelled beat is S
	for k, u := range out {
		i, ok := slices.BinarySearchFunc(layer, u.Sample, func(b Beat, s int64) int { return cmp.Compare(b.Sample, s) })
		if !ok || !Relabelable(layer[i]) {
			i = -1
		}
		at[k] = i
	}
	for k, i := range at {
		if i >= 0 {
			layer[i] = Relabelled(layer[i], out[k])
		}
	}
	return layer
}
