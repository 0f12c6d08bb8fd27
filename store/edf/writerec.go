package edf

import (
	"fmt"
	"strconv"
	"strings"
)

// WriteRecord encodes and writes the next data record.
func (wr *Writer) WriteRecord(r Record) error {
	if wr.fatal != nil {
		return wr.fatal
	}
	if wr.n >= wr.spec.Records {
		return fmt.Errorf("edf: write record %d: %w: %d declared", wr.n, ErrWriteCount, wr.spec.Records)
	}
	wr.rec = wr.rec[:0]
	if err := wr.encodeSamples(r.Samples); err != nil {
		return fmt.Errorf("edf: write record %d: %w", wr.n, err)
	}
	if wr.spec.Plus {
		onset := float64(wr.n) * wr.spec.RecordDuration
		if wr.spec.Discontinuous {
			onset = r.Onset
		}
		if err := wr.encodeTALs(onset, r.Annotations); err != nil {
			return fmt.Errorf("edf: write record %d: %w", wr.n, err)
		}
	}
	if _, err := wr.w.Write(wr.rec); err != nil {
		wr.fatal = fmt.Errorf("edf: write record %d: %w", wr.n, err)
		return wr.fatal
	}
	wr.n++
	return nil
}

// encodeSamples appends the ordinary signals' samples.
func (wr *Writer) encodeSamples(samples [][]int32) error {
	if len(samples) != len(wr.spec.Signals) {
		return fmt.Errorf("%w: %d signals, want %d", ErrWriteRecord, len(samples), len(wr.spec.Signals))
	}
	for i, s := range wr.spec.Signals {
		if len(samples[i]) != s.Samples {
			return fmt.Errorf("%w: signal %d has %d samples, want %d", ErrWriteRecord, i, len(samples[i]), s.Samples)
		}
		for k, v := range samples[i] {
			if v < s.DigMin || v > s.DigMax {
				return fmt.Errorf("%w: signal %d sample %d = %d outside [%d, %d]", ErrWriteRecord, i, k, v, s.DigMin, s.DigMax)
			}
			wr.rec = append(wr.rec, byte(v), byte(v>>8))
			if wr.bps == 3 {
				wr.rec = append(wr.rec, byte(v>>16))
			}
		}
	}
	return nil
}

// encodeTALs appends the annotation signal: the time-keeping TAL, then one
// TAL per annotation, then 0 padding.
func (wr *Writer) encodeTALs(onset float64, anns []Annotation) error {
	start := len(wr.rec)
	wr.rec = append(wr.rec, encodeTAL(onset, -1, "")...)
	for _, a := range anns {
		if strings.ContainsAny(a.Text, "\x00\x14\x15") || a.Duration < 0 {
			return fmt.Errorf("%w: annotation %q", ErrWriteRecord, a.Text)
		}
		wr.rec = append(wr.rec, encodeTAL(a.Onset, a.Duration, a.Text)...)
	}
	if len(wr.rec)-start > wr.annN {
		return fmt.Errorf("%w: %d bytes of TALs, %d available", ErrAnnotationSize, len(wr.rec)-start, wr.annN)
	}
	for len(wr.rec)-start < wr.annN {
		wr.rec = append(wr.rec, 0)
	}
	return nil
}

// encodeTAL encodes one TAL; a negative duration is left out.
func encodeTAL(onset, duration float64, text string) string {
	s := strconv.FormatFloat(onset, 'f', -1, 64)
	if !strings.HasPrefix(s, "-") {
		s = "+" + s
	}
	if duration > 0 {
		s += "\x15" + strconv.FormatFloat(duration, 'f', -1, 64)
	}
	return s + "\x14" + text + "\x14\x00"
}

// Close flushes the output and checks that the declared number of records
// was written. It does not close the underlying writer.
func (wr *Writer) Close() error {
	if wr.fatal != nil {
		return wr.fatal
	}
	if err := wr.w.Flush(); err != nil {
		return fmt.Errorf("edf: write: %w", err)
	}
	if wr.n != wr.spec.Records {
		return fmt.Errorf("edf: write: %w: %d of %d", ErrWriteCount, wr.n, wr.spec.Records)
	}
	return nil
}
