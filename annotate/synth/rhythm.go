package synth

import (
	"math"
	"math/rand/v2"

	"github.com/ecgstation/ecgstation/annotate"
)

// atrialSpan is a stretch of fibrillatory (AF) or flutter waves on the
// baseline, times in seconds. End is +Inf while the episode is running.
type atrialSpan struct {
	flutter    bool
	start, end float64
	period     float64 // flutter cycle length, s
}

// scheduler is the rhythm: it decides beat after beat when the next one
// comes and what it is. All times are in seconds from sample 0.
type scheduler struct {
	c      Config
	rng    *rand.Rand
	sn     *sinus
	eps    []episode
	ei     int
	tLast  float64 // R of the last beat
	tSinus float64 // when the sinus node fires next
	rr     float64 // the current sinus cycle
	forceN bool    // the next beat is the sinus beat after a compensatory pause
	mode   string  // rhythm of the running episode, "" for sinus rhythm
	end    float64 // when the running AF, AFL or bigeminy episode ends
	left   int     // VT beats still to come
	first  bool    // the next VT beat is the first of its run
	bigV   bool    // in bigeminy, the next beat is a V
	fl     flutterState
	spans  []atrialSpan
}

// flutterState is the running atrial flutter: wave j falls at t0 + j·period.
type flutterState struct {
	t0, period float64
	j, k       int
}

// avDelay is the time from a flutter wave to the QRS it conducts, s.
const avDelay = 0.18

func newScheduler(c Config, eps []episode, rng *rand.Rand) *scheduler {
	s := &scheduler{c: c, rng: rng, sn: newSinus(c, rng), eps: eps}
	s.rr = s.sn.next(0)
	s.tSinus = 0.25 + rng.Float64()*s.rr
	s.tLast = s.tSinus - s.rr
	return s
}

// next returns the next beat.
func (s *scheduler) next() plan {
	var p plan
	switch s.mode {
	case "AFIB":
		p = s.afBeat()
	case "AFL":
		p = s.flutterBeat()
	case "VT":
		p = s.vtBeat()
	case "B":
		p = s.bigeminyBeat()
	case "SVTA":
		p = s.svtBeat()
	default:
		p = s.sinusBeat()
	}
	p.rr = p.t - s.tLast
	s.tLast = p.t
	return p
}

// sinusBeat is the next beat in sinus rhythm: an episode that is due, a
// premature beat, or the sinus beat.
func (s *scheduler) sinusBeat() plan {
	if s.forceN {
		s.forceN = false
		return s.normal()
	}
	if s.ei < len(s.eps) && s.eps[s.ei].at <= s.tSinus {
		s.ei++
		return s.begin(s.eps[s.ei-1])
	}
	pv, pa, pf := s.probs()
	switch u := s.rng.Float64(); {
	case u < pv:
		return s.pvc("")
	case u < pv+pa:
		return s.pac()
	case u < pv+pa+pf:
		return s.fusion()
	}
	return s.normal()
}

// probs returns the chance that the next decision is a V, an A or an F
// beat. A decision takes rr (N, F), 2·rr (V and its compensatory pause) or
// c_A·rr (A, which resets the sinus node), so the mean decision time is
//
//	E[T] = rr / (1 − rr·(R_V − (1−c_A)·R_A))
//
// and p_X = R_X·E[T] gives R_X beats per second of sinus rhythm.
func (s *scheduler) probs() (pv, pa, pf float64) {
	rv, ra, rf := s.c.PVC.PerHour/3600, s.c.PAC.PerHour/3600, s.c.Fusion.PerHour/3600
	et := s.rr / (1 - s.rr*(rv-(1-s.c.PAC.Coupling)*ra))
	return rv * et, ra * et, rf * et
}

// prOf is the centre of the sinus P wave relative to R for cycle rr: the PR
// interval shortens a little as the rate rises.
func prOf(rr float64) float64 { return -(0.118 + 0.032*min(rr, 1.5)) }

// normal is the sinus beat due at tSinus.
func (s *scheduler) normal() plan {
	t := s.tSinus
	p := plan{t: t, kind: kindN, code: annotate.Normal, pr: prOf(s.rr)}
	s.rr = s.sn.next(t)
	s.tSinus = t + s.rr
	return p
}

// pvc is a ventricular premature beat; the sinus beat it hides is lost, so
// the next one comes two cycles after the last (full compensatory pause).
func (s *scheduler) pvc(rhythm string) plan {
	t := s.tLast + s.c.PVC.Coupling*s.rr*(1+0.03*s.rng.NormFloat64())
	t = min(max(t, s.tLast+0.3), s.tSinus-0.08)
	s.rr = s.sn.next(s.tSinus)
	s.tSinus += s.rr
	s.forceN = true
	return plan{t: t, kind: kindV, code: annotate.PVC, focus: s.focus(), rhythm: rhythm}
}

// focus picks the ventricular focus: the patient's dominant one 85% of the
// time, so some records show multiform PVCs.
func (s *scheduler) focus() int {
	if s.rng.Float64() < 0.85 {
		return 0
	}
	return 1
}

// pac is an atrial premature beat: early, with an ectopic P; it resets the
// sinus node, so the pause after it is less than compensatory.
func (s *scheduler) pac() plan {
	t := s.tLast + s.c.PAC.Coupling*s.rr*(1+0.03*s.rng.NormFloat64())
	t = min(max(t, s.tLast+0.3), s.tSinus-0.05)
	s.rr = s.sn.next(t)
	s.tSinus = t + s.rr
	return plan{t: t, kind: kindA, code: annotate.APC, pr: -(0.125 + 0.02*s.rng.Float64())}
}

// fusion is a ventricular beat that fires just before the sinus beat due at
// tSinus: its QRS blends both, the sinus P stays on time (a short PR).
func (s *scheduler) fusion() plan {
	t := s.tSinus - (1-s.c.Fusion.Coupling)*s.rr
	p := plan{t: t, kind: kindF, code: annotate.Fusion, focus: s.focus(),
		pr: prOf(s.rr) + (s.tSinus - t), blend: 0.3 + 0.4*s.rng.Float64()}
	s.rr = s.sn.next(s.tSinus)
	s.tSinus += s.rr
	return p
}

// begin starts episode e and returns its first beat.
func (s *scheduler) begin(e episode) plan {
	switch e.rhythm {
	case "PAUSE":
		s.tSinus = s.tLast + e.length
		p := s.normal()
		p.pauseBefore = true
		return p
	case "VT":
		s.mode, s.first = "VT", true
		s.left = max(3, int(math.Round(e.length*s.c.VT.Rate/60)))
		return s.vtBeat()
	case "B":
		s.mode, s.end, s.bigV = "B", s.tSinus+e.length, false
		return s.bigeminyBeat()
	case "AFL":
		return s.beginFlutter(e)
	case "SVTA":
		s.mode, s.end, s.first = "SVTA", s.tLast+e.length, true
		return s.svtBeat()
	}
	return s.beginAF(e)
}

// resume returns to sinus rhythm after an episode, with a sinus node
// recovery time of 1.2 cycles.
func (s *scheduler) resume() plan {
	s.mode = ""
	s.tSinus = s.tLast + 1.2*s.sn.meanRR(s.tLast)
	return s.normal()
}
