package archive

import (
	"cmp"
	"fmt"
	"math"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
)

// AgreeWindow is how far apart a model beat and a reader's beat may be and
// still pair up in the agreement figures (annotate.Agree): 150 ms, as the
// agree command and EC57 pair them.
const AgreeWindow = 150 * time.Millisecond

// Options say how to sum up the archive.
type Options struct {
	Devices    *Devices          // the user's device/site/patient CSV, nil when none
	Me         annotate.ReaderID // the reader whose labels to prefer (the library's rule)
	SegmentLen time.Duration     // segment length of the tidy segment table; 0: no segments

	// names counts the archive's records by their loose keys (Summarise
	// sets it): a name two records share names neither in the devices CSV
	// and is no patient of its own.
	names map[string]int
}

// Summarise sums up every record of db, one record at a time (a record's
// labels are let go before the next is read, so memory follows the longest
// record, not the archive). errs lists the records that could not be read,
// which get no row; it is never fatal. progress (may be nil) is called
// after each record with done, total.
func Summarise(db *store.DB, opt Options, progress func(done, total int)) (rows []Row, segs []Segment, errs []error) {
	es, err := db.Records()
	if err != nil {
		return nil, nil, []error{fmt.Errorf("archive: list the records: %w", err)}
	}
	rows = make([]Row, 0, len(es))
	opt.names = looseNames(es)
	var recSegs [][]Segment
	for i, e := range es {
		r, s, err := SummariseRecord(db, e, opt)
		if err != nil {
			errs = append(errs, err)
		} else {
			rows = append(rows, r)
			recSegs = append(recSegs, s)
		}
		if progress != nil {
			progress(i+1, len(es))
		}
	}
	for i, s := range recSegs { // point the segments at the rows they stay with
		for j := range s {
			s[j].Row = &rows[i]
		}
		segs = append(segs, s...)
	}
	return rows, segs, errs
}

// SummariseRecord sums up one record from the database alone (a record
// whose file moved keeps its row); only the EDF+ equipment field, when no
// devices CSV names the record, is read from the file, if it is there.
// The segments point at a copy of the row.
func SummariseRecord(db *store.DB, e store.RecordEntry, opt Options) (Row, []Segment, error) {
	info := e.Info
	if !(info.Fs > 0) {
		return Row{}, nil, fmt.Errorf("archive: record %s (%s): sampling frequency %v", info.Name, e.ID, info.Fs)
	}
	r := newRow(e, opt)
	c, err := readCounts(db, e, r.LabelSet, opt.SegmentLen)
	if err != nil {
		return Row{}, nil, fmt.Errorf("archive: record %s (%s): %w", info.Name, e.ID, err)
	}
	r.Counts, r.Beats, r.Reviewed = c.counts, c.beats, c.reviewed
	in, err := spansInput(db, e, r.LabelSet)
	if err != nil {
		return Row{}, nil, fmt.Errorf("archive: record %s (%s): %w", info.Name, e.ID, err)
	}
	r.NoisePct = noiseBurden(in.Noise, len(info.Leads), 0, info.NSamples)
	r.AFPct = 100 * stats.AFBurden(in).Fraction
	if info.NSamples <= 0 {
		r.AFPct = math.NaN()
	}
	if err := agreement(db, e, &r); err != nil {
		return Row{}, nil, fmt.Errorf("archive: record %s (%s): %w", info.Name, e.ID, err)
	}
	return r, segments(&r, in, c, opt.SegmentLen), nil
}

// newRow fills in what the record entry and the devices CSV say.
func newRow(e store.RecordEntry, opt Options) Row {
	info := e.Info
	r := Row{ID: e.ID, Name: info.Name, Path: e.Path, Format: info.Format,
		Hours: float64(info.NSamples) / info.Fs / 3600, State: annotate.StateNew,
		LabelSet: ShownLabelSet(e, opt.Me), AgreePct: math.NaN(), Kappa: math.NaN()}
	for _, l := range info.Leads {
		r.Leads = append(r.Leads, l.Name)
	}
	// The review state and reader of the labels the figures come from, not
	// the record's (another reader's sign-off does not sign these off).
	if i := slices.IndexFunc(e.Readers, func(x store.ReaderEntry) bool { return x.Reader == r.LabelSet }); i >= 0 {
		r.State, r.Reader = e.Readers[i].Status.State, string(r.LabelSet)
	}
	r.Device, r.Site, r.Patient, r.DeviceFrom = origin(e, opt.Devices, opt.names)
	return r
}

// ShownLabelSet is the library's rule for whose labels a record's figures
// come from: the current reader's (me) when they have a label set, else the
// one report would pick (report.PickReader: signed off last, or the only
// one), else the reader with the most commits, else store.ModelLayer.
func ShownLabelSet(e store.RecordEntry, me annotate.ReaderID) annotate.ReaderID {
	if me != "" && slices.ContainsFunc(e.Readers, func(x store.ReaderEntry) bool { return x.Reader == me }) {
		return me
	}
	if pick, err := report.PickReader(e, ""); err == nil {
		return pick
	}
	if len(e.Readers) > 0 {
		return slices.MaxFunc(e.Readers, func(a, b store.ReaderEntry) int { return cmp.Compare(a.Rev, b.Rev) }).Reader
	}
	return store.ModelLayer
}

