package trace

import (
	"context"
	"errors"
	"fmt"
	"math"
	"sync"
	"sync/atomic"

	"github.com/ecgstation/ecgstation/annotate"
)

// Pyramid limits and defaults.
const (
	// MinShift is the smallest K0 (finest bucket 2^MinShift samples).
	MinShift = 4
	// DefaultMaxBytes caps the pyramid of one record.
	DefaultMaxBytes = 32 << 20
	// chunkShift sets the build chunk: 2^16 samples per lead per Read.
	chunkShift = 16
	// minBudget is the pyramid size below which K0 is MinShift anyway.
	minBudget = 64 << 10
	// physRange is the ± range in physical units (mV) that must fit in int16.
	physRange = 50
)

// Errors returned by NewPyramid and Build.
var (
	ErrUnknownLength = errors.New("trace: record length unknown")
	ErrNoLeads       = errors.New("trace: record has no leads")
	ErrShortRead     = errors.New("trace: signal ended before its stated length")
)

// Pyramid is a min/max envelope of every lead of a Signal at bucket sizes
// 2^K0, 2^(K0+1), ... samples. Build fills it; the query methods are safe
// to call from other goroutines while it runs and use only finished buckets.
type Pyramid struct {
	sig    annotate.Signal
	n      int64
	k0     int
	shift  []uint    // per lead: digital value >> shift fits in int16
	levels [][]level // [lead][j]: buckets of 2^(k0+j) samples
	done   atomic.Int64
	err    atomic.Value // error from Build, wrapped in errBox
	ready  chan struct{}
	once   sync.Once
}

type level struct{ lo, hi []int16 }

type errBox struct{ err error }

// FinestShift returns K0 for a record of n samples per lead and the given
// number of leads: the smallest k >= MinShift for which the pyramid takes at
// most min(record int16 bytes / 16, maxBytes), or 64 KiB for short records. maxBytes <= 0 means
// DefaultMaxBytes.
func FinestShift(n int64, leads int, maxBytes int64) int {
	if maxBytes <= 0 {
		maxBytes = DefaultMaxBytes
	}
	budget := max(min(n*int64(leads)*2/16, maxBytes), minBudget)
	for k := MinShift; k < 40; k++ {
		if PyramidBytes(n, leads, k) <= budget {
			return k
		}
	}
	return 40
}

// PyramidBytes returns the memory the buckets of a pyramid with finest
// level k0 take: 4 bytes (int16 min and max) per bucket, every level.
func PyramidBytes(n int64, leads, k0 int) int64 {
	var total int64
	for k := k0; ; k++ {
		b := buckets(n, k)
		total += b * 4 * int64(leads)
		if b <= 1 {
			return total
		}
	}
}

// buckets returns the number of buckets of 2^k samples covering n samples.
func buckets(n int64, k int) int64 { return (n + 1<<k - 1) >> k }

// NewPyramid allocates the pyramid of sig; Build fills it. maxBytes <= 0
// means DefaultMaxBytes.
func NewPyramid(sig annotate.Signal, maxBytes int64) (*Pyramid, error) {
	info := sig.Info()
	if len(info.Leads) == 0 {
		return nil, fmt.Errorf("trace: pyramid of %q: %w", info.Name, ErrNoLeads)
	}
	if info.NSamples <= 0 {
		return nil, fmt.Errorf("trace: pyramid of %q: %w", info.Name, ErrUnknownLength)
	}
	p := &Pyramid{sig: sig, n: info.NSamples, ready: make(chan struct{})}
	p.k0 = FinestShift(p.n, len(info.Leads), maxBytes)
	for _, l := range info.Leads {
		p.shift = append(p.shift, leadShift(l))
		var lv []level
		for k := p.k0; ; k++ {
			b := buckets(p.n, k)
			lv = append(lv, level{lo: make([]int16, b), hi: make([]int16, b)})
			if b <= 1 {
				break
			}
		}
		p.levels = append(p.levels, lv)
	}
	return p, nil
}

// leadShift returns the right shift that makes the lead's values fit in
// int16: enough for the ADC resolution, and for ±50 physical units.
func leadShift(l annotate.Lead) uint {
	var s uint
	if l.ADCRes > 16 {
		s = uint(l.ADCRes - 16)
	}
	span := math.Abs(l.Gain)*physRange + math.Abs(float64(l.Baseline))
	for span/float64(int64(1)<<s) > math.MaxInt16 && s < 24 {
		s++
	}
	return s
}

// K0 returns log2 of the finest bucket size.
func (p *Pyramid) K0() int { return p.k0 }

// Len returns the number of samples per lead.
func (p *Pyramid) Len() int64 { return p.n }

// Levels returns the number of levels (the same for every lead).
func (p *Pyramid) Levels() int { return len(p.levels[0]) }

// Bytes returns the memory the buckets take.
func (p *Pyramid) Bytes() int64 { return PyramidBytes(p.n, len(p.levels), p.k0) }

// Done returns how many samples per lead the finished buckets cover.
func (p *Pyramid) Done() int64 { return p.done.Load() }

// Ready is closed when Build returns.
func (p *Pyramid) Ready() <-chan struct{} { return p.ready }

// Err returns the error Build returned, or nil (also while it runs).
func (p *Pyramid) Err() error {
	if b, ok := p.err.Load().(errBox); ok {
		return b.err
	}
	return nil
}

