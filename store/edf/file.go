package edf

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// File is an open EDF, EDF+ or BDF file. It reads lazily: Open parses the
// header (and, for EDF+D, the onset of every data record); Read decodes
// only the data records it needs. All methods are safe for concurrent use.
type File struct {
	r       io.ReaderAt
	closer  io.Closer
	name    string
	h       header
	info    annotate.RecordInfo
	leadIdx []int // signal index of each lead
	spr     int64 // samples per data record of every lead
	segs    []Segment
	onset0  float64 // onset of the first data record, s after the header's start
	chunk   int64   // bytes read at a time
}

var _ annotate.Signal = (*File)(nil)

// defaultChunk is how many bytes Read and Annotations read in one go.
const defaultChunk = 1 << 20

// Open opens the EDF, EDF+ or BDF file at path.
func Open(path string) (*File, error) {
	fh, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("edf: open: %w", err)
	}
	st, err := fh.Stat()
	if err != nil {
		fh.Close()
		return nil, fmt.Errorf("edf: open: %w", err)
	}
	f, err := NewReader(fh, st.Size(), path)
	if err != nil {
		fh.Close()
		return nil, err
	}
	f.closer = fh
	return f, nil
}

// NewReader reads a file of the given size from r. name is used in errors
// and, without directory and extension, as the record name. Close does not
// close r.
func NewReader(r io.ReaderAt, size int64, name string) (*File, error) {
	h, err := readHeader(name, r, size)
	if err != nil {
		return nil, err
	}
	f := &File{r: r, name: name, h: h, chunk: defaultChunk}
	if err := f.setLeads(); err != nil {
		return nil, err
	}
	if err := f.setTimeline(); err != nil {
		return nil, err
	}
	f.setInfo()
	return f, nil
}

// Close closes the file opened by Open.
func (f *File) Close() error {
	if f.closer == nil {
		return nil
	}
	return f.closer.Close()
}

// setLeads picks the lead signals and converts their scales.
func (f *File) setLeads() error {
	f.leadIdx = pickLeads(f.h.sigs)
	ns := int64(len(f.h.sigs))
	for j, i := range f.leadIdx {
		s := &f.h.sigs[i]
		l, ok := lead(*s, 8*int(f.h.bps()))
		if !ok {
			return perr(f.name, 256+104*ns+int64(i)*8, fmt.Sprintf("signal %d physical minimum", i),
				detail(ErrPhysicalRange, "[%g, %g] %s", s.PhysMin, s.PhysMax, s.Dimension))
		}
		s.Lead = j
		f.info.Leads = append(f.info.Leads, l)
		f.spr = int64(s.Samples)
	}
	return nil
}

// setInfo fills the RecordInfo. The patient and recording identification
// fields are PHI and deliberately left out (Comments stays empty).
func (f *File) setInfo() {
	base := filepath.Base(f.name)
	f.info.Name = strings.TrimSuffix(base, filepath.Ext(base))
	f.info.Format = f.Format()
	f.info.Fs = f.fs()
	if n := len(f.segs); n > 0 {
		f.info.NSamples = f.segs[n-1].Start + f.segs[n-1].Len
	}
	f.info.Start = f.h.start.Add(time.Duration(f.onset0 * float64(time.Second)))
}

// Info describes the record: the leads chosen by the rule of pickLeads (see
// Signals for all signals), Fs, the number of samples on the timeline
// (gaps of EDF+D included) and the start time, which is the header's start
// plus the onset of the first data record (EDF+ sub-second starts).
func (f *File) Info() annotate.RecordInfo {
	info := f.info
	info.Leads = append([]annotate.Lead(nil), f.info.Leads...)
	return info
}

// Format returns "EDF", "EDF+", "BDF" or "BDF+".
func (f *File) Format() string {
	s := "EDF"
	if f.h.bdf {
		s = "BDF"
	}
	if f.h.plus {
		s += "+"
	}
	return s
}

// Discontinuous reports whether the file is EDF+D (or BDF+D): its data
// records may have gaps between them (see Segments).
func (f *File) Discontinuous() bool { return f.h.discont }

// Signals describes every signal in the file, annotation signals and
// signals at other rates included; SignalInfo.Lead says which lead of Info
// each one is, or -1.
func (f *File) Signals() []SignalInfo { return append([]SignalInfo(nil), f.h.sigs...) }

// RecordDuration returns the duration of a data record in seconds.
func (f *File) RecordDuration() float64 { return f.h.recDur }

// Records returns the number of data records.
func (f *File) Records() int64 { return f.h.nrec }

// PatientID returns the header's local patient identification field, as
// written (in EDF+: code, sex, birth date, name). It is protected health
// information: show it to the reader if needed, never export or log it.
// Info never contains it.
func (f *File) PatientID() string { return f.h.patient }

// RecordingID returns the header's local recording identification field (in
// EDF+: start date, admission code, technician, equipment). It may identify
// the patient: treat it as PHI like PatientID.
func (f *File) RecordingID() string { return f.h.recording }

// fs returns the sampling rate of the leads, 0 when there are none.
func (f *File) fs() float64 {
	if len(f.leadIdx) == 0 {
		return 0
	}
	return f.h.sigs[f.leadIdx[0]].Fs
}
