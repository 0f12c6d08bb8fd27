package ishne

import (
	"errors"
	"fmt"
	"io"
	"sync"

	"github.com/ecgstation/ecgstation/annotate"
)

// chunkBytes is how many bytes Read reads in one go.
const chunkBytes = 1 << 20

// Read copies the digital samples [start, start+len(dst[0])) of every lead
// into dst (one slice per lead, all of the same length) and returns how
// many it copied, fewer only at the end of the record. The ECG block
// stores samples as little-endian int16, interleaved: lead 0, lead 1, ...
// of sample 0, then of sample 1, and so on.
func (f *File) Read(dst [][]int32, start int64) (int, error) {
	n, err := f.checkDst(dst, start)
	if err != nil || n == 0 {
		return 0, err
	}
	leads := len(dst)
	frame := int64(2 * leads)
	bp := bufPool.Get().(*[]byte)
	defer bufPool.Put(bp)
	per := max(1, chunkBytes/int(frame))
	for at := 0; at < n; at += per {
		k := min(per, n-at)
		b := grow(bp, k*int(frame))
		if err := f.readAt(b, f.data+(start+int64(at))*frame); err != nil {
			return 0, err
		}
		deinterleave(dst, at, b, k)
	}
	return n, nil
}

// deinterleave decodes k frames of b into dst[j][at:at+k].
func deinterleave(dst [][]int32, at int, b []byte, k int) {
	leads := len(dst)
	for j, d := range dst {
		d = d[at : at+k]
		for i := range d {
			p := 2 * (i*leads + j)
			d[i] = int32(int16(le.Uint16(b[p:])))
		}
	}
}

// checkDst validates the arguments of Read and returns how many samples per
// lead it will copy.
func (f *File) checkDst(dst [][]int32, start int64) (int, error) {
	if len(dst) != len(f.info.Leads) {
		return 0, fmt.Errorf("ishne: read %s: %w: %d slices for %d leads", f.name, ErrDst, len(dst), len(f.info.Leads))
	}
	for _, d := range dst[1:] {
		if len(d) != len(dst[0]) {
			return 0, fmt.Errorf("ishne: read %s: %w", f.name, ErrDst)
		}
	}
	if start < 0 || start >= f.info.NSamples {
		return 0, fmt.Errorf("ishne: read %s at sample %d of %d: %w", f.name, start, f.info.NSamples, annotate.ErrOutOfRange)
	}
	return int(min(int64(len(dst[0])), f.info.NSamples-start)), nil
}

var bufPool = sync.Pool{New: func() any { return new([]byte) }}

func grow(bp *[]byte, n int) []byte {
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	return (*bp)[:n]
}

// readAt fills b from byte off; a file that ends early (truncated after
// Open) gives ErrShortFile.
func (f *File) readAt(b []byte, off int64) error {
	m, err := f.r.ReadAt(b, off)
	if m == len(b) {
		return nil
	}
	if err == nil || errors.Is(err, io.EOF) {
		return perr(f.name, off+int64(m), "ECG block", ErrShortFile)
	}
	return fmt.Errorf("ishne: read %s at byte %d: %w", f.name, off, err)
}
