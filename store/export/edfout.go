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
	anns, annBytes := edfAnnotations(l, p.info, nrec)
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
func edfAnnotations(l wfdb.Labels, info annotate.RecordInfo, nrec int64) ([][]edf.Annotation, int) {
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
		got, err := sig.Read(all, rec*int64(fs))
		if err != nil {
			return fmt.Errorf("read samples at %d: %w", rec*int64(fs), err)
		}
		out := edf.Record{Annotations: anns[rec]}
		for _, l := range p.leads {
			for k := got; k < fs; k++ {
				all[l][k] = p.info.Leads[l].Baseline
			}
			out.Samples = append(out.Samples, all[l])
		}
		if err := w.WriteRecord(out); err != nil {
			return err
		}
	}
	return w.Close()
}
