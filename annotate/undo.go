package annotate

// Undo undoes the reader's last command. The diff it commits is computed
// against the current label set (which a model merge may have changed
// since), so undo restores exactly the values the command replaced.
type Undo struct{}

// Action implements Command.
func (Undo) Action() Action { return ActUndo }

// Touched implements Command.
func (Undo) Touched() []int64 { return nil }

func (Undo) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	if env.undo == nil {
		return CommitUndo, Edit{}, ErrNothingToUndo
	}
	restore(b, env.undo.Diff.Inverse())
	return CommitUndo, env.undo.Edit, nil
}

// Redo does again the last undone command.
type Redo struct{}

// Action implements Command.
func (Redo) Action() Action { return ActRedo }

// Touched implements Command.
func (Redo) Touched() []int64 { return nil }

func (Redo) build(b *builder, env cmdEnv) (CommitKind, Edit, error) {
	if env.redo == nil {
		return CommitRedo, Edit{}, ErrNothingToRedo
	}
	restore(b, env.redo.Diff)
	return CommitRedo, env.redo.Edit, nil
}

// Undo undoes the reader's last command (see the Undo command).
func (s *Session) Undo() error {
	_, _, err := s.Run(Undo{})
	return err
}

// Redo does again the last undone command.
func (s *Session) Redo() error {
	_, _, err := s.Run(Redo{})
	return err
}

// restore sets every key of d to d's After value in b.
func restore(b *builder, d Diff) {
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
