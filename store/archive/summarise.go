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
	r := Row{ID: e.ID, Name: info.Name, Path: e.Path, Format: info.Format, Start: info.Start,
		Hours: float64(info.NSamples) / info.Fs / 3600, State: e.Status.State,
		LabelSet: ShownLabelSet(e, opt.Me), AgreePct: math.NaN(), Kappa: math.NaN()}
	for _, l := range info.Leads {
		r.Leads = append(r.Leads, l.Name)
	}
	r.Reader = string(e.Status.By)
	if r.Reader == "" {
		r.Reader = string(r.LabelSet)
	}
	r.Device, r.Site, r.Patient, r.DeviceFrom = origin(e, opt.Devices)
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
// paired within AgreeWindow, the reader as reference.
func agreement(db *store.DB, e store.RecordEntry, r *Row) error {
	if r.LabelSet == store.ModelLayer || e.ModelRev == 0 {
		return nil
	}
	reader, err := leanBeats(db, e.ID, r.LabelSet)
	if err != nil {
		return err
	}
	model, err := leanBeats(db, e.ID, store.ModelLayer)
	if err != nil {
		return err
	}
	ag := annotate.Agree(reader, model, eval.Seconds(AgreeWindow.Seconds(), e.Info.Fs))
	r.Confusion, r.AgreePairs = ag.Confusion, ag.N
	if ag.N > 0 {
		r.AgreePct, r.Kappa = 100*ag.Observed, ag.Kappa
	}
	return nil
}

// leanBeats reads the QRS complexes of a label set with their sample and
// code only (no provenance: a 14-day record's model probabilities are
// never held).
func leanBeats(db *store.DB, id annotate.RecordID, who annotate.ReaderID) ([]annotate.Beat, error) {
	var out []annotate.Beat
	for b, err := range db.Beats(id, who, 0, math.MaxInt64) {
		if err != nil {
			return nil, err
		}
		if b.Code.IsBeat() {
			out = append(out, annotate.Beat{Sample: b.Sample, Code: b.Code, Chan: b.Chan})
		}
	}
	return out, nil
}
