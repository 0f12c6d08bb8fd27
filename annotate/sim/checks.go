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
	opened, beats := false, ls.Beats
	for _, f := range fs {
		fix, ok := check.FixOf(f, beats)
		if !ok || r.relabelGain(fix.Samples, fix.Code.Class()) < 2 {
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
		beats = r.s.Labels().Beats // the next finding's fix sees this one's labels
	}
}
