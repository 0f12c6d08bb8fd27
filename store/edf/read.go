package edf

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ecgstation/ecgstation/annotate"
)

// Read copies the digital samples [start, start+len(dst[0])) of every lead
// into dst (one slice per lead of Info, all of the same length) and returns
// how many it copied, fewer only at the end of the record. EDF values are
// 16-bit and BDF values 24-bit two's complement, little-endian, sign-extended
// to int32. In the gaps of an EDF+D file every lead reads as its Baseline
// (see Segments). Only the data records that hold the samples are read.
func (f *File) Read(dst [][]int32, start int64) (int, error) {
	n, err := f.checkDst(dst, start)
	if err != nil || n == 0 {
		return 0, err
	}
	pos, end := start, start+int64(n)
	for i := f.segmentAt(pos); pos < end; i++ {
		seg := f.segs[i]
		if pos < seg.Start {
			stop := min(seg.Start, end)
			f.fillBaseline(dst, int(pos-start), int(stop-pos))
			pos = stop
		}
		stop := min(seg.Start+seg.Len, end)
		if pos < stop {
			if err := f.readSpan(dst, int(pos-start), seg.Record, pos-seg.Start, stop-pos); err != nil {
				return 0, err
			}
			pos = stop
		}
	}
	return n, nil
}

// checkDst validates the arguments of Read and returns how many samples per
// lead it will copy.
func (f *File) checkDst(dst [][]int32, start int64) (int, error) {
	if len(dst) != len(f.leadIdx) {
		return 0, fmt.Errorf("edf: read %s: %w: %d slices for %d leads", f.name, ErrDst, len(dst), len(f.leadIdx))
	}
	if len(dst) == 0 {
		return 0, nil
	}
	for _, d := range dst[1:] {
		if len(d) != len(dst[0]) {
			return 0, fmt.Errorf("edf: read %s: %w", f.name, ErrDst)
		}
	}
	if start < 0 || start >= f.info.NSamples {
		return 0, fmt.Errorf("edf: read %s at sample %d of %d: %w", f.name, start, f.info.NSamples, annotate.ErrOutOfRange)
	}
	return int(min(int64(len(dst[0])), f.info.NSamples-start)), nil
}

// fillBaseline writes each lead's baseline into dst[j][at:at+n].
func (f *File) fillBaseline(dst [][]int32, at, n int) {
	for j, d := range dst {
		b := f.info.Leads[j].Baseline
		for i := range d[at : at+n] {
			d[at+i] = b
		}
	}
}

// readSpan decodes n samples per lead into dst[j][at:], starting k samples
// after the start of data record rec.
func (f *File) readSpan(dst [][]int32, at int, rec, k, n int64) error {
	rec, k = rec+k/f.spr, k%f.spr
	if f.h.recSize > f.chunk {
		return f.readSpanWide(dst, at, rec, k, n)
	}
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	per := f.chunk / f.h.recSize
	for n > 0 {
		nrec := min(per, (k+n+f.spr-1)/f.spr)
		b := grow(bp, nrec*f.h.recSize)
		if err := f.readAt(b, f.recordOffset(rec)); err != nil {
			return err
		}
		for r := range nrec {
			take := min(f.spr-k, n)
			f.decodeRecord(dst, at, b[r*f.h.recSize:], k, take)
			at, n, k = at+int(take), n-take, 0
		}
		rec += nrec
	}
	return nil
}

// decodeRecord decodes samples [k, k+n) of every lead from one data record.
func (f *File) decodeRecord(dst [][]int32, at int, rec []byte, k, n int64) {
	bps := f.h.bps()
	for j, i := range f.leadIdx {
		o := f.h.sigs[i].offset + k*bps
		decode(dst[j][at:at+int(n)], rec[o:o+n*bps], bps)
	}
}

// readSpanWide is readSpan for data records larger than a chunk: it reads
// only each lead's samples, at most a chunk at a time.
func (f *File) readSpanWide(dst [][]int32, at int, rec, k, n int64) error {
	bps := f.h.bps()
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	for n > 0 {
		take := min(f.spr-k, n, max(1, f.chunk/bps))
		b := grow(bp, take*bps)
		for j, i := range f.leadIdx {
			if err := f.readAt(b, f.recordOffset(rec)+f.h.sigs[i].offset+k*bps); err != nil {
				return err
			}
			decode(dst[j][at:at+int(take)], b, bps)
		}
		at, n, k = at+int(take), n-take, k+take
		if k == f.spr {
			rec, k = rec+1, 0
		}
	}
	return nil
}

// decode converts little-endian two's-complement samples of bps bytes.
func decode(dst []int32, b []byte, bps int64) {
	if bps == 2 {
		b = b[:2*len(dst)]
		for i := range dst {
			dst[i] = int32(int16(binary.LittleEndian.Uint16(b[2*i:])))
		}
		return
	}
	b = b[:3*len(dst)]
	for i := range dst {
		c := b[3*i : 3*i+3 : 3*i+3]
		dst[i] = int32(c[0]) | int32(c[1])<<8 | int32(int8(c[2]))<<16
	}
}

// bufPool holds read buffers, so concurrent Reads do not share one.
var bufPool = sync.Pool{New: func() any { return new([]byte) }}

// grow returns (*bp)[:n], reallocating when needed.
func grow(bp *[]byte, n int64) []byte {
	if int64(cap(*bp)) < n {
		*bp = make([]byte, n)
	}
	return (*bp)[:n]
}

// readAt fills b from byte off, reporting a file that ends early (for
// example one truncated after Open) as ErrShortFile.
func (f *File) readAt(b []byte, off int64) error {
	m, err := f.r.ReadAt(b, off)
	if m == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return perr(f.name, off+int64(m), "data record", ErrShortFile)
	}
	return fmt.Errorf("edf: read %s at byte %d: %w", f.name, off, err)
}
