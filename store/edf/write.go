package edf

import (
	"bufio"
	"fmt"
	"github.com/ecgstation/ecgstation/store/private"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
)

// Spec describes a file for NewWriter.
type Spec struct {
	BDF           bool // 24-bit samples (BDF) instead of 16-bit (EDF)
	Plus          bool // EDF+ or BDF+: an annotation signal is added last
	Discontinuous bool // EDF+D or BDF+D (needs Plus): Record.Onset places each record
	// Patient is the local patient identification field: PHI. EDF+ asks
	// for "code sex birthdate name", "X X X X" when unknown (the default).
	Patient string
	// Recording is the local recording identification field. In EDF+ it
	// defaults to "Startdate dd-MMM-yyyy X X X" from Start.
	Recording      string
	Start          time.Time // wall-clock start, 1985..2084
	RecordDuration float64   // seconds per data record, > 0
	Records        int64     // data records that will be written
	Signals        []SignalSpec
	// AnnotationBytes is the size of the annotation signal in each data
	// record (EDF+ and BDF+), 120 when 0. Every record's TALs must fit.
	AnnotationBytes int
}

// SignalSpec describes one ordinary signal for NewWriter.
type SignalSpec struct {
	Label, Transducer, Dimension, Prefilter string
	PhysMin, PhysMax                        float64 // written with at most 8 characters
	DigMin, DigMax                          int32
	Samples                                 int // per data record
}

// Record is one data record for Writer.WriteRecord.
type Record struct {
	Onset       float64      // seconds after Start; used by EDF+D only
	Samples     [][]int32    // one slice per Spec.Signals, of its Samples length
	Annotations []Annotation // EDF+ only; Onset relative to Start
}

// Writer writes an EDF, EDF+ or BDF file one data record at a time. It
// writes the header at once, so it needs the number of records up front.
type Writer struct {
	w     *bufio.Writer
	spec  Spec
	bps   int
	annN  int // bytes of the annotation signal, 0 without one
	n     int64
	rec   []byte
	fatal error
}

// NewWriter checks the spec and writes the header to w.
func NewWriter(w io.Writer, s Spec) (*Writer, error) {
	wr := &Writer{w: bufio.NewWriter(w), spec: s, bps: 2}
	if s.BDF {
		wr.bps = 3
	}
	if s.Plus {
		wr.annN = roundUp(cmp0(s.AnnotationBytes, 120), wr.bps)
	}
	hdr, err := wr.header()
	if err != nil {
		return nil, err
	}
	if _, err := wr.w.Write(hdr); err != nil {
		return nil, fmt.Errorf("edf: write header: %w", err)
	}
	return wr, nil
}

func cmp0(v, def int) int {
	if v == 0 {
		return def
	}
	return v
}

func roundUp(n, k int) int { return (n + k - 1) / k * k }

// header encodes the whole header.
func (wr *Writer) header() ([]byte, error) {
	s := wr.spec
	if err := s.check(); err != nil {
		return nil, err
	}
	sigs := s.Signals
	if s.Plus {
		sigs = append(append([]SignalSpec(nil), sigs...), wr.annotationSignal())
	}
	var b strings.Builder
	put := func(v string, n int, what string) error {
		if len(v) > n || !printable(v) {
			return fmt.Errorf("edf: write header: %w: %s %q is not printable ASCII of at most %d bytes", ErrWriteSpec, what, v, n)
		}
		b.WriteString(v + strings.Repeat(" ", n-len(v)))
		return nil
	}
	if err := wr.fixed(put, len(sigs)); err != nil {
		return nil, err
	}
	if err := putSignals(put, sigs); err != nil {
		return nil, err
	}
	out := []byte(b.String())
	if s.BDF {
		out[0] = 0xff
	}
	return out, nil
}

// check validates the parts of a spec that the header fields do not.
func (s Spec) check() error {
	switch {
	case s.Discontinuous && !s.Plus:
		return fmt.Errorf("edf: %w: Discontinuous needs Plus", ErrWriteSpec)
	case !(s.RecordDuration > 0) || s.Records < 0 || len(s.Signals) == 0:
		return fmt.Errorf("edf: %w: need a positive record duration, records >= 0 and a signal", ErrWriteSpec)
	case s.Start.Year() < 1985 || s.Start.Year() > 2084:
		return fmt.Errorf("edf: %w: start year %d outside 1985..2084", ErrWriteSpec, s.Start.Year())
	}
	return nil
}

