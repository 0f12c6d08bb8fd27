package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/inference/compare"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/report"
)

// cmOpts are the flags of compare-models.
type cmOpts struct {
	a, b, records string
	whole, signed bool
	allBeats      bool // score every beat, not only those the reader owns
	flips         int
	sharedFlags
}

func runCompareModels(args []string, stdout, stderr io.Writer) error {
	fs := newFlags("compare-models", stderr)
	var o cmOpts
	o.add(fs, withDB|withReader|withORTLib)
	fs.StringVar(&o.a, "model-a", "", "model A, an ONNX beat model (required)")
	fs.StringVar(&o.b, "model-b", "", "model B, an ONNX beat model (required)")
	fs.StringVar(&o.records, "records", "", "comma-separated record ids, id prefixes, names or paths; default every record with a reader's labels")
	fs.BoolVar(&o.whole, "whole", false, "score whole records (no 5-minute learning period; not EC57)")
	fs.BoolVar(&o.signed, "signed-only", false, "only records whose label set is signed off")
	fs.BoolVar(&o.allBeats, "all-beats", false, "score every beat of the reader's label set, also model suggestions nobody reviewed (default: the beats the reader set or confirmed, an imported reference, or all of a signed-off record)")
	fs.IntVar(&o.flips, "flips", 20, "flips to list per kind (fixed, broken, other)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 || o.db == "" || o.a == "" || o.b == "" || o.flips < 0 {
		return fmt.Errorf("%w: ecgstation compare-models --db F --model-a A --model-b B [--records R1,R2] [--reader NAME] [--whole] [--signed-only] [--all-beats] [--flips N]", errUsage)
	}
	svc := modelsvc.New(modelsvc.Config{Library: o.ortLib})
	defer svc.Close()
	ma, err := svc.Load(o.a)
	if err != nil {
		return err
	}
	mb, err := svc.Load(o.b)
	if err != nil {
		return err
	}
	ldb, err := store.OpenDB(o.db, store.DBOptions{ReadOnly: true})
	if err != nil {
		return err
	}
	defer ldb.Close()
	recs, closeAll, err := cmLoad(ldb, o)
	defer closeAll()
	if err != nil {
		return err
	}
	res, err := compare.AB(ma, mb, recs, o.whole)
	if err != nil {
		return err
	}
	cmPrint(stdout, res, recs, o)
	return nil
}

// cmLoad loads the records to compare with their signals; closeAll closes
// the record files.
func cmLoad(db *store.DB, o cmOpts) ([]compare.ABRecord, func(), error) {
	var files []*store.Recording
	closeAll := func() {
		for _, f := range files {
			f.Close()
		}
	}
	entries, err := cmEntries(db, o.records)
	if err != nil {
		return nil, closeAll, err
	}
	var out []compare.ABRecord
	for _, e := range entries {
		d, err := loadBrowserEntry(db, e, annotate.ReaderID(o.reader))
		if err != nil && o.records == "" {
			continue // a record nobody has read yet
		}
		if err != nil {
			return nil, closeAll, err
		}
		if o.signed && d.Labels.Status.State != annotate.StateSignedOff {
			continue
		}
		rec, err := d.Open()
		if err != nil {
			return nil, closeAll, err
		}
		files = append(files, rec)
		out = append(out, compare.ABRecord{Signal: modelSignal(rec.Signal, e.Settings), RecordLabels: eval.RecordLabels{
			ID: e.ID, Name: e.Info.Name, Info: e.Info, Reader: referenceBeats(&d.Labels, o.allBeats), Reference: string(d.Reader)}})
	}
	if len(out) == 0 {
		return nil, closeAll, fmt.Errorf("compare-models: %w in %s", eval.ErrNoRecords, db.Path())
	}
	return out, closeAll, nil
}

// cmPerRecord prints V and S sensitivity and positive predictivity of
// both models per record, as eval prints them per record.
func cmPerRecord(w io.Writer, r *eval.ABResult) {
	fmt.Fprintf(w, "\nper record: %-8s %7s | %7s %7s %7s %7s | %7s %7s %7s %7s\n", "record", "beats",
		"A V Se", "A V +P", "A S Se", "A S +P", "B V Se", "B V +P", "B S Se", "B S +P")
	for i, ra := range r.A.Matrix.Results {
		a, b := eval.RecordFigures(&ra.Matrix), eval.RecordFigures(&r.B.Matrix.Results[i].Matrix)
		fmt.Fprintf(w, "            %-8s %7s | %7s %7s %7s %7s | %7s %7s %7s %7s\n", ra.Record, a[0], a[1], a[2], a[3], a[4], b[1], b[2], b[3], b[4])
	}
}