// Wait blocks until Build returns and returns its error.
func (p *Pyramid) Wait() error {
	<-p.ready
	return p.Err()
}

// LevelFor returns the level whose buckets are the largest that fit in
// spp samples (2^(K0+j) <= spp), and false when spp < 2^K0, where the
// caller reads samples instead.
func (p *Pyramid) LevelFor(spp float64) (int, bool) {
	if spp < float64(int64(1)<<p.k0) {
		return 0, false
	}
	j := int(math.Floor(math.Log2(spp))) - p.k0
	return min(j, p.Levels()-1), true
}

// Build reads the whole signal in chunks and fills every level; progress,
// when not nil, is called after each chunk with the samples done so far.
// It stops early when ctx is cancelled. Build runs once; later calls
// return at once with the first call's error.
func (p *Pyramid) Build(ctx context.Context, progress func(done, total int64)) error {
	ran := false
	p.once.Do(func() {
		ran = true
		err := p.build(ctx, progress)
		p.err.Store(errBox{err})
		close(p.ready)
	})
	if !ran {
		<-p.ready
	}
	return p.Err()
}

func (p *Pyramid) build(ctx context.Context, progress func(done, total int64)) error {
	chunk := int64(1) << max(chunkShift, p.k0)
	buf := make([][]int32, len(p.levels))
	for i := range buf {
		buf[i] = make([]int32, min(chunk, p.n))
	}
	built := make([]int64, p.Levels()) // finished buckets per level (builder only)
	for pos := int64(0); pos < p.n; pos += chunk {
		if err := ctx.Err(); err != nil {
			return fmt.Errorf("trace: building pyramid: %w", err)
		}
		m := min(chunk, p.n-pos)
		got, err := readFull(p.sig, buf, pos, m)
		if err != nil {
			return fmt.Errorf("trace: building pyramid at sample %d: %w", pos+got, err)
		}
		p.fillFinest(buf, pos, got)
		end := pos + got
		p.propagate(built, end)
		p.done.Store(end)
		if progress != nil {
			progress(end, p.n)
		}
	}
	return nil
}

// readFull reads m samples per lead at pos, looping over short reads.
func readFull(sig annotate.Signal, buf [][]int32, pos, m int64) (int64, error) {
	var got int64
	view := make([][]int32, len(buf))
	for got < m {
		for i := range buf {
			view[i] = buf[i][got:m]
		}
		k, err := sig.Read(view, pos+got)
		if err != nil {
			return got, err
		}
		if k == 0 {
			return got, ErrShortRead
		}
		got += int64(k)
	}
	return got, nil
}

// fillFinest writes the level-0 buckets of the got samples read at pos
// (pos is a multiple of the bucket size).
func (p *Pyramid) fillFinest(buf [][]int32, pos, got int64) {
	size := int64(1) << p.k0
	for lead, samples := range buf {
		lv := p.levels[lead][0]
		sh := p.shift[lead]
		for off := int64(0); off < got; off += size {
			lo, hi := minMax32(samples[off:min(off+size, got)])
			b := (pos + off) >> p.k0
			lv.lo[b], lv.hi[b] = clamp16(lo>>sh), clamp16(hi>>sh)
		}
	}
}

// propagate fills the buckets of levels 1.. whose samples all lie below end
// (or the last, partial buckets when end is the end of the record).
func (p *Pyramid) propagate(built []int64, end int64) {
	for j := 1; j < p.Levels(); j++ {
		k := p.k0 + j
		upto := end >> k
		if end == p.n {
			upto = buckets(p.n, k)
		}
		for lead := range p.levels {
			child, parent := p.levels[lead][j-1], p.levels[lead][j]
			for b := built[j]; b < upto; b++ {
				c := 2 * b
				lo, hi := child.lo[c], child.hi[c]
				if c+1 < int64(len(child.lo)) {
					lo, hi = min(lo, child.lo[c+1]), max(hi, child.hi[c+1])
				}
				parent.lo[b], parent.hi[b] = lo, hi
			}
		}
		built[j] = max(built[j], upto)
	}
}

func minMax32(s []int32) (lo, hi int32) {
	lo, hi = s[0], s[0]
	for _, v := range s[1:] {
		lo, hi = min(lo, v), max(hi, v)
	}
	return lo, hi
}

func clamp16(v int32) int16 {
	return int16(max(math.MinInt16, min(math.MaxInt16, v)))
}

// Range returns the min and max of lead over the buckets of level j that
// hold samples [from, to), widened to whole buckets, in digital units.
// ok is false when the range is empty, outside the record or not built yet.
func (p *Pyramid) Range(lead, j int, from, to int64) (lo, hi int32, ok bool) {
	from, to = max(from, 0), min(to, p.n)
	if from >= to {
		return 0, 0, false
	}
	k := p.k0 + j
	done := p.done.Load()
	if done < p.n && (((to-1)>>k)+1)<<k > done {
		return 0, 0, false // the last bucket is not finished yet
	}
	lv := p.levels[lead][j]
	first, last := from>>k, (to-1)>>k
	l, h := lv.lo[first], lv.hi[first]
	for b := first + 1; b <= last; b++ {
		l, h = min(l, lv.lo[b]), max(h, lv.hi[b])
	}
	sh := p.shift[lead]
	return int32(l) << sh, int32(h) << sh, true
}
