package archive

import (
	"cmp"
	"slices"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/figures"
)

// What GroupBy groups the rows by.
const (
	ByDevice = "device"
	BySite   = "site"
)

// Group sums up the rows of one device or site.
type Group struct {
	Key               string
	Records, Patients int // records, and distinct patients among them
	Hours             float64
	// NoisePct is the hour-weighted mean over the records of each
	// record's mean noise burden over its leads, percent.
	NoisePct float64
	Counts   [annotate.ClassQ + 1]int
	Beats    int
	AFPct    float64 // hour-weighted mean of the records' AF burden
	Reviewed int     // records with a reader's label set
	// AgreePairs sums the records' pairs; AgreePct is the pair-weighted
	// agreement (NaN without pairs) and Kappa Cohen's kappa of the pooled
	// confusion matrix (NaN without pairs).
	AgreePairs int
	AgreePct   float64
	Kappa      float64
}

// GroupBy sums up rows by device (ByDevice) or site (BySite), sorted by
// key; rows of no site group under "".
func GroupBy(rows []Row, by string) []Group {
	idx := map[string]int{}
	var gs []Group
	var acc []groupAcc
	for i := range rows {
		r := &rows[i]
		k := r.Device
		if by == BySite {
			k = r.Site
		}
		j, ok := idx[k]
		if !ok {
			j = len(gs)
			idx[k] = j
			gs = append(gs, Group{Key: k})
			acc = append(acc, groupAcc{patients: map[string]bool{}})
		}
		acc[j].add(&gs[j], r)
	}
	for j := range gs {
		acc[j].finish(&gs[j])
	}
	slices.SortFunc(gs, func(a, b Group) int { return cmp.Compare(a.Key, b.Key) })
	return gs
}

// groupAcc holds the sums a group's means come from.
type groupAcc struct {
	patients       map[string]bool
	noiseH, noiseW float64 // sum of hours x noise, and of those hours
	afH, afW       float64
	agreeN         float64 // sum of pairs x agreement fraction
	confusion      [annotate.ClassQ + 1][annotate.ClassQ + 1]int
}

func (a *groupAcc) add(g *Group, r *Row) {
	g.Records++
	a.patients[r.Patient] = true
	g.Hours += r.Hours
	if m := mean(r.NoisePct); m == m && r.Hours > 0 {
		a.noiseH += r.Hours * m
		a.noiseW += r.Hours
	}
	if r.AFPct == r.AFPct && r.Hours > 0 {
		a.afH += r.Hours * r.AFPct
		a.afW += r.Hours
	}
	for k, n := range r.Counts {
		g.Counts[k] += n
	}
	g.Beats += r.Beats
	if r.LabelSet != "" {
		g.Reviewed++
	}
	if r.AgreePairs > 0 {
		g.AgreePairs += r.AgreePairs
		a.agreeN += float64(r.AgreePairs) * r.AgreePct
		addConfusion(&a.confusion, r.Confusion)
	}
}

func (a *groupAcc) finish(g *Group) {
	g.Patients = len(a.patients)
	g.NoisePct, g.AFPct, g.AgreePct, g.Kappa = ratio(a.noiseH, a.noiseW), ratio(a.afH, a.afW), nan, nan
	if g.AgreePairs > 0 {
		g.AgreePct = a.agreeN / float64(g.AgreePairs)
		_, g.Kappa = annotate.KappaOf(a.confusion)
	}
}

// ratio returns a / b, NaN when b is 0.
func ratio(a, b float64) float64 {
	if b == 0 {
		return nan
	}
	return a / b
}

// mean returns the mean of xs, NaN when empty or when one is NaN.
func mean(xs []float64) float64 { return figures.Mean(xs) }
