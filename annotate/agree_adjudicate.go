package annotate

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
)

// ErrBadPick is returned by Resolve for a pick that is neither PickA nor PickB.
var ErrBadPick = errors.New("annotate: pick must be A or B")

// DisagreementKind says what two readers disagree on.
type DisagreementKind uint8

// Kinds of disagreement.
const (
	BeatClass   DisagreementKind = iota // both have the beat, in different classes
	BeatOnlyA                           // only reader A has a beat there
	BeatOnlyB                           // only reader B has a beat there
	RhythmOnlyA                         // only A calls [Start, End) Rhythm
	RhythmOnlyB                         // only B calls [Start, End) Rhythm
)

// Pick is the side an adjudicator takes.
type Pick uint8

// Sides.
const (
	PickA Pick = iota + 1
	PickB
)

// Disagreement is one item of the adjudication list.
type Disagreement struct {
	Kind   DisagreementKind
	A, B   *Beat  // the readers' beats (beat kinds); nil where absent
	Rhythm string // rhythm kinds
	Start  int64  // position: the beat's sample, or the rhythm span
	End    int64  // end of the rhythm span; Start+1 for beats
}

// Disagreements lists where readers A and B disagree, sorted by position:
// beats matched by MatchBeats whose AAMI class differs or that only one
// reader has, and stretches that one reader calls a rhythm and the other
// does not (per rhythm label, over the live episodes).
func Disagreements(a, b LabelSet, window int64) []Disagreement {
	var out []Disagreement
	for _, p := range MatchBeats(a.Beats, b.Beats, window) {
		d := Disagreement{A: p.A, B: p.B, Start: p.at(), End: p.at() + 1}
		switch {
		case p.B == nil:
			d.Kind = BeatOnlyA
		case p.A == nil:
			d.Kind = BeatOnlyB
		case p.A.Code.Class() != p.B.Code.Class():
			d.Kind = BeatClass
		default:
			continue
		}
		out = append(out, d)
	}
	out = append(out, rhythmDisagreements(a.Episodes, b.Episodes)...)
	slices.SortStableFunc(out, func(x, y Disagreement) int { return cmp.Compare(x.Start, y.Start) })
	return out
}

// rhythmDisagreements returns the symmetric difference of the readers'
// rhythm spans, rhythm by rhythm.
func rhythmDisagreements(a, b []EpisodeEntry) []Disagreement {
	rhythms := map[string]bool{}
	for _, e := range slices.Concat(a, b) {
		rhythms[e.Rhythm] = true
	}
	var out []Disagreement
	for _, r := range slices.Sorted(maps.Keys(rhythms)) {
		sa, sb := spansOf(a, r), spansOf(b, r)
		for _, s := range minus(sa, sb) {
			out = append(out, Disagreement{Kind: RhythmOnlyA, Rhythm: r, Start: s.Start, End: s.End})
		}
		for _, s := range minus(sb, sa) {
			out = append(out, Disagreement{Kind: RhythmOnlyB, Rhythm: r, Start: s.Start, End: s.End})
		}
	}
	return out
}

// spansOf returns the union of the live episodes with rhythm r, sorted.
func spansOf(es []EpisodeEntry, r string) []Span {
	var s []Span
	for _, e := range es {
		if !e.Deleted && e.Rhythm == r {
			s = append(s, Span{e.Start, e.End})
		}
	}
	return Union(s)
}

// minus returns the parts of the sorted disjoint spans a not covered by b.
func minus(a, b []Span) []Span {
	var out []Span
	for _, x := range a {
		cur := x.Start
		for _, y := range b {
			if y.End <= cur || y.Start >= x.End {
				continue
			}
			if y.Start > cur {
				out = append(out, Span{cur, y.Start})
			}
			cur = max(cur, y.End)
		}
		if cur < x.End {
			out = append(out, Span{cur, x.End})
		}
	}
	return out
}

