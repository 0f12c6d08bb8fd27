package export

import (
	"fmt"
	"math"
	"os"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/beatwin"
	"github.com/ecgstation/ecgstation/store"
)

// exporter is one run of Export.
type exporter struct {
	db      *store.DB
	opt     Options
	outDir  string
	sch     *labelSchema
	plans   []*recPlan
	skipped []Skipped
	sel     *selector
	nLeads  int
	rs      map[float64]*beatwin.Cutter
	counts  [3][]int64           // kept beats per split and class
	models  map[string]*ModelUse // model versions whose labels are in it
	rhythm  [3]map[string]int64  // segments per split and rhythm class
	written []FileSum            // the files written so far
}

// Export writes the training set of db's labels into the folder out as opt
// says, and returns its manifest (also written as out/manifest.json). The
// record files are read from their last known paths and must still have
// the content the labels belong to.
//
// out must be a new name, an empty folder or an earlier export that
// nobody added to or changed (ErrTarget otherwise; a symbolic link is
// refused, never followed). The export is written into a staging folder
// beside out and renamed into place only when complete, so a failed
// export (a full disk, a missing record file) leaves out as it was.
func Export(db *store.DB, out string, opt Options) (*Manifest, error) {
	if err := opt.check(); err != nil {
		return nil, err
	}
	t, err := checkTarget(out)
	if err != nil {
		return nil, err
	}
	staged, err := t.stage()
	if err != nil {
		return nil, err
	}
	m, err := exportTo(db, staged, opt)
	if err == nil {
		err = t.publish(staged)
	}
	if err != nil {
		os.RemoveAll(staged)
		return nil, err
	}
	return m, nil
}

// exportTo writes the whole export into the empty folder dir.
func exportTo(db *store.DB, dir string, opt Options) (*Manifest, error) {
	e := &exporter{db: db, opt: opt, outDir: dir, sch: newSchema(opt.Labels),
		rs: map[float64]*beatwin.Cutter{}, models: map[string]*ModelUse{}}
	if err := e.plan(); err != nil {
		return nil, err
	}
	if err := e.passOne(); err != nil {
		return nil, err
	}
	e.sel = newSelector(e.plans, opt.Balance, opt.Seed)
	if err := e.write(); err != nil {
		return nil, err
	}
	m := e.manifest()
	return m, e.writeManifest(m)
}

// plan picks the records and readers, verifies the record files and
// assigns the splits.
func (e *exporter) plan() error {
	entries, err := selectRecords(e.db, e.opt.Records)
	if err != nil {
		return err
	}
	for _, en := range entries {
		reader, ok, err := chooseReader(en, e.opt.Reader)
		if err != nil {
			return err
		}
		if !ok {
			e.skipped = append(e.skipped, Skipped{ID: string(en.ID), Name: en.Info.Name, Why: "no label set" + forReader(e.opt.Reader)})
			continue
		}
		p, err := e.planRecord(en, reader)
		if err != nil {
			return err
		}
		e.plans = append(e.plans, p)
	}
	if len(e.plans) == 0 {
		return fmt.Errorf("%w: no record has a label set%s", ErrNoSuchRecord, forReader(e.opt.Reader))
	}
	assignSplits(e.plans, e.opt.Split, e.opt.Seed)
	assignPatientIndexes(e.plans)
	markDupNames(e.plans)
	return e.checkLeads()
}

func forReader(r annotate.ReaderID) string {
	if r == "" {
		return ""
	}
	return " of reader " + string(r)
}

func (e *exporter) planRecord(en store.RecordEntry, reader annotate.ReaderID) (*recPlan, error) {
	p := &recPlan{idx: len(e.plans), entry: en, reader: reader, leftOut: map[string]int64{},
		cand: make([]int64, len(e.sch.classes)), patient: e.opt.Patients[en.Info.Name]}
	var err error
	if p.info, err = verify(en); err != nil {
		return nil, err
	}
	if !(p.info.Fs > 0) || math.IsInf(p.info.Fs, 0) {
		return nil, fmt.Errorf("%w: record %s has no sampling frequency", ErrLeads, p.info.Name)
	}
	if p.spans, err = e.db.Spans(en.ID, reader); err != nil {
		return nil, err
	}
	if err := p.chooseLeads(e.opt.Leads); err != nil {
		return nil, err
	}
	p.liveSpans()
	return p, nil
}

