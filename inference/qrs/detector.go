package qrs

import (
	"errors"
	"fmt"
	"math"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/dsp"
)

// Version names the detector in beat provenance (annotate.Provenance.Who).
const Version = "qrs@2"

// MaxLeads is the number of leads the detector fuses; further leads of a
// record are ignored unless Options.Leads picks them.
const MaxLeads = 12

// The detector's errors.
var (
	ErrFs    = errors.New("qrs: sampling frequency outside 100..2000 Hz")
	ErrLeads = errors.New("qrs: no usable lead")
)

// Options choose the leads the detector uses.
type Options struct {
	// Leads are the indices of the leads to fuse; nil means the first
	// MaxLeads leads of the record.
	Leads []int
}

// lead is the per-lead front end: band-pass, slope, and the moving-window
// integral of the squared slope.
type lead struct {
	idx    int // lead index in the record
	hp, lp dsp.Biquad
	prevY  float64
	ring   []float64 // squared slopes of the last win samples
	sum    float64   // sum of ring
	level  float64   // typical QRS value of sqrt(sum)
	noise  float64   // typical noise-peak value of sqrt(sum)/level
	inv    float64   // 1 / level
	w      float64   // weight in the fused feature, 0..1, from noise
	agree  float64   // typical prominence of the lead at recent QRS complexes
	yring  []float32 // band-passed samples, for locating the R peak
	vring  []float32 // normalised feature, for the prominence of a peak
}

// candidate is a local maximum of the fused feature.
type candidate struct {
	pos   int64   // sample of the feature maximum
	val   float64 // fused feature there
	slope float64 // largest fused slope on the way up
	r     int64   // R peak (dominant deflection)
	lv    [MaxLeads]float32
	pl    [MaxLeads]float32 // per-lead prominence
	veto  bool              // a clean lead shows nothing here
}

// Detector finds QRS complexes in a multi-lead signal pushed to it in
// chunks. It keeps O(fs) state, so records of any length stream through it.
// A Detector is not safe for concurrent use.
type Detector struct {
	p     params
	leads []lead
	n     int64     // samples processed
	wpos  int       // write position in the integration rings
	mask  int64     // yring index mask
	raw   []float32 // the first lead's raw samples (as yring), for placing the mark on the R peak
	vs    [MaxLeads]float32

	warm  [][]int32 // samples held until the levels are initialised
	ready bool

	// peak finder
	rising bool
	cur    candidate
	valley float64

	// decisions
	spk, npk  float64
	haveQRS   bool
	last      candidate
	rrs       [8]int64
	nrr       int
	rrAvg     int64
	pending   []candidate
	out       []annotate.Beat
	lastR     int64 // sample of the last beat emitted (-1: none)
	lastDecay int64
	sbAt      int64 // sample at which search-back is due (-1: none)
	decayAt   int64 // levels decay after this sample
}

// New returns a detector for a record described by info.
func New(info annotate.RecordInfo, o Options) (*Detector, error) {
	if info.Fs < 100 || info.Fs > 2000 || math.IsNaN(info.Fs) {
		return nil, fmt.Errorf("new detector for %s: %w: %g", info.Name, ErrFs, info.Fs)
	}
	idx := o.Leads
	if idx == nil {
		for i := 0; i < len(info.Leads) && i < MaxLeads; i++ {
			idx = append(idx, i)
		}
	}
	if len(idx) == 0 || len(idx) > MaxLeads {
		return nil, fmt.Errorf("new detector for %s: %w (%d leads)", info.Name, ErrLeads, len(idx))
	}
	p := newParams(info.Fs)
	d := &Detector{p: p, mask: int64(p.yring - 1), raw: make([]float32, p.yring), sbAt: -1, decayAt: math.MaxInt64, lastR: -1}
	for _, i := range idx {
		if i < 0 || i >= len(info.Leads) {
			return nil, fmt.Errorf("new detector for %s: %w: lead %d of %d", info.Name, ErrLeads, i, len(info.Leads))
		}
		d.leads = append(d.leads, lead{idx: i, hp: p.hp, lp: p.lp,
			ring: make([]float64, p.win), yring: make([]float32, p.yring), vring: make([]float32, p.yring)})
	}
	d.warm = make([][]int32, len(info.Leads))
	return d, nil
}

// Push feeds the next n samples of every lead (chunk[lead][0:n], all leads
// of the record, in record order) and returns the beats decided so far,
// in time order. The returned slice is reused by the next call.
func (d *Detector) Push(chunk [][]int32, n int) []annotate.Beat {
	d.out = d.out[:0]
	if !d.ready {
		for i := range d.warm {
			d.warm[i] = append(d.warm[i], chunk[i][:n]...)
		}
		if int64(len(d.warm[0])) < d.p.initLen {
			return d.out
		}
		d.start()
		return d.out
	}
	d.run(chunk, n)
	return d.out
}

// Flush decides what is still pending at the end of the record and returns
// the last beats.
func (d *Detector) Flush() []annotate.Beat {
	d.out = d.out[:0]
	if !d.ready {
		if len(d.warm) == 0 || len(d.warm[0]) == 0 {
			return d.out
		}
		d.start()
	}
	if d.rising {
		d.consider(d.cur)
		d.rising = false
	}
	d.searchBack(true)
	return d.out
}

// start sets the lead levels from the warm-up samples and then runs them.
func (d *Detector) start() {
	d.ready = true
	w := d.warm
	d.warm = nil
	n := len(w[0])
	for i := range d.leads {
		l := &d.leads[i]
		x := float64(w[l.idx][0])
		l.hp.Settle(x)
		l.lp.Settle(0)
		l.prevY = 0
	}
	d.initLevels(w, n)
	d.run(w, n)
}
