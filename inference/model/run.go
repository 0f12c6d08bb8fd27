package model

import (
	"errors"
	"fmt"
	"math"

	ort "github.com/yalue/onnxruntime_go"
)

// ProbTolerance is how far from 1 a row of probabilities may sum.
const ProbTolerance = 1e-3

// ErrBadOutput is wrapped when a model's output breaks the contract: wrong
// shape, NaN or Inf, or probabilities that do not sum to 1.
var ErrBadOutput = errors.New("bad model output")

// ErrInput is wrapped when the inputs given to a model do not fit it.
var ErrInput = errors.New("bad model input")

// OutputError says which output and row broke the contract.
type OutputError struct {
	Output string // output name
	Row    int    // row within the batch, -1 for the whole tensor
	Msg    string
}

func (e *OutputError) Error() string {
	if e.Row < 0 {
		return fmt.Sprintf("output %q: %s", e.Output, e.Msg)
	}
	return fmt.Sprintf("output %q row %d: %s", e.Output, e.Row, e.Msg)
}

// Unwrap returns ErrBadOutput.
func (e *OutputError) Unwrap() error { return ErrBadOutput }

// Batch holds rows of model-ready input, in float32, laid out row-major
// as the model's input tensors: Waveform is N × leads × window (beat) or
// N × segment × leads × window (rhythm; nil without a waveform input), RR is N × features (beat) or N × segment × features
// (rhythm; nil without an rr_features input), Template is laid out like
// Waveform (nil without a template input).
type Batch struct {
	N        int
	Waveform []float32
	RR       []float32
	Template []float32
}

// Result holds a model's output for N rows: Probs is N × len(Classes)
// probabilities (softmax already applied to logits), Emb is N × EmbDim
// (nil without an embedding output).
type Result struct {
	N       int
	Classes []string
	Probs   []float32
	EmbDim  int
	Emb     []float32
}

// Row returns the probabilities of row i.
func (r *Result) Row(i int) []float32 {
	c := len(r.Classes)
	return r.Probs[i*c : (i+1)*c]
}

// Best returns the most probable class index of row i and its probability.
func (r *Result) Best(i int) (int, float32) {
	best := 0
	row := r.Row(i)
	for k, p := range row {
		if p > row[best] {
			best = k
		}
	}
	return best, row[best]
}

// Embedding returns the embedding of row i, or nil.
func (r *Result) Embedding(i int) []float32 {
	if r.Emb == nil {
		return nil
	}
	return r.Emb[i*r.EmbDim : (i+1)*r.EmbDim]
}

// rowLen returns the floats per row of an input.
func (m *Model) rowLen(k Meaning) int {
	md := m.meta
	if k == Waveform || k == Template {
		switch md.Task {
		case TaskRhythm:
			return md.Segment * m.beatLen()
		case TaskQuality:
			return md.span() * m.beatLen()
		}
		return m.beatLen()
	}
	if md.Task == TaskRhythm {
		return md.Segment * len(md.RRFeatures)
	}
	return len(md.RRFeatures)
}

// beatLen returns the floats of one beat's windows: leads × window.
func (m *Model) beatLen() int { return m.meta.Leads * m.meta.WindowLen() }

// Run feeds b to the model in runs of BatchSize rows and checks every
// output: shape, no NaN or Inf, probabilities summing to 1 within
// ProbTolerance (after softmax for logits).
func (m *Model) Run(b *Batch) (*Result, error) {
	if err := m.checkBatch(b); err != nil {
		return nil, fmt.Errorf("model: run %s: %w", m.meta.ID(), err)
	}
	res := &Result{N: b.N, Classes: m.meta.Classes, EmbDim: m.embDim,
		Probs: make([]float32, 0, b.N*len(m.meta.Classes))}
	m.mu.RLock()
	defer m.mu.RUnlock()
	if m.sess == nil {
		return nil, fmt.Errorf("model: run %s: %w", m.meta.ID(), errors.New("the model is closed"))
	}
	for lo := 0; lo < b.N; lo += m.batch {
		hi := min(b.N, lo+m.batch)
		if err := m.runChunk(b, lo, hi, res); err != nil {
			return nil, fmt.Errorf("model: run %s on %s: %w", m.meta.ID(), m.path, err)
		}
	}
	return res, nil
}

func (m *Model) checkBatch(b *Batch) error {
	for _, p := range m.inputs {
		data := b.input(p.Meaning)
		if want := b.N * m.rowLen(p.Meaning); len(data) != want {
			return fmt.Errorf("%w: input %q (%s) has %d values, %d rows need %d", ErrInput, p.Name, p.Meaning, len(data), b.N, want)
		}
	}
	return nil
}

func (b *Batch) input(k Meaning) []float32 {
	switch k {
	case Waveform:
		return b.Waveform
	case Template:
		return b.Template
	}
	return b.RR
}

// runChunk runs rows [lo, hi) of b and appends the checked outputs to res.
func (m *Model) runChunk(b *Batch, lo, hi int, res *Result) error {
	rows := hi - lo
	if m.fixed {
		rows = m.batch // pad to the graph's fixed batch size
	}
	inputs := make([]ort.Value, len(m.inputs))
	defer destroyAll(inputs)
	for i, p := range m.inputs {
		t, err := m.tensor(p, b.input(p.Meaning), lo, hi, rows)
		if err != nil {
			return err
		}
		inputs[i] = t
	}
	outputs := make([]ort.Value, len(m.outputs))
	defer destroyAll(outputs)
	if err := m.sess.Run(inputs, outputs); err != nil {
		return fmt.Errorf("ONNX Runtime: %w", err)
	}
	return m.collect(outputs, hi-lo, res)
}

