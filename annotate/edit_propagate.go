package annotate

import "fmt"

// ActPropagate is the action of Propagate: a reader's correction copied to
// look-alike beats nobody has reviewed.
const ActPropagate Action = "propagate"

// Propagatable reports whether a beat may take a label propagated from a
// reader's correction: nobody has reviewed it, and its label came from the
// detector, a model, the adapter or an earlier propagation (propagated and
// adapted labels share a layer; the reader's own propagation is the newer
// word on the beat). Reader and reference labels,
// and every reviewed label, are never propagated over.
func Propagatable(b Beat) bool {
	if b.Review != Unreviewed {
		return false
	}
	switch b.Prov.Source {
	case SourceDetector, SourceModel, SourcePropagated, SourceAdapted:
		return true
	}
	return false
}

// Propagate gives the propagatable beats at samples (see Propagatable) the
// code c, as one undoable command. The beats stay unreviewed and their
// provenance says SourcePropagated from this reader, so the review queue
// still shows them and a later correction may propagate over them again.
// Beats that are not propagatable, or already have c, are left alone; the
// count of beats changed is returned. A sample without a beat is an error
// (ErrNoBeat) and nothing changes.
func (s *Session) Propagate(samples []int64, c Code, why string) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	n := 0
	for _, at := range samples {
		bt, ok := b.beat(at)
		if !ok {
			return 0, fmt.Errorf("annotate: propagate to sample %d: %w", at, ErrNoBeat)
		}
		if !Propagatable(bt) || bt.Code == c {
			continue
		}
		bt.Code, bt.Prov = c, s.readerProv(SourcePropagated)
		b.putBeat(at, &bt)
		n++
	}
	if n == 0 {
		return 0, nil
	}
	return n, s.do(Edit{ActPropagate, fmt.Sprintf("%d beats to %s", n, c), why}, b)
}
