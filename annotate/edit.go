package annotate

import (
	"cmp"
	"slices"
	"time"
)

// RecordID identifies a record by the SHA-256 of its content, as 64
// lower-case hex digits, so a label set follows its record when the file is
// moved or renamed.
type RecordID string

// ReaderID names a human reader ("alice", "dr.kim"), taken from the
// preferences or a flag. The empty ReaderID is not a reader.
type ReaderID string

// EpisodeID identifies a rhythm episode within one label set.
type EpisodeID uint64

// NoiseID identifies a noise stretch within one label set.
type NoiseID uint64

// State is the review state of a whole label set.
type State uint8

// Label-set states.
const (
	StateNew        State = iota // nobody has edited it
	StateInProgress              // a reader has edited it
	StateSignedOff               // a reader signed it off
)

var stateNames = [...]string{"new", "in progress", "signed off"}

// String returns the state name.
func (s State) String() string {
	if int(s) < len(stateNames) {
		return stateNames[s]
	}
	return "unknown"
}

// Status is the state of a label set, with who signed it off and when.
type Status struct {
	State State
	By    ReaderID  // who signed off (StateSignedOff only)
	At    time.Time // when it was signed off (StateSignedOff only)
}

// Tomb remembers that a reader deleted the beat at Sample, so that a later
// model merge does not put it back.
type Tomb struct {
	Sample int64
	By     ReaderID
}

// EpisodeEntry is an episode of a label set with its identity. A deleted
// episode stays as a tombstone (Deleted) so a model merge cannot bring it
// back; views leave tombstones out.
type EpisodeEntry struct {
	ID EpisodeID
	Episode
	Deleted bool
}

// NoiseEntry is a noise stretch of a label set with its identity; Deleted
// works as for EpisodeEntry.
type NoiseEntry struct {
	ID NoiseID
	Noise
	Deleted bool
}

// ReaderOwned reports whether a label with this provenance and review state
// belongs to a reader: set by a reader (or copied from a reader's correction,
// or imported as a reference) or looked at by one. A model merge never
// replaces a reader-owned label. An unreviewed adapted label is not
// reader-owned (no reader looked at it), yet a merge keeps it too (see
// Outranks).
func ReaderOwned(p Provenance, r Review) bool {
	return r != Unreviewed || (p.Source != SourceModel && p.Source != SourceDetector && p.Source != SourceAdapted)
}

// LabelSet is the whole label set of one record for one reader (or the
// model layer): live beats sorted by Sample, beat tombstones sorted by
// Sample, episodes and noise (with tombstones) sorted by ID, and the status.
type LabelSet struct {
	Beats    []Beat
	Deleted  []Tomb
	Episodes []EpisodeEntry
	Noise    []NoiseEntry
	Status   Status
}

// ModelOutput is what the models suggested for a record: the model layer.
type ModelOutput struct {
	Beats    []Beat
	Episodes []Episode
	Noise    []Noise
}

// Action names what a reader (or the pipeline) did, for the audit log and
// for the undo menu ("Undo relabel").
type Action string

// The actions.
const (
	ActRelabel       Action = "relabel"
	ActRelabelSet    Action = "relabel set"
	ActInsert        Action = "insert beat"
	ActDelete        Action = "delete beat"
	ActMove          Action = "move beat"
	ActConfirm       Action = "confirm"
	ActSetEpisode    Action = "set episode"
	ActChangeEpisode Action = "change episode"
	ActDeleteEpisode Action = "delete episode"
	ActMarkNoise     Action = "mark noise"
	ActClearNoise    Action = "clear noise"
	ActSignOff       Action = "sign off"
	ActReopen        Action = "reopen"
	ActAdjudicate    Action = "adjudicate"
	ActMerge         Action = "merge model"
	ActSeed          Action = "seed"
)

// Edit describes one command as the reader gave it.
type Edit struct {
	Action Action
	Note   string // short human summary: "3 beats to V"
	Why    string // the reader's reason, may be empty
}

// BeatChange is the change of the beat at Sample; a nil Before means there
// was no beat, a nil After means the beat is removed.
type BeatChange struct {
	Sample        int64
	Before, After *Beat
}

// TombChange is the change of a beat tombstone at Sample.
type TombChange struct {
	Sample        int64
	Before, After *Tomb
}

// EpisodeChange is the change of episode ID.
type EpisodeChange struct {
	ID            EpisodeID
	Before, After *EpisodeEntry
}

// NoiseChange is the change of noise stretch ID.
type NoiseChange struct {
	ID            NoiseID
	Before, After *NoiseEntry
}

