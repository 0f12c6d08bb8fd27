package export

import (
	"fmt"
	"sort"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
)

// Importing a label set (from a bundle, or a WFDB annotation file) into a
// reader's label set that may already hold labels is a two-way merge in
// which a reader's work is never lost. A label is the reader's when
// annotate.ReaderOwned says so (set, confirmed or changed by a reader, or a
// reference annotation); model and detector suggestions nobody looked at
// are not.
//
// A local and an incoming label are the same when they are paired: at the
// same sample, or, for QRS beats, closest pairs first, one to one, at most
// PairTolerance (150 ms) apart (pairNear); other annotations (x, |,
// comments) pair only at the same sample. For each label:
//
//	local           incoming        result
//	none            any             incoming is added (see below)
//	same label      any             unchanged (a reader's review state is taken over a suggestion)
//	suggestion      reader's        incoming replaces it, at the incoming position
//	reader's        suggestion      local kept
//	reader's        reader's, other CONFLICT: listed, local kept (other label, or other position)
//	deleted         reader's        CONFLICT: listed, local kept (a tomb within 150 ms)
//	reader's        deleted         CONFLICT: listed, local kept (a tomb within 150 ms)
//
// An incoming QRS beat at a new position (added, or moving a suggestion)
// comes in only if no QRS beat of the result is closer than Refractory (200 ms),
// unless the incoming reader put both there: a suggestion in the way of a
// reader's beat makes way (removed, with a tomb); a reader's beat in the
// way of a reader's beat is a CONFLICT, listed, local kept; an incoming
// suggestion stays out. So a merge never doubles a beat, whichever side
// placed it a few samples off.
//
// Episodes are the same label when start, end and rhythm agree; an incoming
// episode that overlaps differing local episodes replaces them only when
// none of them is a reader's. Noise stretches are the same when start, end
// and lead agree; overlapping stretches live side by side. A sign-off comes
// in only when the set had no conflicts.

// ActImport is the audit action of an import.
const ActImport annotate.Action = "import"

// Incoming is a label set arriving from elsewhere. Its episode and noise
// IDs are those of its origin and are not kept.
type Incoming struct {
	Record annotate.RecordID
	Name   string // record name, for messages
	Reader annotate.ReaderID
	Labels annotate.LabelSet
	From   string // where it came from: "bundle x.ecgb", "100.atr"
}

// Conflict is a label both sides set differently; the local one was kept.
type Conflict struct {
	Record   annotate.RecordID
	Name     string
	Reader   annotate.ReaderID
	Kind     string // "beat", "episode" or "noise"
	Start    int64  // sample (beats) or span start
	End      int64  // span end; Start+1 for beats
	Local    string // the local label, described
	Incoming string // the incoming label, described
}

// String describes the conflict on one line.
func (c Conflict) String() string {
	if c.Reader == store.ModelLayer {
		return fmt.Sprintf("%s %s: here %s, incoming %s (kept here)", c.Name, c.Kind, c.Local, c.Incoming)
	}
	return fmt.Sprintf("%s %s %s at %d-%d: here %s, incoming %s (kept here)", c.Name, c.Reader, c.Kind, c.Start, c.End, c.Local, c.Incoming)
}

// MergeResult counts what an import did to one label set.
type MergeResult struct {
	Record    annotate.RecordID
	Name      string
	Reader    annotate.ReaderID
	Added     int // labels that were not there
	Updated   int // suggestions replaced, or review states taken over
	Deleted   int // labels the incoming reader deleted (suggestions only)
	Unchanged int
	Kept      int // incoming suggestions not taken over local labels
	Conflicts []Conflict
	Rev       uint64 // label-set revision after the import (0: nothing written)
	// Replaced names the complete model run an incoming model layer
	// replaced (ModelRun.Replace), "" when none.
	Replaced string
}

// String sums the result up.
func (r MergeResult) String() string {
	whose := "reader " + string(r.Reader)
	if r.Reader == store.ModelLayer {
		whose = "model layer"
	}
	s := fmt.Sprintf("%s (%s) %s: %d added, %d updated, %d deleted, %d unchanged, %d kept, %d conflicts",
		r.Name, r.Record[:12], whose, r.Added, r.Updated, r.Deleted, r.Unchanged, r.Kept, len(r.Conflicts))
	if r.Replaced != "" {
		s += "; replaced the run " + r.Replaced
	}
	return s
}

