package ui

import (
	"context"
	"fmt"
	"image/color"
	"math"
	"sync"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// variantTheme pins a theme to one variant, as a user preference would.
type variantTheme struct {
	fyne.Theme
	v fyne.ThemeVariant
}

func (t variantTheme) Color(n fyne.ThemeColorName, _ fyne.ThemeVariant) color.Color {
	return t.Theme.Color(n, t.v)
}

// cachedRecord is a built procedural record (2 leads, 250 Hz) and pyramid
// of one length, made once and shared (both are read-only once built).
type cachedRecord struct {
	once sync.Once
	sig  *tracetest.ECG
	pyr  *trace.Pyramid
	err  error
}

var procRecords sync.Map // time.Duration -> *cachedRecord

// procRecord returns the shared procedural record of length d.
func procRecord(tb testing.TB, d time.Duration) (*tracetest.ECG, *trace.Pyramid) {
	v, _ := procRecords.LoadOrStore(d, &cachedRecord{})
	r := v.(*cachedRecord)
	r.once.Do(func() {
		r.sig = tracetest.New(250, 2, d)
		if r.pyr, r.err = trace.NewPyramid(r.sig, 0); r.err == nil {
			r.err = r.pyr.Build(context.Background(), nil)
		}
	})
	if r.err != nil {
		tb.Fatal(r.err)
	}
	return r.sig, r.pyr
}

// hourRecord returns the shared 1 h procedural record and its pyramid.
func hourRecord(t *testing.T) (*tracetest.ECG, *trace.Pyramid) { return procRecord(t, time.Hour) }

// newTestStrip returns a strip on a 1 h procedural record (pyramid built)
// in a test window of 800 x 400 units.
func newTestStrip(t *testing.T, v fyne.ThemeVariant) (*Strip, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), v})
	sig, pyr := hourRecord(t)
	s := NewStrip()
	s.SetRecord(sig, pyr, NewLabels(sig.Beats()))
	w := test.NewTempWindow(t, s)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(800, 400))
	return s, w
}

// mixedLabels gives the beats of sig every provenance the strip draws
// differently, a noise stretch on lead 2 at 63-64.5 s, and returns them.
func mixedLabels(beats []annotate.Beat) (*Labels, []annotate.NoiseEntry) {
	out := make([]annotate.Beat, len(beats))
	for i, b := range beats {
		switch i % 5 {
		case 0:
			b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: 0.97}
		case 1:
			b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: 0.6}
		case 2:
			b.Prov, b.Review = annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}, annotate.Changed
		case 3:
			b.Prov, b.Review = annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: 0.9}, annotate.Confirmed
		}
		out[i] = b
	}
	noise := []annotate.NoiseEntry{{ID: 1, Noise: annotate.Noise{Start: 63 * 250, End: 64*250 + 125, Lead: 1, Reason: "noise"}}}
	return annotate.NewLabelSetView(annotate.LabelSet{Beats: out, Noise: noise}), noise
}

// TestStripGolden renders the strip with model, reader, confirmed and
// reference labels, a noise stretch, a selected range and the cursor, at
// reading zoom (25 and 50 mm/s, gains 5, 10 and 20 mm/mV), a minute and
// the whole hour, in both themes. The goldens were looked at when made;
// a mismatch writes the new image under testdata/failed.
func TestStripGolden(t *testing.T) {
	zooms := []struct {
		name  string
		speed float64 // mm/s
		gain  float64 // mm/mV
		start float64 // s
	}{
		{"25mms", 25, 10, 61},      // reading zoom: paper grid, labels, RR in ms, noise, selection
		{"50mms", 50, 10, 62},      // twice as fast: the selection and the cursor up close
		{"3mms", 25.0 / 8, 10, 40}, // about 1 min: 1 s grid, every beat labelled
		{"1h", 0, 10, 0},           // whole hour (the slowest speed): envelope band, ectopy marks
	}
	variants := themeVariants
	for _, vr := range variants {
		for _, z := range zooms {
			t.Run(vr.name+"_"+z.name, func(t *testing.T) {
				s, w := newMixedStrip(t, vr.v)
				s.SetSpeed(z.speed, 0)
				s.ScrollTo(z.start * 250)
				test.AssertRendersToImage(t, "strip_"+vr.name+"_"+z.name+".png", w.Canvas())
			})
		}
	}
	for _, g := range []float64{5, 20} {
		t.Run(fmt.Sprintf("light_gain%g", g), func(t *testing.T) {
			s, w := newMixedStrip(t, theme.VariantLight)
			s.SetGain(g)
			s.ScrollTo(61 * 250)
			test.AssertRendersToImage(t, fmt.Sprintf("strip_light_gain%g.png", g), w.Canvas())
		})
	}
}

