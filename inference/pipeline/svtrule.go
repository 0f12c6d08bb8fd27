package pipeline

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/inference/svtrun"
)

// svtRule applies the SVT run rule (svtrun.Relabel) to beats, the run's
// with their context (svtContext), a slice of the stored beats, and every
// noise stretch stored (storeNoise), so that a re-run region reads the
// noise of earlier runs around it too. The run's
// N beats it relabels become S there, where the rhythm stage reads them
// (so it finds their SVTA), and in Result.Marks and Result.Output.Beats;
// they are returned, in sample order, as relabels (annotate.Relabelled:
// the beat keeps its probabilities, flags and lead) whose provenance names
// the model and the rule. Without a beat model the beats are unclassified
// and nothing changes.
func (r *runner) svtRule(beats []rhythm.Mark) []annotate.Beat {
	m := r.p.cfg.Beat
	if m == nil {
		return nil
	}
	r.p.mu.Lock()
	noise := r.p.noise // storeNoise makes a new slice: this one stays as it is
	r.p.mu.Unlock()
	idx := svtrun.Relabel(beats, r.p.info.Fs, noise)
	var out []annotate.Beat
	r.p.mu.Lock() // beats is p.marks's: a later run's withContext copies it
	defer r.p.mu.Unlock()
	for _, i := range idx {
		if s := beats[i].Sample; s >= r.res.Start && s < r.res.End {
			beats[i].Code = annotate.ClassS.Code()
			out = append(out, annotate.Beat{Sample: s, Code: beats[i].Code,
				Prov: annotate.Provenance{Source: annotate.SourceModel, Who: svtrun.Tag(m.Who())}})
		}
	}
	r.res.Marks = annotate.RelabelBeats(r.res.Marks, out)
	r.res.Output.Beats = annotate.RelabelBeats(r.res.Output.Beats, out)
	return slices.Clip(out)
}

// ruledS returns which of beats at index are S by the SVT run rule.
func ruledS(beats []annotate.Beat, index []int) map[int]bool {
	out := map[int]bool{}
	for _, i := range index {
		b := beats[i]
		out[i] = b.Code == annotate.ClassS.Code() && svtrun.Tagged(b.Prov)
	}
	return out
}

// keepRuleS returns b, a beat the SVT run rule made S and the model labels
// again, relabelled S by the rule if the model says N.
func keepRuleS(b annotate.Beat) annotate.Beat {
	if b.Code == annotate.ClassN.Code() {
		b.Code = annotate.ClassS.Code()
		b.Prov.Who = svtrun.Tag(b.Prov.Who)
		b.Prov.Confidence = 0
	}
	return b
}
