package export

import (
	"fmt"
	"math"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/edf"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// edfUnknownStart is the start written when a record has none (or one EDF
// cannot hold): EDF+'s "01.01.85 00.00.00" with a recording field that says
// the date is unknown.
var edfUnknownStart = time.Date(1985, 1, 1, 0, 0, 0, 0, time.UTC)

// edfSignalEnds is the TAL text at the end of a record whose last data
// record is padded.
const edfSignalEnds = "signal ends"

// edfSignalMissing is the TAL text of a stretch where an exported lead of
// a WFDB record has no stored samples; the data records hold the lead's
// baseline (0 physical) there.
const edfSignalMissing = "signal missing"

// writeEDF writes one record's exported leads and live labels as an EDF+
// file (BDF+ when a lead has more than 16 bits): one-second data records;
// beats as TALs with their long names ("normal beat", as EDFbrowser writes
// them), episodes as "(RHYTHM" with a duration. The last data record is
// padded with the leads' baselines (0 physical) up to a whole second, and
// a TAL edfSignalEnds marks where the record really ends.
func (e *exporter) writeEDF(p *recPlan) error {
	if p.info.Fs != math.Trunc(p.info.Fs) || p.info.Fs < 1 {
		return fmt.Errorf("%w: EDF needs whole samples per one-second data record; %g Hz is not", ErrOption, p.info.Fs)
	}
	l, err := e.liveLabels(p)
	if err != nil {
		return err
	}
	r, err := store.Open(p.entry.Path)
	if err != nil {
		return err
	}
	defer r.Close()
	fs := int(p.info.Fs)
	nrec := (p.info.NSamples + int64(fs) - 1) / int64(fs)
	gaps, err := missingStretches(r.Signal, p)
	if err != nil {
		return err
	}
	anns, annBytes := edfAnnotations(l, p.info, nrec, gaps)
	spec, err := edfSpec(p, nrec, annBytes)
	if err != nil {
		return err
	}
	f, err := e.create(p.wfdbName(edfExt(spec)))
	if err != nil {
		return err
	}
	err = writeEDFRecords(f, spec, r.Signal, p, anns)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	return err
}

func edfExt(s edf.Spec) string {
	if s.BDF {
		return "bdf"
	}
	return "edf"
}

// edfSpec describes the file: each exported lead keeps its digital values,
// with the physical range that its gain and baseline give to the whole
// digital range, so readers compute the same physical values.
func edfSpec(p *recPlan, nrec int64, annBytes int) (edf.Spec, error) {
	s := edf.Spec{Plus: true, Start: p.info.Start, RecordDuration: 1, Records: nrec, AnnotationBytes: annBytes}
	if s.Start.IsZero() || s.Start.Year() < 1985 || s.Start.Year() > 2084 {
		s.Start, s.Recording = edfUnknownStart, "Startdate X X X X"
	}
	for _, l := range p.leads {
		s.BDF = s.BDF || p.info.Leads[l].ADCRes > 16
	}
	lim := int32(math.MaxInt16)
	if s.BDF {
		lim = 1<<23 - 1
	}
	for _, l := range p.leads {
		ld := p.info.Leads[l]
		s.Signals = append(s.Signals, edf.SignalSpec{Label: edfText(ld.Name, 16), Transducer: "", Dimension: edfText(ld.Units, 8),
			PhysMin: ld.Physical(-lim - 1), PhysMax: ld.Physical(lim), DigMin: -lim - 1, DigMax: lim, Samples: int(p.info.Fs)})
	}
	return s, nil
}

// edfText keeps the printable ASCII of s, cut to n bytes.
func edfText(s string, n int) string {
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r > 0x7e {
			return -1
		}
		return r
	}, s)
	return s[:min(len(s), n)]
}

