package annotate

import "fmt"

func checkSpan(op string, start, end int64) error {
	if start < 0 || end <= start {
		return fmt.Errorf("annotate: %s [%d, %d): %w", op, start, end, ErrBadSpan)
	}
	return nil
}

// SetEpisode adds the rhythm episode Episode, under the next free ID.
type SetEpisode struct {
	Episode Episode
	Why     string
}

// Action implements Command.
func (SetEpisode) Action() Action { return ActSetEpisode }

// Touched implements Command.
func (c SetEpisode) Touched() []int64 { return []int64{c.Episode.Start} }

func (c SetEpisode) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	e := c.Episode
	if err := checkSpan("set episode", e.Start, e.End); err != nil {
		return CommitDo, Edit{}, err
	}
	id := b.l.nextEpisodeID()
	e.Prov, e.Review = env.prov(SourceReader), Changed
	b.putEpisode(id, &EpisodeEntry{ID: id, Episode: e})
	return CommitDo, Edit{ActSetEpisode, fmt.Sprintf("%s [%d, %d)", e.Rhythm, e.Start, e.End), c.Why}, nil
}

// SetEpisode adds a rhythm episode and returns its ID.
func (s *Session) SetEpisode(e Episode, why string) (EpisodeID, error) {
	d, _, err := s.Run(SetEpisode{Episode: e, Why: why})
	if err != nil {
		return 0, err
	}
	return NewEpisode(d), nil
}

// NewEpisode returns the ID of the episode d adds (0: none), such as the
// diff of a SetEpisode.
func NewEpisode(d Diff) EpisodeID {
	for _, c := range d.Episodes {
		if c.Before == nil && c.After != nil {
			return c.ID
		}
	}
	return 0
}

// liveEpisode returns episode id unless it is missing or deleted.
func (b *builder) liveEpisode(op string, id EpisodeID) (EpisodeEntry, error) {
	e, ok := b.episode(id)
	if !ok || e.Deleted {
		return e, fmt.Errorf("annotate: %s %d: %w", op, id, ErrNoEpisode)
	}
	return e, nil
}

// ChangeEpisode replaces the span and rhythm of episode ID with those of
// Episode.
type ChangeEpisode struct {
	ID      EpisodeID
	Episode Episode
	Why     string
}

// Action implements Command.
func (ChangeEpisode) Action() Action { return ActChangeEpisode }

// Touched implements Command.
func (c ChangeEpisode) Touched() []int64 { return []int64{c.Episode.Start} }

func (c ChangeEpisode) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	e := c.Episode
	if err := checkSpan("change episode", e.Start, e.End); err != nil {
		return CommitDo, Edit{}, err
	}
	if _, err := b.liveEpisode("change episode", c.ID); err != nil {
		return CommitDo, Edit{}, err
	}
	e.Prov, e.Review = env.prov(SourceReader), Changed
	b.putEpisode(c.ID, &EpisodeEntry{ID: c.ID, Episode: e})
	return CommitDo, Edit{ActChangeEpisode, fmt.Sprintf("%d to %s [%d, %d)", c.ID, e.Rhythm, e.Start, e.End), c.Why}, nil
}

// ChangeEpisode replaces the span and rhythm of episode id with those of e.
func (s *Session) ChangeEpisode(id EpisodeID, e Episode, why string) error {
	_, _, err := s.Run(ChangeEpisode{ID: id, Episode: e, Why: why})
	return err
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

// DeleteEpisode removes episode ID; it stays as a tombstone so that a
// model merge does not bring it back.
type DeleteEpisode struct {
	ID  EpisodeID
	Why string
}

// Action implements Command.
func (DeleteEpisode) Action() Action { return ActDeleteEpisode }

// Touched implements Command.
func (DeleteEpisode) Touched() []int64 { return nil }

func (c DeleteEpisode) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	e, err := b.liveEpisode("delete episode", c.ID)
	if err != nil {
		return CommitDo, Edit{}, err
	}
	e.Deleted, e.Prov, e.Review = true, env.prov(SourceReader), Changed
	b.putEpisode(c.ID, &e)
	return CommitDo, Edit{ActDeleteEpisode, fmt.Sprintf("%d %s", c.ID, e.Rhythm), c.Why}, nil
}

// DeleteEpisode removes episode id; it stays as a tombstone so that a model
// merge does not bring it back.
func (s *Session) DeleteEpisode(id EpisodeID, why string) error {
	_, _, err := s.Run(DeleteEpisode{ID: id, Why: why})
	return err
}

// MarkNoise adds the noise stretch Noise, under the next free ID.
type MarkNoise struct {
	Noise Noise
	Why   string
}

// Action implements Command.
func (MarkNoise) Action() Action { return ActMarkNoise }

// Touched implements Command.
func (c MarkNoise) Touched() []int64 { return []int64{c.Noise.Start, c.Noise.End - 1} }

func (c MarkNoise) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	n := c.Noise
	if err := checkSpan("mark noise", n.Start, n.End); err != nil {
		return CommitDo, Edit{}, err
	}
	id := b.l.nextNoiseID()
	n.Prov = env.prov(SourceReader)
	b.putNoise(id, &NoiseEntry{ID: id, Noise: n})
	return CommitDo, Edit{ActMarkNoise, fmt.Sprintf("[%d, %d) lead %d", n.Start, n.End, n.Lead), c.Why}, nil
}

// MarkNoise adds a noise stretch and returns its ID.
func (s *Session) MarkNoise(n Noise, why string) (NoiseID, error) {
	d, _, err := s.Run(MarkNoise{Noise: n, Why: why})
	if err != nil {
		return 0, err
	}
	for _, c := range d.Noise {
		if c.Before == nil {
			return c.ID, nil
		}
	}
	return 0, nil
}

// ClearNoise removes noise stretch ID (kept as a tombstone).
type ClearNoise struct {
	ID  NoiseID
	Why string
}

// Action implements Command.
func (ClearNoise) Action() Action { return ActClearNoise }

// Touched implements Command.
func (ClearNoise) Touched() []int64 { return nil }

func (c ClearNoise) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	n, ok := b.l.noise[c.ID]
	if !ok || n.Deleted {
		return CommitDo, Edit{}, fmt.Errorf("annotate: clear noise %d: %w", c.ID, ErrNoNoise)
	}
	n.Deleted, n.Prov = true, env.prov(SourceReader)
	b.putNoise(c.ID, &n)
	return CommitDo, Edit{ActClearNoise, fmt.Sprintf("%d", c.ID), c.Why}, nil
}

// ClearNoise removes noise stretch id (kept as a tombstone).
func (s *Session) ClearNoise(id NoiseID, why string) error {
	_, _, err := s.Run(ClearNoise{ID: id, Why: why})
	return err
}
