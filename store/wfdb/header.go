package wfdb

import (
	"bufio"
	"bytes"
	"io"
	"strings"
	"time"
)

// DefaultGain is the gain (ADC units per physical unit) WFDB assumes when a
// header gives none or gives 0; such a signal is marked Uncalibrated.
const DefaultGain = 200

// DefaultFs is the sampling frequency WFDB assumes when a header gives none.
const DefaultFs = 250

// Header is a parsed WFDB header (.hea) file: the record line, one line per
// signal (single-segment records) or per segment (multi-segment records), and
// the comment lines. Values are as the file states them; defaults that WFDB
// applies (gain 200, baseline = ADC zero, ADC resolution by format) are
// filled in and flagged.
type Header struct {
	Name        string  // record name from the record line
	NSignals    int     // number of signals
	Fs          float64 // frame frequency, Hz (DefaultFs when absent)
	CounterFreq float64 // counter frequency, Hz; 0 when absent
	BaseCounter float64 // counter value at sample 0
	NSamples    int64   // samples per signal (frames); see HasLength
	HasLength   bool    // whether the record line gives NSamples
	BaseTime    time.Duration
	HasTime     bool      // whether the record line gives a base time
	BaseDate    time.Time // date only, UTC; see HasDate
	HasDate     bool      // whether the record line gives a base date
	Signals     []SignalSpec
	Segments    []SegmentSpec // non-nil for multi-segment records
	Comments    []string      // comment lines without the leading '#'
}

// SignalSpec is one signal line of a header.
type SignalSpec struct {
	File          string  // signal file name, "~" for a null signal
	Format        int     // storage format (8, 16, 212, ...); 0 = not stored
	SampsPerFrame int     // samples of this signal per frame (>= 1)
	Skew          int     // frames by which this signal is stored late
	ByteOffset    int64   // bytes to skip at the start of the file
	Gain          float64 // ADC units per physical unit (never 0)
	Uncalibrated  bool    // header gave no gain, or gain 0
	Baseline      int32   // digital value of physical 0
	Units         string  // physical units ("mV" when absent)
	ADCRes        int     // ADC resolution in bits
	ADCZero       int32   // digital value of the ADC's mid-range
	InitValue     int32   // first sample (format 8: running start value)
	HasInit       bool    // whether the header states InitValue
	Checksum      uint16  // 16-bit sum of all samples of the signal
	HasChecksum   bool    // whether the header states Checksum
	BlockSize     int     // block size in bytes, 0 for ordinary files
	Description   string  // lead name, e.g. "MLII"
}

// SegmentSpec is one segment line of a multi-segment header.
type SegmentSpec struct {
	Name     string // segment record name, "~" for a null segment
	NSamples int64  // length of the segment in frames
}

// IsMultiSegment reports whether h describes a multi-segment record.
func (h *Header) IsMultiSegment() bool { return h.Segments != nil }

// ParseHeader parses a header file's text. name is used in errors only.
func ParseHeader(name string, r io.Reader) (*Header, error) {
	p := headerParser{file: name, h: &Header{}}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 1<<20)
	for sc.Scan() {
		p.line++
		if err := p.parseLine(sc.Bytes()); err != nil {
			return nil, err
		}
	}
	if err := sc.Err(); err != nil {
		return nil, lineErr(name, p.line, ErrBadHeader, "reading: %v", err)
	}
	return p.finish()
}

type headerParser struct {
	file      string
	line      int
	h         *Header
	seenFirst bool
	nseg      int // segment count from the record line, 0 if single-segment
}

func (p *headerParser) parseLine(b []byte) error {
	b = bytes.TrimRight(b, "\r\n")
	t := bytes.TrimLeft(b, " \t")
	if len(t) > 0 && t[0] == '#' {
		p.h.Comments = append(p.h.Comments, strings.TrimRight(string(t[1:]), " \t\r"))
		return nil
	}
	if len(bytes.TrimSpace(t)) == 0 {
		return nil
	}
	switch {
	case !p.seenFirst:
		p.seenFirst = true
		return p.parseRecordLine(string(t))
	case p.h.Segments != nil:
		return p.parseSegmentLine(string(t))
	default:
		return p.parseSignalLine(string(t))
	}
}

func (p *headerParser) finish() (*Header, error) {
	h := p.h
	if !p.seenFirst {
		return nil, lineErr(p.file, p.line, ErrBadHeader, "no record line")
	}
	if h.Segments != nil {
		if len(h.Segments) != p.nseg {
			return nil, lineErr(p.file, p.line, ErrTruncated,
				"%d segment lines, record line says %d", len(h.Segments), p.nseg)
		}
		return h, p.finishSegments()
	}
	if len(h.Signals) != h.NSignals {
		return nil, lineErr(p.file, p.line, ErrTruncated,
			"%d signal lines, record line says %d", len(h.Signals), h.NSignals)
	}
	return h, nil
}

func (p *headerParser) finishSegments() error {
	var sum int64
	for _, s := range p.h.Segments {
		sum += s.NSamples
	}
	if !p.h.HasLength {
		p.h.NSamples, p.h.HasLength = sum, true
	}
	return nil
}
