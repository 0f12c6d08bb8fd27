package annotate

import (
	"cmp"
	"errors"
	"fmt"
	"maps"
	"slices"
	"sync"
	"time"
)

// Errors returned by Session methods.
var (
	ErrNoReader      = errors.New("annotate: no reader identity")
	ErrNoBeat        = errors.New("annotate: no beat at that sample")
	ErrBeatExists    = errors.New("annotate: a beat is already at that sample")
	ErrNoEpisode     = errors.New("annotate: no such episode")
	ErrNoNoise       = errors.New("annotate: no such noise stretch")
	ErrBadSpan       = errors.New("annotate: span must have 0 <= start < end")
	ErrBadSample     = errors.New("annotate: sample position must be >= 0")
	ErrNothingToUndo = errors.New("annotate: nothing to undo")
	ErrNothingToRedo = errors.New("annotate: nothing to redo")
	ErrStackMismatch = errors.New("annotate: undo history does not match the label set")
	// ErrSignedOff refuses an edit of a signed-off label set: the reader
	// reopens it first (the Reopen command, audited like any command).
	ErrSignedOff = errors.New("annotate: the label set is signed off")
)

// Options configure a Session.
type Options struct {
	// Reader is who edits; required.
	Reader ReaderID
	// Seed, when set and the reader has no label set yet, starts the
	// reader's set from that reader's labels (an unblinded second read).
	// Empty means blinded: the reader never sees another reader's labels.
	Seed ReaderID
	// HideModel keeps model suggestions (beat classes, model episodes and
	// noise) out of the reader's set: only the detector's beat positions
	// (Source == SourceDetector) come in.
	HideModel bool
	// MergeWindow is how far apart (samples) a model beat and an existing
	// beat may be and still be the same beat in a merge; 0 means exact.
	MergeWindow int64
	// Now returns the time stamped on commits; time.Now when nil.
	Now func() time.Time
}

// Session is one reader's editing session over the label set of one record.
// Every command computes its Diff, hands it to the Repository, and changes
// the Session's own state only after the Repository has stored it; a
// command that fails leaves the Session as it was. A Session is safe for
// concurrent use (the UI reads while the pipeline merges).
type Session struct {
	mu   sync.Mutex
	repo Repository
	rec  RecordID
	opt  Options
	l    *labels
	undo []Entry
	redo []Entry
	rev  uint64
	// recent holds the latest commits' diffs for views catching up.
	recent recentLog
}

// Open loads the reader's label set of rec from repo, seeds a new set from
// opt.Seed, and merges the model layer into it (reader labels win), unless
// the set is signed off: model suggestions never change a signed-off set.
func Open(repo Repository, rec RecordID, opt Options) (*Session, error) {
	if opt.Reader == "" {
		return nil, ErrNoReader
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	snap, err := repo.Load(rec, opt.Reader)
	if err != nil {
		return nil, fmt.Errorf("annotate: open %s for %s: %w", rec, opt.Reader, err)
	}
	s := &Session{repo: repo, rec: rec, opt: opt, l: newLabels(snap.Labels),
		undo: snap.Undo, redo: snap.Redo, rev: snap.Rev}
	if snap.Rev == 0 && opt.Seed != "" {
		if err := s.seed(opt.Seed); err != nil {
			return nil, err
		}
	}
	if s.l.status.State == StateSignedOff {
		return s, nil
	}
	model, err := repo.Model(rec)
	if err != nil {
		return nil, fmt.Errorf("annotate: open %s: model layer: %w", rec, err)
	}
	if _, err := s.merge(model, nil); err != nil {
		return nil, err
	}
	return s, nil
}

// seed copies another reader's live labels into this new label set.
func (s *Session) seed(from ReaderID) error {
	snap, err := s.repo.Load(s.rec, from)
	if err != nil {
		return fmt.Errorf("annotate: seed from %s: %w", from, err)
	}
	b := newBuilder(s.l)
	for i := range snap.Labels.Beats {
		bt := snap.Labels.Beats[i]
		b.putBeat(bt.Sample, &bt)
	}
	for _, e := range snap.Labels.Episodes {
		if !e.Deleted {
			b.putEpisode(e.ID, &e)
		}
	}
	for _, n := range snap.Labels.Noise {
		if !n.Deleted {
			b.putNoise(n.ID, &n)
		}
	}
	return s.commit(CommitSeed, Edit{Action: ActSeed, Note: "from " + string(from)}, b.diff(), nil)
}

// commit stores d and, only when that worked, applies it to the session.
// The caller holds s.mu (or is Open).
func (s *Session) commit(kind CommitKind, e Edit, d Diff, model *ModelOutput) error {
	return s.commitModel(kind, e, d, model, nil)
}

// commitModel is commit with the region of the model layer that model
// replaces (nil: the whole layer).
func (s *Session) commitModel(kind CommitKind, e Edit, d Diff, model *ModelOutput, region *ModelRegion) error {
	if d.Empty() && model == nil && kind != CommitUndo && kind != CommitRedo {
		return nil
	}
	c := Commit{Record: s.rec, Reader: s.opt.Reader, Kind: kind, Edit: e, Diff: d,
		When: s.opt.Now(), Model: model, ModelRegion: region}
	rev, err := s.repo.Commit(c)
	if err != nil {
		return fmt.Errorf("annotate: %s: %w", e.Action, err)
	}
	s.l.apply(d)
	s.rev = rev
	s.recent.add(rev, d)
	s.undo, s.redo, _ = MoveStacks(c, s.undo, s.redo) // checked by the caller
	return nil
}

// Record returns the record the session edits.
func (s *Session) Record() RecordID { return s.rec }

// Reader returns who edits.
func (s *Session) Reader() ReaderID { return s.opt.Reader }

// Revision returns the label-set revision after the last commit.
func (s *Session) Revision() uint64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.rev
}

// Status returns the label set's status.
func (s *Session) Status() Status {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.l.status
}

// Labels returns a copy of the whole label set, tombstones included.
func (s *Session) Labels() LabelSet {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.l.set()
}

// NumBeats returns the number of live beats.
func (s *Session) NumBeats() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.l.beats)
}

// Beat returns the beat at sample.
func (s *Session) Beat(sample int64) (Beat, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.l.beat(sample)
}

// BeatsIn returns a copy of the beats with t0 <= Sample < t1, in order.
func (s *Session) BeatsIn(t0, t1 int64) []Beat {
	s.mu.Lock()
	defer s.mu.Unlock()
	i, _ := s.l.find(t0)
	j, _ := s.l.find(t1)
	if j < i {
		return nil
	}
	return slices.Clone(s.l.beats[i:j])
}

// Episodes returns the live episodes, by ID. It copies only the episodes.
func (s *Session) Episodes() []EpisodeEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return liveByID(s.l.eps, func(e EpisodeEntry) bool { return !e.Deleted })
}

// Noise returns the live noise stretches, by ID. It copies only the noise.
func (s *Session) Noise() []NoiseEntry {
	s.mu.Lock()
	defer s.mu.Unlock()
	return liveByID(s.l.noise, func(n NoiseEntry) bool { return !n.Deleted })
}

// liveByID returns the values of m that live accepts, in key order.
func liveByID[K cmp.Ordered, V any](m map[K]V, live func(V) bool) []V {
	var out []V
	for _, k := range slices.Sorted(maps.Keys(m)) {
		if v := m[k]; live(v) {
			out = append(out, v)
		}
	}
	return out
}
