package trace

import (
	"context"
	"math"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/dsp"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// TestSourceFilter draws views of a 10 min procedural record through a
// display filter and checks each column against the whole record filtered
// at once: filtering only the view and its margin changes nothing a
// reader can see. Views drawn from the pyramid stay unfiltered and say so.
func TestSourceFilter(t *testing.T) {
	sig := tracetest.New(250, 2, 10*time.Minute)
	pyr, err := NewPyramid(sig, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := pyr.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	chain := dsp.NewChain(dsp.ZeroPhaseHighPass(0.5, 250), dsp.Notch(50, 30, 250), dsp.ZeroPhaseLowPass(40, 250))
	whole := wholeFiltered(t, sig, 1, chain)
	src := NewSource(sig, pyr)
	src.SetFilter(chain)
	cases := []struct {
		name     string
		v        View
		filtered bool
	}{
		{"25 mm/s at 1 min", View{Start: 60 * 250, SPP: 2, Width: 1000}, true},
		{"zoomed in at 3 min", View{Start: 180 * 250, SPP: 0.25, Width: 800}, true},
		{"first seconds", View{Start: 0, SPP: 2, Width: 1000}, true},
		{"last seconds", View{Start: 10*60*250 - 2000, SPP: 2, Width: 1000}, true},
		{"4 min a screen", View{Start: 100, SPP: 60, Width: 1000}, true},
		{"whole record", View{Start: 0, SPP: 150, Width: 1000}, false},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := src.Filtered(c.v); got != c.filtered {
				t.Fatalf("Filtered = %v, want %v", got, c.filtered)
			}
			var env Envelope
			if err := src.Envelope(&env, 1, c.v); err != nil {
				t.Fatal(err)
			}
			if !c.filtered {
				return
			}
			ref := &Source{sig: sig, n: sig.Info().NSamples, raw: [][]int32{nil, nil}}
			ref.rawA, ref.rawN = 0, len(whole)
			ref.flt, ref.fbuf, ref.fok = chain, [][]float64{nil, whole}, []bool{true, true}
			var want Envelope
			if c.v.SPP >= 1 {
				want.reset(c.v.Width)
				ref.fromSamples(&want, 1, c.v)
			} else {
				want.reset(c.v.Width)
				ref.fromLines(&want, 1, c.v)
			}
			compareEnvelopes(t, &env, &want, 1.0) // digital units: 5 µV at 200 units/mV, under a pixel
		})
	}
}

// wholeFiltered returns lead of sig filtered in one block.
func wholeFiltered(t *testing.T, sig annotate.Signal, lead int, f Filter) []float64 {
	n := sig.Info().NSamples
	buf := make([][]int32, len(sig.Info().Leads))
	for i := range buf {
		buf[i] = make([]int32, n)
	}
	if _, err := readFull(sig, buf, 0, n); err != nil {
		t.Fatal(err)
	}
	x := make([]float64, n)
	for i, v := range buf[lead] {
		x[i] = float64(v)
	}
	f.Filter(x)
	return x
}

func compareEnvelopes(t *testing.T, got, want *Envelope, tol float64) {
	t.Helper()
	for i := range want.Lo {
		if got.Valid(i) != want.Valid(i) {
			t.Fatalf("column %d: valid %v, want %v", i, got.Valid(i), want.Valid(i))
		}
		if want.Valid(i) && (math.Abs(got.Lo[i]-want.Lo[i]) > tol || math.Abs(got.Hi[i]-want.Hi[i]) > tol) {
			t.Fatalf("column %d: [%g, %g], whole record filtered gives [%g, %g]", i, got.Lo[i], got.Hi[i], want.Lo[i], want.Hi[i])
		}
	}
}

// TestSourceFilterOff checks that setting and clearing a filter redraws
// the record's own samples.
func TestSourceFilterOff(t *testing.T) {
	sig := tracetest.New(250, 1, time.Minute)
	v := View{Start: 2500, SPP: 2, Width: 500}
	src := NewSource(sig, nil)
	var plain, filt, again Envelope
	for _, step := range []struct {
		f   Filter
		env *Envelope
	}{{nil, &plain}, {dsp.NewChain(dsp.ZeroPhaseHighPass(0.5, 250)), &filt}, {nil, &again}} {
		src.SetFilter(step.f)
		if err := src.Envelope(step.env, 0, v); err != nil {
			t.Fatal(err)
		}
	}
	compareEnvelopes(t, &again, &plain, 0)
	same := true
	for i := range plain.Lo {
		same = same && plain.Lo[i] == filt.Lo[i] && plain.Hi[i] == filt.Hi[i]
	}
	if same {
		t.Error("the high-pass changed nothing")
	}
}

// TestSourceFilterSameView checks a filtered view draws the same columns
// whichever view came before it (a wider one whose samples cover it, or
// none): a redraw never shifts a pixel.
func TestSourceFilterSameView(t *testing.T) {
	sig := tracetest.New(250, 1, 5*time.Minute)
	chain := dsp.NewChain(dsp.ZeroPhaseHighPass(0.5, 250), dsp.ZeroPhaseLowPass(40, 250))
	v := View{Start: 60 * 250, SPP: 2, Width: 800}
	var fresh, after Envelope
	a := NewSource(sig, nil)
	a.SetFilter(chain)
	if err := a.Envelope(&fresh, 0, v); err != nil {
		t.Fatal(err)
	}
	b := NewSource(sig, nil)
	b.SetFilter(chain)
	if err := b.Envelope(&after, 0, View{Start: 0, SPP: 60, Width: 1000}); err != nil {
		t.Fatal(err)
	}
	if err := b.Envelope(&after, 0, v); err != nil {
		t.Fatal(err)
	}
	compareEnvelopes(t, &after, &fresh, 0)
}
