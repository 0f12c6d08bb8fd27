package ishne

import (
	"bufio"
	"fmt"
	"github.com/ecgstation/ecgstation/store/private"
	"io"
	"math"
)

// Writer writes an ISHNE file: the header at once (so the number of
// samples per lead must be known), then samples in any number of Write
// calls.
type Writer struct {
	w     *bufio.Writer
	leads int
	want  int64
	n     int64
	buf   []byte
	fatal error
}

// NewWriter checks h and p, computes the header CRC and writes the header.
// samples is the number of samples per lead that will be written.
func NewWriter(w io.Writer, h Header, p Patient, samples int64) (*Writer, error) {
	hdr, err := encodeHeader(h, p, samples)
	if err != nil {
		return nil, err
	}
	wr := &Writer{w: bufio.NewWriter(w), leads: len(h.Leads), want: samples}
	if _, err := wr.w.Write(hdr); err != nil {
		return nil, fmt.Errorf("ishne: write header: %w", err)
	}
	return wr, nil
}

// encodeHeader builds the 522-byte header, the variable-length block and
// the CRC over both.
func encodeHeader(h Header, p Patient, samples int64) ([]byte, error) {
	if err := checkWrite(h, p, samples); err != nil {
		return nil, err
	}
	b := make([]byte, headerSize, headerSize+len(h.VarBlock))
	copy(b, "ISHNE1.0")
	vb := uint32(len(h.VarBlock))
	le.PutUint32(b[offVarSize:], vb)
	le.PutUint32(b[offECGSize:], uint32(samples))
	le.PutUint32(b[offVarOffset:], headerSize)
	le.PutUint32(b[offECGOffset:], headerSize+vb)
	encodeFields(b, h, p)
	b = append(b, h.VarBlock...)
	le.PutUint16(b[offCRC:], crcUpdate(crcInit, b[offVarSize:]))
	return b, nil
}

// encodeFields writes the descriptive fields, the mirror of decodeFields.
// Unused lead slots get -9 (absent) as code, quality and resolution.
func encodeFields(b []byte, h Header, p Patient) {
	put16 := func(off int, v int16) { le.PutUint16(b[off:], uint16(v)) }
	putDate := func(off int, d Date) { put16(off, d.Day); put16(off+2, d.Month); put16(off+4, d.Year) }
	put16(offVersion, h.FileVersion)
	copy(b[offFirst:], p.FirstName)
	copy(b[offLast:], p.LastName)
	copy(b[offID:], p.ID)
	put16(offSex, p.Sex)
	put16(offRace, p.Race)
	putDate(offBirth, p.BirthDate)
	putDate(offRecDate, h.RecordDate)
	putDate(offFileDate, h.FileDate)
	putDate(offStart, Date{h.StartTime.Hour, h.StartTime.Minute, h.StartTime.Second})
	put16(offNLeads, int16(len(h.Leads)))
	for j := range maxLeads {
		l := LeadInfo{LeadAbsent, QualityAbsent, -9}
		if j < len(h.Leads) {
			l = h.Leads[j]
		}
		put16(offSpec+2*j, int16(l.Spec))
		put16(offQuality+2*j, l.Quality)
		put16(offRes+2*j, l.Resolution)
	}
	put16(offPM, h.Pacemaker)
	copy(b[offRecorder:], h.Recorder)
	put16(offFs, h.Fs)
	copy(b[offProp:], h.Proprietary)
	copy(b[offCopy:], h.Copyright)
	copy(b[offReserved:], h.Reserved)
}

// checkWrite checks what the header cannot hold.
func checkWrite(h Header, p Patient, samples int64) error {
	texts := []struct {
		v string
		n int
	}{{p.FirstName, 40}, {p.LastName, 40}, {p.ID, 20}, {h.Recorder, 40}, {h.Proprietary, 80}, {h.Copyright, 80}, {h.Reserved, 88}}
	for _, t := range texts {
		if len(t.v) > t.n {
			return fmt.Errorf("ishne: write header: %w: text %q longer than %d bytes", ErrWriteSpec, t.v, t.n)
		}
	}
	switch {
	case len(h.Leads) < 1 || len(h.Leads) > maxLeads:
		return fmt.Errorf("ishne: write header: %w: %d leads", ErrWriteSpec, len(h.Leads))
	case h.Fs < 1:
		return fmt.Errorf("ishne: write header: %w: sampling rate %d", ErrWriteSpec, h.Fs)
	case samples < 0 || samples > math.MaxInt32 || int64(len(h.VarBlock)) > math.MaxInt32-headerSize:
		return fmt.Errorf("ishne: write header: %w: %d samples, %d-byte block", ErrWriteSpec, samples, len(h.VarBlock))
	}
	for j, l := range h.Leads {
		if l.Resolution < 1 {
			return fmt.Errorf("ishne: write header: %w: lead %d resolution %d", ErrWriteSpec, j, l.Resolution)
		}
	}
	return nil
}

// Write appends samples: one slice per lead, all of the same length, each
// value within int16.
func (wr *Writer) Write(leads [][]int32) error {
	if wr.fatal != nil {
		return wr.fatal
	}
	if len(leads) != wr.leads || !sameLen(leads) {
		return fmt.Errorf("ishne: write: %w: %d slices for %d leads, or unequal lengths", ErrWriteData, len(leads), wr.leads)
	}
	k := int64(len(leads[0]))
	if wr.n+k > wr.want {
		return fmt.Errorf("ishne: write: %w: %d + %d of %d", ErrWriteCount, wr.n, k, wr.want)
	}
	wr.buf = wr.buf[:0]
	for i := range leads[0] {
		for j, l := range leads {
			v := l[i]
			if v < math.MinInt16 || v > math.MaxInt16 {
				return fmt.Errorf("ishne: write: %w: lead %d sample %d = %d outside int16", ErrWriteData, j, wr.n+int64(i), v)
			}
			wr.buf = le.AppendUint16(wr.buf, uint16(int16(v)))
		}
	}
	if _, err := wr.w.Write(wr.buf); err != nil {
		wr.fatal = fmt.Errorf("ishne: write: %w", err)
		return wr.fatal
	}
	wr.n += k
	return nil
}

func sameLen(s [][]int32) bool {
	for _, x := range s {
		if len(x) != len(s[0]) {
			return false
		}
	}
	return true
}

// Close flushes the output and checks that every declared sample was
// written. It does not close the underlying writer.
func (wr *Writer) Close() error {
	if wr.fatal != nil {
		return wr.fatal
	}
	if err := wr.w.Flush(); err != nil {
		return fmt.Errorf("ishne: write: %w", err)
	}
	if wr.n != wr.want {
		return fmt.Errorf("ishne: write: %w: %d of %d samples per lead", ErrWriteCount, wr.n, wr.want)
	}
	return nil
}

// Write writes a whole file: header, then leads (one slice per lead).
func Write(w io.Writer, h Header, p Patient, leads [][]int32) error {
	var n int64
	if len(leads) > 0 {
		n = int64(len(leads[0]))
	}
	wr, err := NewWriter(w, h, p, n)
	if err != nil {
		return err
	}
	if err := wr.Write(leads); err != nil {
		return err
	}
	return wr.Close()
}

// WriteFile writes a whole file to path.
func WriteFile(path string, h Header, p Patient, leads [][]int32) error {
	fh, err := private.Create(path)
	if err != nil {
		return fmt.Errorf("ishne: write: %w", err)
	}
	err = Write(fh, h, p, leads)
	if cerr := fh.Close(); err == nil && cerr != nil {
		err = fmt.Errorf("ishne: write: %w", cerr)
	}
	return err
}
