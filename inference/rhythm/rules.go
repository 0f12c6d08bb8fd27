package rhythm

import (
	"github.com/ecgstation/ecgstation/annotate"
)

// rulesProv is the provenance of the episodes the rules find.
var rulesProv = annotate.Provenance{Source: annotate.SourceModel, Who: RulesWho}

func rules(s beatSeq, noise []annotate.Noise, o Options) []annotate.Episode {
	var eps []annotate.Episode
	eps = append(eps, runs(s, annotate.ClassV, o.VTBeats, o.VTRate, VT)...)
	eps = append(eps, runs(s, annotate.ClassS, o.SVTBeats, o.SVTRate, SVT)...)
	eps = append(eps, cycles(s, 2, o.BigeminyCycles, Bigeminy)...)
	eps = append(eps, cycles(s, 3, o.TrigeminyCycles, Trigeminy)...)
	eps = append(eps, pauses(s, samples(o.Pause.Seconds(), s.fs), noise)...)
	eps = append(eps, rateSpans(s, o.RateBeats, func(r float64) bool { return r < o.BradyRate }, Brady)...)
	eps = append(eps, rateSpans(s, o.RateBeats, func(r float64) bool { return r > o.TachyRate }, Tachy)...)
	return eps
}

// runs finds maximal runs of at least minBeats consecutive beats of class k
// whose mean rate is above minRate.
func runs(s beatSeq, k annotate.Class, minBeats int, minRate float64, rhythm string) []annotate.Episode {
	var out []annotate.Episode
	for i := 0; i < len(s.k); {
		if s.k[i] != k {
			i++
			continue
		}
		j := i
		for j+1 < len(s.k) && s.k[j+1] == k {
			j++
		}
		if j-i+1 >= minBeats && s.rate(i, j) > minRate {
			out = append(out, s.span(i, j, rhythm, rulesProv))
		}
		i = j + 1
	}
	return out
}

// cycles finds at least minCycles consecutive cycles of period beats: period-1
// beats that are not V, then a V beat (bigeminy: period 2, trigeminy: 3).
func cycles(s beatSeq, period, minCycles int, rhythm string) []annotate.Episode {
	var out []annotate.Episode
	for i := 0; i < len(s.k); {
		c := 0
		for isCycle(s.k, i+c*period, period) {
			c++
		}
		if c >= minCycles {
			out = append(out, s.span(i, i+c*period-1, rhythm, rulesProv))
			i += c * period
			continue
		}
		i++
	}
	return out
}

// isCycle reports whether beats i..i+period-1 are period-1 non-V beats and
// then a V beat.
func isCycle(k []annotate.Class, i, period int) bool {
	if i+period > len(k) {
		return false
	}
	for j := i; j < i+period-1; j++ {
		if k[j] == annotate.ClassV {
			return false
		}
	}
	return k[i+period-1] == annotate.ClassV
}

// pauses finds RR intervals of at least minRR samples that no stretch
// without signal on every lead overlaps. Noise never removes a pause: a
// pause is the most urgent finding, and noise over it (or a quiet baseline
// taken for noise) must not hide it.
func pauses(s beatSeq, minRR int64, noise []annotate.Noise) []annotate.Episode {
	var out []annotate.Episode
	for i := 1; i < len(s.r); i++ {
		if s.r[i]-s.r[i-1] < minRR || unreadable(noise, s.r[i-1], s.r[i]) {
			continue
		}
		out = append(out, annotate.Episode{Start: s.r[i-1], End: s.r[i], Rhythm: Pause, Prov: rulesProv})
	}
	return out
}

// unreadable reports whether a record-wide stretch without signal (lead off
// or saturation on every lead) overlaps [a, b): beats may be missing there.
func unreadable(noise []annotate.Noise, a, b int64) bool {
	for _, n := range noise {
		if n.NoSignal() && n.Start < b && a < n.End {
			return true
		}
	}
	return false
}

// rateSpans finds the runs of beats i whose running rate over n RR
// intervals centred on the beat (beats i-n/2 .. i+n/2) satisfies in.
func rateSpans(s beatSeq, n int, in func(float64) bool, rhythm string) []annotate.Episode {
	h := max(1, n/2)
	var out []annotate.Episode
	first := -1
	for i := h; i < len(s.r)-h; i++ {
		ok := in(s.rate(i-h, i+h))
		switch {
		case ok && first < 0:
			first = i
		case !ok && first >= 0:
			out = append(out, s.span(first, i-1, rhythm, rulesProv))
			first = -1
		}
	}
	if first >= 0 {
		out = append(out, s.span(first, len(s.r)-h-1, rhythm, rulesProv))
	}
	return out
}
