package export

import (
	"fmt"

	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/store"
)

// beatSink receives the kept beats of pass 2, record by record.
type beatSink interface {
	begin(p *recPlan) error
	beat(p *recPlan, it *beatItem) error
	end(p *recPlan) error
	close() error
}

// npzBeats writes beats.npz: x streams into the archive, the per-beat
// arrays are spooled.
type npzBeats struct {
	e   *exporter
	z   *npzWriter
	x   *column
	a   struct{ y, record, sample, rr, source, review, split, conf, pop *column }
	rec *store.Recording
	cur *cursor
	rs  *beatwin.Cutter
	win []float32
	row []byte
	b   []byte
}

func newNPZBeats(e *exporter, n int64) (*npzBeats, error) {
	f, err := e.create("beats.npz")
	if err != nil {
		return nil, err
	}
	z := newNPZ(f, e.outDir, e.opt.Compress)
	s := &npzBeats{e: e, z: z}
	W := e.opt.samplesBefore() + e.opt.samplesAfter()
	if s.x, err = z.stream("x", "<f4", n, []int{e.nLeads, W}); err != nil {
		z.Close()
		return nil, err
	}
	specs := []struct {
		c           **column
		name, dtype string
		row         []int
	}{{&s.a.y, "y", "<i8", nil}, {&s.a.record, "record", "<i4", nil}, {&s.a.sample, "sample", "<i8", nil},
		{&s.a.rr, "rr", "<f4", []int{3}}, {&s.a.source, "source", "|u1", nil}, {&s.a.review, "review", "|u1", nil},
		{&s.a.split, "split", "|u1", nil}, {&s.a.conf, "confidence", "<f4", nil}, {&s.a.pop, "population", "<i8", nil}}
	for _, sp := range specs {
		if *sp.c, err = z.spool(sp.name, sp.dtype, sp.row); err != nil {
			z.Close()
			return nil, err
		}
	}
	z.value("classes", e.sch.classes)
	z.value("records", e.recordKeys())
	z.value("record_names", e.recordNames())
	return s, nil
}

func (s *npzBeats) begin(p *recPlan) error {
	r, err := store.Open(p.entry.Path)
	if err != nil {
		return err
	}
	s.rec, s.cur, s.rs = r, newCursor(r.Signal), s.e.cutter(p.info.Fs)
	s.win = make([]float32, s.rs.Len())
	return nil
}

func (s *npzBeats) end(*recPlan) error { return s.rec.Close() }

func (s *npzBeats) close() error { return s.z.Close() }

// beat cuts, resamples and writes the window of one beat, then its values.
func (s *npzBeats) beat(p *recPlan, it *beatItem) error {
	src, err := s.cur.span(it.b.Sample+int64(s.rs.Lo()), it.b.Sample+int64(s.rs.Hi())+1)
	if err != nil {
		return err
	}
	s.row = s.row[:0]
	for i, l := range p.leads {
		s.rs.Cut(s.win, src[l], p.info.Leads[l].Baseline, p.scales[i])
		s.rs.MarkMissing(s.win, src[l], p.info.IsInvalid)
		for _, v := range s.win {
			s.row = appendF32(s.row, v)
		}
	}
	if err := s.x.put(s.row); err != nil {
		return err
	}
	return s.values(p, it)
}

// values writes the per-beat arrays of one kept beat.
func (s *npzBeats) values(p *recPlan, it *beatItem) error {
	var err error
	put := func(c *column, v []byte) {
		if err == nil {
			err = c.put(v)
		}
	}
	b := s.b
	b = appendI64(b[:0], int64(it.cls))
	put(s.a.y, b)
	b = appendI32(b[:0], int32(p.idx))
	put(s.a.record, b)
	b = appendI64(b[:0], it.b.Sample)
	put(s.a.sample, b)
	b = appendF32(appendF32(appendF32(b[:0], it.rr[0]), it.rr[1]), it.rr[2])
	put(s.a.rr, b)
	put(s.a.source, append(b[:0], byte(it.b.Prov.Source)))
	put(s.a.review, append(b[:0], byte(it.b.Review)))
	put(s.a.split, append(b[:0], p.split))
	b = appendF32(b[:0], it.b.Prov.Confidence)
	put(s.a.conf, b)
	b = appendI64(b[:0], int64(it.pop))
	put(s.a.pop, b)
	s.b = b
	return err
}

// passTwo walks every record again and hands the kept beats to the sinks.
func (e *exporter) passTwo(sinks []beatSink) error {
	for _, p := range e.plans {
		if err := e.recordPass(p, sinks); err != nil {
			return fmt.Errorf("record %s (%s): %w", p.info.Name, p.entry.ID[:12], err)
		}
	}
	return nil
}

func (e *exporter) recordPass(p *recPlan, sinks []beatSink) error {
	for _, s := range sinks {
		if err := s.begin(p); err != nil {
			return err
		}
	}
	w := newWalker(p, &e.opt, e.sch, e.cutter(p.info.Fs))
	err := w.readPopulation(e.db)
	if err == nil {
		err = w.run(e.db, func(it *beatItem) error { return e.keep(p, it, sinks) })
	}
	for _, s := range sinks {
		if eerr := s.end(p); err == nil {
			err = eerr
		}
	}
	return err
}

// keep hands a beat of pass two to the sinks unless a filter or the
// balancing leaves it out.
func (e *exporter) keep(p *recPlan, it *beatItem, sinks []beatSink) error {
	if it.why != "" {
		return nil
	}
	if !e.sel.keep(p, it.cls) {
		p.leftOut[outBalance]++
		return nil
	}
	e.count(p, it)
	for _, s := range sinks {
		if err := s.beat(p, it); err != nil {
			return err
		}
	}
	return nil
}
