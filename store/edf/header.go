package edf

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strings"
	"time"
)

// SignalInfo describes one signal of the file, as its header says. Every
// signal is listed, including those not presented as leads.
type SignalInfo struct {
	Label       string  // e.g. "ECG V5", "EDF Annotations"
	Transducer  string  // e.g. "AgAgCl electrode"
	Dimension   string  // physical dimension as written, e.g. "uV"
	Prefilter   string  // e.g. "HP:0.05Hz LP:40Hz"
	PhysMin     float64 // physical value of DigMin, in Dimension units
	PhysMax     float64 // physical value of DigMax, in Dimension units
	DigMin      int32
	DigMax      int32
	Samples     int     // samples per data record
	Fs          float64 // samples per second; 0 when the record duration is 0
	Annotations bool    // an "EDF Annotations" (or "BDF Annotations") signal
	Lead        int     // index in Info().Leads, or -1 when not a lead
	offset      int64   // byte offset of the signal inside a data record
}

// header is the parsed header of a file.
type header struct {
	bdf, plus, discont bool
	patient, recording string // PHI: never copied into RecordInfo
	start              time.Time
	hdrSize            int64
	nrec               int64
	recDur             float64
	recSize            int64
	sigs               []SignalInfo
}

// bps returns bytes per sample: 2 for EDF, 3 for BDF.
func (h *header) bps() int64 {
	if h.bdf {
		return 3
	}
	return 2
}

// readHeader reads and checks the whole header of a file of the given size.
func readHeader(name string, r io.ReaderAt, size int64) (header, error) {
	var h header
	fixed, err := readBlock(name, r, 0, 256, size)
	if err != nil {
		return h, err
	}
	f := fields{file: name, buf: fixed}
	ns, err := h.parseFixed(f)
	if err != nil {
		return h, err
	}
	block, err := readBlock(name, r, 256, int64(ns)*256, size)
	if err != nil {
		return h, err
	}
	if err := h.parseSignals(fields{file: name, buf: block, base: 256}, ns); err != nil {
		return h, err
	}
	return h, h.checkSize(name, size)
}

// readBlock reads n bytes at off, or fails with ErrShortHeader.
func readBlock(name string, r io.ReaderAt, off, n, size int64) ([]byte, error) {
	if off+n > size {
		return nil, perr(name, size, "header", ErrShortHeader)
	}
	b := make([]byte, n)
	if _, err := r.ReadAt(b, off); err != nil && !errors.Is(err, io.EOF) {
		return nil, fmt.Errorf("edf: read header of %s: %w", name, err)
	}
	return b, nil
}

// parseFixed parses the first 256 bytes and returns the number of signals.
func (h *header) parseFixed(f fields) (int, error) {
	switch v := string(f.buf[:8]); v {
	case "0       ":
	case "\xffBIOSEMI":
		h.bdf = true
	default:
		return 0, perr(f.file, 0, "version", detail(ErrVersion, "%q", v))
	}
	h.patient, h.recording = f.text(8, 80), f.text(88, 80)
	if err := h.parseStartField(f); err != nil {
		return 0, err
	}
	ns, err := f.int(252, 4, "number of signals")
	if err != nil {
		return 0, err
	}
	if ns < 1 {
		return 0, perr(f.file, 252, "number of signals", detail(ErrSignalCount, "%d", ns))
	}
	if err := h.parseCounts(f, ns); err != nil {
		return 0, err
	}
	reserved := f.text(192, 44)
	h.plus = strings.HasPrefix(reserved, "EDF+") || strings.HasPrefix(reserved, "BDF+")
	h.discont = strings.HasPrefix(reserved, "EDF+D") || strings.HasPrefix(reserved, "BDF+D")
	return int(ns), nil
}

// parseStartField reads the start date and time (and, in EDF+, the
// four-digit year of the recording field).
func (h *header) parseStartField(f fields) error {
	date, clock := f.text(168, 8), f.text(176, 8)
	t, ok := parseStart(date, clock)
	if !ok {
		return perr(f.file, 168, "start date and time", detail(ErrDate, "%q %q", date, clock))
	}
	if y, ok := plusYear(h.recording, t); ok {
		t = t.AddDate(y-t.Year(), 0, 0)
	}
	h.start = t
	return nil
}

// parseCounts reads the header size, record count and record duration.
func (h *header) parseCounts(f fields, ns int64) error {
	hs, err := f.int(184, 8, "header size")
	if err != nil {
		return err
	}
	if hs != (ns+1)*256 {
		return perr(f.file, 184, "header size", detail(ErrHeaderSize, "%d for %d signals", hs, ns))
	}
	h.hdrSize = hs
	if h.nrec, err = f.int(236, 8, "number of data records"); err != nil {
		return err
	}
	if h.nrec < -1 {
		return perr(f.file, 236, "number of data records", detail(ErrRecordCount, "%d", h.nrec))
	}
	if h.recDur, err = f.float(244, 8, "duration of a data record"); err != nil {
		return err
	}
	if h.recDur < 0 {
		return perr(f.file, 244, "duration of a data record", detail(ErrDuration, "%g s", h.recDur))
	}
	return nil
}

