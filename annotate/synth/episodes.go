package synth

import (
	"cmp"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
)

// rhythmKinds are the episode rhythms a Config can ask for, with their WFDB
// rhythm strings (aux of a '+' annotation, without the parenthesis) or,
// for PAUSE, the name Holter software gives a sinus arrest.
var rhythmKinds = map[string]bool{"AFIB": true, "AFL": true, "VT": true, "B": true, "PAUSE": true, "SVTA": true}

// ErrOverlap is returned (in a *ConfigError) for fixed events that overlap.
var ErrOverlap = errors.New("overlaps the previous event")

// episode is a planned episode, times in seconds.
type episode struct {
	rhythm     string
	at, length float64
}

func (e episode) end() float64 { return e.at + e.length }

// gapRandom is the least time between a random episode and any other.
const gapRandom = 10.0

// planEpisodes returns the fixed events and the random episodes of c,
// sorted by start; random episodes that would overlap another are dropped.
func planEpisodes(c Config, rng *rand.Rand) ([]episode, error) {
	fixed, err := fixedEpisodes(c)
	if err != nil {
		return nil, err
	}
	random := randomEpisodes(c, rng)
	out := slices.Clone(fixed)
	lastEnd := math.Inf(-1)
	for _, r := range random {
		if r.at < lastEnd+gapRandom || overlapsAny(r, fixed) {
			continue
		}
		out = append(out, r)
		lastEnd = r.end()
	}
	slices.SortStableFunc(out, func(a, b episode) int { return cmp.Compare(a.at, b.at) })
	return out, nil
}

func overlapsAny(r episode, es []episode) bool {
	for _, e := range es {
		if r.at < e.end()+gapRandom && e.at < r.end()+gapRandom {
			return true
		}
	}
	return false
}

// fixedEpisodes converts Config.Events, refusing overlaps.
func fixedEpisodes(c Config) ([]episode, error) {
	idx := make([]int, len(c.Events))
	for i := range idx {
		idx[i] = i
	}
	slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(float64(c.Events[a].At), float64(c.Events[b].At)) })
	var out []episode
	for _, i := range idx {
		e := c.Events[i]
		ep := episode{rhythm: e.Rhythm, at: e.At.Seconds(), length: e.Length.Seconds()}
		if len(out) > 0 && ep.at < out[len(out)-1].end()+2 {
			return nil, &ConfigError{fmt.Sprintf("Events[%d].At", i), e.At, ErrOverlap}
		}
		out = append(out, ep)
	}
	return out, nil
}

// randomEpisodes draws Poisson start times per rhythm, sorted by start.
func randomEpisodes(c Config, rng *rand.Rand) []episode {
	dur := c.Duration.Seconds()
	var out []episode
	add := func(rhythm string, perHour float64, length func() float64) {
		if perHour <= 0 {
			return
		}
		for t := 5 + rng.ExpFloat64()*3600/perHour; t < dur; t += rng.ExpFloat64() * 3600 / perHour {
			out = append(out, episode{rhythm: rhythm, at: t, length: length()})
		}
	}
	expo := func(mean float64) func() float64 {
		return func() float64 { return max(5, rng.ExpFloat64()*mean) }
	}
	add("AFIB", c.AF.PerHour, expo(c.AF.Mean.Seconds()))
	add("AFL", c.AFL.PerHour, expo(c.AFL.Mean.Seconds()))
	add("B", c.Bigeminy.PerHour, expo(c.Bigeminy.Mean.Seconds()))
	add("VT", c.VT.PerHour, func() float64 {
		// 3 beats plus a geometric number with mean Beats-3.
		n := 3
		for q := float64(c.VT.Beats-3) / float64(c.VT.Beats-2); rng.Float64() < q; {
			n++
		}
		return float64(n) * 60 / c.VT.Rate
	})
	add("PAUSE", c.Pause.PerHour, func() float64 {
		return max(2.05, c.Pause.Length.Seconds()*(0.9+0.2*rng.Float64()))
	})
	slices.SortStableFunc(out, func(a, b episode) int { return cmp.Compare(a.at, b.at) })
	return out
}