// fixed writes the first 256 bytes of the header.
func (wr *Writer) fixed(put func(string, int, string) error, ns int) error {
	s := wr.spec
	version, reserved, patient, recording := wr.identity()
	dur, ok := fmtNum(s.RecordDuration)
	for _, f := range []struct {
		v    string
		n    int
		what string
	}{
		{version, 8, "version"}, {patient, 80, "patient"}, {recording, 80, "recording"},
		{s.Start.Format("02.01.06"), 8, "start date"}, {s.Start.Format("15.04.05"), 8, "start time"},
		{strconv.Itoa(256 * (ns + 1)), 8, "header size"}, {reserved, 44, "reserved"},
		{strconv.FormatInt(s.Records, 10), 8, "records"}, {dur, 8, "record duration"},
		{strconv.Itoa(ns), 4, "signals"},
	} {
		if err := put(f.v, f.n, f.what); err != nil {
			return err
		}
	}
	if !ok {
		return fmt.Errorf("edf: write header: %w: record duration %g does not fit 8 characters", ErrWriteSpec, s.RecordDuration)
	}
	return nil
}

// identity returns the version, reserved, patient and recording fields,
// with the EDF+ defaults for empty identification fields.
func (wr *Writer) identity() (version, reserved, patient, recording string) {
	s := wr.spec
	version, patient, recording = "0", s.Patient, s.Recording
	if s.BDF {
		version, reserved = "_BIOSEMI", "24BIT" // '_' becomes 0xff
	}
	if !s.Plus {
		return version, reserved, patient, recording
	}
	reserved = "EDF+C"
	if s.Discontinuous {
		reserved = "EDF+D"
	}
	if s.BDF {
		reserved = "BDF" + reserved[3:]
	}
	patient = cmpS(patient, "X X X X")
	recording = cmpS(recording, "Startdate "+strings.ToUpper(s.Start.Format("02-Jan-2006"))+" X X X")
	return version, reserved, patient, recording
}

func cmpS(v, def string) string {
	if v == "" {
		return def
	}
	return v
}

// putSignals writes the per-signal fields, each field for all signals.
func putSignals(put func(string, int, string) error, sigs []SignalSpec) error {
	cols := []struct {
		n   int
		get func(SignalSpec) (string, bool)
	}{
		{16, func(s SignalSpec) (string, bool) { return s.Label, true }},
		{80, func(s SignalSpec) (string, bool) { return s.Transducer, true }},
		{8, func(s SignalSpec) (string, bool) { return s.Dimension, true }},
		{8, func(s SignalSpec) (string, bool) { return fmtNum(s.PhysMin) }},
		{8, func(s SignalSpec) (string, bool) { return fmtNum(s.PhysMax) }},
		{8, func(s SignalSpec) (string, bool) { return strconv.Itoa(int(s.DigMin)), true }},
		{8, func(s SignalSpec) (string, bool) { return strconv.Itoa(int(s.DigMax)), true }},
		{80, func(s SignalSpec) (string, bool) { return s.Prefilter, true }},
		{8, func(s SignalSpec) (string, bool) { return strconv.Itoa(s.Samples), s.Samples > 0 }},
		{32, func(SignalSpec) (string, bool) { return "", true }},
	}
	for k, c := range cols {
		for i, s := range sigs {
			v, ok := c.get(s)
			if !ok {
				return fmt.Errorf("edf: write header: %w: signal %d field %d", ErrWriteSpec, i, k)
			}
			if err := put(v, c.n, fmt.Sprintf("signal %d field %d", i, k)); err != nil {
				return err
			}
		}
	}
	return nil
}

// annotationSignal is the signal spec of the added annotation signal.
func (wr *Writer) annotationSignal() SignalSpec {
	lim := int32(1)<<(8*wr.bps-1) - 1
	label := "EDF Annotations"
	if wr.spec.BDF {
		label = "BDF Annotations"
	}
	return SignalSpec{Label: label, PhysMin: -1, PhysMax: 1, DigMin: -lim - 1, DigMax: lim, Samples: wr.annN / wr.bps}
}

// fmtNum formats v in at most 8 characters, rounding decimals if needed;
// it fails when that would change v by more than 1e-4 of its value.
func fmtNum(v float64) (string, bool) {
	if math.IsNaN(v) || math.IsInf(v, 0) {
		return "", false
	}
	if s := strconv.FormatFloat(v, 'f', -1, 64); len(s) <= 8 {
		return s, true
	}
	for prec := 7; prec >= 0; prec-- {
		if s := strconv.FormatFloat(v, 'f', prec, 64); len(s) <= 8 {
			r, _ := strconv.ParseFloat(s, 64)
			return s, math.Abs(r-v) <= 1e-4*math.Abs(v)
		}
	}
	return "", false
}

// printable reports whether s is printable ASCII.
func printable(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < 0x20 || s[i] > 0x7e {
			return false
		}
	}
	return true
}

// WriteFile writes a whole file to path.
func WriteFile(path string, s Spec, recs []Record) error {
	fh, err := private.Create(path)
	if err != nil {
		return fmt.Errorf("edf: write: %w", err)
	}
	s.Records = int64(len(recs))
	w, err := NewWriter(fh, s)
	for i := 0; err == nil && i < len(recs); i++ {
		err = w.WriteRecord(recs[i])
	}
	if err == nil {
		err = w.Close()
	}
	if cerr := fh.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("edf: write: %w", cerr)
	}
	return err
}
