package sim

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
)

// miss is a reference beat the labels lack.
type miss struct {
	at int64
	k  annotate.Class
}

// reader is one simulated reading of a record.
type reader struct {
	rec      Record
	st       Strategy
	c        Costs
	s        *annotate.Session
	truth    map[int64]annotate.Class // wanted class of each beat; ClassNone: delete it
	missed   []miss                   // by sample
	inserted map[int64]bool
	res      Result
	cur      Tally
	err      error
	episodes []annotate.Episode // the reference rhythm, for Phase.Kinds
}

func newReader(rec Record, st Strategy, c Costs) (*reader, error) {
	s, err := annotate.Open(&annotate.MemRepository{}, annotate.RecordID(rec.Name),
		annotate.Options{Reader: "sim", HideModel: st == Scratch})
	if err != nil {
		return nil, fmt.Errorf("sim: %s: %w", rec.Name, err)
	}
	rec.Model = slices.Clone(rec.Model)
	slices.SortStableFunc(rec.Model, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) })
	beats := rec.Model
	if st == Scratch {
		beats = detectorOnly(beats)
	}
	out := annotate.ModelOutput{Beats: beats}
	if st != Scratch {
		out.Episodes = rec.Episodes
	}
	if _, err := s.MergeModel(out); err != nil {
		return nil, fmt.Errorf("sim: %s: %w", rec.Name, err)
	}
	r := &reader{rec: rec, st: st, c: c, s: s, inserted: map[int64]bool{},
		episodes: rec.RefEpisodes}
	r.res = Result{Record: rec.Name, Strategy: st, Beats: s.NumBeats()}
	first, err := r.learn()
	if err != nil {
		return nil, err
	}
	r.res.RefBeats = refBeats(first)
	r.res.Errors = len(first.Discrepancies())
	return r, nil
}

// detectorOnly returns the beats as the detector gave them: positions only.
func detectorOnly(in []annotate.Beat) []annotate.Beat {
	out := make([]annotate.Beat, len(in))
	for i, b := range in {
		out[i] = annotate.Beat{Sample: b.Sample, Code: annotate.Normal, Chan: b.Chan, Flags: b.Flags,
			Prov: annotate.Provenance{Source: annotate.SourceDetector, Who: b.Prov.Who}}
	}
	return out
}

// compare matches the current labels against the reference (EC57 over
// the whole record).
func (r *reader) compare() (*eval.Result, error) {
	o := eval.DefaultOptions(r.rec.Fs, r.rec.NSamples).WholeRecord()
	res, err := eval.Compare(r.rec.Name, r.rec.Reference, eval.FromBeats(r.beats()), o)
	if err != nil {
		return nil, fmt.Errorf("sim: %s: compare: %w", r.rec.Name, err)
	}
	return res, nil
}

// learn sets the truth of every current beat and the missed beats from a
// comparison with the reference.
func (r *reader) learn() (*eval.Result, error) {
	res, err := r.compare()
	if err != nil {
		return nil, err
	}
	r.truth = map[int64]annotate.Class{}
	for _, b := range r.beats() {
		r.truth[b.Sample] = b.Code.Class()
	}
	r.missed = nil
	for _, p := range res.Discrepancies() {
		switch rk, tk := labelClass(p.RefLabel), labelClass(p.TestLabel); {
		case tk == annotate.ClassNone:
			r.missed = append(r.missed, miss{p.Ref, rk})
		default:
			r.truth[p.Test] = rk // ClassNone for an extra beat
		}
	}
	return res, nil
}

// labelClass maps a confusion-matrix label to a class (O and X: none).
func labelClass(l eval.Label) annotate.Class {
	if l <= eval.LabelQ {
		return annotate.Class(l) + annotate.ClassN
	}
	return annotate.ClassNone
}

