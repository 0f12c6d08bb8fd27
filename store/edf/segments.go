package edf

import (
	"math"
	"sort"
)

// Segment is a run of data records without a gap between them, placed on
// the record's timeline of samples at Info().Fs. Continuous files (EDF,
// EDF+C, BDF) have a single segment.
type Segment struct {
	Start  int64   // first sample on the timeline
	Len    int64   // samples
	Record int64   // first data record
	Onset  float64 // seconds after Info().Start
}

// Gap is a stretch [Start, End) of the timeline with no data records.
type Gap struct{ Start, End int64 }

// Segments returns the contiguous runs of data records, in time order.
//
// How Read presents an EDF+D file: sample 0 is the first data record's
// onset; data record r is placed at sample round((onset_r - onset_0) * Fs);
// records that follow each other without a gap form one segment. Read
// returns a continuous timeline, and fills the samples of the gaps between
// segments with each lead's Baseline (0 physical units, a flat line), so
// the gaps must be shaded from Gaps, not guessed from the samples.
func (f *File) Segments() []Segment { return append([]Segment(nil), f.segs...) }

// Gaps returns the stretches of the timeline between segments, where Read
// fills in the leads' baselines.
func (f *File) Gaps() []Gap {
	var out []Gap
	for i := 1; i < len(f.segs); i++ {
		a, b := f.segs[i-1], f.segs[i]
		if end := a.Start + a.Len; end < b.Start {
			out = append(out, Gap{end, b.Start})
		}
	}
	return out
}

// setTimeline reads the first record's onset (EDF+) and, for EDF+D, every
// record's onset, and builds the segments.
func (f *File) setTimeline() error {
	if f.h.nrec == 0 || len(f.leadIdx) == 0 {
		return f.readOnset0()
	}
	if !f.h.discont {
		if err := f.readOnset0(); err != nil {
			return err
		}
		f.segs = []Segment{{Start: 0, Len: f.h.nrec * f.spr}}
		return nil
	}
	return f.scanOnsets()
}

// readOnset0 reads the time-keeping onset of data record 0 of an EDF+ file.
func (f *File) readOnset0() error {
	if !f.h.plus || f.h.nrec == 0 {
		return nil
	}
	sig := f.h.annotationSignal()
	b := make([]byte, int64(f.h.sigs[sig].Samples)*f.h.bps())
	off := f.recordOffset(0) + f.h.sigs[sig].offset
	if err := f.readAt(b, off); err != nil {
		return err
	}
	t, err := timekeeping(f.name, off, b)
	f.onset0 = t
	return err
}

// scanOnsets reads the time-keeping onset of every data record of an EDF+D
// file and groups the records into segments.
func (f *File) scanOnsets() error {
	sig := f.h.annotationSignal()
	var last int64 = -1
	return f.eachSignalBlock(sig, func(rec, off int64, b []byte) error {
		t, err := timekeeping(f.name, off, b)
		if err != nil {
			return err
		}
		if rec == 0 {
			f.onset0 = t
		}
		start := (t - f.onset0) * f.fs()
		if !(math.Abs(start) <= 1<<62) { // also catches NaN
			return perr(f.name, off, "time-keeping annotation", detail(ErrOnsetOrder, "onset %g s", t))
		}
		s := int64(math.Round(start))
		return f.place(rec, s, t, &last, off)
	})
}

// place puts data record rec at timeline sample s, extending the last
// segment or starting a new one. last is the end of the previous record.
func (f *File) place(rec, s int64, t float64, last *int64, off int64) error {
	if rec > 0 && s < *last {
		return perr(f.name, off, "time-keeping annotation",
			detail(ErrOnsetOrder, "record %d at %g s starts before record %d ends", rec, t, rec-1))
	}
	if n := len(f.segs); n > 0 && s == *last {
		f.segs[n-1].Len += f.spr
	} else {
		f.segs = append(f.segs, Segment{Start: s, Len: f.spr, Record: rec, Onset: t - f.onset0})
	}
	*last = s + f.spr
	return nil
}

// timekeeping returns the onset of the first TAL of an annotation signal
// block, which EDF+ requires to be the record's time-keeping annotation.
func timekeeping(name string, off int64, b []byte) (float64, error) {
	if len(b) == 0 || b[0] != '+' && b[0] != '-' {
		return 0, perr(name, off, "time-keeping annotation", ErrNoTimekeeping)
	}
	t, _, err := parseTAL(b)
	if err != nil {
		return 0, perr(name, off, "time-keeping annotation", err)
	}
	return t.onset, nil
}

// segmentAt returns the index of the first segment that ends after sample s.
func (f *File) segmentAt(s int64) int {
	return sort.Search(len(f.segs), func(i int) bool { return f.segs[i].Start+f.segs[i].Len > s })
}

// recordOffset returns the byte offset of data record rec.
func (f *File) recordOffset(rec int64) int64 { return f.h.hdrSize + rec*f.h.recSize }
