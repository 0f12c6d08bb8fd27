package annotate

import (
	"fmt"
	"time"
)

// ActUndo and ActRedo name the Undo and Redo commands in errors and
// callbacks (the audit log names the command undone instead).
const (
	ActUndo Action = "undo"
	ActRedo Action = "redo"
)

// A Command is one reader command on a label set: Relabel, Insert,
// Delete, Move, Confirm, SetEpisode, ChangeEpisode, DeleteEpisode,
// MarkNoise, ClearNoise, SignOff, Undo, Redo... Its build function is the
// one implementation of its effect on labels: Session.Run builds it
// against the session's labels and commits the diff; a LabelView builds it
// against its own copy to show it before the session has stored it.
type Command interface {
	// Action names the command, for errors and callbacks.
	Action() Action
	// Touched returns the samples of the beats it is about (nil: none, or
	// not known before it runs, as for Undo).
	Touched() []int64
	// build records the command's changes in b and returns how it moves
	// the undo and redo stacks and what the audit log says.
	build(b *builder, env cmdEnv) (CommitKind, Edit, error)
}

// cmdEnv is what a command builds with besides the labels: who edits, the
// clock a sign-off is stamped with, and the tops of the undo and redo
// stacks (nil: empty).
type cmdEnv struct {
	reader     ReaderID
	now        func() time.Time
	undo, redo *Entry
}

// prov is the provenance of a label the reader sets, from source src.
func (env cmdEnv) prov(src Source) Provenance {
	return Provenance{Source: src, Who: string(env.reader)}
}

// Head is where a label set's history stands: its revision and the
// commands undo and redo would take back (nil: none).
type Head struct {
	Rev        uint64
	Undo, Redo *Entry
}

// plan builds c against l and returns the commit it makes: its kind, edit
// and diff (empty: nothing to commit). l is not changed. An edit of a
// signed-off label set fails with ErrSignedOff.
func plan(c Command, l *labels, env cmdEnv) (CommitKind, Edit, Diff, error) {
	b := newBuilder(l)
	kind, e, err := c.build(b, env)
	if err != nil {
		return kind, e, Diff{}, err
	}
	if kind != CommitDo {
		return kind, e, b.diff(), nil
	}
	d, err := doDiff(b, e)
	return kind, e, d, err
}

// doDiff finishes a reader command: the label set becomes in progress with
// it. The diff is empty when nothing but the status would change (not an
// edit), except for a sign-off or a reopening. A signed-off label set
// takes no edit (ErrSignedOff): a reader reopens it first.
func doDiff(b *builder, e Edit) (Diff, error) {
	if err := lockedBy(b.l.status, e.Action); err != nil {
		return Diff{}, err
	}
	if b.status == nil && b.l.status.State != StateInProgress {
		b.setStatus(Status{State: StateInProgress})
	}
	d := b.diff()
	if d.Beats == nil && d.Tombs == nil && d.Episodes == nil && d.Noise == nil &&
		(d.Status == nil || (e.Action != ActSignOff && e.Action != ActReopen)) {
		return Diff{}, nil
	}
	return d, nil
}

// lockedBy returns ErrSignedOff, naming who signed off and when, when st
// is signed off and act is an edit (not a sign-off or a reopening).
func lockedBy(st Status, act Action) error {
	if st.State != StateSignedOff || act == ActSignOff || act == ActReopen {
		return nil
	}
	return fmt.Errorf("%w: %s by %s at %s; reopen it to edit",
		ErrSignedOff, act, st.By, st.At.UTC().Format(time.RFC3339))
}

// modelLocked returns ErrSignedOff when st is signed off: model output,
// adapter labels and region merges (act) never change a signed-off label
// set, even where no reader owns a label; the reader reopens it first.
func modelLocked(st Status, act Action) error {
	if st.State != StateSignedOff {
		return nil
	}
	return fmt.Errorf("%w by %s at %s: %s refused, model suggestions never change a signed-off label set; reopen it to take them",
		ErrSignedOff, st.By, st.At.UTC().Format(time.RFC3339), act)
}

// env returns what the session's commands build with. The caller holds s.mu.
func (s *Session) env() cmdEnv {
	env := cmdEnv{reader: s.opt.Reader, now: s.opt.Now}
	if n := len(s.undo); n > 0 {
		e := s.undo[n-1]
		env.undo = &e
	}
	if n := len(s.redo); n > 0 {
		e := s.redo[n-1]
		env.redo = &e
	}
	return env
}

// head returns the session's revision and stack tops. The caller holds s.mu.
func (s *Session) head() Head {
	env := s.env()
	return Head{Rev: s.rev, Undo: env.undo, Redo: env.redo}
}

// Run carries out c: it stores the diff c makes (durably, through the
// Repository) and only then applies it, and returns that diff and where
// the history stands after it. A command that fails changes nothing.
func (s *Session) Run(c Command) (Diff, Head, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	kind, e, d, err := plan(c, s.l, s.env())
	if err != nil {
		return Diff{}, s.head(), err
	}
	if err := s.commit(kind, e, d, nil); err != nil {
		return Diff{}, s.head(), err
	}
	return d, s.head(), nil
}

// Read returns a copy of the whole label set (tombstones included) and
// where its history stands, both at one moment.
func (s *Session) Read() (LabelSet, Head) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.l.set(), s.head()
}

// do commits a reader command built in b: the label set becomes in
// progress with it. The caller holds s.mu.
func (s *Session) do(e Edit, b *builder) error {
	d, err := doDiff(b, e)
	if err != nil {
		return err
	}
	return s.commit(CommitDo, e, d, nil)
}
