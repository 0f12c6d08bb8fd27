package compare

import (
	"encoding/binary"
	"math"
	"os"
	"testing"
)

// This file writes tiny ONNX beat models by hand (protocol buffers, field
// numbers from onnx.proto), so the A/B tests need neither PyTorch nor
// committed model files. The model reads one RR feature r = rr_prev_ratio
// and gives the logits of N, S, V:
//
//	V: 0    S: a(r - t1)    N: 2a(r - (t1+t2)/2)
//
// so it says V for r < t1, S for t1 < r < t2 and N for r > t2 (with t1 = t2
// it never says S). The waveform input x is required by the model contract
// and left unused.

type pb []byte

func (p pb) key(field, wire int) pb { return binary.AppendUvarint(p, uint64(field<<3|wire)) }
func (p pb) varint(field int, v int64) pb {
	return binary.AppendUvarint(p.key(field, 0), uint64(v))
}
func (p pb) bytes(field int, b []byte) pb {
	p = binary.AppendUvarint(p.key(field, 2), uint64(len(b)))
	return append(p, b...)
}
func (p pb) str(field int, s string) pb { return p.bytes(field, []byte(s)) }

// tensorInfo is a ValueInfoProto of a float tensor with a symbolic batch
// dimension and the given others.
func tensorInfo(name string, dims ...int64) []byte {
	shape := pb(nil).bytes(1, pb(nil).str(2, "batch"))
	for _, d := range dims {
		shape = shape.bytes(1, pb(nil).varint(1, d))
	}
	tensor := pb(nil).varint(1, 1).bytes(2, shape) // elem_type FLOAT, shape
	return pb(nil).str(1, name).bytes(2, pb(nil).bytes(1, tensor))
}

// floats is a TensorProto initializer.
func floats(name string, dims []int64, v []float32) []byte {
	p := pb(nil)
	for _, d := range dims {
		p = p.varint(1, d)
	}
	raw := make([]byte, 4*len(v))
	for i, x := range v {
		binary.LittleEndian.PutUint32(raw[4*i:], math.Float32bits(x))
	}
	return p.varint(2, 1).str(8, name).bytes(9, raw)
}

func node(op string, out string, in ...string) []byte {
	p := pb(nil)
	for _, i := range in {
		p = p.str(1, i)
	}
	return p.str(2, out).str(3, out).str(4, op)
}

// writeRRModel writes the model with thresholds t1 <= t2 to path.
func writeRRModel(t *testing.T, path, name string, t1, t2 float64) {
	t.Helper()
	const a = 60
	w := []float32{2 * a, a, 0}
	b := []float32{float32(-a * (t1 + t2)), float32(-a * t1), 0}
	g := pb(nil).bytes(1, node("MatMul", "mm", "rr", "W")).bytes(1, node("Add", "logits", "mm", "B")).str(2, name).
		bytes(5, floats("W", []int64{1, 3}, w)).bytes(5, floats("B", []int64{3}, b)).
		bytes(11, tensorInfo("x", 1, 20)).bytes(11, tensorInfo("rr", 1)).bytes(12, tensorInfo("logits", 3))
	m := pb(nil).varint(1, 8).str(2, "ecgstation-test").bytes(7, g).bytes(8, pb(nil).str(1, "").varint(2, 17))
	for _, kv := range [][2]string{
		{"ecgstation.task", "beat"}, {"ecgstation.fs", "250"}, {"ecgstation.window", "10,10"},
		{"ecgstation.leads", "1"}, {"ecgstation.classes", "N,S,V"},
		{"ecgstation.inputs", "x:waveform,rr:rr_features"}, {"ecgstation.outputs", "logits:logits"},
		{"ecgstation.normalize", "none"}, {"ecgstation.rr_features", "rr_prev_ratio"},
		{"ecgstation.version", "1"}, {"ecgstation.name", name},
	} {
		m = m.bytes(14, pb(nil).str(1, kv[0]).str(2, kv[1]))
	}
	if err := os.WriteFile(path, m, 0o644); err != nil {
		t.Fatal(err)
	}
}