// newMixedStrip is newTestStrip with mixedLabels, a range of three beats
// selected from 63.4 s and the cursor on its last beat.
func newMixedStrip(t *testing.T, v fyne.ThemeVariant) (*Strip, fyne.Window) {
	s, w := newTestStrip(t, v)
	sig, _ := hourRecord(t)
	l, noise := mixedLabels(sig.Beats())
	s.SetBeats(l)
	s.SetNoise(func() []annotate.NoiseEntry { return noise })
	sel := l.BeatsIn(int64(63.4*250), int64(70*250))[:3]
	s.SetSelection(sel[0].Sample, sel[2].Sample, sel[2].Sample)
	return s, w
}

func TestStripKeys(t *testing.T) {
	cases := []struct {
		name string
		key  fyne.KeyName
		rune rune
		// want checks the view after the key, given the one before.
		want func(t *testing.T, a0, b0, a, b int64, s *Strip)
	}{
		{name: "Right scrolls a tenth forward", key: fyne.KeyRight, want: func(t *testing.T, a0, b0, a, b int64, _ *Strip) {
			if d := a - a0; d < (b0-a0)/10-1 || d > (b0-a0)/10+1 {
				t.Errorf("moved %d samples, want a tenth of %d", d, b0-a0)
			}
		}},
		{name: "Left scrolls back", key: fyne.KeyLeft, want: func(t *testing.T, a0, _, a, _ int64, _ *Strip) {
			if a >= a0 {
				t.Errorf("start %d, want before %d", a, a0)
			}
		}},
		{name: "Page Down moves nine tenths", key: fyne.KeyPageDown, want: func(t *testing.T, a0, b0, a, _ int64, _ *Strip) {
			if d := a - a0; d < 9*(b0-a0)/10-1 || d > 9*(b0-a0)/10+1 {
				t.Errorf("moved %d samples, want nine tenths of %d", d, b0-a0)
			}
		}},
		{name: "Page Up moves back", key: fyne.KeyPageUp, want: func(t *testing.T, a0, _, a, _ int64, _ *Strip) {
			if a >= a0 {
				t.Errorf("start %d, want before %d", a, a0)
			}
		}},
		{name: "Home goes to the start", key: fyne.KeyHome, want: func(t *testing.T, _, _, a, _ int64, _ *Strip) {
			if a != 0 {
				t.Errorf("start %d, want 0", a)
			}
		}},
		{name: "End goes to the end", key: fyne.KeyEnd, want: func(t *testing.T, _, _, _, b int64, s *Strip) {
			if b != s.info.NSamples {
				t.Errorf("end %d, want %d", b, s.info.NSamples)
			}
		}},
		{name: "plus zooms in about the centre", rune: '+', want: func(t *testing.T, a0, b0, a, b int64, s *Strip) {
			if s.Speed() != 50 || b-a > (b0-a0)/2+2 || (a+b)/2-(a0+b0)/2 > 2 {
				t.Errorf("speed %g, view [%d,%d) from [%d,%d)", s.Speed(), a, b, a0, b0)
			}
		}},
		{name: "minus zooms out", rune: '-', want: func(t *testing.T, a0, b0, a, b int64, s *Strip) {
			if s.Speed() != 12.5 || b-a < 2*(b0-a0)-2 {
				t.Errorf("speed %g, view [%d,%d) from [%d,%d)", s.Speed(), a, b, a0, b0)
			}
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			s, w := newTestStrip(t, theme.VariantLight)
			s.ScrollTo(600 * 250)
			w.Canvas().Focus(s)
			a0, b0 := s.View()
			f := w.Canvas().Focused()
			if c.rune != 0 {
				f.TypedRune(c.rune)
			} else {
				f.TypedKey(&fyne.KeyEvent{Name: c.key})
			}
			a, b := s.View()
			c.want(t, a0, b0, a, b, s)
		})
	}
}

