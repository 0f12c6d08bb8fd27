package review

import (
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
)

// Template is one morphology cluster as the template gallery shows it.
//
// The shape part (Beats, Distance, Snippets, Median, MeanRR, Prematurity)
// comes from the clustering; the label part (Mix, Dominant) from the current
// labels through Summarize, so it can be refreshed after every edit without
// clustering again.
type Template struct {
	ID    int     // cluster identity, stable across edits of the clustering
	Beats []int64 // members' samples, least like the cluster first
	// Distance holds each member's distance to the cluster centre (feature
	// units), in the order of Beats: decreasing.
	Distance []float32

	Fs     float64 // Hz of the snippets
	Before int     // samples before the R peak in each snippet
	// Snippets are superimposed member beats, Snippets[i][lead][t], in the
	// lead's physical units (mV); at most a few dozen.
	Snippets [][][]float32
	// Median is the sample-by-sample median of the members closest to the
	// centre, Median[lead][t], mV.
	Median [][]float32

	MeanRR      float64 // mean RR interval before the members, seconds
	Prematurity float64 // mean RR_prev / RR_local of the members (1 = on time, < 1 premature)

	Mix      [annotate.ClassQ + 1]int // current labels of the members by class; [ClassNone] counts members no longer labelled as beats
	Dominant annotate.Class           // the class most members have now (ClassNone when empty)
	Adapted  int                      // members whose label is the per-record adapter's, unreviewed
}

// Count returns the number of member beats.
func (t *Template) Count() int { return len(t.Beats) }

// Summarize fills Mix and Dominant from the current labels (sorted by
// Sample, for example annotate.Session.BeatsIn over the record). A member
// without a beat at its sample counts as ClassNone.
func (t *Template) Summarize(labels []annotate.Beat) {
	t.Mix, t.Adapted = [annotate.ClassQ + 1]int{}, 0
	for _, s := range t.Beats {
		k := annotate.ClassNone
		if b, ok := find(labels, s); ok {
			k = b.Code.Class()
			if b.Prov.Source == annotate.SourceAdapted && b.Review == annotate.Unreviewed {
				t.Adapted++
			}
		}
		t.Mix[k]++
	}
	t.Dominant = annotate.ClassNone
	best := 0
	for _, k := range annotate.Classes {
		if t.Mix[k] > best {
			t.Dominant, best = k, t.Mix[k]
		}
	}
}

// Fraction returns the share of the members labelled k now, 0 to 1.
func (t *Template) Fraction(k annotate.Class) float64 {
	if len(t.Beats) == 0 {
		return 0
	}
	return float64(t.Mix[k]) / float64(len(t.Beats))
}

// find returns the beat at sample in beats sorted by Sample.
func find(beats []annotate.Beat, sample int64) (annotate.Beat, bool) {
	i, ok := slices.BinarySearchFunc(beats, sample, func(b annotate.Beat, s int64) int {
		switch {
		case b.Sample < s:
			return -1
		case b.Sample > s:
			return 1
		}
		return 0
	})
	if !ok {
		return annotate.Beat{}, false
	}
	return beats[i], true
}