// Merge brings in into the database as one commit (no undo entry, one
// audit line whose note has the counts); nothing is written when it
// changes nothing. The record must be registered.
func Merge(db *store.DB, in Incoming, now time.Time) (MergeResult, error) {
	rec, err := db.Record(in.Record)
	if err != nil {
		return MergeResult{}, fmt.Errorf("import %s: %w", in.From, err)
	}
	local, _, err := db.Labels(in.Record, in.Reader)
	if err != nil {
		return MergeResult{}, fmt.Errorf("import %s: %w", in.From, err)
	}
	m := newMerger(in, local, rec.Info.Fs)
	m.beats(in.Labels.Beats)
	m.tombs(in.Labels.Deleted)
	m.episodes(in.Labels.Episodes)
	m.noise(in.Labels.Noise)
	m.status(in.Labels.Status)
	d := m.diff()
	if d.Empty() {
		return m.res, nil
	}
	c := annotate.Commit{Record: in.Record, Reader: in.Reader, Kind: annotate.CommitSeed, Diff: d, When: now,
		Edit: annotate.Edit{Action: ActImport, Note: fmt.Sprintf("from %s: %d added, %d updated, %d deleted, %d conflicts",
			in.From, m.res.Added, m.res.Updated, m.res.Deleted, len(m.res.Conflicts))}}
	if m.res.Rev, err = db.Commit(c); err != nil {
		return m.res, fmt.Errorf("import %s: %w", in.From, err)
	}
	return m.res, nil
}

// merger computes the diff of one import.
type merger struct {
	in     Incoming
	res    MergeResult
	local  []slot                  // the local beats, by sample
	added  []slot                  // incoming beats put at new positions, by sample
	tombsL map[int64]annotate.Tomb // local tombs
	tombS  []int64                 // their samples, ascending
	tol    int64                   // PairTolerance in samples
	refr   int64                   // Refractory in samples
	eps    []annotate.EpisodeEntry
	noises []annotate.NoiseEntry
	bch    map[int64]annotate.BeatChange
	tch    map[int64]annotate.TombChange
	ech    map[annotate.EpisodeID]annotate.EpisodeChange
	nch    map[annotate.NoiseID]annotate.NoiseChange
	nextE  annotate.EpisodeID
	nextN  annotate.NoiseID
	st     *annotate.StatusChange
	lst    annotate.Status
}

func newMerger(in Incoming, local annotate.LabelSet, fs float64) *merger {
	m := &merger{in: in, res: MergeResult{Record: in.Record, Name: in.Name, Reader: in.Reader},
		tombsL: map[int64]annotate.Tomb{},
		eps:    local.Episodes, noises: local.Noise, lst: local.Status,
		bch: map[int64]annotate.BeatChange{}, tch: map[int64]annotate.TombChange{},
		ech: map[annotate.EpisodeID]annotate.EpisodeChange{}, nch: map[annotate.NoiseID]annotate.NoiseChange{},
		nextE: 1, nextN: 1}
	m.tol, m.refr = windows(fs)
	for _, b := range local.Beats {
		m.local = append(m.local, slot{b: b})
	}
	for _, t := range local.Deleted {
		m.tombsL[t.Sample] = t
		m.tombS = append(m.tombS, t.Sample)
	}
	for _, e := range local.Episodes {
		m.nextE = max(m.nextE, e.ID+1)
	}
	for _, n := range local.Noise {
		m.nextN = max(m.nextN, n.ID+1)
	}
	return m
}

func (m *merger) conflict(kind string, a, b int64, local, incoming string) {
	m.res.Conflicts = append(m.res.Conflicts, Conflict{Record: m.in.Record, Name: m.in.Name, Reader: m.in.Reader,
		Kind: kind, Start: a, End: b, Local: local, Incoming: incoming})
}

func descBeat(b annotate.Beat) string {
	return fmt.Sprintf("%s (%s %s, %s)", b.Code.Symbol(), b.Prov.Source, b.Prov.Who, b.Review)
}

func ownedBeat(b annotate.Beat) bool { return annotate.ReaderOwned(b.Prov, b.Review) }

func (m *merger) setBeat(s int64, before *annotate.Beat, after annotate.Beat) {
	a := after
	m.bch[s] = annotate.BeatChange{Sample: s, Before: before, After: &a}
}

func (m *merger) status(in annotate.Status) {
	if in.State == annotate.StateSignedOff && m.lst.State != annotate.StateSignedOff && len(m.res.Conflicts) == 0 {
		m.st = &annotate.StatusChange{Before: m.lst, After: in}
	}
}

// diff assembles the changes, each sorted by key.
func (m *merger) diff() annotate.Diff {
	var d annotate.Diff
	for _, c := range m.bch {
		d.Beats = append(d.Beats, c)
	}
	sort.Slice(d.Beats, func(i, j int) bool { return d.Beats[i].Sample < d.Beats[j].Sample })
	for _, c := range m.tch {
		d.Tombs = append(d.Tombs, c)
	}
	sort.Slice(d.Tombs, func(i, j int) bool { return d.Tombs[i].Sample < d.Tombs[j].Sample })
	for _, c := range m.ech {
		d.Episodes = append(d.Episodes, c)
	}
	sort.Slice(d.Episodes, func(i, j int) bool { return d.Episodes[i].ID < d.Episodes[j].ID })
	for _, c := range m.nch {
		d.Noise = append(d.Noise, c)
	}
	sort.Slice(d.Noise, func(i, j int) bool { return d.Noise[i].ID < d.Noise[j].ID })
	d.Status = m.st
	return d
}
