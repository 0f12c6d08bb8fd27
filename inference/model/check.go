package model

import (
	"fmt"
	"strings"

	ort "github.com/yalue/onnxruntime_go"
)

// MismatchError says which input or output of the graph does not fit the
// metadata and how.
type MismatchError struct {
	Port string // graph input or output name
	Msg  string
}

func (e *MismatchError) Error() string {
	return e.Msg
}

// Unwrap returns ErrMismatch.
func (e *MismatchError) Unwrap() error { return ErrMismatch }

// anyDim marks a dimension that the metadata does not fix.
const anyDim = -1

// checkGraph compares the graph's inputs and outputs with the metadata and
// sets the model's batch size, embedding size and port order.
func (m *Model) checkGraph(data []byte) error {
	ins, outs, err := ort.GetInputOutputInfoWithONNXData(data)
	if err != nil {
		return fmt.Errorf("ONNX Runtime cannot read the model's inputs and outputs: %w", err)
	}
	if err := m.checkInputNames(ins); err != nil {
		return err
	}
	m.inputs = m.meta.Inputs
	m.outputs = []Port{m.meta.Scores()}
	if e, ok := m.meta.Output(Embedding); ok {
		m.outputs = append(m.outputs, e)
	}
	var batch []int64
	for _, p := range m.inputs {
		b, err := m.checkPort("input", p, find(ins, p.Name))
		if err != nil {
			return err
		}
		batch = append(batch, b)
	}
	for _, p := range m.outputs {
		info := find(outs, p.Name)
		if info == nil {
			return &MismatchError{p.Name, fmt.Sprintf("%s names output %q but the graph's outputs are %s", KeyOutputs, p.Name, infoNames(outs))}
		}
		b, err := m.checkPort("output", p, info)
		if err != nil {
			return err
		}
		batch = append(batch, b)
	}
	return m.setBatch(batch)
}

// checkInputNames checks that the metadata names every graph input once.
func (m *Model) checkInputNames(ins []ort.InputOutputInfo) error {
	for _, in := range ins {
		if _, ok := findPortName(m.meta.Inputs, in.Name); !ok {
			return &MismatchError{in.Name, fmt.Sprintf("graph input %q is not described in %s", in.Name, KeyInputs)}
		}
	}
	for _, p := range m.meta.Inputs {
		if find(ins, p.Name) == nil {
			return &MismatchError{p.Name, fmt.Sprintf("%s names input %q but the graph's inputs are %s", KeyInputs, p.Name, infoNames(ins))}
		}
	}
	return nil
}

func findPortName(ps []Port, name string) (Port, bool) {
	for _, p := range ps {
		if p.Name == name {
			return p, true
		}
	}
	return Port{}, false
}

func find(infos []ort.InputOutputInfo, name string) *ort.InputOutputInfo {
	for i := range infos {
		if infos[i].Name == name {
			return &infos[i]
		}
	}
	return nil
}

func infoNames(infos []ort.InputOutputInfo) string {
	s := make([]string, len(infos))
	for i, in := range infos {
		s[i] = fmt.Sprintf("%q", in.Name)
	}
	return "[" + strings.Join(s, " ") + "]"
}

// want returns the shape the contract asks of a port, batch dimension
// first (always anyDim), and what the dimensions stand for.
func (m *Model) want(p Port) ([]int64, string) {
	md := m.meta
	switch p.Meaning {
	case Waveform, Template:
		if md.Task == TaskRhythm {
			return []int64{anyDim, int64(md.Segment), int64(md.Leads), int64(md.WindowLen())},
				fmt.Sprintf("batch, window %d beats, leads %d, beat window %d+%d", md.Segment, md.Leads, md.Before, md.After)
		}
		if md.Task == TaskQuality {
			return []int64{anyDim, int64(md.span()), int64(md.Leads), int64(md.WindowLen())},
				fmt.Sprintf("batch, %d beats (context %d each side), leads %d, window %d+%d", md.span(), md.Context, md.Leads, md.Before, md.After)
		}
		return []int64{anyDim, int64(md.Leads), int64(md.WindowLen())},
			fmt.Sprintf("batch, leads %d, window %d+%d", md.Leads, md.Before, md.After)
	case RRFeatures:
		if md.Task == TaskRhythm {
			return []int64{anyDim, int64(md.Segment), int64(len(md.RRFeatures))},
				fmt.Sprintf("batch, window %d beats, %d rr_features", md.Segment, len(md.RRFeatures))
		}
		return []int64{anyDim, int64(len(md.RRFeatures))}, fmt.Sprintf("batch, %d rr_features", len(md.RRFeatures))
	case Embedding:
		return []int64{anyDim, anyDim}, "batch, embedding size"
	}
	return []int64{anyDim, int64(len(md.Classes))}, fmt.Sprintf("batch, %d classes", len(md.Classes))
}

// checkPort checks one port's type, element type and shape and returns its
// batch dimension (anyDim when dynamic).
func (m *Model) checkPort(kind string, p Port, info *ort.InputOutputInfo) (int64, error) {
	if info.OrtValueType != ort.ONNXTypeTensor {
		return 0, &MismatchError{p.Name, fmt.Sprintf("%s %q (%s) is a %s; the contract needs a tensor", kind, p.Name, p.Meaning, info.OrtValueType)}
	}
	if info.DataType != ort.TensorElementDataTypeFloat {
		return 0, &MismatchError{p.Name, fmt.Sprintf("%s %q (%s) holds %s; the contract needs float (float32): export the model in float32", kind, p.Name, p.Meaning, info.DataType)}
	}
	want, what := m.want(p)
	got := info.Dimensions
	ok := len(got) == len(want)
	for i := 1; ok && i < len(want); i++ {
		ok = want[i] == anyDim || got[i] < 0 || got[i] == want[i]
	}
	if ok && got[0] == 0 {
		ok = false
	}
	if !ok {
		return 0, &MismatchError{p.Name, fmt.Sprintf("%s %q (%s) has shape %s; the metadata asks for %s (%s)",
			kind, p.Name, p.Meaning, dims(got), dims(want), what)}
	}
	if p.Meaning == Embedding && got[1] > 0 {
		m.embDim = int(got[1])
	}
	return got[0], nil
}

// dims formats a shape with "?" for dynamic dimensions.
func dims(s []int64) string {
	parts := make([]string, len(s))
	for i, d := range s {
		parts[i] = fmt.Sprint(d)
		if d < 0 {
			parts[i] = "?"
		}
	}
	return "[" + strings.Join(parts, " ") + "]"
}

// setBatch takes the rows per run from the ports' batch dimensions: all
// dynamic, or all fixed to the same size.
func (m *Model) setBatch(batch []int64) error {
	m.batch = DefaultBatch
	for i, b := range batch {
		if b < 0 {
			continue
		}
		if m.fixed && int64(m.batch) != b {
			return &MismatchError{m.portAt(i).Name, fmt.Sprintf("batch dimension %d differs from another port's %d", b, m.batch)}
		}
		m.batch, m.fixed = int(b), true
	}
	return nil
}

func (m *Model) portAt(i int) Port {
	if i < len(m.inputs) {
		return m.inputs[i]
	}
	return m.outputs[i-len(m.inputs)]
}