func TestStripMouse(t *testing.T) {
	s, w := newTestStrip(t, theme.VariantLight)
	s.ScrollTo(600 * 250)
	a0, _ := s.View()
	test.Scroll(w.Canvas(), fyne.NewPos(400, 200), 0, -10) // wheel down one notch
	if a, _ := s.View(); a <= a0 {
		t.Errorf("wheel down: start %d, want after %d", a, a0)
	}
	a1, _ := s.View()
	test.Drag(w.Canvas(), fyne.NewPos(400, 200), 100, 0) // drag right: back in time
	if a, _ := s.View(); a >= a1 {
		t.Errorf("drag right: start %d, want before %d", a, a1)
	}
	a2, _ := s.View()
	spu := s.samplesPerUnit()
	if a, _ := s.View(); float64(a1-a2) < 99*spu || float64(a1-a2) > 101*spu {
		t.Errorf("drag by 100 units moved %d samples, want %g", a1-a2, 100*spu)
		_ = a
	}
}

func TestStripZoomLimits(t *testing.T) {
	s, _ := newTestStrip(t, theme.VariantLight)
	for range 30 {
		s.ZoomOut()
	}
	a, b := s.View()
	if a != 0 || b != s.info.NSamples {
		t.Errorf("fully zoomed out shows [%d,%d), want the whole record [0,%d)", a, b, s.info.NSamples)
	}
	for range 30 {
		s.ZoomIn()
	}
	if s.Speed() != 200 {
		t.Errorf("fully zoomed in: %g mm/s, want 200", s.Speed())
	}
}

// themeVariants are the two themes every rendering test draws in.
var themeVariants = []struct {
	name string
	v    fyne.ThemeVariant
}{{"light", theme.VariantLight}, {"dark", theme.VariantDark}}

// TestStripAdaptedGolden renders adapted labels beside model suggestions
// and reader labels at reading zoom, in both themes: an adapted label is
// italic in full colour with an orange diamond, a model suggestion italic
// and faded, a reader's bold. The goldens were looked at when made.
func TestStripAdaptedGolden(t *testing.T) {
	for _, vr := range themeVariants {
		t.Run(vr.name, func(t *testing.T) {
			s, w := newTestStrip(t, vr.v)
			sig, _ := hourRecord(t)
			beats := sig.Beats()
			for i := range beats {
				b := &beats[i]
				switch i % 3 {
				case 0:
					b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: 0.9}
				case 1:
					b.Prov = annotate.Provenance{Source: annotate.SourceAdapted, Who: annotate.AdaptedWho("adapt@1", 37), Confidence: 0.8}
				default:
					b.Prov, b.Review = annotate.Provenance{Source: annotate.SourceReader, Who: "alice"}, annotate.Changed
				}
			}
			s.SetBeats(annotate.NewLabelView(beats))
			s.ScrollTo(61 * 250)
			test.AssertRendersToImage(t, "strip_"+vr.name+"_adapted.png", w.Canvas())
		})
	}
}

// TestSelectedBeatVisible selects one beat with the cursor on it, as the
// arrow keys do, and checks the beat's QRS is still drawn in the trace
// colour in its own pixel column: neither the cursor line nor the band
// may cover it while it is being labelled.
func TestSelectedBeatVisible(t *testing.T) {
	for _, vr := range themeVariants {
		t.Run(vr.name, func(t *testing.T) {
			s, w := newTestStrip(t, vr.v)
			s.ScrollTo(61 * 250)
			sig, _ := hourRecord(t)
			b := NewLabels(sig.Beats()).BeatsIn(int64(62*250), int64(70*250))[0]
			s.SetSelection(b.Sample, b.Sample, b.Sample)
			img := w.Canvas().Capture()
			tc := toRGBA(variantTheme{NewTheme(), vr.v}.Color(ColorNameECGTrace, vr.v))
			x := int(math.Round(float64(s.xOf(b.Sample))))
			near := 0
			for y := img.Bounds().Min.Y; y < img.Bounds().Max.Y; y++ {
				for dx := 0; dx <= 1; dx++ { // the columns a cursor line on the beat takes
					if colourDist(img.At(x+dx, y), tc) < 60 {
						near++
					}
				}
			}
			if near < 20 {
				t.Errorf("only %d trace-coloured pixels at the selected beat's column %d: its QRS is covered", near, x)
			}
		})
	}
}

// colourDist is the largest channel difference of a and b (0-255).
func colourDist(a color.Color, b color.RGBA) int {
	r, g, bl, _ := a.RGBA()
	d := 0
	for i, c := range [3]uint32{r >> 8, g >> 8, bl >> 8} {
		w := int([3]uint8{b.R, b.G, b.B}[i])
		d = max(d, abs(int(c)-w))
	}
	return d
}

func abs(x int) int {
	if x < 0 {
		return -x
	}
	return x
}
