package annotate

// Undo undoes the reader's last command. The diff it commits is computed
// against the current label set (which a model merge may have changed since),
// so undo restores exactly the values the command replaced.
func (s *Session) Undo() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.undo) == 0 {
		return ErrNothingToUndo
	}
	top := s.undo[len(s.undo)-1]
	return s.commit(CommitUndo, top.Edit, s.restore(top.Diff.Inverse()), nil)
}

// Redo does again the last undone command.
func (s *Session) Redo() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.redo) == 0 {
		return ErrNothingToRedo
	}
	top := s.redo[len(s.redo)-1]
	return s.commit(CommitRedo, top.Edit, s.restore(top.Diff), nil)
}

// restore returns the diff that sets every key of d to d's After value.
func (s *Session) restore(d Diff) Diff {
	b := newBuilder(s.l)
	for _, c := range d.Beats {
		b.putBeat(c.Sample, c.After)
	}
	for _, c := range d.Tombs {
		b.putTomb(c.Sample, c.After)
	}
	for _, c := range d.Episodes {
		b.putEpisode(c.ID, c.After)
	}
	for _, c := range d.Noise {
		b.putNoise(c.ID, c.After)
	}
	if d.Status != nil {
		b.setStatus(d.Status.After)
	}
	return b.diff()
}

// CanUndo reports whether there is a command to undo, and which.
func (s *Session) CanUndo() (Edit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.undo) == 0 {
		return Edit{}, false
	}
	return s.undo[len(s.undo)-1].Edit, true
}

// CanRedo reports whether there is a command to redo, and which.
func (s *Session) CanRedo() (Edit, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if len(s.redo) == 0 {
		return Edit{}, false
	}
	return s.redo[len(s.redo)-1].Edit, true
}

// History returns the lengths of the undo and redo stacks.
func (s *Session) History() (undo, redo int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.undo), len(s.redo)
}
