package annotate

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"
)

// ActAdapt is the action of Adapt: the per-record adapter relabelled beats
// nobody has reviewed. Like a model merge it is not a reader command and is
// not on the undo stack.
const ActAdapt Action = "adapt"

// Layer is the rank of a beat's label: a label comes from exactly one
// layer, and a lower layer never overwrites a higher one.
type Layer uint8

// The label layers, lowest first.
const (
	LayerDetector Layer = iota // a beat the QRS detector found, unclassified
	LayerModel                 // the population model's suggestion
	LayerDerived               // derived from the reader's labels in this record: propagated or adapted
	LayerReader                // set, confirmed or imported by a person
)

var layerNames = [...]string{"detector", "model", "propagated/adapted", "reader"}

// String returns the layer name.
func (l Layer) String() string {
	if int(l) < len(layerNames) {
		return layerNames[l]
	}
	return "unknown"
}

// LayerOf returns the layer of b's label: every reviewed label (confirmed
// or changed by a reader) and every reader or reference label is the
// reader's; unreviewed propagated and adapted labels are derived; then the
// model's and the detector's.
func LayerOf(b Beat) Layer {
	if b.Review != Unreviewed {
		return LayerReader
	}
	switch b.Prov.Source {
	case SourceDetector:
		return LayerDetector
	case SourceModel:
		return LayerModel
	case SourcePropagated, SourceAdapted:
		return LayerDerived
	}
	return LayerReader
}

// Outranks reports whether the label m may replace the label e of the same
// beat: m's layer is not below e's. Within the derived layer a reader's
// propagation replaces an adapted label, never the other way round (see
// Propagatable and Adaptable).
func Outranks(m, e Beat) bool {
	return LayerOf(m) >= LayerOf(e)
}

// Adaptable reports whether the per-record adapter may relabel b: nobody has
// reviewed it and its label came from the detector, a model or an earlier
// adaptation. Reader, reference and propagated labels, and every reviewed
// label, are never adapted over.
func Adaptable(b Beat) bool {
	if b.Review != Unreviewed {
		return false
	}
	switch b.Prov.Source {
	case SourceDetector, SourceModel, SourceAdapted:
		return true
	}
	return false
}

// Teaches reports whether b is a reader label the per-record adapter learns
// from: a beat a reader set, changed, confirmed or relabelled with its
// template cluster (any reviewed label), or a reader or reference label. A
// propagated label nobody reviewed, and model, detector and adapted labels,
// teach nothing.
func Teaches(b Beat) bool {
	return b.Code.IsBeat() && LayerOf(b) == LayerReader
}

// AdaptedWho is the Provenance.Who of an adapted label: the adapter's
// "name@version" and the number of reader labels it learned from, as
// "name@version from N reader labels".
func AdaptedWho(adapter string, learned int) string {
	return fmt.Sprintf("%s from %d reader labels", adapter, learned)
}

// ParseAdaptedWho splits an AdaptedWho string into the adapter and the
// number of reader labels; ok is false for any other string.
func ParseAdaptedWho(who string) (adapter string, learned int, ok bool) {
	a, rest, found := strings.Cut(who, " from ")
	n, tail, found2 := strings.Cut(rest, " ")
	if !found || !found2 || tail != "reader labels" || a == "" {
		return "", 0, false
	}
	learned, err := strconv.Atoi(n)
	if err != nil || learned < 0 {
		return "", 0, false
	}
	return a, learned, true
}

// Adapt gives the adaptable beats at the samples of labels (see Adaptable)
// the code, confidence, Who and probabilities of the matching label, with
// SourceAdapted, in one commit that is not on the undo stack. A beat that is
// gone, or that a reader, a reference or a propagation owns by now (the
// adapter runs in the background while the reader edits), is left alone, as
// is one whose label would not change. It returns the number of beats
// changed. SetAdapted also gives back their population labels to the beats
// the adapter no longer claims.
func (s *Session) Adapt(labels []Beat) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	n := 0
	for _, a := range labels {
		if adaptBeat(b, a) {
			n++
		}
	}
	if n == 0 {
		return 0, nil
	}
	return n, s.commit(CommitMerge, Edit{Action: ActAdapt, Note: fmt.Sprintf("%d beats adapted", n)}, b.diff(), nil)
}

