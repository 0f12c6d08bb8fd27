package synth

import (
	"fmt"
	"math"
	"math/rand/v2"

	"github.com/ecgstation/ecgstation/annotate"
)

// blockSize is the number of samples the generator draws at a time. The
// caller's chunk size never changes what is drawn: blocks always start at
// multiples of blockSize.
const blockSize = 4096

// RNG streams: each part of the model draws from its own stream of the
// seed, so changing, say, the noise does not move a single beat.
const (
	streamRhythm = iota + 1
	streamMorph
	streamNoise
	streamPlan
)

// Generator streams a synthetic record: Next fills chunks of samples and
// Drain hands over the reference annotations of the samples produced so
// far. It holds a few blocks of state, never the record.
type Generator struct {
	cfg    Config
	info   annotate.RecordInfo
	total  int64 // samples per lead
	pos    int64 // samples per lead handed out so far
	sched  *scheduler
	bb     beatBuilder
	active []*beat
	free   []*beat
	lastR  int64
	nz     *noiser
	at     atrialDrawer
	blk    [][]float64 // the current block, mV
	q      [][]int32   // the current block, ADC units
	b0     int64       // first sample of the current block
	bn, bp int         // samples in the block, and how many were handed out
	lim    int32
	ann    annState
}

// New checks cfg and returns a generator for it. The error is a
// *ConfigError naming the field that is wrong.
func New(cfg Config) (*Generator, error) {
	c := cfg.withDefaults()
	if err := c.validate(); err != nil {
		return nil, err
	}
	stream := func(id uint64) *rand.Rand { return rand.New(rand.NewPCG(c.Seed, id)) }
	names := LeadNames(c.Leads)
	morphRNG := stream(streamMorph)
	p := newPatient(names, morphRNG)
	eps, err := planEpisodes(c, stream(streamPlan))
	if err != nil {
		return nil, err
	}
	g := &Generator{cfg: c, total: int64(math.Round(c.Duration.Seconds() * c.Fs)), lastR: math.MinInt64,
		lim: int32(1)<<(c.ADCBits-1) - 1}
	g.sched = newScheduler(c, eps, stream(streamRhythm))
	g.bb = beatBuilder{p: p, fs: c.Fs, resp: c.RespHz, origin: c.PVCOrigin, jitter: func() float64 {
		return min(max(0.02*morphRNG.NormFloat64(), -0.06), 0.06)
	}}
	sig := p.qrsPeakToPeak()
	for l := range sig {
		sig[l] = sig[l] * sig[l] / 8
	}
	if g.nz, err = newNoiser(c, sig, stream(streamNoise)); err != nil {
		return nil, err
	}
	g.at = newAtrialDrawer(c, p)
	g.ann = newAnnState(g.nz.marks, g.total)
	g.info = c.recordInfo(names, g.total)
	for range c.Leads {
		g.blk = append(g.blk, make([]float64, blockSize))
		g.q = append(g.q, make([]int32, blockSize))
	}
	return g, nil
}

// recordInfo describes the record the generator makes.
func (c Config) recordInfo(names []string, total int64) annotate.RecordInfo {
	info := annotate.RecordInfo{Name: "synth", Format: "WFDB", Fs: c.Fs, NSamples: total, Start: c.Start}
	for _, n := range names {
		info.Leads = append(info.Leads, annotate.Lead{Name: n, Units: "mV", Gain: c.Gain,
			Baseline: c.Baseline, ADCRes: c.ADCBits})
	}
	info.Comments = []string{
		fmt.Sprintf("synthetic ECG (ecgstation annotate/synth), seed %d", c.Seed),
		fmt.Sprintf("HR %g bpm, HRV %g, PVC %g/h, PAC %g/h, F %g/h", c.HR, c.HRV, c.PVC.PerHour, c.PAC.PerHour, c.Fusion.PerHour),
	}
	return info
}

// Info describes the record: fs, leads with gain and baseline, length.
func (g *Generator) Info() annotate.RecordInfo { return g.info }

// Next fills dst (one slice per lead, all the same length) with the next
// samples of every lead, in ADC units, and returns how many it wrote per
// lead: len(dst[0]) until the end of the record, then fewer, then 0.
// It panics if dst does not have one slice per lead of equal length.
func (g *Generator) Next(dst [][]int32) int {
	if len(dst) != len(g.q) {
		panic(fmt.Sprintf("synth: Next got %d leads, the record has %d", len(dst), len(g.q)))
	}
	want := len(dst[0])
	for _, d := range dst {
		if len(d) != want {
			panic("synth: Next got leads of different lengths")
		}
	}
	n := 0
	for n < want && g.pos < g.total {
		if g.bp == g.bn {
			g.renderBlock()
		}
		k := min(want-n, g.bn-g.bp)
		for l := range dst {
			copy(dst[l][n:n+k], g.q[l][g.bp:g.bp+k])
		}
		n += k
		g.bp += k
		g.pos += int64(k)
	}
	return n
}

// renderBlock draws the next block: beats, atrial activity, noise, then
// converts to ADC units.
func (g *Generator) renderBlock() {
	g.b0 += int64(g.bn)
	n := int(min(blockSize, g.total-g.b0))
	buf := make([][]float64, len(g.blk))
	for l := range g.blk {
		buf[l] = g.blk[l][:n]
		clear(buf[l])
	}
	g.produce(g.b0 + int64(n) + int64(1.5*g.cfg.Fs))
	g.drawBeats(buf)
	g.at.draw(buf, g.b0, &g.sched.spans)
	g.nz.add(buf, g.b0)
	g.quantize(buf)
	g.applyDropouts(g.b0, n)
	g.bn, g.bp = n, 0
}

// produce plans beats until one has its fiducial at or after sample until.
// No wave starts more than 0.35 s before its fiducial, so every beat that
// touches the block has been built when the block is drawn.
func (g *Generator) produce(until int64) {
	for g.lastR < until {
		var b *beat
		if k := len(g.free); k > 0 {
			b, g.free = g.free[k-1], g.free[:k-1]
		} else {
			b = new(beat)
		}
		p := g.sched.next()
		g.bb.build(p, b)
		g.lastR = b.r
		g.active = append(g.active, b)
		g.ann.beat(b)
	}
}

// drawBeats renders the beats that touch the block and retires those that
// end in it.
func (g *Generator) drawBeats(buf [][]float64) {
	b1 := g.b0 + int64(len(buf[0]))
	keep := g.active[:0]
	for _, b := range g.active {
		if b.lo < b1 && b.hi >= g.b0 {
			b.render(buf, g.b0)
		}
		if b.hi < b1 {
			g.free = append(g.free, b)
		} else {
			keep = append(keep, b)
		}
	}
	clear(g.active[len(keep):])
	g.active = keep
}

// quantize converts the block to ADC units, rounding half away from zero
// and clipping to the ADC range.
func (g *Generator) quantize(buf [][]float64) {
	gain, base, lim := g.cfg.Gain, float64(g.cfg.Baseline), float64(g.lim)
	for l, lead := range buf {
		q := g.q[l]
		for i, v := range lead {
			q[i] = int32(math.Round(min(max(v*gain+base, -lim), lim)))
		}
	}
}
