package cluster

import (
	"errors"
	"math"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// synthTemplates clusters a synthetic record with PVCs on its raw
// morphology (no model needed) and returns the gallery.
func synthTemplates(t *testing.T) ([]annotate.Beat, *Clusterer, *annotate.MemSignal) {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration = 10 * time.Minute
	cfg.Seed = 3
	cfg.PVC = synth.Ectopy{PerHour: 120}
	info, x, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	sig := &annotate.MemSignal{Meta: info, Samples: x}
	samples := make([]int64, len(ann.Beats))
	for i, b := range ann.Beats {
		samples[i] = b.Sample
	}
	m, dim, err := Morphology(sig, samples, MorphOptions{})
	if err != nil {
		t.Fatal(err)
	}
	c := New(DefaultOptions())
	if err := c.Add(samples, m, dim); err != nil {
		t.Fatal(err)
	}
	c.Finish()
	return ann.Beats, c, sig
}

func TestGallery(t *testing.T) {
	beats, c, sig := synthTemplates(t)
	ts, err := c.Gallery(sig, beats, GalleryOptions{Snippets: 10})
	if err != nil {
		t.Fatal(err)
	}
	if len(ts) < 2 {
		t.Fatalf("%d templates, want the normal and the PVC ones", len(ts))
	}
	sawV := false
	total := 0
	for i, tp := range ts {
		total += tp.Count()
		if i > 0 && tp.Count() > ts[i-1].Count() {
			t.Errorf("template %d larger than the one before", i)
		}
		if len(tp.Snippets) != min(10, tp.Count()) || len(tp.Median) != 2 || len(tp.Median[0]) != len(tp.Snippets[0][0]) {
			t.Errorf("template %d: %d snippets, median %d leads", i, len(tp.Snippets), len(tp.Median))
		}
		if tp.Fraction(tp.Dominant) < 0.9 {
			t.Errorf("template %d: dominant %s only %.2f of the beats", i, tp.Dominant, tp.Fraction(tp.Dominant))
		}
		if tp.Dominant == annotate.ClassV {
			sawV = true
			if tp.Prematurity > 0.8 {
				t.Errorf("PVC template prematurity %.2f, want about 0.6", tp.Prematurity)
			}
		}
		if tp.Dominant == annotate.ClassN && i == 0 && (tp.MeanRR < 0.6 || tp.MeanRR > 1.1) {
			t.Errorf("normal template mean RR %.3f s, want about 0.86 (70 bpm)", tp.MeanRR)
		}
	}
	if !sawV || total != len(beats) {
		t.Errorf("PVC template found: %v; %d beats in templates, want %d", sawV, total, len(beats))
	}
	one, err := c.Template(ts[0].ID, sig, beats, GalleryOptions{})
	if err != nil || one.Count() != ts[0].Count() {
		t.Errorf("Template(%d): %d beats, %v", ts[0].ID, one.Count(), err)
	}
	if _, err := c.Template(-1, sig, beats, GalleryOptions{}); !errors.Is(err, ErrNoCluster) {
		t.Errorf("Template(-1): %v, want ErrNoCluster", err)
	}
}

func TestCombine(t *testing.T) {
	a := []float32{3, 4, 0, 2}
	b := []float32{1, 0, 0, 0, 5, 0}
	got, dim, err := Combine(a, 2, b, 3, 0.5)
	if err != nil {
		t.Fatal(err)
	}
	want := []float32{0.6, 0.8, 0.5, 0, 0, 0, 1, 0, 0.5, 0}
	if dim != 5 || len(got) != len(want) {
		t.Fatalf("dim %d, %v", dim, got)
	}
	for i := range want {
		if d := got[i] - want[i]; d > 1e-6 || d < -1e-6 {
			t.Fatalf("got %v, want %v", got, want)
		}
	}
	if _, _, err := Combine(a, 2, b, 2, 1); !errors.Is(err, ErrInput) {
		t.Errorf("mismatched rows: %v, want ErrInput", err)
	}
}

// TestFeatures checks what the callers cluster by: the embedding as it is
// without Morph, the embedding joined to the beats' shape with it (the
// shape part of unit length times the weight), and an error for rows that
// do not match the beats; AddShaped clusters by the same features, with
// Options.Morph as the weight.
func TestFeatures(t *testing.T) {
	beats, _, sig := synthTemplates(t)
	samples := []int64{beats[5].Sample, beats[6].Sample}
	emb := []float32{3, 4, 0, 2}
	cases := []struct {
		name    string
		emb     []float32
		morph   float64
		wantDim int
		wantErr error
	}{
		{"embedding alone", emb, 0, 2, nil},
		{"with the shape", emb, 0.5, 2 + 20*len(sig.Info().Leads), nil},
		{"rows for three beats", append(emb, 1, 1), 1, 0, ErrInput},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, dim, err := Features(sig, samples, c.emb, 2, c.morph)
			if !errors.Is(err, c.wantErr) || dim != c.wantDim {
				t.Fatalf("dim %d, error %v; want %d, %v", dim, err, c.wantDim, c.wantErr)
			}
			o := DefaultOptions()
			o.Morph = c.morph
			cl := New(o)
			if err := cl.AddShaped(sig, samples, c.emb, 2); !errors.Is(err, c.wantErr) || (err == nil && cl.emb != c.wantDim) {
				t.Errorf("AddShaped: features of %d, error %v; want %d, %v", cl.emb, err, c.wantDim, c.wantErr)
			}
			if err != nil {
				return
			}
			for i := range samples {
				row := got[i*dim : (i+1)*dim]
				var shape float64
				for _, v := range row[2:] {
					shape += float64(v) * float64(v)
				}
				if math.Abs(math.Sqrt(shape)-c.morph) > 1e-5 {
					t.Errorf("beat %d: shape part of length %.6f, want %g", i, math.Sqrt(shape), c.morph)
				}
			}
		})
	}
}
