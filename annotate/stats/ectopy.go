package stats

import "github.com/ecgstation/ecgstation/annotate"

// Ectopy counts the ectopic beats of one class (see the package comment).
type Ectopy struct {
	Class      annotate.Class
	Total      int // beats of the class
	Isolated   int // single beats, bigeminal ones included
	Couplets   int // stretches of exactly 2
	Runs       int // stretches of 3 or more
	RunBeats   int // beats inside runs
	LongestRun int // beats in the longest run (0 without runs)
	// LongestRunAt is the first beat of the longest run, -1 without runs.
	LongestRunAt int64
	Bigeminy     int // bigeminy episodes
	// BigeminyBeats counts the class's beats inside bigeminy episodes.
	BigeminyBeats int
	// Stretches lists every couplet and run (first and last beat, count),
	// for the report's key events and the checks.
	Stretches []Stretch
}

// Stretch is a couplet or run of ectopic beats.
type Stretch struct {
	First, Last int64 // samples of the first and last beat
	Beats       int
}

// CountEctopy counts the beats of class k among beats (QRS beats only,
// sorted), with at least bigeminy isolated beats one beat apart making a
// bigeminy.
func CountEctopy(beats []annotate.Beat, k annotate.Class, bigeminy int) Ectopy {
	e := Ectopy{Class: k, LongestRunAt: -1}
	chain, lastSingle := 0, -10
	for i := 0; i < len(beats); {
		if beats[i].Code.Class() != k {
			i++
			continue
		}
		j := i
		for j < len(beats) && beats[j].Code.Class() == k {
			j++
		}
		n := j - i
		e.Total += n
		if n == 1 {
			e.Isolated++
			if i-lastSingle == 2 {
				chain++
			} else {
				e.closeBigeminy(chain, bigeminy)
				chain = 1
			}
			lastSingle = i
		} else {
			e.closeBigeminy(chain, bigeminy)
			chain = 0
			e.stretch(beats[i].Sample, beats[j-1].Sample, n)
		}
		i = j
	}
	e.closeBigeminy(chain, bigeminy)
	return e
}

// stretch counts a couplet or run of n beats.
func (e *Ectopy) stretch(first, last int64, n int) {
	e.Stretches = append(e.Stretches, Stretch{first, last, n})
	if n == 2 {
		e.Couplets++
		return
	}
	e.Runs++
	e.RunBeats += n
	if n > e.LongestRun {
		e.LongestRun, e.LongestRunAt = n, first
	}
}

// closeBigeminy ends a chain of isolated beats one beat apart.
func (e *Ectopy) closeBigeminy(chain, least int) {
	if chain >= least {
		e.Bigeminy++
		e.BigeminyBeats += chain
	}
}
