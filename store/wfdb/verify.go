package wfdb

import (
	"errors"
	"fmt"
)

// verifyChunk is how many frames Verify decodes at a time.
const verifyChunk = 1 << 16

// Verify reads the whole record once and checks every signal against its
// header line: the first sample against the initial value and the 16-bit sum
// of all samples against the checksum (where the header states them). For a
// multi-segment record each segment is checked against its own header. Both
// describe the samples as stored, so skew is not applied: a skewed signal's
// checksum covers its first NSamples stored samples. It returns nil, or the
// *ChecksumError of every signal that disagrees joined with errors.Join.
func (r *Record) Verify() error {
	if r.isClosed() {
		return ErrClosed
	}
	var errs []error
	for _, s := range r.segs {
		rdr, err := s.reader()
		if err != nil {
			return fmt.Errorf("wfdb: verify %s: %w", r.info.Name, err)
		}
		if rdr == nil {
			continue
		}
		e, err := rdr.unskewed().verify()
		if err != nil {
			return fmt.Errorf("wfdb: verify %s: %w", r.info.Name, err)
		}
		errs = append(errs, e...)
	}
	return errors.Join(errs...)
}

// verify checks one segment; it returns the mismatches, and an error only
// when the files cannot be read.
func (s *segReader) verify() ([]error, error) {
	sigs := s.hdr.Signals
	sums := make([]uint16, len(sigs))
	first := make([]int32, len(sigs))
	buf := make([][]int32, len(sigs))
	for i, sg := range sigs {
		buf[i] = make([]int32, verifyChunk*sg.SampsPerFrame)
	}
	for f0 := int64(0); f0 < s.nframes; f0 += verifyChunk {
		n := int(min(verifyChunk, s.nframes-f0))
		for i, sg := range sigs {
			buf[i] = buf[i][:n*sg.SampsPerFrame]
		}
		if err := s.readRaw(buf, f0, n); err != nil {
			return nil, err
		}
		for i := range sigs {
			if f0 == 0 {
				first[i] = buf[i][0]
			}
			for _, v := range buf[i] {
				sums[i] += uint16(v)
			}
		}
	}
	return s.compare(first, sums), nil
}

func (s *segReader) compare(first []int32, sums []uint16) []error {
	var errs []error
	for i, sg := range s.hdr.Signals {
		e := &ChecksumError{Record: s.hdr.Name, Signal: i, Name: sg.Description}
		if s.nframes > 0 && sg.HasInit && first[i] != sg.InitValue {
			e.Field, e.Want, e.Got = "initial value", int64(sg.InitValue), int64(first[i])
			errs = append(errs, e)
		}
		if sg.HasChecksum && sums[i] != sg.Checksum {
			e2 := *e
			e2.Field, e2.Want, e2.Got = "checksum", int64(int16(sg.Checksum)), int64(int16(sums[i]))
			errs = append(errs, &e2)
		}
	}
	return errs
}

// unskewed returns a reader of the same files that ignores skew: the
// samples as stored, which is what initial values and checksums describe.
func (s *segReader) unskewed() *segReader {
	c := *s
	c.files = make([]*sigFile, len(s.files))
	for k, sf := range s.files {
		u := *sf
		u.stored = true
		u.skew = make([]int, len(sf.skew))
		u.minSkew, u.maxSkew = 0, 0
		c.files[k] = &u
	}
	return &c
}