// adaptBeat puts the adapted label a on its beat in b when the beat is
// adaptable and its label changes; it reports whether it did.
func adaptBeat(b *builder, a Beat) bool {
	e, ok := b.beat(a.Sample)
	if !ok || !Adaptable(e) || !a.Code.IsBeat() {
		return false
	}
	nb := e
	nb.Code, nb.Prov = a.Code, Provenance{Source: SourceAdapted, Who: a.Prov.Who, Confidence: a.Prov.Confidence, Probs: a.Prov.Probs}
	if samePtr(&e, &nb) {
		return false
	}
	b.putBeat(a.Sample, &nb)
	return true
}

// AdaptStats counts what SetAdapted changed.
type AdaptStats struct {
	Adapted  int // beats given a new adapted label
	Restored int // adapted beats given back their population label
}

// SetAdapted makes labels the whole adapted layer of the label set, in one
// commit that is not on the undo stack: the beats at the samples of labels
// get them as Adapt gives them, and every other beat that holds an adapted
// label nobody reviewed gets back its population label (PopulationLabel).
// SetAdapted(nil, why) takes every adapted label away (the adapter
// switched off, or too few reader labels left after an undo). why goes to
// the audit entry. Reader, reference and
// propagated labels, and every reviewed label, are never touched, also
// when a reader edited them after the adapter read the labels.
func (s *Session) SetAdapted(labels []Beat, why string) (AdaptStats, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	var st AdaptStats
	b := newBuilder(s.l)
	claimed := make(map[int64]bool, len(labels))
	for _, a := range labels {
		claimed[a.Sample] = true
		if adaptBeat(b, a) {
			st.Adapted++
		}
	}
	var orphans []Beat
	for _, e := range s.l.beats {
		if e.Prov.Source == SourceAdapted && e.Review == Unreviewed && !claimed[e.Sample] {
			orphans = append(orphans, e)
		}
	}
	if len(orphans) > 0 {
		model, err := s.repo.Model(s.rec)
		if err != nil {
			return AdaptStats{}, fmt.Errorf("annotate: restore population labels: model layer: %w", err)
		}
		pop := sortedBeats(model.Beats)
		for _, e := range orphans {
			p := s.populationLabel(pop, e)
			b.putBeat(e.Sample, &p)
			st.Restored++
		}
	}
	note := fmt.Sprintf("%d beats adapted, %d given back the population label", st.Adapted, st.Restored)
	return st, s.commit(CommitMerge, Edit{Action: ActAdapt, Note: note, Why: why}, b.diff(), nil)
}

// PopulationLabel returns the label beat e had before the adapter, as the
// record's model layer (what the population model suggested) holds it: the
// model layer's beat at e's sample, or the nearest within
// Options.MergeWindow, at e's position. Without one, or with HideModel for
// a model label, it is the detector layer: e unclassified.
func (s *Session) PopulationLabel(e Beat) (Beat, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	model, err := s.repo.Model(s.rec)
	if err != nil {
		return Beat{}, fmt.Errorf("annotate: population label at %d: model layer: %w", e.Sample, err)
	}
	return s.populationLabel(sortedBeats(model.Beats), e), nil
}

// populationLabel is PopulationLabel over the model layer's beats, sorted.
func (s *Session) populationLabel(pop []Beat, e Beat) Beat {
	w := s.opt.MergeWindow
	i, _ := slices.BinarySearchFunc(pop, e.Sample-w, func(b Beat, x int64) int { return cmp.Compare(b.Sample, x) })
	best := -1
	for ; i < len(pop) && pop[i].Sample <= e.Sample+w; i++ {
		if pop[i].Code.IsBeat() && (best < 0 || abs64(pop[i].Sample-e.Sample) < abs64(pop[best].Sample-e.Sample)) {
			best = i
		}
	}
	if best < 0 || (s.opt.HideModel && pop[best].Prov.Source != SourceDetector) {
		d := e
		d.Code, d.Prov, d.Review = Unclassified, Provenance{Source: SourceDetector}, Unreviewed
		return d
	}
	m := pop[best]
	m.Sample, m.Review = e.Sample, Unreviewed
	return m
}

// ModelHidden reports whether the session keeps model suggestions out of
// the reader's set (Options.HideModel): a blinded read, where the adapter,
// which builds on the population model, has no place.
func (s *Session) ModelHidden() bool { return s.opt.HideModel }
