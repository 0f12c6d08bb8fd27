package export

import (
	"bufio"
	"encoding/csv"
	"io"
	"strconv"
)

// csvFile is a CSV file being written.
type csvFile struct {
	f  io.WriteCloser
	bw *bufio.Writer
	w  *csv.Writer
}

func (e *exporter) createCSV(name string, header []string) (*csvFile, error) {
	f, err := e.create(name)
	if err != nil {
		return nil, err
	}
	bw := bufio.NewWriterSize(f, 1<<16)
	c := &csvFile{f: f, bw: bw, w: csv.NewWriter(bw)}
	return c, c.w.Write(header)
}

func (c *csvFile) close() error {
	c.w.Flush()
	err := c.w.Error()
	if ferr := c.bw.Flush(); err == nil {
		err = ferr
	}
	if cerr := c.f.Close(); err == nil {
		err = cerr
	}
	return err
}

// csvBeats writes beats.csv: the same beats, in the same order, as
// beats.npz, without the waveforms.
type csvBeats struct {
	e   *exporter
	c   *csvFile
	row []string
}

var beatCSVHeader = []string{"record", "name", "sample", "time_s", "symbol", "class", "y", "split",
	"source", "who", "confidence", "review", "rr_prev_s", "rr_next_s", "rr_mean_s", "population"}

func newCSVBeats(e *exporter) (*csvBeats, error) {
	c, err := e.createCSV("beats.csv", beatCSVHeader)
	if err != nil {
		return nil, err
	}
	return &csvBeats{e: e, c: c, row: make([]string, len(beatCSVHeader))}, nil
}

func (s *csvBeats) begin(*recPlan) error { return nil }
func (s *csvBeats) end(*recPlan) error   { return nil }
func (s *csvBeats) close() error         { return s.c.close() }

func (s *csvBeats) beat(p *recPlan, it *beatItem) error {
	b := it.b
	r := s.row
	r[0], r[1], r[2] = p.key(), p.info.Name, strconv.FormatInt(b.Sample, 10)
	r[3] = fmtF(float64(b.Sample) / p.info.Fs)
	r[4], r[5], r[6] = b.Code.Symbol(), s.e.sch.classes[it.cls], strconv.Itoa(it.cls)
	r[7], r[8], r[9] = splitNames[p.split], b.Prov.Source.String(), b.Prov.Who
	r[10], r[11] = fmtF(float64(b.Prov.Confidence)), b.Review.String()
	r[12], r[13], r[14] = fmtF(float64(it.rr[0])), fmtF(float64(it.rr[1])), fmtF(float64(it.rr[2]))
	r[15] = ""
	if it.pop >= 0 {
		r[15] = s.e.sch.classes[it.pop]
	}
	return s.c.w.Write(r)
}

func fmtF(v float64) string { return strconv.FormatFloat(v, 'g', 7, 64) }

// writeSpanCSV writes episodes.csv and noise.csv: the live episodes and
// noise stretches of every exported label set.
func (e *exporter) writeSpanCSV() error {
	ep, err := e.createCSV("episodes.csv",
		[]string{"record", "name", "start", "end", "start_s", "end_s", "rhythm", "class", "split", "source", "who", "review"})
	if err != nil {
		return err
	}
	nz, err := e.createCSV("noise.csv",
		[]string{"record", "name", "start", "end", "start_s", "end_s", "lead", "reason", "split", "source", "who"})
	if err != nil {
		ep.close()
		return err
	}
	names, of := e.rhythmClasses()
	for _, p := range e.plans {
		if err == nil {
			err = writeEpisodeRows(ep.w, p, names, of)
		}
		if err == nil {
			err = writeNoiseRows(nz.w, p)
		}
	}
	if cerr := ep.close(); err == nil {
		err = cerr
	}
	if cerr := nz.close(); err == nil {
		err = cerr
	}
	return err
}

func writeEpisodeRows(w *csv.Writer, p *recPlan, names []string, of map[string]int) error {
	for _, x := range p.spans.Episodes {
		if x.Deleted {
			continue
		}
		err := w.Write([]string{p.key(), p.info.Name, itoa(x.Start), itoa(x.End), secs(x.Start, p), secs(x.End, p),
			x.Rhythm, names[of[x.Rhythm]], splitNames[p.split], x.Prov.Source.String(), x.Prov.Who, x.Review.String()})
		if err != nil {
			return err
		}
	}
	return nil
}

func writeNoiseRows(w *csv.Writer, p *recPlan) error {
	for _, x := range p.spans.Noise {
		if x.Deleted {
			continue
		}
		err := w.Write([]string{p.key(), p.info.Name, itoa(x.Start), itoa(x.End), secs(x.Start, p), secs(x.End, p),
			strconv.Itoa(x.Lead), x.Reason, splitNames[p.split], x.Prov.Source.String(), x.Prov.Who})
		if err != nil {
			return err
		}
	}
	return nil
}

func itoa(v int64) string { return strconv.FormatInt(v, 10) }

func secs(s int64, p *recPlan) string { return fmtF(float64(s) / p.info.Fs) }
