package sim

import (
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/check"
	"github.com/ecgstation/ecgstation/annotate/stats"
)

// checks opens the consistency checks (a key) when one of their fixes
// pays, and applies each fix that fixes at least two beats more than it
// breaks: a click on the finding, a click on Fix.
func (r *reader) checks() {
	ls := r.s.Labels()
	info := annotate.RecordInfo{Name: r.rec.Name, Fs: r.rec.Fs, NSamples: r.rec.NSamples}
	fs, err := check.Run(check.Input{Input: stats.FromLabelSet(info, ls), Status: ls.Status}, check.DefaultOptions())
	if err != nil {
		r.err = err
		return
	}
	opened := false
	for _, f := range fs {
		fix, ok := check.FixOf(f, r.beats())
		if !ok || r.fixGain(fix) < 2 {
			continue
		}
		if !opened {
			opened = true
			r.cur.Keys++
		}
		r.cur.Clicks += 2
		r.cur.LookedAt += len(fix.Samples)
		r.cur.Inspected += len(fix.Samples)
		r.cur.Relabels += len(fix.Samples)
		r.err = firstErr(r.err, r.s.Relabel(fix.Samples, fix.Code, "check: "+string(f.Rule)))
	}
}

// fixGain is how many beats fix puts right, less those it puts wrong.
func (r *reader) fixGain(fix check.Fix) int {
	k, g := fix.Code.Class(), 0
	for _, s := range fix.Samples {
		b, ok := r.s.Beat(s)
		if !ok {
			continue
		}
		switch want := r.truth[s]; {
		case want == k && b.Code.Class() != k:
			g++
		case want == b.Code.Class() && want != k:
			g--
		}
	}
	return g
}
