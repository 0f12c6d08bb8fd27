package annotate

import "fmt"

// readerProv is the provenance of a label the session's reader set.
func (s *Session) readerProv(src Source) Provenance {
	return Provenance{Source: src, Who: string(s.opt.Reader)}
}

// relabel builds the change of the beats at samples to code c.
func (s *Session) relabel(b *builder, samples []int64, c Code, src Source) error {
	for _, at := range samples {
		bt, ok := b.beat(at)
		if !ok {
			return fmt.Errorf("annotate: relabel at sample %d: %w", at, ErrNoBeat)
		}
		if bt.Code == c && bt.Review == Unreviewed {
			bt.Review = Confirmed // the reader agrees with the suggestion
		} else if bt.Code != c || !ReaderOwned(bt.Prov, bt.Review) {
			bt.Code, bt.Prov, bt.Review = c, s.readerProv(src), Changed
		}
		b.putBeat(at, &bt)
	}
	return nil
}

// Relabel gives the beats at samples the code c. A beat that already has c
// and was unreviewed becomes confirmed.
func (s *Session) Relabel(samples []int64, c Code, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	if err := s.relabel(b, samples, c, SourceReader); err != nil {
		return err
	}
	return s.do(Edit{ActRelabel, fmt.Sprintf("%d beats to %s", len(samples), c), why}, b)
}

// RelabelSet gives a whole set of look-alike beats (a template cluster) the
// code c; their provenance says the label was propagated from the reader.
func (s *Session) RelabelSet(samples []int64, c Code, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	if err := s.relabel(b, samples, c, SourcePropagated); err != nil {
		return err
	}
	return s.do(Edit{ActRelabelSet, fmt.Sprintf("%d beats to %s", len(samples), c), why}, b)
}

// Insert adds a beat with code c at sample.
func (s *Session) Insert(sample int64, c Code, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if sample < 0 {
		return fmt.Errorf("annotate: insert at sample %d: %w", sample, ErrBadSample)
	}
	b := newBuilder(s.l)
	if _, ok := b.beat(sample); ok {
		return fmt.Errorf("annotate: insert at sample %d: %w", sample, ErrBeatExists)
	}
	b.putBeat(sample, &Beat{Sample: sample, Code: c, Prov: s.readerProv(SourceReader), Review: Changed})
	b.putTomb(sample, nil)
	return s.do(Edit{ActInsert, fmt.Sprintf("%s at %d", c, sample), why}, b)
}

// Delete removes the beats at samples and remembers that the reader did.
func (s *Session) Delete(samples []int64, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	for _, at := range samples {
		if _, ok := b.beat(at); !ok {
			return fmt.Errorf("annotate: delete at sample %d: %w", at, ErrNoBeat)
		}
		b.putBeat(at, nil)
		b.putTomb(at, &Tomb{Sample: at, By: s.opt.Reader})
	}
	return s.do(Edit{ActDelete, fmt.Sprintf("%d beats", len(samples)), why}, b)
}

// Move moves the beat at from to the sample to, keeping its label.
func (s *Session) Move(from, to int64, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if to < 0 {
		return fmt.Errorf("annotate: move to sample %d: %w", to, ErrBadSample)
	}
	b := newBuilder(s.l)
	bt, ok := b.beat(from)
	if !ok {
		return fmt.Errorf("annotate: move from sample %d: %w", from, ErrNoBeat)
	}
	if _, ok := b.beat(to); ok && to != from {
		return fmt.Errorf("annotate: move to sample %d: %w", to, ErrBeatExists)
	}
	b.putBeat(from, nil)
	b.putTomb(from, &Tomb{Sample: from, By: s.opt.Reader})
	bt.Sample, bt.Review = to, Changed
	b.putBeat(to, &bt)
	b.putTomb(to, nil)
	return s.do(Edit{ActMove, fmt.Sprintf("%d to %d", from, to), why}, b)
}

// Confirm marks the beats at samples as looked at and agreed with.
func (s *Session) Confirm(samples []int64, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	for _, at := range samples {
		bt, ok := b.beat(at)
		if !ok {
			return fmt.Errorf("annotate: confirm at sample %d: %w", at, ErrNoBeat)
		}
		if bt.Review == Unreviewed {
			bt.Review = Confirmed
			b.putBeat(at, &bt)
		}
	}
	return s.do(Edit{ActConfirm, fmt.Sprintf("%d beats", len(samples)), why}, b)
}

// SignOff marks the label set signed off by the reader, now.
func (s *Session) SignOff(why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	b.setStatus(Status{State: StateSignedOff, By: s.opt.Reader, At: s.opt.Now().UTC()})
	return s.do(Edit{ActSignOff, string(s.opt.Reader), why}, b)
}
