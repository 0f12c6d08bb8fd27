package export

import (
	"iter"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// rhythmWriter writes rhythm.npz: fixed-length segments with their
// majority rhythm and the RR sequence of their beats.
type rhythmWriter struct {
	e                                      *exporter
	z                                      *npzWriter
	rr, nrr, beat, y, record, start, split *column
	classOf                                map[string]int
	k                                      int
	rrBuf                                  []float32
	clsBuf                                 []int64
	b                                      []byte
}

func (e *exporter) rhythmClasses() ([]string, map[string]int) {
	names := []string{"OTHER"}
	of := map[string]int{}
	for _, c := range e.opt.Rhythms {
		for _, m := range c.Match {
			of[m] = len(names)
		}
		names = append(names, c.Name)
	}
	return names, of
}

func (e *exporter) rhythmInfo() RhythmInfo {
	names, _ := e.rhythmClasses()
	mp := map[string][]string{"OTHER": {"every other rhythm, and no episode"}}
	for _, c := range e.opt.Rhythms {
		mp[c.Name] = c.Match
	}
	return RhythmInfo{Classes: names, Mapping: mp, BeatClasses: aamiClasses(), SegmentS: e.opt.Segment,
		HopS: e.opt.Segment / 2, MaxRR: e.opt.MaxRR}
}

func aamiClasses() []string { return newSchema("aami").classes }

func (e *exporter) writeRhythm() error {
	f, err := e.create("rhythm.npz")
	if err != nil {
		return err
	}
	z := newNPZ(f, e.outDir, e.opt.Compress)
	w := &rhythmWriter{e: e, z: z, k: e.opt.MaxRR}
	names, of := e.rhythmClasses()
	w.classOf = of
	err = w.columns()
	z.value("rhythm_classes", names)
	z.value("beat_classes", aamiClasses())
	z.value("records", e.recordKeys())
	z.value("record_names", e.recordNames())
	for i := range e.rhythm {
		e.rhythm[i] = map[string]int64{}
	}
	for _, p := range e.plans {
		if err == nil {
			err = w.writeRecord(p, names)
		}
	}
	if cerr := z.Close(); err == nil {
		err = cerr
	}
	return err
}

func (w *rhythmWriter) columns() error {
	k := w.k
	specs := []struct {
		c           **column
		name, dtype string
		row         []int
	}{{&w.rr, "rr", "<f4", []int{k}}, {&w.nrr, "n_rr", "<i4", nil}, {&w.beat, "beat", "<i8", []int{k}},
		{&w.y, "y", "<i8", nil}, {&w.record, "record", "<i4", nil}, {&w.start, "start", "<i8", nil},
		{&w.split, "split", "|u1", nil}}
	for _, s := range specs {
		c, err := w.z.spool(s.name, s.dtype, s.row)
		if err != nil {
			return err
		}
		*s.c = c
	}
	return nil
}

// segBeat is a beat inside the sliding segment window.
type segBeat struct {
	s   int64
	cls int64
}

// writeRecord writes the segments of one record.
func (w *rhythmWriter) writeRecord(p *recPlan, names []string) error {
	for _, ep := range p.episodes {
		if ep.Prov.Source == annotate.SourceModel {
			w.e.modelUse(ep.Prov.Who).Episodes++
		}
	}
	S := int64(math.Round(w.e.opt.Segment * p.info.Fs))
	hop := max(S/2, 1)
	unowned := p.unowned
	next, stop := iter.Pull2(w.e.db.Beats(p.entry.ID, p.reader, 0, math.MaxInt64))
	defer stop()
	var win []segBeat
	var ahead *segBeat
	noiseAt, ownAt := 0, 0
	for st := int64(0); S > 0 && st+S <= p.info.NSamples; st += hop {
		var err error
		if win, ahead, err = fillWindow(next, win, ahead, st, st+S); err != nil {
			return err
		}
		if w.e.opt.ExcludeNoise && overlaps(p.noise, &noiseAt, st, st+S) {
			continue
		}
		if w.e.opt.ReviewedOnly && overlaps(unowned, &ownAt, st, st+S) {
			continue
		}
		y := w.majority(p.episodes, st, st+S)
		if err := w.segment(p, st, y, win); err != nil {
			return err
		}
		p.segs++
		w.e.rhythm[p.split][names[y]]++
	}
	return nil
}

// fillWindow drops beats before a and pulls beats up to b from next.
func fillWindow(next func() (annotate.Beat, error, bool), win []segBeat, ahead *segBeat, a, b int64) ([]segBeat, *segBeat, error) {
	i := 0
	for i < len(win) && win[i].s < a {
		i++
	}
	win = append(win[:0], win[i:]...)
	for {
		if ahead != nil {
			if ahead.s >= b {
				return win, ahead, nil
			}
			if ahead.s >= a {
				win = append(win, *ahead)
			}
			ahead = nil
		}
		bt, err, ok := next()
		if err != nil {
			return win, nil, err
		}
		if !ok {
			return win, nil, nil
		}
		if c := aamiIndex(bt.Code); c >= 0 {
			ahead = &segBeat{bt.Sample, int64(c)}
		}
	}
}

// majority returns the rhythm class covering most of [a, b); ties go to
// the lower class index, and uncovered time counts for OTHER.
func (w *rhythmWriter) majority(eps []annotate.Episode, a, b int64) int {
	cover := make([]int64, len(w.e.opt.Rhythms)+1)
	var covered int64
	for _, e := range eps {
		lo, hi := max(e.Start, a), min(e.End, b)
		if hi <= lo {
			continue
		}
		cover[w.classOf[e.Rhythm]] += hi - lo
		covered += hi - lo
	}
	cover[0] += max(0, (b-a)-covered)
	best := 0
	for c, n := range cover {
		if n > cover[best] {
			best = c
		}
	}
	return best
}

// segment writes one segment's row of every array.
func (w *rhythmWriter) segment(p *recPlan, st int64, y int, win []segBeat) error {
	w.rrBuf = append(w.rrBuf[:0], make([]float32, w.k)...)
	w.clsBuf = append(w.clsBuf[:0], make([]int64, w.k)...)
	n := 0
	for i := 1; i < len(win) && n < w.k; i++ {
		w.rrBuf[n] = float32(float64(win[i].s-win[i-1].s) / p.info.Fs)
		w.clsBuf[n] = win[i].cls
		n++
	}
	var err error
	put := func(c *column, v []byte) {
		if err == nil {
			err = c.put(v)
		}
	}
	b := w.b[:0]
	for _, v := range w.rrBuf {
		b = appendF32(b, v)
	}
	put(w.rr, b)
	put(w.nrr, appendI32(b[:0], int32(n)))
	b = b[:0]
	for _, v := range w.clsBuf {
		b = appendI64(b, v)
	}
	put(w.beat, b)
	put(w.y, appendI64(b[:0], int64(y)))
	put(w.record, appendI32(b[:0], int32(p.idx)))
	put(w.start, appendI64(b[:0], st))
	put(w.split, append(b[:0], p.split))
	w.b = b
	return err
}
