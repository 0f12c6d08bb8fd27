package wfdb

import (
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// Record is an open WFDB record: its header, parsed at Open, and its signal
// files, decoded lazily by Read. A multi-segment record reads as one
// continuous signal. Record is safe for concurrent use: reads use ReadAt and
// share no file offset.
type Record struct {
	path   string // header path
	hdr    *Header
	layout []SignalSpec // the signals a read returns, in order
	info   annotate.RecordInfo
	segs   []*segment
	starts []int64 // first frame of each segment
	mu     sync.Mutex
	closed bool
}

var _ annotate.Signal = (*Record)(nil)

// Open parses the header of a record and opens its signal files. path is
// the header file, with or without its ".hea" extension. Signal files are
// looked for next to the header. The segments of a multi-segment record are
// opened at their first read.
func Open(path string) (*Record, error) {
	if !strings.HasSuffix(path, ".hea") {
		path += ".hea"
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, fmt.Errorf("wfdb: open record: %w", err)
	}
	h, err := ParseHeader(path, f)
	f.Close()
	if err != nil {
		return nil, err
	}
	return openHeader(path, h, openOS)
}

// openHeader builds a Record from a parsed header; open opens the signal
// files of a single-segment record.
func openHeader(path string, h *Header, open opener) (*Record, error) {
	r := &Record{path: path, hdr: h}
	var err error
	if h.IsMultiSegment() {
		err = r.initMulti()
	} else {
		err = r.initSingle(open)
	}
	if err != nil {
		return nil, err
	}
	r.info = r.makeInfo()
	return r, nil
}

func (r *Record) initSingle(open opener) error {
	s, err := newSegReader(r.path, r.hdr, open)
	if err != nil {
		return err
	}
	r.layout = r.hdr.Signals
	r.segs = []*segment{{n: s.nframes, rdr: s, loaded: true, direct: true}}
	r.starts = []int64{0}
	return nil
}

// Header returns the parsed header (for a multi-segment record, the master
// header). The caller must not modify it.
func (r *Record) Header() *Header { return r.hdr }

// GetvecFrames returns how many frames WFDB's getvec delivers, and so how
// many lines rdsamp prints: the record's length less its largest skew. getvec
// reads each frame's skewed samples that many frames ahead and stops at the
// first read past the end of the signal file, so the last frames, whose
// skewed samples the file does not hold, are never returned (Read gives
// them, with InvalidSample for the missing samples).
func (r *Record) GetvecFrames() int64 {
	skew := 0
	for _, s := range r.hdr.Signals {
		skew = max(skew, s.Skew)
	}
	return max(r.length()-int64(skew), 0)
}

// Info describes the record. Leads whose header units are V, mV, uV (µV)
// or nV are reported in mV, with the gain scaled to match, so that
// Lead.Physical gives millivolts; other units are reported as stated.
// Fs is the frame frequency; NSamples counts frames.
func (r *Record) Info() annotate.RecordInfo {
	info := r.info
	info.Leads = append([]annotate.Lead(nil), r.info.Leads...)
	info.Comments = append([]string(nil), r.info.Comments...)
	return info
}

func (r *Record) makeInfo() annotate.RecordInfo {
	info := annotate.RecordInfo{
		Name:     strings.TrimSuffix(filepath.Base(r.path), ".hea"),
		Format:   "WFDB",
		Fs:       r.hdr.Fs,
		NSamples: r.length(),
		Comments: r.hdr.Comments,
		Start:    startTime(r.hdr),
	}
	for _, s := range r.layout {
		info.Leads = append(info.Leads, leadOf(s))
	}
	return info
}

func (r *Record) length() int64 {
	last := len(r.segs) - 1
	return r.starts[last] + r.segs[last].n
}

// leadOf converts a signal line to a Lead, expressing voltages in mV.
func leadOf(s SignalSpec) annotate.Lead {
	l := annotate.Lead{Name: s.Description, Units: s.Units, Gain: s.Gain,
		Baseline: s.Baseline, ADCRes: s.ADCRes, ADCZero: s.ADCZero}
	perMV := map[string]float64{"V": 1e-3, "mV": 1, "uV": 1e3, "µV": 1e3, "μV": 1e3, "nV": 1e6}
	if f, ok := perMV[s.Units]; ok {
		l.Units, l.Gain = "mV", s.Gain*f
	}
	return l
}

// startTime combines the base date and time; with a time but no date the
// result is that clock time on 1 January of year 1 (so the time of day is
// still known); with neither it is the zero Time.
func startTime(h *Header) time.Time {
	if !h.HasTime && !h.HasDate {
		return time.Time{}
	}
	d := h.BaseDate
	if !h.HasDate {
		d = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	}
	return d.Add(h.BaseTime)
}

// Close closes the signal files. Reads after Close return ErrClosed.
func (r *Record) Close() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.closed {
		return nil
	}
	r.closed = true
	var first error
	for _, s := range r.segs {
		if err := s.close(); err != nil && first == nil {
			first = err
		}
	}
	return first
}

func (r *Record) isClosed() bool {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.closed
}