// referenceBeats returns the beats of a label set that count as the
// reference: all of them when all is set or the set is signed off, else
// those the reader owns (set or confirmed by a person, or an imported
// reference: annotate.ReaderOwned). A model suggestion nobody reviewed is
// no reference for judging a model.
func referenceBeats(ls *annotate.LabelSet, all bool) []annotate.Beat {
	if all || ls.Status.State == annotate.StateSignedOff {
		return ls.Beats
	}
	var out []annotate.Beat
	for _, b := range ls.Beats {
		if annotate.ReaderOwned(b.Prov, b.Review) {
			out = append(out, b)
		}
	}
	return out
}

// cmEntries returns the records named in list, or every record.
func cmEntries(db *store.DB, list string) ([]store.RecordEntry, error) {
	if list == "" {
		return db.Records()
	}
	var out []store.RecordEntry
	for _, s := range strings.Split(list, ",") {
		if s = strings.TrimSpace(s); s == "" {
			continue
		}
		e, err := report.Find(db, s)
		if err != nil {
			return nil, err
		}
		out = append(out, e)
	}
	return out, nil
}

// cmPrint writes the two tables side by side and the flips.
func cmPrint(w io.Writer, r *eval.ABResult, recs []compare.ABRecord, o cmOpts) {
	period := "EC57: 150 ms window, first 5 minutes not scored, reader VF [..] excluded"
	if o.whole {
		period = "WHOLE RECORDS (learning period included, not EC57)"
	}
	names := make([]string, len(recs))
	for i, rc := range recs {
		names[i] = rc.Name + " (" + rc.Reference + ")"
	}
	ref := "the beats the reader set or confirmed (or imported; all of a signed-off record)"
	if o.allBeats {
		ref = "every beat of the reader's label set (--all-beats)"
	}
	fmt.Fprintf(w, "# %s; both models classify the reader's beats\n# reference: %s\n# AAMI classes: %s\n", period, ref, annotate.AAMIMapping)
	fmt.Fprintf(w, "# %d records (reference label set): %s\n# A = %s (%s)\n# B = %s (%s)\n\n", len(recs), strings.Join(names, " "), r.A.ID, o.a, r.B.ID, o.b)
	fmt.Fprintf(w, "%-5s %8s %7s %7s %7s | %8s %7s %7s %7s\n", "class", "ref", "A Se", "A +P", "A F1", "ref", "B Se", "B +P", "B F1")
	for i, a := range r.A.Matrix.PerClass {
		b := r.B.Matrix.PerClass[i]
		fmt.Fprintf(w, "%-5s %8d %7s %7s %7s | %8d %7s %7s %7s\n", a.Class, a.Reference, eval.Percent(a.Se, a.SeOK), eval.Percent(a.PP, a.PPOK), eval.Percent(a.F1, a.F1OK),
			b.Reference, eval.Percent(b.Se, b.SeOK), eval.Percent(b.PP, b.PPOK), eval.Percent(b.F1, b.F1OK))
	}
	cmPerRecord(w, r)
	fmt.Fprintf(w, "\n%d of %d scored beats flip: %d fixed by B, %d broken by B, %d other (neither agrees with the reader)\n",
		len(r.Flips), r.Beats, r.Count[eval.Fixed], r.Count[eval.Broken], r.Count[eval.Other])
	fs := map[annotate.RecordID]float64{}
	for _, rc := range recs {
		fs[rc.ID] = rc.Info.Fs
	}
	for k := eval.Fixed; k <= eval.Other; k++ {
		list := r.ByKind(k)
		if len(list) == 0 || o.flips == 0 {
			continue
		}
		fmt.Fprintf(w, "\n%s (%d, by B's confidence; first %d):\n", k, len(list), min(o.flips, len(list)))
		fmt.Fprintf(w, "  %-8s %10s %9s %6s %11s %11s\n", "record", "time", "sample", "reader", "A", "B")
		for _, f := range list[:min(o.flips, len(list))] {
			fmt.Fprintf(w, "  %-8s %10s %9d %6s %5s %.3f %5s %.3f\n", f.Name, stats.Elapsed(stats.Seconds(f.Sample, fs[f.Record])), f.Sample,
				f.Reader.Symbol(), f.Model.Class(), f.Confidence, f.B.Class(), f.ConfidenceB)
		}
	}
}

