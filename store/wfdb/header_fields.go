package wfdb

import (
	"strconv"
	"strings"
	"time"
)

// Limits that keep a hostile header from asking for absurd allocations.
const (
	maxSignals  = 1 << 16
	maxSegments = 1 << 20
)

// parseRecordLine parses
//
//	name[/nseg] nsig [fs[/counterfreq[(basecounter)]] [nsamples [time [date]]]]
func (p *headerParser) parseRecordLine(s string) error {
	f := strings.Fields(s)
	if len(f) < 2 {
		return p.errf("record line %q needs a name and a signal count", s)
	}
	name, nseg, hasSeg := strings.Cut(f[0], "/")
	p.h.Name = name
	if hasSeg {
		n, err := strconv.Atoi(nseg)
		if err != nil || n < 1 || n > maxSegments {
			return p.errf("bad segment count %q", nseg)
		}
		p.nseg = n
		p.h.Segments = []SegmentSpec{}
	}
	n, err := strconv.Atoi(f[1])
	if err != nil || n < 0 || n > maxSignals {
		return p.errf("bad signal count %q", f[1])
	}
	p.h.NSignals = n
	p.h.Fs = DefaultFs
	return p.parseRecordRest(f[2:])
}

func (p *headerParser) parseRecordRest(f []string) error {
	if len(f) > 0 {
		if err := p.parseFreq(f[0]); err != nil {
			return err
		}
	}
	if len(f) > 1 {
		n, err := strconv.ParseInt(f[1], 10, 64)
		if err != nil || n < 0 {
			return p.errf("bad number of samples %q", f[1])
		}
		p.h.NSamples, p.h.HasLength = n, true
	}
	if len(f) > 2 {
		d, err := parseClock(f[2])
		if err != nil {
			return p.errf("bad base time %q: %v", f[2], err)
		}
		p.h.BaseTime, p.h.HasTime = d, true
	}
	if len(f) > 3 {
		d, err := time.Parse("2/1/2006", f[3])
		if err != nil {
			return p.errf("bad base date %q (want DD/MM/YYYY)", f[3])
		}
		p.h.BaseDate, p.h.HasDate = d, true
	}
	if len(f) > 4 {
		return p.errf("unexpected %q after the base date", f[4])
	}
	return nil
}

// parseFreq parses fs[/counterfreq[(basecounter)]].
func (p *headerParser) parseFreq(s string) error {
	fs, rest, hasCounter := strings.Cut(s, "/")
	v, err := strconv.ParseFloat(fs, 64)
	if err != nil || !(v > 0) || v > 1e12 {
		return p.errf("bad sampling frequency %q", s)
	}
	p.h.Fs = v
	if !hasCounter {
		return nil
	}
	cf, base, hasBase := strings.Cut(rest, "(")
	if p.h.CounterFreq, err = strconv.ParseFloat(cf, 64); err != nil || !(p.h.CounterFreq > 0) {
		return p.errf("bad counter frequency %q", s)
	}
	if hasBase {
		b, ok := strings.CutSuffix(base, ")")
		if p.h.BaseCounter, err = strconv.ParseFloat(b, 64); !ok || err != nil {
			return p.errf("bad base counter value %q", s)
		}
	}
	return nil
}

// parseClock parses a WFDB base time: [[h:]m:]s[.fff].
func parseClock(s string) (time.Duration, error) {
	parts := strings.Split(s, ":")
	if len(parts) > 3 {
		return 0, strconv.ErrSyntax
	}
	var whole int64
	for _, part := range parts[:len(parts)-1] {
		n, err := strconv.ParseInt(part, 10, 32)
		if err != nil || n < 0 {
			return 0, strconv.ErrSyntax
		}
		whole = (whole + n) * 60
	}
	sec, err := strconv.ParseFloat(parts[len(parts)-1], 64)
	if err != nil || !(sec >= 0) || sec >= 61 || strings.ContainsAny(parts[len(parts)-1], "eEinfINF+-") {
		return 0, strconv.ErrSyntax
	}
	return time.Duration(whole)*time.Second + time.Duration(sec*1e9+0.5), nil
}

// parseSegmentLine parses "name nsamples" of a multi-segment header.
func (p *headerParser) parseSegmentLine(s string) error {
	f := strings.Fields(s)
	if len(f) != 2 {
		return p.errf("segment line %q needs a name and a length", s)
	}
	if len(p.h.Segments) >= p.nseg {
		return p.errf("more segment lines than the %d the record line says", p.nseg)
	}
	n, err := strconv.ParseInt(f[1], 10, 64)
	if err != nil || n < 0 {
		return p.errf("bad segment length %q", f[1])
	}
	if !isLocalName(f[0]) {
		return p.pathErr("segment", f[0])
	}
	p.h.Segments = append(p.h.Segments, SegmentSpec{Name: f[0], NSamples: n})
	return nil
}

// pathErr reports a file name (what: "signal file", "segment") that leads
// out of the record's folder.
func (p *headerParser) pathErr(what, name string) error {
	return lineErr(p.file, p.line, ErrPath, "%s %q: a header may only name files in its own folder or below; "+
		"move the files into the record's folder and name them without \"..\"", what, name)
}

func (p *headerParser) errf(format string, args ...any) error {
	return lineErr(p.file, p.line, ErrBadHeader, format, args...)
}