// StatusChange is the change of the label set's status.
type StatusChange struct {
	Before, After Status
}

// Diff is the exact effect of a command on a label set: the value before and
// after of every label it touched, each key at most once, sorted by key.
// Applying After values turns the before state into the after state;
// Inverse undoes it.
type Diff struct {
	Beats    []BeatChange    `json:",omitempty"`
	Tombs    []TombChange    `json:",omitempty"`
	Episodes []EpisodeChange `json:",omitempty"`
	Noise    []NoiseChange   `json:",omitempty"`
	Status   *StatusChange   `json:",omitempty"`
}

// Empty reports whether the diff changes nothing.
func (d Diff) Empty() bool {
	return len(d.Beats) == 0 && len(d.Tombs) == 0 && len(d.Episodes) == 0 &&
		len(d.Noise) == 0 && d.Status == nil
}

// Inverse returns the diff that undoes d.
func (d Diff) Inverse() Diff {
	var r Diff
	for _, c := range d.Beats {
		r.Beats = append(r.Beats, BeatChange{c.Sample, c.After, c.Before})
	}
	for _, c := range d.Tombs {
		r.Tombs = append(r.Tombs, TombChange{c.Sample, c.After, c.Before})
	}
	for _, c := range d.Episodes {
		r.Episodes = append(r.Episodes, EpisodeChange{c.ID, c.After, c.Before})
	}
	for _, c := range d.Noise {
		r.Noise = append(r.Noise, NoiseChange{c.ID, c.After, c.Before})
	}
	if d.Status != nil {
		r.Status = &StatusChange{d.Status.After, d.Status.Before}
	}
	return r
}

// Entry is one step of an undo or redo stack: the command, and its diff from
// the undone state (Before) to the done state (After).
type Entry struct {
	Edit Edit
	Diff Diff
	When time.Time
}

// CommitKind says how a commit moves the undo and redo stacks.
type CommitKind uint8

// Commit kinds. For Do the repository pushes {Edit, Diff} on the undo stack
// and clears the redo stack; for Undo it pops the undo stack and pushes
// {Edit, Diff.Inverse()} on the redo stack; for Redo it pops the redo stack
// and pushes {Edit, Diff} on the undo stack; Merge and Seed leave both
// stacks alone. So in both stacks an entry's Diff goes from the undone
// state (Before) to the done state (After).
const (
	CommitDo CommitKind = iota
	CommitUndo
	CommitRedo
	CommitMerge
	CommitSeed
)

var commitNames = [...]string{"do", "undo", "redo", "merge", "seed"}

// String returns the kind name.
func (k CommitKind) String() string {
	if int(k) < len(commitNames) {
		return commitNames[k]
	}
	return "unknown"
}

// Commit is one accepted user action (or model merge) as the Session hands
// it to the Repository.
type Commit struct {
	Record RecordID
	Reader ReaderID
	Kind   CommitKind
	Edit   Edit
	Diff   Diff
	When   time.Time
	// Model, when not nil on a CommitMerge, replaces the model layer's
	// beats, episodes and noise in the same transaction.
	Model *ModelOutput
	// ModelRegion, when not nil, limits what Model replaces to that
	// region of the model layer (ModelRegion.Replace); Model then holds
	// only the region's labels.
	ModelRegion *ModelRegion
}

// Snapshot is what a Repository holds for one reader's label set.
type Snapshot struct {
	Labels     LabelSet
	Undo, Redo []Entry // oldest first: the top of each stack is last
	Rev        uint64  // label-set revision: 0 before the first commit
}

// Repository persists label sets. The Session calls Commit before it changes
// its own state or reports the command done; when Commit returns an error
// nothing was stored and the Session stays as it was.
type Repository interface {
	// Load returns the label set of reader on record, empty (Rev 0) when
	// the reader has none yet.
	Load(rec RecordID, reader ReaderID) (Snapshot, error)
	// Model returns the model layer of record, empty when there is none.
	Model(rec RecordID) (ModelOutput, error)
	// Commit stores c durably in one transaction and returns the new
	// revision of the reader's label set.
	Commit(c Commit) (rev uint64, err error)
}

// sortedBeats returns a copy of beats sorted by Sample, the last of equal
// samples winning.
func sortedBeats(beats []Beat) []Beat {
	s := slices.Clone(beats)
	slices.SortStableFunc(s, func(a, b Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	out := s[:0]
	for _, b := range s {
		if n := len(out); n > 0 && out[n-1].Sample == b.Sample {
			out[n-1] = b
			continue
		}
		out = append(out, b)
	}
	return out
}
