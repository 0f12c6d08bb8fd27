package check

import (
	"math"

	"github.com/ecgstation/ecgstation/annotate"
)

// vt checks each VT episode's V beats and rate.
func (c *checker) vt() {
	for _, e := range c.in.Episodes {
		if e.Rhythm != "VT" {
			continue
		}
		in := c.beatsIn(e.Start, e.End)
		nv := 0
		for _, b := range in {
			if b.Code.Class() == annotate.ClassV {
				nv++
			}
		}
		if nv < c.opt.MinVTBeats {
			c.add(VTFewV, e.Start, e.Start, e.End, nv, "VT episode of %s has %d V beats (%d beats in all); VT needs %d",
				c.secs(e.End-e.Start), nv, len(in), c.opt.MinVTBeats)
		}
		if len(in) >= 2 {
			rate := 60 * float64(len(in)-1) / (float64(in[len(in)-1].Sample-in[0].Sample) / c.in.Info.Fs)
			if rate < c.opt.MinVTRate {
				c.add(VTSlow, e.Start, e.Start, e.End, len(in), "VT episode runs at %.0f bpm, under %.0f bpm: idioventricular rhythm?", rate, c.opt.MinVTRate)
			}
		}
	}
}

// pauses matches long RR intervals with PAUSE episodes, both ways.
func (c *checker) pauses() {
	thr := c.opt.PauseThreshold.Seconds()
	pauses := c.rhythm("PAUSE")
	for _, r := range c.rrs {
		if r.Valid && r.Sec >= thr && !overlapsAny(pauses, r.Prev, r.Sample) {
			c.add(PauseUnmarked, r.Prev, r.Prev, r.Sample, 2, "RR interval of %.2f s with no pause episode", r.Sec)
		}
	}
	for _, e := range pauses {
		longest := 0.0
		for _, r := range c.rrs {
			if r.Valid && r.Prev < e.End && r.Sample > e.Start {
				longest = math.Max(longest, r.Sec)
			}
		}
		if longest < thr {
			c.add(PauseNoPause, e.Start, e.Start, e.End, 0, "pause episode whose longest RR interval is %.2f s, under %.2f s", longest, thr)
		}
	}
}

// sInAF finds S beats inside AFIB and AFL episodes, one finding per episode.
func (c *checker) sInAF() {
	for _, e := range c.in.Episodes {
		if e.Rhythm != "AFIB" && e.Rhythm != "AFL" {
			continue
		}
		if s := sBeats(c.beatsIn(e.Start, e.End)); len(s) > 0 {
			c.add(SInAF, s[0], e.Start, e.End, len(s), "%s inside %s (no P waves there: N or aberrant?)", countBeats(len(s), "S "), e.Rhythm)
		}
	}
}

// noise finds beats inside noise stretches, one finding per stretch.
func (c *checker) noise() {
	for _, z := range c.in.Noise {
		var first int64 = -1
		n := 0
		for _, b := range c.beatsIn(z.Start, z.End) {
			if z.Lead < 0 || int(b.Chan) == z.Lead {
				if n == 0 {
					first = b.Sample
				}
				n++
			}
		}
		if n > 0 {
			c.add(BeatInNoise, first, z.Start, z.End, n, "%s inside a stretch marked %s, %s long", countBeats(n, ""), reason(z), c.secs(z.End-z.Start))
		}
	}
}

func reason(z annotate.Noise) string {
	if z.Reason == "" {
		return "noise"
	}
	return z.Reason
}

// signedOff finds unreviewed model labels in a signed-off label set.
func (c *checker) signedOff() {
	if c.in.Status.State != annotate.StateSignedOff {
		return
	}
	var first int64 = -1
	n := 0
	for _, b := range c.beats {
		if !annotate.ReaderOwned(b.Prov, b.Review) {
			if n == 0 {
				first = b.Sample
			}
			n++
		}
	}
	if n > 0 {
		c.add(SignedUnreviewed, first, first, first+1, n, "signed off by %s with %d unreviewed model beats", c.in.Status.By, n)
	}
	for _, e := range c.in.Episodes {
		if !annotate.ReaderOwned(e.Prov, e.Review) {
			c.add(SignedUnreviewed, e.Start, e.Start, e.End, 1, "signed off by %s with an unreviewed %s episode", c.in.Status.By, e.Rhythm)
		}
	}
}

// tooClose finds pairs of beats closer than the refractory period.
func (c *checker) tooClose() {
	thr := c.opt.Refractory.Seconds()
	for _, r := range c.rrs {
		if r.Sec < thr {
			c.add(BeatsTooClose, r.Sample, r.Prev, r.Sample+1, 2, "beats %.0f ms apart, under %.0f ms: one QRS counted twice?", r.Sec*1000, thr*1000)
		}
	}
}

// afShort finds AFIB episodes shorter than MinAF.
func (c *checker) afShort() {
	min := int64(c.opt.MinAF.Seconds() * c.in.Info.Fs)
	for _, e := range c.in.Episodes {
		if e.Rhythm == "AFIB" && e.End-e.Start < min {
			c.add(AFShort, e.Start, e.Start, e.End, 0, "AFIB episode of %s, under %v", c.secs(e.End-e.Start), c.opt.MinAF)
		}
	}
}

// overlap finds pairs of overlapping episodes of one rhythm.
func (c *checker) overlap() {
	eps := c.in.Episodes
	for i := range eps {
		for j := i + 1; j < len(eps); j++ {
			a, b := eps[i], eps[j]
			if a.Rhythm == b.Rhythm && a.Start < b.End && b.Start < a.End {
				s, e := max(a.Start, b.Start), min(a.End, b.End)
				c.add(EpisodeOverlap, s, s, e, 2, "two %s episodes overlap for %s: merge them", a.Rhythm, c.secs(e-s))
			}
		}
	}
}

// rhythm returns the episodes of rhythm r.
func (c *checker) rhythm(r string) []annotate.Episode {
	var out []annotate.Episode
	for _, e := range c.in.Episodes {
		if e.Rhythm == r {
			out = append(out, e)
		}
	}
	return out
}

// overlapsAny reports whether [start, end] meets any episode.
func overlapsAny(eps []annotate.Episode, start, end int64) bool {
	for _, e := range eps {
		if e.Start <= end && start < e.End {
			return true
		}
	}
	return false
}
