package wfdb

import (
	"fmt"
	"math"
	"sort"
	"sync"

	"github.com/ecgstation/ecgstation/annotate"
)

// segment is one segment of a record as the Record reads it: where it sits,
// how its signals map onto the record's, and its reader once opened.
type segment struct {
	path    string // header path; "" for a null segment
	n       int64  // frames
	loaded  bool   // rdr set at Open (single-segment records)
	direct  bool   // signals are the record's, same order, same scaling
	mapIdx  []int  // record signal -> segment signal, -1 when absent
	once    sync.Once
	rdr     *segReader
	err     error
	mapping func(*segReader) ([]int, bool, error)
}

func (s *segment) reader() (*segReader, error) {
	if s.loaded || s.path == "" {
		return s.rdr, nil
	}
	s.once.Do(func() {
		s.rdr, s.err = openSegment(s.path)
		if s.err == nil && s.rdr.nframes < s.n {
			s.err = lineErr(s.path, 0, ErrTruncated, "segment has %d frames, the record header says %d",
				s.rdr.nframes, s.n)
		}
		if s.err == nil && s.mapping != nil {
			s.mapIdx, s.direct, s.err = s.mapping(s.rdr)
		}
	})
	return s.rdr, s.err
}

func (s *segment) close() error {
	if s.rdr == nil {
		return nil
	}
	return s.rdr.close()
}

// ReadMarked copies the digital samples of frames [start, start+len(dst[0])) of
// every signal into dst (one slice per signal, equal lengths) and returns
// how many frames it copied: fewer than asked only at the end of the record.
// A signal with several samples per frame is returned at the frame rate as
// the mean of its samples in each frame, truncated toward zero as WFDB's
// getvec does (C integer division of the sum; rdsamp prints these values);
// ReadRaw gives every sample. Samples that are not stored read as InvalidSample, and a
// mean that involves one is InvalidSample.
func (r *Record) ReadMarked(dst [][]int32, start int64) (int, error) {
	n, err := r.checkRead(dst, start, nil)
	if err != nil || n == 0 {
		return n, err
	}
	return n, r.each(start, n, func(s *segment, rdr *segReader, f0 int64, at, cnt int) error {
		return s.readFrameRate(r.layout, rdr, dst, f0, at, cnt)
	})
}

// Read is ReadMarked with every missing sample replaced by its signal's
// baseline (0 physical units): what annotate.Signal consumers (detectors,
// models, strips) read, so a gap is a flat line instead of a -32768 spike.
// The same sample reads the same whatever the window. Dumps and exports use
// ReadMarked to keep the gaps visible.
func (r *Record) Read(dst [][]int32, start int64) (int, error) {
	n, err := r.ReadMarked(dst, start)
	for i := range dst {
		padInvalid(dst[i][:n], r.layout[i].Baseline)
	}
	return n, err
}

// padInvalid replaces InvalidSample in d by baseline.
func padInvalid(d []int32, baseline int32) {
	for k, v := range d {
		if v == InvalidSample {
			d[k] = baseline
		}
	}
}

// ReadRaw is Read at each signal's own rate: dst[i] receives
// n*SampsPerFrame(i) samples of signal i for the n frames from start, and
// its length must be a multiple of that signal's samples per frame giving
// the same n for every signal. It returns the number of frames copied.
func (r *Record) ReadRaw(dst [][]int32, start int64) (int, error) {
	n, err := r.checkRead(dst, start, r.layout)
	if err != nil || n == 0 {
		return n, err
	}
	return n, r.each(start, n, func(s *segment, rdr *segReader, f0 int64, at, cnt int) error {
		return s.readRawMapped(r.layout, rdr, dst, f0, at, cnt)
	})
}

// SampsPerFrame returns the samples per frame of each signal.
func (r *Record) SampsPerFrame() []int {
	spf := make([]int, len(r.layout))
	for i, s := range r.layout {
		spf[i] = s.SampsPerFrame
	}
	return spf
}

// checkRead validates a request and returns the number of frames to read.
// raw, when set, gives the per-signal samples per frame of dst.
func (r *Record) checkRead(dst [][]int32, start int64, raw []SignalSpec) (int, error) {
	if r.isClosed() {
		return 0, ErrClosed
	}
	if len(dst) != len(r.layout) {
		return 0, fmt.Errorf("wfdb: read %s: %w: %d destination slices for %d signals",
			r.info.Name, ErrRange, len(dst), len(r.layout))
	}
	if len(dst) == 0 {
		return 0, nil
	}
	n := len(dst[0])
	for i := range dst {
		spf := 1
		if raw != nil {
			spf = raw[i].SampsPerFrame
			n = len(dst[0]) / raw[0].SampsPerFrame
		}
		if len(dst[i]) != n*spf {
			return 0, fmt.Errorf("wfdb: read %s: %w: destination %d holds %d samples, want %d",
				r.info.Name, ErrRange, i, len(dst[i]), n*spf)
		}
	}
	total := r.length()
	if start < 0 || start > total {
		return 0, fmt.Errorf("wfdb: read %s at frame %d of %d: %w", r.info.Name, start, total, annotate.ErrOutOfRange)
	}
	return int(min(int64(n), total-start)), nil
}

