package edf

import (
	"bytes"
	"fmt"
	"sort"
	"strconv"
	"strings"
)

// Annotation is one EDF+ annotation.
type Annotation struct {
	Onset    float64 // seconds after Info().Start (that is, after sample 0)
	Duration float64 // seconds; 0 when the TAL gives no duration
	Text     string  // UTF-8, e.g. "Sleep stage W", "RECORD START"
}

// tal is one time-stamped annotation list.
type tal struct {
	onset, duration float64
	texts           []string
}

// TAL separators (EDF+ specification, section 2.2.2).
const (
	talDuration = 0x15 // between onset and duration
	talText     = 0x14 // after onset/duration and after each text
)

// parseTALs parses the bytes of one annotation signal in one data record:
// TALs one after another, each ended by a 0 byte, then 0 padding. base is
// the byte offset of b in the file, for errors.
func parseTALs(file string, base int64, b []byte) ([]tal, error) {
	var out []tal
	for p := 0; p < len(b); {
		if b[p] == 0 {
			p++
			continue
		}
		t, n, err := parseTAL(b[p:])
		if err != nil {
			return out, perr(file, base+int64(p), "TAL", err)
		}
		out = append(out, t)
		p += n
	}
	return out, nil
}

// parseTAL parses the TAL at the start of b, "+onset[\x15duration]\x14"
// then zero or more "text\x14", then "\x00", and returns its length.
func parseTAL(b []byte) (tal, int, error) {
	var t tal
	end := bytes.IndexByte(b, 0)
	if end < 0 {
		return t, 0, detail(ErrTAL, "no 0 byte ends the TAL")
	}
	body := b[:end]
	if len(body) == 0 || body[len(body)-1] != talText {
		return t, 0, detail(ErrTAL, "TAL does not end with 0x14 before its 0 byte")
	}
	parts := bytes.Split(body[:len(body)-1], []byte{talText})
	on, dur, hasDur := bytes.Cut(parts[0], []byte{talDuration})
	var err error
	if t.onset, err = talNumber(on, true); err != nil {
		return t, 0, fmt.Errorf("onset: %w", err)
	}
	if hasDur {
		if t.duration, err = talNumber(dur, false); err != nil {
			return t, 0, fmt.Errorf("duration: %w", err)
		}
	}
	for _, p := range parts[1:] {
		if len(p) > 0 {
			t.texts = append(t.texts, strings.ToValidUTF8(string(p), "\uFFFD"))
		}
	}
	return t, end + 1, nil
}

// talNumber parses an onset ("+" or "-" then digits, optional "." and
// digits) or a duration (the same without a sign).
func talNumber(b []byte, signed bool) (float64, error) {
	s := string(b)
	digits := s
	if signed {
		if len(s) == 0 || s[0] != '+' && s[0] != '-' {
			return 0, detail(ErrTAL, "%q has no leading + or -", s)
		}
		digits = s[1:]
	}
	whole, frac, _ := strings.Cut(digits, ".")
	if whole == "" || !allDigits(whole) || !allDigits(frac) {
		return 0, detail(ErrTAL, "%q is not a number", s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return 0, detail(ErrTAL, "%q: %v", s, err)
	}
	return v, nil
}

func allDigits(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

// Annotations reads the TALs of every annotation signal of every data
// record and returns the annotations, by onset. Empty texts (the
// time-keeping TAL that starts each record) are left out; a TAL with
// several texts gives one Annotation per text. A plain EDF or BDF file has
// none. This reads the whole file.
func (f *File) Annotations() ([]Annotation, error) {
	var out []Annotation
	for _, sig := range f.h.annotationSignals() {
		if !f.h.plus {
			break
		}
		err := f.eachSignalBlock(sig, func(_, off int64, b []byte) error {
			tals, err := parseTALs(f.name, off, b)
			for _, t := range tals {
				for _, s := range t.texts {
					out = append(out, Annotation{Onset: t.onset - f.onset0, Duration: t.duration, Text: s})
				}
			}
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].Onset < out[j].Onset })
	return out, nil
}

// eachSignalBlock calls fn with the bytes of signal sig in every data
// record, in order, and the bytes' offset in the file. It reads whole
// records in chunks when they are small, else only the signal's bytes.
func (f *File) eachSignalBlock(sig int, fn func(rec, off int64, b []byte) error) error {
	s := f.h.sigs[sig]
	n := int64(s.Samples) * f.h.bps()
	if f.h.nrec == 0 {
		return nil // and a record larger than the file must not be allocated
	}
	if f.h.recSize > f.chunk {
		return f.eachSignalBlockWide(s.offset, n, fn)
	}
	per := f.chunk / f.h.recSize
	buf := make([]byte, min(per, f.h.nrec)*f.h.recSize)
	for rec := int64(0); rec < f.h.nrec; rec += per {
		k := min(per, f.h.nrec-rec)
		b := buf[:k*f.h.recSize]
		if err := f.readAt(b, f.recordOffset(rec)); err != nil {
			return err
		}
		for i := range k {
			at := i*f.h.recSize + s.offset
			if err := fn(rec+i, f.recordOffset(rec)+at, b[at:at+n]); err != nil {
				return err
			}
		}
	}
	return nil
}

// eachSignalBlockWide is eachSignalBlock for data records larger than a
// chunk: it reads only the n bytes at off inside each record.
func (f *File) eachSignalBlockWide(off, n int64, fn func(rec, off int64, b []byte) error) error {
	buf := make([]byte, n)
	for rec := range f.h.nrec {
		at := f.recordOffset(rec) + off
		if err := f.readAt(buf, at); err != nil {
			return err
		}
		if err := fn(rec, at, buf); err != nil {
			return err
		}
	}
	return nil
}
