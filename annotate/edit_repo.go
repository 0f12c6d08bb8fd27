package annotate

import (
	"errors"
	"fmt"
	"slices"
	"sync"
)

// ErrHistory is returned by a Repository when a commit's kind does not fit
// the stored undo or redo stack (undo with an empty stack).
var ErrHistory = errors.New("annotate: commit does not fit the undo history")

// MemRepository is a Repository in memory, for tests of the callers of
// Session and for the headless tools that need no database. It is safe for
// concurrent use. The zero value is ready to use.
type MemRepository struct {
	mu     sync.Mutex
	sets   map[memKey]*memSet
	models map[RecordID]ModelOutput
	log    []Commit
}

type memKey struct {
	rec    RecordID
	reader ReaderID
}

type memSet struct {
	l          *labels
	undo, redo []Entry
	rev        uint64
}

var _ Repository = (*MemRepository)(nil)

// Load implements Repository.
func (m *MemRepository) Load(rec RecordID, reader ReaderID) (Snapshot, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	set, ok := m.sets[memKey{rec, reader}]
	if !ok {
		return Snapshot{}, nil
	}
	return Snapshot{Labels: set.l.set(), Undo: slices.Clone(set.undo),
		Redo: slices.Clone(set.redo), Rev: set.rev}, nil
}

// Model implements Repository.
func (m *MemRepository) Model(rec RecordID) (ModelOutput, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.models[rec], nil
}

// Commit implements Repository.
func (m *MemRepository) Commit(c Commit) (uint64, error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sets == nil {
		m.sets, m.models = map[memKey]*memSet{}, map[RecordID]ModelOutput{}
	}
	k := memKey{c.Record, c.Reader}
	set, ok := m.sets[k]
	if !ok {
		set = &memSet{l: newLabels(LabelSet{})}
	}
	undo, redo, err := MoveStacks(c, set.undo, set.redo)
	if err != nil {
		return 0, err
	}
	set.undo, set.redo = undo, redo
	set.l.apply(c.Diff)
	set.rev++
	m.sets[k] = set
	switch {
	case c.Model != nil && c.ModelRegion != nil:
		m.models[c.Record] = c.ModelRegion.Replace(m.models[c.Record], *c.Model)
	case c.Model != nil:
		m.models[c.Record] = *c.Model
	}
	m.log = append(m.log, c)
	return set.rev, nil
}

// Log returns every commit so far, oldest first.
func (m *MemRepository) Log() []Commit {
	m.mu.Lock()
	defer m.mu.Unlock()
	return slices.Clone(m.log)
}

// MoveStacks returns the undo and redo stacks after commit c, as the
// CommitKind documentation says; repositories share it so they agree with
// the Session.
func MoveStacks(c Commit, undo, redo []Entry) ([]Entry, []Entry, error) {
	e := Entry{Edit: c.Edit, Diff: c.Diff, When: c.When}
	switch c.Kind {
	case CommitDo:
		return append(undo, e), nil, nil
	case CommitUndo:
		if len(undo) == 0 {
			return nil, nil, fmt.Errorf("undo: %w", ErrHistory)
		}
		e.Diff = c.Diff.Inverse()
		return undo[:len(undo)-1], append(redo, e), nil
	case CommitRedo:
		if len(redo) == 0 {
			return nil, nil, fmt.Errorf("redo: %w", ErrHistory)
		}
		return append(undo, e), redo[:len(redo)-1], nil
	}
	return undo, redo, nil
}