// each calls fn for every segment piece of frames [start, start+n): f0 is
// the first frame within the segment, at the position in dst.
func (r *Record) each(start int64, n int, fn func(*segment, *segReader, int64, int, int) error) error {
	k := sort.Search(len(r.starts), func(i int) bool { return r.starts[i] > start }) - 1
	for at := 0; at < n; k++ {
		s := r.segs[k]
		f0 := start + int64(at) - r.starts[k]
		cnt := int(min(int64(n-at), s.n-f0))
		if cnt <= 0 {
			continue
		}
		rdr, err := s.reader()
		if err != nil {
			return fmt.Errorf("wfdb: read %s: %w", r.info.Name, err)
		}
		if err := fn(s, rdr, f0, at, cnt); err != nil {
			return fmt.Errorf("wfdb: read %s: %w", r.info.Name, err)
		}
		at += cnt
	}
	return nil
}

// readRawMapped reads frames [f0, f0+cnt) of the segment into dst at frame
// position at, at each signal's own rate, mapped to the record's signals.
func (s *segment) readRawMapped(layout []SignalSpec, rdr *segReader, dst [][]int32, f0 int64, at, cnt int) error {
	if rdr == nil { // null segment
		for i, l := range layout {
			fill(dst[i][at*l.SampsPerFrame:(at+cnt)*l.SampsPerFrame], InvalidSample)
		}
		return nil
	}
	if s.direct {
		sub := make([][]int32, len(dst))
		for i, l := range layout {
			sub[i] = dst[i][at*l.SampsPerFrame : (at+cnt)*l.SampsPerFrame]
		}
		return rdr.readRaw(sub, f0, cnt)
	}
	tmp := make([][]int32, len(rdr.hdr.Signals))
	for j, sg := range rdr.hdr.Signals {
		tmp[j] = make([]int32, cnt*sg.SampsPerFrame)
	}
	if err := rdr.readRaw(tmp, f0, cnt); err != nil {
		return err
	}
	for i, l := range layout {
		out := dst[i][at*l.SampsPerFrame : (at+cnt)*l.SampsPerFrame]
		j := s.mapIdx[i]
		if j < 0 || rdr.hdr.Signals[j].SampsPerFrame != l.SampsPerFrame {
			fill(out, InvalidSample)
			continue
		}
		rescale(out, tmp[j], rdr.hdr.Signals[j], l)
	}
	return nil
}

// readFrameRate is readRawMapped followed by the per-frame mean.
func (s *segment) readFrameRate(layout []SignalSpec, rdr *segReader, dst [][]int32, f0 int64, at, cnt int) error {
	if allOnePerFrame(layout) {
		return s.readRawMapped(layout, rdr, dst, f0, at, cnt)
	}
	tmp := make([][]int32, len(layout))
	for i, l := range layout {
		tmp[i] = make([]int32, cnt*l.SampsPerFrame)
	}
	if err := s.readRawMapped(layout, rdr, tmp, f0, 0, cnt); err != nil {
		return err
	}
	for i, l := range layout {
		frameMeans(dst[i][at:at+cnt], tmp[i], l.SampsPerFrame)
	}
	return nil
}

func allOnePerFrame(layout []SignalSpec) bool {
	for _, l := range layout {
		if l.SampsPerFrame != 1 {
			return false
		}
	}
	return true
}

// frameMeans sets dst[t] to the mean of src[t*spf : (t+1)*spf], truncated
// toward zero like WFDB's getvec (sum/spf in C integer arithmetic).
func frameMeans(dst, src []int32, spf int) {
	for t := range dst {
		var sum int64
		bad := false
		for _, v := range src[t*spf : (t+1)*spf] {
			bad = bad || v == InvalidSample
			sum += int64(v)
		}
		if bad {
			dst[t] = InvalidSample
			continue
		}
		dst[t] = int32(sum / int64(spf))
	}
}

// rescale copies src (in the units of signal from) to dst in the units of
// signal to: the same physical value, rounded to the nearest digital one.
// This is how WFDB maps a segment of a variable-layout record onto the
// layout's gains and baselines.
func rescale(dst, src []int32, from, to SignalSpec) {
	if from.Gain == to.Gain && from.Baseline == to.Baseline {
		copy(dst, src)
		return
	}
	k := to.Gain / from.Gain
	for i, v := range src {
		if v == InvalidSample {
			dst[i] = v
			continue
		}
		p := math.Round(float64(v-from.Baseline)*k) + float64(to.Baseline)
		dst[i] = int32(max(math.MinInt32, min(math.MaxInt32, p)))
	}
}
