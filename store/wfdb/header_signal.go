package wfdb

import (
	"math"
	"strconv"
	"strings"
)

// parseSignalLine parses
//
//	file format[xspf][:skew][+offset] [gain[(baseline)][/units] [adcres [adczero [init [checksum [blocksize [description]]]]]]]
func (p *headerParser) parseSignalLine(s string) error {
	if len(p.h.Signals) >= p.h.NSignals {
		return p.errf("more signal lines than the %d the record line says", p.h.NSignals)
	}
	f, desc := fieldsN(s, 8)
	if len(f) < 2 {
		return p.errf("signal line %q needs a file name and a format", s)
	}
	if !isLocalName(f[0]) {
		return p.pathErr("signal file", f[0])
	}
	sig := SignalSpec{File: f[0], SampsPerFrame: 1, Units: "mV", Gain: DefaultGain, Uncalibrated: true}
	if err := p.parseFormatSpec(&sig, f[1]); err != nil {
		return err
	}
	hasBaseline := false
	if len(f) > 2 {
		var err error
		if hasBaseline, err = p.parseGainSpec(&sig, f[2]); err != nil {
			return err
		}
	}
	if len(f) > 3 {
		if err := p.parseADC(&sig, f[3:]); err != nil {
			return err
		}
	}
	sig.Description = desc
	setDefaults(&sig, hasBaseline)
	p.h.Signals = append(p.h.Signals, sig)
	return nil
}

// setDefaults fills in what WFDB assumes for fields a signal line leaves
// out: baseline and initial value equal to the ADC zero, and the format's
// ADC resolution.
func setDefaults(sig *SignalSpec, hasBaseline bool) {
	if !hasBaseline {
		sig.Baseline = sig.ADCZero
	}
	if sig.ADCRes == 0 {
		sig.ADCRes = defaultADCRes(sig.Format)
	}
	if !sig.HasInit {
		sig.InitValue = sig.ADCZero
	}
}

// fieldsN splits s into at most n blank-separated fields and returns the
// remaining text (the signal description, which may hold blanks) trimmed.
func fieldsN(s string, n int) ([]string, string) {
	var f []string
	for len(f) < n {
		s = strings.TrimLeft(s, " \t")
		if s == "" {
			break
		}
		end := strings.IndexAny(s, " \t")
		if end < 0 {
			end = len(s)
		}
		f = append(f, s[:end])
		s = s[end:]
	}
	return f, strings.TrimSpace(s)
}

// parseFormatSpec parses format[xspf][:skew][+offset].
func (p *headerParser) parseFormatSpec(sig *SignalSpec, s string) error {
	rest := s
	num := func(stop string) (string, string) {
		i := strings.IndexAny(rest, stop)
		if i < 0 {
			return rest, ""
		}
		return rest[:i], rest[i:]
	}
	var tok string
	tok, rest = num("x:+")
	fmtNum, err := strconv.Atoi(tok)
	if err != nil || formatInfo(fmtNum) == nil {
		return lineErr(p.file, p.line, ErrFormat, "signal format %q", s)
	}
	sig.Format = fmtNum
	for rest != "" {
		op := rest[0]
		rest = rest[1:]
		tok, rest = num("x:+")
		v, err := strconv.ParseInt(tok, 10, 64)
		if err != nil || v < 0 {
			return p.errf("bad format field %q", s)
		}
		if err := setFormatPart(sig, op, v); err != nil {
			return p.errf("bad format field %q: %v", s, err)
		}
	}
	return nil
}

func setFormatPart(sig *SignalSpec, op byte, v int64) error {
	switch op {
	case 'x':
		if v > 1<<20 {
			return ErrRange
		}
		sig.SampsPerFrame = max(int(v), 1)
	case ':':
		if v > 1<<30 {
			return ErrRange
		}
		sig.Skew = int(v)
	default: // '+'
		sig.ByteOffset = v
	}
	return nil
}

// parseGainSpec parses gain[(baseline)][/units]. It reports whether a
// baseline was given.
func (p *headerParser) parseGainSpec(sig *SignalSpec, s string) (bool, error) {
	g, units, hasUnits := strings.Cut(s, "/")
	if hasUnits {
		if units == "" {
			return false, p.errf("empty units in %q", s)
		}
		sig.Units = units
	}
	g, base, hasBase := strings.Cut(g, "(")
	gain, err := strconv.ParseFloat(g, 64)
	if err != nil || math.IsNaN(gain) || math.IsInf(gain, 0) {
		return false, p.errf("bad gain %q", s)
	}
	if gain != 0 {
		sig.Gain, sig.Uncalibrated = gain, false
	}
	if hasBase {
		b, ok := strings.CutSuffix(base, ")")
		v, err := strconv.ParseInt(b, 10, 32)
		if !ok || err != nil {
			return false, p.errf("bad baseline in %q", s)
		}
		sig.Baseline = int32(v)
	}
	return hasBase, nil
}

// parseADC parses adcres adczero init checksum blocksize (each optional).
func (p *headerParser) parseADC(sig *SignalSpec, f []string) error {
	ints := make([]int64, len(f))
	for i, s := range f {
		v, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return p.errf("bad integer field %q", s)
		}
		ints[i] = v
	}
	checks := []struct {
		lo, hi int64
		what   string
	}{{0, 32, "ADC resolution"}, {math.MinInt32, math.MaxInt32, "ADC zero"},
		{math.MinInt32, math.MaxInt32, "initial value"}, {-32768, 65535, "checksum"},
		{0, math.MaxInt32, "block size"}}
	for i, v := range ints {
		if v < checks[i].lo || v > checks[i].hi {
			return p.errf("%s %d out of range", checks[i].what, v)
		}
	}
	setADC(sig, ints)
	return nil
}

func setADC(sig *SignalSpec, v []int64) {
	if len(v) > 0 {
		sig.ADCRes = int(v[0])
	}
	if len(v) > 1 {
		sig.ADCZero = int32(v[1])
	}
	if len(v) > 2 {
		sig.InitValue, sig.HasInit = int32(v[2]), true
	}
	if len(v) > 3 {
		sig.Checksum, sig.HasChecksum = uint16(v[3]), true
	}
	if len(v) > 4 {
		sig.BlockSize = int(v[4])
	}
}
