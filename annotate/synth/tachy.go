package synth

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// vtBeat is the next beat of a VT run: monomorphic V beats from the
// dominant focus at the VT rate (±2% jitter), the first at the PVC coupling.
func (s *scheduler) vtBeat() plan {
	rr := 60 / s.c.VT.Rate * (1 + 0.02*s.rng.NormFloat64())
	t := s.tLast + rr
	if s.first {
		t = s.tLast + max(0.9*rr, s.c.PVC.Coupling*s.rr)
		s.first = false
	}
	s.left--
	if s.left == 0 {
		s.mode = ""
		s.tSinus = t + 1.2*s.sn.meanRR(t)
	}
	return plan{t: t, kind: kindV, code: annotate.PVC, focus: 0, rhythm: "VT"}
}

// svtBeat is the next beat of paroxysmal SVT (AV nodal re-entry): started
// by an atrial premature beat, then beats at Config.SVTRate (±1% jitter) whose P
// wave hides in the QRS, until the episode ends as abruptly, with a sinus
// node recovery time. MIT-BIH svdb labels such beats S.
func (s *scheduler) svtBeat() plan {
	rr := 60 / s.c.SVTRate * (1 + 0.01*s.rng.NormFloat64())
	t := s.tLast + rr
	if s.first {
		t = s.tLast + max(rr, s.c.PAC.Coupling*s.rr)
		s.first = false
	}
	if t >= s.end {
		return s.resume()
	}
	return plan{t: t, kind: kindNoP, code: annotate.SVPB, rhythm: "SVTA"}
}

// bigeminyBeat alternates sinus beats and PVCs until the episode ends after
// a PVC; the beat after the last PVC is back in sinus rhythm.
func (s *scheduler) bigeminyBeat() plan {
	if s.bigV {
		s.bigV = false
		p := s.pvc("B")
		if s.tSinus >= s.end {
			s.mode = ""
		}
		return p
	}
	s.forceN = false
	p := s.normal()
	p.rhythm = "B"
	s.bigV = true
	return p
}

// beginAF opens the fibrillatory baseline just after the last beat and
// returns the first AF beat (or the atrial premature beat that triggers it).
func (s *scheduler) beginAF(e episode) plan {
	s.mode, s.end = "AFIB", s.tLast+e.length
	if s.c.AF.Onset {
		p := s.pac()
		s.spans = append(s.spans, atrialSpan{start: p.t + 0.25, end: math.Inf(1)})
		return p
	}
	s.spans = append(s.spans, atrialSpan{start: max(0, s.tLast+0.3), end: math.Inf(1)})
	return s.afBeat()
}

// afBeat is the next AF beat: RR intervals independent and log-normal with
// mean 60/Rate and coefficient of variation CV, at least 0.3 s apart. When
// the episode is over, the f-waves stop before the first sinus P wave.
func (s *scheduler) afBeat() plan {
	mean := 60 / s.c.AF.Rate
	sig := math.Sqrt(math.Log(1 + s.c.AF.CV*s.c.AF.CV))
	rr := max(0.3, mean*math.Exp(sig*s.rng.NormFloat64()-sig*sig/2))
	t := s.tLast + rr
	if t >= s.end {
		p := s.resume()
		s.spans[len(s.spans)-1].end = p.t - 0.3
		return p
	}
	return plan{t: t, kind: kindNoP, code: annotate.Normal, rhythm: "AFIB"}
}

// beginFlutter starts the flutter waves 0.3 s after the last beat.
func (s *scheduler) beginFlutter(e episode) plan {
	s.mode, s.end = "AFL", s.tLast+e.length
	s.fl = flutterState{t0: s.tLast + 0.3, period: 60 / s.c.AFL.Rate, k: 2}
	s.spans = append(s.spans, atrialSpan{flutter: true, start: s.fl.t0, end: math.Inf(1), period: s.fl.period})
	return s.flutterBeat()
}

// flutterBeat conducts every k-th flutter wave after avDelay. With
// Conduction 0, k changes between 2, 3 and 4 (mostly 2:1 and 4:1), keeping
// its value 80% of the time.
func (s *scheduler) flutterBeat() plan {
	f := &s.fl
	if s.c.AFL.Conduction > 0 {
		f.k = s.c.AFL.Conduction
	} else if s.rng.Float64() > 0.8 {
		f.k = [...]int{2, 2, 2, 3, 4, 4}[s.rng.IntN(6)]
	}
	f.j += f.k
	for f.t0+float64(f.j)*f.period+avDelay < s.tLast+0.3 {
		f.j++
	}
	t := f.t0 + float64(f.j)*f.period + avDelay
	if t >= s.end {
		p := s.resume()
		n := math.Floor((p.t - 0.3 - f.t0) / f.period)
		s.spans[len(s.spans)-1].end = f.t0 + n*f.period
		return p
	}
	return plan{t: t, kind: kindNoP, code: annotate.Normal, rhythm: "AFL"}
}