// spansInput reads the live episodes and noise stretches of a label set
// (no beats) as the stats package takes them.
func spansInput(db *store.DB, e store.RecordEntry, who annotate.ReaderID) (stats.Input, error) {
	sp, err := db.Spans(e.ID, who)
	if err != nil {
		return stats.Input{}, err
	}
	return stats.FromLabelSet(e.Info, annotate.LabelSet{Episodes: sp.Episodes, Noise: sp.Noise}), nil
}

// agreement compares the model layer with the reader's label set the row's
// figures come from, when there are both: the beats (QRS complexes only)
// paired within AgreeWindow (annotate.Agree, the reader as reference). It
// reads and pairs about agreeSpan at a time, cut where both sets have a gap
// longer than twice the window (see gapCut), so a 14-day record's beats are
// never all in memory; the figures come from the pooled confusion matrix,
// the same as annotate.Agree over the whole record (TestAgreeChunks).
func agreement(db *store.DB, e store.RecordEntry, r *Row) error {
	if r.LabelSet == store.ModelLayer || e.ModelRev == 0 {
		return nil
	}
	// Only against a complete model run: a run stopped part-way, or one
	// made before the model leads changed, would count every beat it never
	// reached as a disagreement.
	if who, err := db.LastModelRun(e.ID); err != nil || who == "" {
		return err
	}
	w := eval.Seconds(AgreeWindow.Seconds(), e.Info.Fs)
	step := max(1, int64(agreeSpan.Seconds()*e.Info.Fs))
	var bufA, bufB []annotate.Beat // reused from chunk to chunk
	for from := int64(0); from < math.MaxInt64; {
		reader, model, cut, err := agreeChunk(db, e, r.LabelSet, from, step, w, bufA[:0], bufB[:0])
		if err != nil {
			return err
		}
		ag := annotate.Agree(before(reader, cut), before(model, cut), w)
		addConfusion(&r.Confusion, ag.Confusion)
		from, bufA, bufB = cut, reader, model
	}
	for i := range r.Confusion {
		for _, n := range r.Confusion[i] {
			r.AgreePairs += n
		}
	}
	if r.AgreePairs > 0 {
		var po float64
		po, r.Kappa = annotate.KappaOf(r.Confusion)
		r.AgreePct = 100 * po
	}
	return nil
}

// agreeSpan is about how much of a record agreement pairs at a time.
var agreeSpan = time.Hour

// agreeChunk reads the beats of both sets from from on, a step or more,
// into a and b, and returns them with a cut (gapCut; MaxInt64 at the end
// of the record): the chunk is the beats before the cut.
func agreeChunk(db *store.DB, e store.RecordEntry, who annotate.ReaderID, from, step, w int64, a, b []annotate.Beat) ([]annotate.Beat, []annotate.Beat, int64, error) {
	var err error
	for to := from + step; ; to += step {
		if to >= e.Info.NSamples {
			to = math.MaxInt64
		}
		if a, err = leanBeats(a[:0], db, e.ID, who, from, to); err != nil {
			return nil, nil, 0, err
		}
		if b, err = leanBeats(b[:0], db, e.ID, store.ModelLayer, from, to); err != nil {
			return nil, nil, 0, err
		}
		if to == math.MaxInt64 {
			return a, b, to, nil
		}
		if c, ok := gapCut(a, b, from, to, w); ok {
			return a, b, c, nil
		}
	}
}

// gapCut returns the last cut c in (from, to) with no beat of a or b
// within w samples before it nor within w after it, counting the beats not
// read yet (at to or later) as after it. No two beats on either side of
// such a cut are within the window of each other, so none pair across it;
// and where bxb's walk compares a pair with the next beats, a next beat
// across the cut is more than the window away, as good as none.
func gapCut(a, b []annotate.Beat, from, to, w int64) (int64, bool) {
	next := to // the earliest beat after the candidate gap
	i, j := len(a)-1, len(b)-1
	for i >= 0 || j >= 0 {
		var t int64
		if j < 0 || (i >= 0 && a[i].Sample >= b[j].Sample) {
			t, i = a[i].Sample, i-1
		} else {
			t, j = b[j].Sample, j-1
		}
		if next-t > 2*w+2 {
			return t + w + 1, true
		}
		next = t
	}
	if c := next - w - 1; c > from {
		return c, true
	}
	return 0, false
}

// before returns the beats of bs before sample c.
func before(bs []annotate.Beat, c int64) []annotate.Beat {
	k, _ := slices.BinarySearchFunc(bs, c, func(b annotate.Beat, t int64) int { return cmp.Compare(b.Sample, t) })
	return bs[:k]
}

// addConfusion adds confusion matrix m to dst.
func addConfusion(dst *[annotate.ClassQ + 1][annotate.ClassQ + 1]int, m [annotate.ClassQ + 1][annotate.ClassQ + 1]int) {
	for i := range m {
		for j := range m[i] {
			dst[i][j] += m[i][j]
		}
	}
}

// leanBeats appends to out the QRS complexes of a label set in [from, to)
// with their sample and code only (no provenance: no model probabilities
// are held).
func leanBeats(out []annotate.Beat, db *store.DB, id annotate.RecordID, who annotate.ReaderID, from, to int64) ([]annotate.Beat, error) {
	for b, err := range db.Beats(id, who, from, to) {
		if err != nil {
			return nil, err
		}
		if b.Code.IsBeat() {
			out = append(out, annotate.Beat{Sample: b.Sample, Code: b.Code, Chan: b.Chan})
		}
	}
	return out, nil
}