// tensor makes the input tensor for rows [lo, hi) of data, padded with
// zeros to rows.
func (m *Model) tensor(p Port, data []float32, lo, hi, rows int) (ort.Value, error) {
	want, _ := m.want(p)
	shape := ort.NewShape(want...)
	shape[0] = int64(rows)
	n := m.rowLen(p.Meaning)
	chunk := data[lo*n : hi*n]
	if rows != hi-lo {
		chunk = append(make([]float32, 0, rows*n), chunk...)
		chunk = chunk[:rows*n]
	}
	t, err := ort.NewTensor(shape, chunk)
	if err != nil {
		return nil, fmt.Errorf("input %q: %w", p.Name, err)
	}
	return t, nil
}

func destroyAll(vs []ort.Value) {
	for _, v := range vs {
		if v != nil {
			v.Destroy()
		}
	}
}

// collect checks the outputs of one run and appends their first n rows.
func (m *Model) collect(outs []ort.Value, n int, res *Result) error {
	probs, err := m.rows(m.outputs[0], outs[0], n, len(m.meta.Classes))
	if err != nil {
		return err
	}
	if err := m.checkScores(probs, len(res.Probs)/len(m.meta.Classes)); err != nil {
		return err
	}
	res.Probs = append(res.Probs, probs...)
	if len(outs) < 2 {
		return nil
	}
	emb, err := m.rows(m.outputs[1], outs[1], n, res.EmbDim)
	if err != nil {
		return err
	}
	if res.EmbDim == 0 {
		res.EmbDim = int(outs[1].GetShape()[1]) // a dynamic embedding size, now known
	}
	res.Emb = append(res.Emb, emb...)
	return nil
}

// rows checks that an output is [rows, cols] float32 without NaN or Inf
// (cols 0: any) and returns a copy of its first n rows.
func (m *Model) rows(p Port, v ort.Value, n, cols int) ([]float32, error) {
	t, ok := v.(*ort.Tensor[float32])
	s := v.GetShape()
	if !ok || len(s) != 2 || s[0] < int64(n) || (cols > 0 && s[1] != int64(cols)) {
		return nil, &OutputError{p.Name, -1, fmt.Sprintf("shape %s, the contract asks for [%d %d]", dims(s), n, cols)}
	}
	out := append([]float32(nil), t.GetData()[:n*int(s[1])]...)
	for i, x := range out {
		if math.IsNaN(float64(x)) || math.IsInf(float64(x), 0) {
			return nil, &OutputError{p.Name, i / int(s[1]), fmt.Sprintf("value %d is %v: the model gives NaN or Inf", i%int(s[1]), x)}
		}
	}
	return out, nil
}

// checkScores applies softmax to logits, then checks that every row of
// probabilities lies in [0, 1] and sums to 1; first is the row number of
// probs[0] within the whole batch, for messages.
func (m *Model) checkScores(probs []float32, first int) error {
	c := len(m.meta.Classes)
	p := m.outputs[0]
	for r := 0; r*c < len(probs); r++ {
		row := probs[r*c : (r+1)*c]
		if p.Meaning == Logits {
			softmax(row)
			continue
		}
		var sum float64
		for _, x := range row {
			if x < 0 || x > 1+ProbTolerance {
				return &OutputError{p.Name, first + r, fmt.Sprintf("probability %v is outside [0, 1]; if the model outputs logits, declare it as %s:logits", x, p.Name)}
			}
			sum += float64(x)
		}
		if math.Abs(sum-1) > ProbTolerance {
			return &OutputError{p.Name, first + r, fmt.Sprintf("probabilities sum to %.4g, not 1 (±%g); if the model outputs logits, declare it as %s:logits", sum, ProbTolerance, p.Name)}
		}
	}
	return nil
}

// softmax turns a row of logits into probabilities, in place.
func softmax(row []float32) {
	mx := row[0]
	for _, x := range row {
		mx = max(mx, x)
	}
	var sum float64
	for i, x := range row {
		e := math.Exp(float64(x - mx))
		row[i] = float32(e)
		sum += e
	}
	for i := range row {
		row[i] = float32(float64(row[i]) / sum)
	}
}

// selfTest runs the model on one flat-line row (a zero waveform, a rhythm
// model's every beat window included; beats 1 s apart for the RR
// features), which every model must handle: a flat lead is common in
// ambulatory recordings, and a lead that is off is fed as zeros. A model that gives NaN or
// probabilities that do not sum to 1 is refused at load time.
func (m *Model) selfTest() error {
	md := m.meta
	b := &Batch{N: 1}
	if _, ok := md.Input(Waveform); ok {
		b.Waveform = make([]float32, m.rowLen(Waveform))
	}
	if _, ok := md.Input(Template); ok {
		b.Template = make([]float32, m.rowLen(Template))
	}
	if _, ok := md.Input(RRFeatures); ok {
		n := max(md.Segment, 1)
		peaks := make([]int64, n+2)
		for i := range peaks {
			peaks[i] = int64(float64(i) * md.Fs)
		}
		fns := rrFuncsFor(md.RRFeatures)
		b.RR = make([]float32, m.rowLen(RRFeatures))
		for k := 0; k < n; k++ {
			rrFeatures(b.RR[k*len(fns):(k+1)*len(fns)], fns, peaks, md.Fs, k+1)
		}
	}
	if _, err := m.Run(b); err != nil {
		return fmt.Errorf("self-test on a flat line: %w", errors.Unwrap(err))
	}
	return nil
}