// checkLeads makes sure every record gives the same number of leads.
func (e *exporter) checkLeads() error {
	e.nLeads = len(e.plans[0].leads)
	for _, p := range e.plans[1:] {
		if len(p.leads) != e.nLeads {
			return fmt.Errorf("%w: record %s has %d leads and record %s %d: choose the same number with --leads 0,1",
				ErrLeads, e.plans[0].info.Name, e.nLeads, p.info.Name, len(p.leads))
		}
	}
	return nil
}

// cutter returns the window cutter from records at fs Hz, one per rate.
func (e *exporter) cutter(fs float64) *beatwin.Cutter {
	r := e.rs[fs]
	if r == nil {
		r = beatwin.New(fs, e.opt.Fs, e.opt.samplesBefore(), e.opt.samplesAfter())
		e.rs[fs] = r
	}
	return r
}

// passOne counts the candidate beats per record and class.
func (e *exporter) passOne() error {
	for _, p := range e.plans {
		w := newWalker(p, &e.opt, e.sch, e.cutter(p.info.Fs))
		err := w.run(e.db, func(it *beatItem) error {
			if it.why != "" {
				p.leftOut[it.why]++
			} else {
				p.cand[it.cls]++
			}
			return nil
		})
		if err != nil {
			return fmt.Errorf("export: record %s: %w", p.info.Name, err)
		}
		if w.notBeats > 0 {
			p.leftOut[outNotBeat] = w.notBeats
		}
	}
	return nil
}

// write runs pass 2 and the other outputs.
func (e *exporter) write() error {
	var sinks []beatSink
	if e.opt.has("npz") {
		s, err := newNPZBeats(e, e.sel.total(e.plans))
		if err != nil {
			return fmt.Errorf("export: beats.npz: %w", err)
		}
		sinks = append(sinks, s)
	}
	if e.opt.has("csv") {
		s, err := newCSVBeats(e)
		if err != nil {
			return fmt.Errorf("export: beats.csv: %w", err)
		}
		sinks = append(sinks, s)
	}
	err := e.passTwo(sinks)
	for _, s := range sinks {
		if cerr := s.close(); err == nil && cerr != nil {
			err = cerr
		}
	}
	if err != nil {
		return fmt.Errorf("export: %w", err)
	}
	return e.writeSpans()
}

// writeSpans writes rhythm.npz, the episode and noise CSVs and the WFDB
// annotation files, as asked.
func (e *exporter) writeSpans() error {
	if e.opt.has("npz") {
		if err := e.writeRhythm(); err != nil {
			return fmt.Errorf("export: rhythm.npz: %w", err)
		}
	}
	if e.opt.has("csv") {
		if err := e.writeSpanCSV(); err != nil {
			return fmt.Errorf("export: %w", err)
		}
	}
	if e.opt.has("wfdb") {
		for _, p := range e.plans {
			if err := e.writeWFDB(p); err != nil {
				return fmt.Errorf("export: record %s: %w", p.info.Name, err)
			}
		}
	}
	return e.writeEDFs()
}

// writeEDFs writes each record as EDF+ when asked.
func (e *exporter) writeEDFs() error {
	if !e.opt.has("edf") {
		return nil
	}
	for _, p := range e.plans {
		if err := e.writeEDF(p); err != nil {
			return fmt.Errorf("export: record %s: EDF+: %w", p.info.Name, err)
		}
	}
	return nil
}

// count adds a kept beat to the per-split counts and the model list.
func (e *exporter) count(p *recPlan, it *beatItem) {
	c := &e.counts[p.split]
	for len(*c) <= it.cls {
		*c = append(*c, 0)
	}
	(*c)[it.cls]++
	if it.b.Prov.Source == annotate.SourceModel {
		e.modelUse(it.b.Prov.Who).Beats++
	}
}

func (e *exporter) modelUse(who string) *ModelUse {
	m := e.models[who]
	if m == nil {
		m = &ModelUse{Who: who}
		e.models[who] = m
	}
	return m
}

func (e *exporter) recordKeys() []string {
	out := make([]string, len(e.plans))
	for i, p := range e.plans {
		out[i] = p.key()
	}
	return out
}

func (e *exporter) recordNames() []string {
	out := make([]string, len(e.plans))
	for i, p := range e.plans {
		out[i] = p.info.Name
	}
	return out
}

// markDupNames flags records whose name another record of the export has.
func markDupNames(plans []*recPlan) {
	n := map[string]int{}
	for _, p := range plans {
		n[p.info.Name]++
	}
	for _, p := range plans {
		p.dupName = n[p.info.Name] > 1
	}
}
