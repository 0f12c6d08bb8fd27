package adapt

import (
	"context"
	"errors"
	"math"
)

// logReg is a multinomial logistic regression: for a feature row x (length
// F) the score of class c is W[c]·x + b[c] and P(c|x) is the softmax of the
// scores. W is stored row by row with the bias last: w[c*(F+1)+F] = b[c].
type logReg struct {
	classes, feats int
	w              []float64
}

// fitData is a training set: rows of feats features, a class index and a
// weight per row.
type fitData struct {
	x      []float64 // n × feats, row-major
	y      []int
	weight []float64
	feats  int
}

// fitLogReg fits the regression to d by minimising the weighted mean
// cross-entropy plus lambda/2·‖W‖² (the biases are not penalised) with
// L-BFGS (see minimize) from zero weights: deterministic, the same data give
// the same bits. It stops with ctx's error when ctx ends.
func fitLogReg(ctx context.Context, d fitData, classes int, lambda float64, maxIter int) (*logReg, error) {
	m := &logReg{classes: classes, feats: d.feats, w: make([]float64, classes*(d.feats+1))}
	if classes < 2 {
		return nil, errors.New("adapt: logistic regression needs two classes")
	}
	f := func(w, g []float64) float64 { return m.loss(d, w, g, lambda) }
	if err := minimize(ctx, f, m.w, maxIter, 1e-6); err != nil {
		return nil, err
	}
	return m, nil
}

// loss returns the objective at w and, when g is not nil, writes its
// gradient to g.
func (m *logReg) loss(d fitData, w, g []float64, lambda float64) float64 {
	f1 := d.feats + 1
	if g != nil {
		clear(g)
	}
	p := make([]float64, m.classes)
	total, sumW := 0.0, 0.0
	for i, y := range d.y {
		x := d.x[i*d.feats : (i+1)*d.feats]
		softmax(p, w, x, m.classes)
		wt := d.weight[i]
		sumW += wt
		total -= wt * math.Log(math.Max(p[y], 1e-300))
		if g == nil {
			continue
		}
		for c := range m.classes {
			r := wt * (p[c] - indicator(c == y))
			gc := g[c*f1 : (c+1)*f1]
			for j, v := range x {
				gc[j] += r * v
			}
			gc[d.feats] += r
		}
	}
	return m.finish(total, sumW, w, g, lambda)
}

// finish scales the data term by the total weight and adds the penalty.
func (m *logReg) finish(total, sumW float64, w, g []float64, lambda float64) float64 {
	f1 := m.feats + 1
	pen := 0.0
	for k, v := range w {
		if k%f1 == m.feats {
			if g != nil {
				g[k] /= sumW
			}
			continue
		}
		pen += v * v
		if g != nil {
			g[k] = g[k]/sumW + lambda*v
		}
	}
	return total/sumW + lambda/2*pen
}

func indicator(b bool) float64 {
	if b {
		return 1
	}
	return 0
}

// softmax writes P(c|x) for weights w to p.
func softmax(p, w, x []float64, classes int) {
	f1 := len(x) + 1
	top := math.Inf(-1)
	for c := range classes {
		wc := w[c*f1 : (c+1)*f1]
		s := wc[len(x)]
		for j, v := range x {
			s += wc[j] * v
		}
		p[c] = s
		top = math.Max(top, s)
	}
	sum := 0.0
	for c := range p[:classes] {
		p[c] = math.Exp(p[c] - top)
		sum += p[c]
	}
	for c := range p[:classes] {
		p[c] /= sum
	}
}

// predict writes the class probabilities of row x to p.
func (m *logReg) predict(p, x []float64) { softmax(p, m.w, x, m.classes) }