// edfAnnotations places every label in the data record that holds its
// onset and returns them with the annotation bytes the fullest record needs.
// gaps are the stretches [a, b) with missing samples (edfSignalMissing).
func edfAnnotations(l wfdb.Labels, info annotate.RecordInfo, nrec int64, gaps [][2]int64) ([][]edf.Annotation, int) {
	out := make([][]edf.Annotation, nrec)
	add := func(sample int64, dur float64, text string) {
		rec := min(max(sample/int64(info.Fs), 0), nrec-1)
		if nrec > 0 {
			out[rec] = append(out[rec], edf.Annotation{Onset: edfSeconds(sample, info.Fs), Duration: dur, Text: text})
		}
	}
	for _, b := range l.Beats {
		if b.Code.IsBeat() {
			add(b.Sample, 0, b.Code.Description())
		}
	}
	for _, ep := range l.Episodes {
		add(ep.Start, float64(ep.End-ep.Start)/info.Fs, "("+ep.Rhythm)
	}
	for _, g := range gaps {
		add(g[0], float64(g[1]-g[0])/info.Fs, edfSignalMissing)
	}
	if info.NSamples%int64(info.Fs) != 0 {
		add(info.NSamples, 0, edfSignalEnds)
	}
	most := 0
	for _, anns := range out {
		n := 24 // the time-keeping TAL
		for _, a := range anns {
			n += len(a.Text) + 32
		}
		most = max(most, n)
	}
	return out, most
}

// edfSeconds is sample/fs rounded to the microsecond: short TALs that give
// back the same sample at any rate up to 500 kHz.
func edfSeconds(sample int64, fs float64) float64 {
	return math.Round(float64(sample)/fs*1e6) / 1e6
}

// writeEDFRecords streams the samples one data record at a time.
func writeEDFRecords(f *outFile, spec edf.Spec, sig annotate.Signal, p *recPlan, anns [][]edf.Annotation) error {
	w, err := edf.NewWriter(f, spec)
	if err != nil {
		return err
	}
	fs := int(p.info.Fs)
	all := make([][]int32, len(p.info.Leads))
	for i := range all {
		all[i] = make([]int32, fs)
	}
	for rec := range spec.Records {
		got, err := annotate.ReadMarked(sig, all, rec*int64(fs))
		if err != nil {
			return fmt.Errorf("read samples at %d: %w", rec*int64(fs), err)
		}
		out := edf.Record{Annotations: anns[rec]}
		for _, l := range p.leads {
			for k := range all[l] {
				if k >= got || p.info.IsInvalid(all[l][k]) {
					all[l][k] = p.info.Leads[l].Baseline
				}
			}
			out.Samples = append(out.Samples, all[l])
		}
		if err := w.WriteRecord(out); err != nil {
			return err
		}
	}
	return w.Close()
}

// missingStretches returns the stretches [a, b) of p's record where any
// exported lead has a missing sample (only WFDB records have them; other
// records are not read).
func missingStretches(sig annotate.Signal, p *recPlan) ([][2]int64, error) {
	if p.info.Format != "WFDB" {
		return nil, nil
	}
	buf := make([][]int32, len(p.info.Leads))
	for i := range buf {
		buf[i] = make([]int32, readChunk)
	}
	var gaps [][2]int64
	open := int64(-1)
	for at := int64(0); at < p.info.NSamples; {
		got, err := annotate.ReadMarked(sig, buf, at)
		if err != nil {
			return nil, fmt.Errorf("read samples at %d: %w", at, err)
		}
		if got == 0 {
			break
		}
		for k := range got {
			gaps, open = trackGap(gaps, open, at+int64(k), p.anyMissing(buf, k))
		}
		at += int64(got)
	}
	gaps, _ = trackGap(gaps, open, p.info.NSamples, false)
	return gaps, nil
}

// trackGap opens a gap at s when missing and none is open, and closes the
// open one at s when not missing.
func trackGap(gaps [][2]int64, open, s int64, missing bool) ([][2]int64, int64) {
	switch {
	case missing && open < 0:
		return gaps, s
	case !missing && open >= 0:
		return append(gaps, [2]int64{open, s}), -1
	}
	return gaps, open
}

// anyMissing reports whether sample k of buf is missing in an exported lead.
func (p *recPlan) anyMissing(buf [][]int32, k int) bool {
	for _, l := range p.leads {
		if p.info.IsInvalid(buf[l][k]) {
			return true
		}
	}
	return false
}
