package eval

import "github.com/ecgstation/ecgstation/annotate"

// Label is a row (reference) or column (test) of the confusion matrix: one
// of the AAMI classes, or O (no partner beat) or X (no partner, inside a
// shutdown of the other annotator).
type Label uint8

// The confusion matrix labels, in bxb's order.
const (
	LabelN Label = iota
	LabelS
	LabelV
	LabelF
	LabelQ
	LabelO
	LabelX
	NLabels = 7

	labelNone = Label(100) // an extra test beat inside reference VF: never counted
)

var labelNames = [NLabels]string{"N", "S", "V", "F", "Q", "O", "X"}

// String returns the label letter.
func (l Label) String() string {
	if l < NLabels {
		return labelNames[l]
	}
	return "*"
}

// labelOf maps a beat code to its AAMI class label.
func labelOf(c annotate.Code) Label {
	switch c.Class() {
	case annotate.ClassS:
		return LabelS
	case annotate.ClassV:
		return LabelV
	case annotate.ClassF:
		return LabelF
	case annotate.ClassQ:
		return LabelQ
	}
	return LabelN
}

// Matrix is a confusion matrix, [reference label][test label]. The O and X
// rows hold extra test beats, the O and X columns missed reference beats;
// the O/X corner is always zero.
type Matrix [NLabels][NLabels]int64

// Add adds n to m.
func (m *Matrix) Add(n *Matrix) {
	for i := range m {
		for j := range m[i] {
			m[i][j] += n[i][j]
		}
	}
}

// Detection returns the QRS detection counts: true positives (matched beats
// of any class), false negatives (missed reference beats) and false
// positives (extra test beats).
func (m *Matrix) Detection() Counts {
	var c Counts
	for r := LabelN; r <= LabelX; r++ {
		for k := LabelN; k <= LabelX; k++ {
			switch {
			case r < LabelO && k < LabelO:
				c.TP += m[r][k]
			case r < LabelO:
				c.FN += m[r][k]
			case k < LabelO:
				c.FP += m[r][k]
			}
		}
	}
	return c
}

// Class returns the counts for one class. TP is the diagonal cell, FN the
// rest of its reference row. FP follows bxb: for V the N, S, O and X rows of
// the V column (fusion and unclassifiable reference beats called V are not
// counted against +P); for S the N, V, F, O and X rows; for N, F and Q the
// whole column.
func (m *Matrix) Class(k Label) Counts {
	var c Counts
	c.TP = m[k][k]
	for j := LabelN; j <= LabelX; j++ {
		if j != k {
			c.FN += m[k][j]
		}
		if j == k || (k == LabelV && (j == LabelF || j == LabelQ)) || (k == LabelS && j == LabelQ) {
			continue
		}
		c.FP += m[j][k]
	}
	return c
}

// Counts are true positives, false negatives and false positives.
type Counts struct{ TP, FN, FP int64 }

// Add returns c + d.
func (c Counts) Add(d Counts) Counts { return Counts{c.TP + d.TP, c.FN + d.FN, c.FP + d.FP} }

// Se returns the sensitivity in percent and whether it is defined.
func (c Counts) Se() (float64, bool) { return pct(c.TP, c.TP+c.FN) }

// PP returns the positive predictivity (+P) in percent and whether it is
// defined.
func (c Counts) PP() (float64, bool) { return pct(c.TP, c.TP+c.FP) }

func pct(a, b int64) (float64, bool) {
	if b <= 0 {
		return 0, false
	}
	return 100 * float64(a) / float64(b), true
}

// Summary is the gross and average of a statistic over records, as
// sumstats reports them.
type Summary struct {
	Counts           Counts  // summed over the records (gross)
	Se, PP           float64 // gross, percent
	AvgSe, AvgPP     float64 // mean of the per-record figures, percent
	NSe, NPP, NTotal int     // records where Se (+P) is defined; all records
}

// Summarize returns the gross and average detection statistics of results.
func Summarize(results []*Result) Summary {
	return summarize(results, func(m *Matrix) Counts { return m.Detection() })
}

// SummarizeClass returns the gross and average statistics of class k.
func SummarizeClass(results []*Result, k Label) Summary {
	return summarize(results, func(m *Matrix) Counts { return m.Class(k) })
}

func summarize(results []*Result, f func(*Matrix) Counts) Summary {
	var s Summary
	s.NTotal = len(results)
	for _, r := range results {
		c := f(&r.Matrix)
		s.Counts = s.Counts.Add(c)
		if v, ok := c.Se(); ok {
			s.AvgSe += v
			s.NSe++
		}
		if v, ok := c.PP(); ok {
			s.AvgPP += v
			s.NPP++
		}
	}
	if s.NSe > 0 {
		s.AvgSe /= float64(s.NSe)
	}
	if s.NPP > 0 {
		s.AvgPP /= float64(s.NPP)
	}
	s.Se, _ = s.Counts.Se()
	s.PP, _ = s.Counts.PP()
	return s
}