// refBeats returns the reference beats compared: matched plus missed.
func refBeats(res *eval.Result) int {
	n := 0
	for ref := eval.LabelN; ref <= eval.LabelQ; ref++ {
		for t := range eval.NLabels {
			n += int(res.Matrix[ref][t])
		}
	}
	return n
}

// agreement returns the fraction of compared beats on the diagonal.
func agreement(res *eval.Result) float64 {
	var all, ok int64
	for i := range eval.NLabels {
		for j := range eval.NLabels {
			all += res.Matrix[i][j]
			if i == j && i <= int(eval.LabelQ) {
				ok += res.Matrix[i][j]
			}
		}
	}
	if all == 0 {
		return math.NaN()
	}
	return float64(ok) / float64(all)
}

func (r *reader) beats() []annotate.Beat { return r.s.BeatsIn(0, math.MaxInt64) }

// wrong reports whether beat b needs a fix.
func (r *reader) wrong(b annotate.Beat) bool {
	want, ok := r.truth[b.Sample]
	return ok && want != b.Code.Class()
}

// pending returns the beats that need a fix and the beats still missing.
func (r *reader) pending() ([]annotate.Beat, []miss) {
	var bs []annotate.Beat
	for _, b := range r.beats() {
		if r.wrong(b) {
			bs = append(bs, b)
		}
	}
	var ms []miss
	for _, m := range r.missed {
		if !r.inserted[m.at] {
			ms = append(ms, m)
		}
	}
	return bs, ms
}

// fix relabels or deletes b as its truth says (the cost is the caller's).
func (r *reader) fix(b annotate.Beat) {
	if r.err != nil {
		return
	}
	if want := r.truth[b.Sample]; want == annotate.ClassNone {
		r.err = r.s.Delete([]int64{b.Sample}, "false beat")
		r.cur.Deletes++
	} else {
		r.err = r.s.Relabel([]int64{b.Sample}, want.Code(), "")
		r.cur.Relabels++
	}
}

// insert adds the missed beat m: a click, Ins, and the class key unless N.
func (r *reader) insert(m miss) {
	if r.err != nil {
		return
	}
	r.cur.Clicks++
	r.cur.Keys++
	if m.k != annotate.ClassN {
		r.cur.Keys++
	}
	r.err = r.s.Insert(m.at, m.k.Code(), "missed beat")
	r.truth[m.at] = m.k
	r.inserted[m.at] = true
	r.cur.Inserts++
}

// phase runs f as a named phase and records its tally.
func (r *reader) phase(name string, f func()) {
	if r.err != nil {
		return
	}
	r.cur = Tally{}
	f()
	bs, ms := r.pending()
	r.res.Phases = append(r.res.Phases, Phase{Name: name, Tally: r.cur, Errors: len(bs) + len(ms), Kinds: r.kinds(bs, ms)})
	r.res.Total.add(r.cur)
}

// finish checks the labels against the reference; discrepancies left by a
// change of the matching (a deleted beat freeing a reference beat for
// another) are fixed in full disclosure, then agreement must be full.
func (r *reader) finish() (Result, error) {
	// Each round fixes at least one beat for good (a reader-owned label is
	// never propagated over), so the rounds end; the bound is a safeguard.
	for round := 0; round <= len(r.truth)+len(r.missed); round++ {
		res, err := r.learn()
		if err != nil {
			return r.res, err
		}
		r.res.Agreement = agreement(res)
		if len(res.Discrepancies()) == 0 {
			return r.res, nil
		}
		r.phase("fix-up", r.scan)
		if r.err != nil {
			return r.res, fmt.Errorf("sim: %s: %w", r.rec.Name, r.err)
		}
	}
	return r.res, fmt.Errorf("%w: %s: agreement %.4f", ErrDisagrees, r.rec.Name, r.res.Agreement)
}

// sortedMisses returns ms by sample.
func sortedMisses(ms []miss) []miss {
	ms = slices.Clone(ms)
	slices.SortFunc(ms, func(a, b miss) int { return cmp.Compare(a.at, b.at) })
	return ms
}
