package eval

import (
	"errors"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

func beats(code annotate.Code, at ...int64) []Annotation {
	out := make([]Annotation, len(at))
	for i, t := range at {
		out[i] = Annotation{Sample: t, Code: code}
	}
	return out
}

func ann(t int64, c annotate.Code, sub int8) Annotation {
	return Annotation{Sample: t, Code: c, Sub: sub}
}

// The cases follow bxb.c (WFDB 10.5): match when |T-t| <= match_dt, the
// learning-period start rules, and the VF and shutdown handling of getref,
// gettest, rpann and tpann.
var compareCases = []struct {
	name       string
	ref, test  []Annotation
	o          Options
	tp, fn, fp int64
}{
	{"exactly 150 ms late matches", beats(1, 1000), beats(1, 1150), Options{150, 0, 10000}, 1, 0, 0},
	{"151 ms late does not match", beats(1, 1000), beats(1, 1151), Options{150, 0, 10000}, 0, 1, 1},
	{"exactly 150 ms early matches", beats(1, 1000), beats(1, 850), Options{150, 0, 10000}, 1, 0, 0},
	{"151 ms early does not match", beats(1, 1000), beats(1, 849), Options{150, 0, 10000}, 0, 1, 1},
	{"360 Hz window is 54 samples", beats(1, 1000), beats(1, 1054), DefaultOptions(360, 1e6).WholeRecord(), 1, 0, 0},
	{"360 Hz: 55 samples is outside", beats(1, 1000), beats(1, 1055), DefaultOptions(360, 1e6).WholeRecord(), 0, 1, 1},
	{"closest test beat wins", beats(1, 1000), beats(1, 900, 990), Options{150, 0, 10000}, 1, 0, 1},
	{"each reference beat matched once", beats(1, 1000, 1100), beats(1, 1050), Options{150, 0, 10000}, 1, 1, 0},
	{"bxb 2002 rule (window 37)", beats(1, 96, 160), beats(1, 128, 185), Options{37, 0, 1000}, 2, 0, 0},
	{"learning period not scored", beats(1, 4000, 5000, 6000), beats(1, 4500, 5000, 6000), Options{150, 5000, 10000}, 2, 0, 0},
	{"reference beat at Start is scored", beats(1, 4999, 5000), beats(1, 7000), Options{150, 5000, 10000}, 0, 1, 1},
	{"last learning test beat matches first scored beat", beats(1, 5050, 6000), beats(1, 4950, 6000), Options{150, 5000, 10000}, 2, 0, 0},
	{"unmatched test beat just after Start is dropped", beats(1, 5200), beats(1, 5010, 5190), Options{150, 5000, 10000}, 1, 0, 0},
	{"unmatched test beat later is counted", beats(1, 5700), beats(1, 5510, 5690), Options{150, 5000, 10000}, 1, 0, 1},
	{"beats after End are not scored", beats(1, 1000, 9000), beats(1, 1000, 9500), Options{150, 0, 5000}, 1, 0, 0},
	{
		"reference beats in VF are not read",
		[]Annotation{ann(1000, 1, 0), ann(2000, annotate.VFOn, 0), ann(2500, 1, 0), ann(3000, annotate.VFOff, 0), ann(4000, 1, 0)},
		beats(1, 1000, 4000), Options{150, 0, 10000}, 2, 0, 0,
	},
	{
		"test beats in reference VF are not counted",
		[]Annotation{ann(1000, 1, 0), ann(2000, annotate.VFOn, 0), ann(3000, annotate.VFOff, 0), ann(4000, 1, 0)},
		beats(1, 1000, 2000, 2600, 3000, 4000), Options{150, 0, 10000}, 2, 0, 0,
	},
	{
		"unterminated VF ends the reference",
		[]Annotation{ann(1000, 1, 0), ann(2000, annotate.VFOn, 0), ann(2500, 1, 0)},
		beats(1, 1000, 2500), Options{150, 0, 0}, 1, 0, 0,
	},
	{
		"test beats in reference shutdown count as X false positives",
		[]Annotation{ann(1000, 1, 0), ann(2000, annotate.NoiseAnn, 0x30), ann(3000, annotate.NoiseAnn, 0), ann(4000, 1, 0)},
		beats(1, 1000, 2500, 4000), Options{150, 0, 10000}, 2, 0, 1,
	},
	{
		"reference beats missed in test shutdown count as X false negatives",
		beats(1, 1000, 2500, 4000),
		[]Annotation{ann(1000, 1, 0), ann(2000, annotate.NoiseAnn, 0x30), ann(3000, annotate.NoiseAnn, 0), ann(4000, 1, 0)},
		Options{150, 0, 10000}, 2, 1, 0,
	},
	{"non-beat annotations are ignored", []Annotation{ann(1000, 1, 0), ann(1500, annotate.Rhythm, 0)}, []Annotation{ann(1000, 1, 0), ann(1700, annotate.NoiseAnn, 0)}, Options{150, 0, 10000}, 1, 0, 0},
	{"unsorted input is sorted", beats(1, 2000, 1000), beats(1, 1000, 2000), Options{150, 0, 10000}, 2, 0, 0},
	{"empty streams", nil, nil, Options{150, 0, 10000}, 0, 0, 0},
}

func TestCompare(t *testing.T) {
	for _, c := range compareCases {
		t.Run(c.name, func(t *testing.T) {
			r, err := Compare("x", c.ref, c.test, c.o)
			if err != nil {
				t.Fatal(err)
			}
			got := r.Matrix.Detection()
			if got != (Counts{c.tp, c.fn, c.fp}) {
				t.Errorf("got TP %d FN %d FP %d, want %d %d %d", got.TP, got.FN, got.FP, c.tp, c.fn, c.fp)
			}
		})
	}
}

func TestCompareShutdownLabels(t *testing.T) {
	ref := []Annotation{ann(1000, 1, 0), ann(2000, annotate.NoiseAnn, 0x30), ann(3000, annotate.NoiseAnn, 0)}
	r, _ := Compare("x", ref, beats(1, 1000, 2500), Options{150, 0, 10000})
	if r.Matrix[LabelX][LabelN] != 1 {
		t.Errorf("X row = %v, want Xn = 1", r.Matrix[LabelX])
	}
	r, _ = Compare("x", beats(1, 1000, 2500), ref, Options{150, 0, 10000})
	if r.Matrix[LabelN][LabelX] != 1 {
		t.Errorf("N row = %v, want Nx = 1", r.Matrix[LabelN])
	}
}

func TestCompareErrors(t *testing.T) {
	for _, o := range []Options{{0, 0, 100}, {-1, 0, 100}, {10, -1, 100}, {10, 500, 100}, {10, 0, MaxTime}, {10, MaxTime, 0}} {
		if _, err := Compare("x", nil, nil, o); !errors.Is(err, ErrOptions) {
			t.Errorf("%+v: got %v, want ErrOptions", o, err)
		}
	}
	for _, at := range []int64{-1, MaxTime} {
		if _, err := Compare("x", beats(1, 10, at), nil, Options{150, 0, 0}); !errors.Is(err, ErrTime) {
			t.Errorf("reference beat at %d: got %v, want ErrTime", at, err)
		}
		if _, err := Compare("x", nil, beats(1, at), Options{150, 0, 0}); !errors.Is(err, ErrTime) {
			t.Errorf("test beat at %d: got %v, want ErrTime", at, err)
		}
	}
}

func TestClassMatrix(t *testing.T) {
	ref := []Annotation{ann(1000, annotate.PVC, 0), ann(2000, annotate.APC, 0), ann(3000, annotate.Normal, 0), ann(4000, annotate.NEsc, 0)}
	test := []Annotation{ann(1000, annotate.Normal, 0), ann(2000, annotate.APC, 0), ann(3000, annotate.PVC, 0), ann(4000, annotate.Normal, 0), ann(5000, annotate.PVC, 0)}
	r, _ := Compare("x", ref, test, Options{150, 0, 10000})
	m := r.Matrix
	want := map[[2]Label]int64{{LabelV, LabelN}: 1, {LabelS, LabelS}: 1, {LabelN, LabelV}: 1, {LabelN, LabelN}: 1, {LabelO, LabelV}: 1}
	for i := range m {
		for j := range m[i] {
			if m[i][j] != want[[2]Label{Label(i), Label(j)}] {
				t.Errorf("m[%v][%v] = %d, want %d", Label(i), Label(j), m[i][j], want[[2]Label{Label(i), Label(j)}])
			}
		}
	}
	if v := m.Class(LabelV); v != (Counts{0, 1, 2}) {
		t.Errorf("V counts %+v", v)
	}
	if len(r.Discrepancies()) != 3 {
		t.Errorf("discrepancies %+v", r.Discrepancies())
	}
}

func TestSummarize(t *testing.T) {
	a := &Result{}
	a.Matrix[LabelN][LabelN] = 99
	a.Matrix[LabelN][LabelO] = 1
	b := &Result{}
	b.Matrix[LabelN][LabelN] = 1
	b.Matrix[LabelO][LabelN] = 1
	s := Summarize([]*Result{a, b})
	if s.Counts != (Counts{100, 1, 1}) || s.NSe != 2 {
		t.Fatalf("%+v", s)
	}
	if want := (99.0 + 100) / 2; s.AvgSe != want {
		t.Errorf("average Se %g, want %g", s.AvgSe, want)
	}
	if want := 100 * 100 / 101.0; s.Se != want {
		t.Errorf("gross Se %g, want %g", s.Se, want)
	}
}