// errorBrowser computes what the model error browser shows: the confusion
// matrix of the model layer (the test) against a reader's label set (the
// reference) over the records named in list (default: every record with a
// reader's labels and a model layer), every cell listing its beats by
// model confidence. Each record's reference is reader's labels when given
// (a record without them is left out of the default list), else
// browserReader's pick. Under opt.OwnedOnly a signed-off set counts whole.
func errorBrowser(db *store.DB, list string, reader annotate.ReaderID, opt eval.ConfusionOptions) (*eval.Confusion, error) {
	entries, err := cmEntries(db, list)
	if err != nil {
		return nil, err
	}
	var recs []eval.RecordLabels
	for _, e := range entries {
		if e.ModelRev == 0 && list == "" {
			continue
		}
		d, err := loadBrowserEntry(db, e, reader)
		if err != nil && list == "" {
			continue
		}
		if err != nil {
			return nil, err
		}
		recs = append(recs, eval.RecordLabels{ID: e.ID, Name: e.Info.Name, Info: e.Info, Reader: d.Labels.Beats, Model: d.Model.Beats,
			Reference: string(d.Reader), AllOwned: d.Labels.Status.State == annotate.StateSignedOff})
	}
	if len(recs) == 0 && reader != "" {
		return nil, fmt.Errorf("%w with both a model layer and labels of reader %q", eval.ErrNoRecords, reader)
	}
	return eval.ConfusionOf(recs, opt)
}

// loadBrowserEntry loads e's labels of reader, or of browserReader's pick.
func loadBrowserEntry(db *store.DB, e store.RecordEntry, reader annotate.ReaderID) (*report.Data, error) {
	if reader == "" {
		r, err := browserReader(db, e)
		if err != nil {
			return nil, err
		}
		reader = r
	}
	return report.LoadEntry(db, e, reader)
}

// browserReader picks the reference label set the error browser compares
// the model with when none is named: the reader who signed off last, else
// the only reader, else (several readers, none signed off) an imported
// reference (a set holding beats of an annotation file, import-ann), then
// the set with the most reviewed beats (confirmed or changed), then the
// latest revision, then the first by name. A record is never left out for
// having two readers at work on it, and a reader's set of unreviewed model
// suggestions never outranks an imported reference.
func browserReader(db *store.DB, e store.RecordEntry) (annotate.ReaderID, error) {
	r, err := report.PickReader(e, "")
	if err == nil || len(e.Readers) < 2 {
		return r, err
	}
	best, bestRank := -1, readerRank{}
	for i, re := range e.Readers { // sorted by reader id
		ls, _, err := db.Labels(e.ID, re.Reader)
		if err != nil {
			return "", fmt.Errorf("pick a reader of %s: %w", e.Info.Name, err)
		}
		rank := rankOf(ls.Beats, re.Rev)
		if best < 0 || rank.above(bestRank) {
			best, bestRank = i, rank
		}
	}
	return e.Readers[best].Reader, nil
}

// readerRank orders label sets as reference candidates.
type readerRank struct {
	imported bool // holds beats of an imported reference
	reviewed int  // beats a reader confirmed or changed
	rev      uint64
}

func rankOf(beats []annotate.Beat, rev uint64) readerRank {
	r := readerRank{rev: rev}
	for _, b := range beats {
		r.imported = r.imported || b.Prov.Source == annotate.SourceReference
		if b.Review != annotate.Unreviewed {
			r.reviewed++
		}
	}
	return r
}

// above reports whether r is the better reference than s.
func (r readerRank) above(s readerRank) bool {
	if r.imported != s.imported {
		return r.imported
	}
	if r.reviewed != s.reviewed {
		return r.reviewed > s.reviewed
	}
	return r.rev > s.rev
}