// The per-signal fields: each is stored for all signals in turn, so field k
// of signal i lies at 256 + start*ns + i*width.
var sigFields = []struct {
	name         string
	start, width int
}{
	{"label", 0, 16}, {"transducer type", 16, 80}, {"physical dimension", 96, 8},
	{"physical minimum", 104, 8}, {"physical maximum", 112, 8},
	{"digital minimum", 120, 8}, {"digital maximum", 128, 8},
	{"prefiltering", 136, 80}, {"samples per data record", 216, 8},
}

// parseSignals parses the ns per-signal header blocks.
func (h *header) parseSignals(f fields, ns int) error {
	h.sigs = make([]SignalInfo, ns)
	var off int64
	for i := range h.sigs {
		s, err := h.parseSignal(f, i, ns)
		if err != nil {
			return err
		}
		s.offset = off
		off += int64(s.Samples) * h.bps()
		h.sigs[i] = s
	}
	h.recSize = off
	return nil
}

// parseSignal parses the header fields of signal i.
func (h *header) parseSignal(f fields, i, ns int) (SignalInfo, error) {
	at := func(k int) (int, int, string) {
		d := sigFields[k]
		return d.start*ns + i*d.width, d.width, fmt.Sprintf("signal %d %s", i, d.name)
	}
	str := func(k int) string { off, n, _ := at(k); return f.text(off, n) }
	s := SignalInfo{Lead: -1}
	s.Label, s.Transducer = str(0), str(1)
	s.Dimension, s.Prefilter = str(2), str(7)
	s.Annotations = s.Label == "EDF Annotations" || s.Label == "BDF Annotations"
	spr, err := f.int(at(8))
	if err != nil {
		return s, err
	}
	if spr < 1 || spr > 1<<30 {
		off, _, name := at(8)
		return s, perr(f.file, f.base+int64(off), name, detail(ErrSamples, "%d", spr))
	}
	s.Samples = int(spr)
	if h.recDur > 0 {
		s.Fs = float64(spr) / h.recDur
	}
	if math.IsInf(s.Fs, 0) {
		return s, perr(f.file, 244, "duration of a data record", detail(ErrDuration, "%g s", h.recDur))
	}
	if err := h.parseScale(f, &s, at); err != nil && !s.Annotations {
		return s, err
	}
	return s, nil
}

// parseScale reads the physical and digital extremes of a signal and checks
// them for an ordinary (non-annotation) signal.
func (h *header) parseScale(f fields, s *SignalInfo, at func(int) (int, int, string)) error {
	var err error
	if s.PhysMin, err = f.float(at(3)); err != nil {
		return err
	}
	if s.PhysMax, err = f.float(at(4)); err != nil {
		return err
	}
	dmin, err := f.int(at(5))
	if err != nil {
		return err
	}
	dmax, err := f.int(at(6))
	if err != nil {
		return err
	}
	lim := int64(1) << (8*h.bps() - 1)
	if dmin >= dmax || dmin < -lim || dmax >= lim {
		off, _, name := at(5)
		return perr(f.file, f.base+int64(off), name, detail(ErrDigitalRange, "[%d, %d]", dmin, dmax))
	}
	s.DigMin, s.DigMax = int32(dmin), int32(dmax)
	return nil
}

// checkSize checks the record size and count against the file size. A record
// count of -1 (recording not closed) is replaced by the number of whole data
// records in the file.
func (h *header) checkSize(name string, size int64) error {
	if h.plus && h.annotationSignal() < 0 {
		return perr(name, 256, "labels", ErrNoAnnotSignal)
	}
	if h.recDur == 0 && h.hasOrdinary() {
		return perr(name, 244, "duration of a data record", detail(ErrDuration, "0 s with ordinary signals"))
	}
	avail := (size - h.hdrSize) / h.recSize
	if h.nrec == -1 {
		h.nrec = avail
	}
	if h.nrec > avail {
		return perr(name, h.hdrSize, "data records", detail(ErrShortFile,
			"%d records of %d bytes declared, %d bytes present", h.nrec, h.recSize, size-h.hdrSize))
	}
	return nil
}

// annotationSignal returns the index of the first annotation signal, or -1.
func (h *header) annotationSignal() int {
	for i, s := range h.sigs {
		if s.Annotations {
			return i
		}
	}
	return -1
}

// hasOrdinary reports whether any signal is not an annotation signal.
func (h *header) hasOrdinary() bool { return len(h.annotationSignals()) < len(h.sigs) }

// annotationSignals returns the indexes of all annotation signals.
func (h *header) annotationSignals() []int {
	var out []int
	for i, s := range h.sigs {
		if s.Annotations {
			out = append(out, i)
		}
	}
	return out
}