// chosen returns the side's beat, or whether the side has the rhythm.
func (d Disagreement) chosen(p Pick) (*Beat, bool) {
	if p == PickA {
		return d.A, d.Kind == RhythmOnlyA
	}
	return d.B, d.Kind == RhythmOnlyB
}

// Resolve settles a disagreement in the session's label set (normally a
// consensus reader's set) by taking side p, as one undoable command whose
// labels carry the adjudicator's provenance.
func (s *Session) Resolve(d Disagreement, p Pick, why string) error {
	if p != PickA && p != PickB {
		return fmt.Errorf("annotate: resolve at %d: %w", d.Start, ErrBadPick)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	beat, hasRhythm := d.chosen(p)
	switch d.Kind {
	case RhythmOnlyA, RhythmOnlyB:
		s.resolveRhythm(b, d, hasRhythm)
	default:
		s.resolveBeat(b, d, beat)
	}
	note := fmt.Sprintf("%s at %d", [...]string{"", "A", "B"}[p], d.Start)
	return s.do(Edit{Action: ActAdjudicate, Note: note, Why: why}, b)
}

// resolveBeat makes the beat at the disagreement's place be keep (or none).
func (s *Session) resolveBeat(b *builder, d Disagreement, keep *Beat) {
	for _, side := range []*Beat{d.A, d.B} {
		if side != nil && (keep == nil || side.Sample != keep.Sample) {
			b.putBeat(side.Sample, nil)
			b.putTomb(side.Sample, &Tomb{Sample: side.Sample, By: s.opt.Reader})
		}
	}
	if keep != nil {
		nb := Beat{Sample: keep.Sample, Code: keep.Code, Chan: keep.Chan, Flags: keep.Flags,
			Prov: s.readerProv(SourceReader), Review: Changed}
		b.putBeat(keep.Sample, &nb)
		b.putTomb(keep.Sample, nil)
	}
}

// resolveRhythm sets the rhythm over the span, or clears it from the span
// (trimming or splitting episodes) and leaves a tombstone of the span.
func (s *Session) resolveRhythm(b *builder, d Disagreement, present bool) {
	next := s.l.nextEpisodeID()
	add := func(st, en int64, deleted bool) {
		e := Episode{Start: st, End: en, Rhythm: d.Rhythm, Prov: s.readerProv(SourceReader), Review: Changed}
		b.putEpisode(next, &EpisodeEntry{ID: next, Episode: e, Deleted: deleted})
		next++
	}
	if present {
		add(d.Start, d.End, false)
		return
	}
	for _, e := range s.l.set().Episodes {
		if e.Deleted || e.Rhythm != d.Rhythm || !overlaps(e.Start, e.End, d.Start, d.End) {
			continue
		}
		e.Deleted = true
		b.putEpisode(e.ID, &e)
		if e.Start < d.Start {
			add(e.Start, d.Start, false)
		}
		if e.End > d.End {
			add(d.End, e.End, false)
		}
	}
	add(d.Start, d.End, true)
}

// Resolved reports whether the adjudicator (the session's reader) has
// settled d, and for which side.
func (s *Session) Resolved(d Disagreement) (Pick, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range []Pick{PickA, PickB} {
		if s.resolvedAs(d, p) {
			return p, true
		}
	}
	return 0, false
}

func (s *Session) resolvedAs(d Disagreement, p Pick) bool {
	beat, hasRhythm := d.chosen(p)
	if d.Kind == RhythmOnlyA || d.Kind == RhythmOnlyB {
		for _, e := range s.l.eps {
			if e.Rhythm == d.Rhythm && e.Start == d.Start && e.End == d.End &&
				e.Prov.Who == string(s.opt.Reader) && e.Deleted == !hasRhythm {
				return true
			}
		}
		return false
	}
	if beat == nil {
		other, _ := d.chosen(PickA + PickB - p)
		t, ok := s.l.tombs[other.Sample]
		return ok && t.By == s.opt.Reader
	}
	got, ok := s.l.beat(beat.Sample)
	return ok && got.Code == beat.Code && got.Prov.Who == string(s.opt.Reader) && got.Review == Changed
}
