package annotate

import "fmt"

func checkSpan(op string, start, end int64) error {
	if start < 0 || end <= start {
		return fmt.Errorf("annotate: %s [%d, %d): %w", op, start, end, ErrBadSpan)
	}
	return nil
}

// SetEpisode adds a rhythm episode and returns its ID.
func (s *Session) SetEpisode(e Episode, why string) (EpisodeID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := checkSpan("set episode", e.Start, e.End); err != nil {
		return 0, err
	}
	b := newBuilder(s.l)
	id := s.l.nextEpisodeID()
	e.Prov, e.Review = s.readerProv(SourceReader), Changed
	b.putEpisode(id, &EpisodeEntry{ID: id, Episode: e})
	err := s.do(Edit{ActSetEpisode, fmt.Sprintf("%s [%d, %d)", e.Rhythm, e.Start, e.End), why}, b)
	if err != nil {
		return 0, err
	}
	return id, nil
}

// liveEpisode returns episode id unless it is missing or deleted.
func (b *builder) liveEpisode(op string, id EpisodeID) (EpisodeEntry, error) {
	e, ok := b.episode(id)
	if !ok || e.Deleted {
		return e, fmt.Errorf("annotate: %s %d: %w", op, id, ErrNoEpisode)
	}
	return e, nil
}

// ChangeEpisode replaces the span and rhythm of episode id with those of e.
func (s *Session) ChangeEpisode(id EpisodeID, e Episode, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := checkSpan("change episode", e.Start, e.End); err != nil {
		return err
	}
	b := newBuilder(s.l)
	if _, err := b.liveEpisode("change episode", id); err != nil {
		return err
	}
	e.Prov, e.Review = s.readerProv(SourceReader), Changed
	b.putEpisode(id, &EpisodeEntry{ID: id, Episode: e})
	return s.do(Edit{ActChangeEpisode, fmt.Sprintf("%d to %s [%d, %d)", id, e.Rhythm, e.Start, e.End), why}, b)
}

// ConfirmEpisode marks episode id as looked at and agreed with.
func (s *Session) ConfirmEpisode(id EpisodeID, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	e, err := b.liveEpisode("confirm episode", id)
	if err != nil {
		return err
	}
	if e.Review == Unreviewed {
		e.Review = Confirmed
		b.putEpisode(id, &e)
	}
	return s.do(Edit{ActConfirm, fmt.Sprintf("episode %d", id), why}, b)
}

// DeleteEpisode removes episode id; it stays as a tombstone so that a model
// merge does not bring it back.
func (s *Session) DeleteEpisode(id EpisodeID, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	b := newBuilder(s.l)
	e, err := b.liveEpisode("delete episode", id)
	if err != nil {
		return err
	}
	e.Deleted, e.Prov, e.Review = true, s.readerProv(SourceReader), Changed
	b.putEpisode(id, &e)
	return s.do(Edit{ActDeleteEpisode, fmt.Sprintf("%d %s", id, e.Rhythm), why}, b)
}

// MarkNoise adds a noise stretch and returns its ID.
func (s *Session) MarkNoise(n Noise, why string) (NoiseID, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if err := checkSpan("mark noise", n.Start, n.End); err != nil {
		return 0, err
	}
	b := newBuilder(s.l)
	id := s.l.nextNoiseID()
	n.Prov = s.readerProv(SourceReader)
	b.putNoise(id, &NoiseEntry{ID: id, Noise: n})
	if err := s.do(Edit{ActMarkNoise, fmt.Sprintf("[%d, %d) lead %d", n.Start, n.End, n.Lead), why}, b); err != nil {
		return 0, err
	}
	return id, nil
}

// ClearNoise removes noise stretch id (kept as a tombstone).
func (s *Session) ClearNoise(id NoiseID, why string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	n, ok := s.l.noise[id]
	if !ok || n.Deleted {
		return fmt.Errorf("annotate: clear noise %d: %w", id, ErrNoNoise)
	}
	b := newBuilder(s.l)
	n.Deleted, n.Prov = true, s.readerProv(SourceReader)
	b.putNoise(id, &n)
	return s.do(Edit{ActClearNoise, fmt.Sprintf("%d", id), why}, b)
}
