package qrs

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate/dsp"
)

// params are the detector's constants at one sampling frequency. Times are
// given in seconds in the comments; the fields hold samples.
type params struct {
	fs         float64
	hp, lp     dsp.Biquad // band-pass: high-pass corner hpHz, low-pass corner lpHz
	gd         int64      // group delay of the band-pass near 10 Hz
	win        int        // moving-window integration, winSec
	yring      int        // band-passed history kept for locating R (power of 2)
	initLen    int64      // warm-up used to set the levels, initSec
	refractory int64      // no second QRS within refractorySec
	twave      int64      // T-wave test applies within twaveSec of a QRS
	maxWait    int64      // a candidate is decided at the latest maxWaitSec after its peak
	rSearch    int64      // R peak searched within rSearchSec before the feature peak
	decayAfter int64      // thresholds decay after decaySec without a QRS
	pre        int64      // quiet stretch looked for before a QRS, preSec
	peakReach  int64      // the mark moves to the raw peak within peakReachSec
	peakBase   int64      // the raw peak is measured from the mean over ±peakBaseSec
}

// Tuned on DS1 records (see the package comment); times in seconds.
const (
	hpHz          = 5.0
	lpHz          = 15.0
	winSec        = 0.15
	initSec       = 2.0
	refractorySec = 0.20
	twaveSec      = 0.36
	maxWaitSec    = 0.25
	rSearchSec    = 0.05
	decaySec      = 3.0
	preSec        = 0.15
	peakReachSec  = 0.08
	peakBaseSec   = 0.3
)

// The decision constants are variables so that the DS1 tuning test can
// sweep them; nothing else changes them.
var (
	thrFrac     = 0.25 // THR1 = NPK + thrFrac (SPK - NPK)
	sbFrac      = 0.5  // search-back threshold THR2 = sbFrac THR1
	sbRR        = 1.66 // search back after sbRR mean RR intervals
	tSlopeRatio = 0.6  // a T wave's slope is below this share of the QRS slope
	dropFrac    = 0.5  // a feature peak ends when the feature falls below this share
	noiseAttack = 1.0  // lead noise level follows rises at this rate per beat
	noiseDecay  = 0.125
	noiseKnee   = 0.4 // lead weight 1/(1+(noise/noiseKnee)^2)
	aliveAgree  = 0.5 // a lead vetoes only if its recent QRS prominence is above this
	vetoNoise   = 0.3 // and its noise level below this
	vetoFrac    = 0.2 // and c's prominence there is below this share of the QRS's
	agreeRate   = 0.5
)

func newParams(fs float64) params {
	s := func(sec float64) int64 { return int64(math.Round(sec * fs)) }
	p := params{fs: fs, hp: dsp.HighPass(hpHz, fs), lp: dsp.LowPass(lpHz, fs),
		win: int(s(winSec)), initLen: s(initSec), refractory: s(refractorySec),
		twave: s(twaveSec), maxWait: s(maxWaitSec), rSearch: s(rSearchSec), decayAfter: s(decaySec), pre: s(preSec),
		peakReach: s(peakReachSec), peakBase: s(peakBaseSec)}
	p.gd = int64(math.Round(groupDelay(fs, 10, p.hp, p.lp)))
	need := int(s(1.0))
	p.yring = 1
	for p.yring < need {
		p.yring <<= 1
	}
	return p
}
