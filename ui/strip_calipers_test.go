package ui

import (
	"math"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// caliperRecord is a 20 s synthetic record (2 leads, 360 Hz, 200 ADC
// units/mV, sinus rhythm at 60 bpm with no variability and no noise): its
// samples, beats and configuration.
type caliperRecord struct {
	sig   *annotate.MemSignal
	beats []annotate.Beat
	cfg   synth.Config
}

func newCaliperRecord(t *testing.T) caliperRecord {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration, cfg.Fs, cfg.Seed = 20*time.Second, 360, 22
	cfg.HR, cfg.HRV, cfg.Circadian = 60, 0, 0
	cfg.Noise = synth.NoiseConfig{}
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	return caliperRecord{sig: &annotate.MemSignal{Meta: info, Samples: samples}, beats: ann.Beats, cfg: cfg}
}

// mv is lead l's value at sample i in mV, straight from the samples.
func (c caliperRecord) mv(l int, i int64) float64 {
	return float64(c.sig.Samples[l][i]-c.cfg.Baseline) / c.cfg.Gain
}

// newCaliperStrip shows rec on a strip at 25 mm/s from 4 s, in a test
// window of 800 x 400 units.
func newCaliperStrip(t *testing.T, rec caliperRecord, v fyne.ThemeVariant) (*Strip, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), v})
	s := NewStrip()
	s.SetRecord(rec.sig, nil, NewLabels(rec.beats))
	w := test.NewTempWindow(t, s)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(800, 400))
	s.ScrollTo(4 * rec.cfg.Fs)
	w.Canvas().Focus(s)
	return s, w
}

// TestCaliperReading checks every value a caliper shows against the
// sample arithmetic of the synthetic record: the interval from the sample
// positions and fs, the rate from the interval, the amplitudes from the
// ADC values, the record's baseline and gain, in mV also when the lead is
// declared in µV.
func TestCaliperReading(t *testing.T) {
	rec := newCaliperRecord(t)
	fs := rec.cfg.Fs
	r5, r6 := rec.beats[5].Sample, rec.beats[6].Sample
	qt0, qt1 := r5-int64(0.045*fs), r5+int64(0.42*fs) // about Q onset to T end
	cases := []struct {
		name   string
		c      Caliper
		uV     bool // the lead declared in µV (gain 0.2 ADC units per µV)
		ms     float64
		deltaN float64 // expected DeltaMV
	}{
		{"RR", Caliper{A: r5, B: r6}, false, float64(r6-r5) * 1000 / fs, rec.mv(0, r6) - rec.mv(0, r5)},
		{"QT-like", Caliper{A: qt0, B: qt1}, false, float64(qt1-qt0) * 1000 / fs, rec.mv(0, qt1) - rec.mv(0, qt0)},
		{"legs reversed", Caliper{A: qt1, B: qt0}, false, float64(qt1-qt0) * 1000 / fs, rec.mv(0, qt0) - rec.mv(0, qt1)},
		{"R to T on lead 2", Caliper{A: r5, B: qt1, Lead: 1}, false, float64(qt1-r5) * 1000 / fs, rec.mv(1, qt1) - rec.mv(1, r5)},
		{"legs together", Caliper{A: r5, B: r5}, false, 0, 0},
		{"lead in µV", Caliper{A: qt0, B: r5}, true, float64(r5-qt0) * 1000 / fs, rec.mv(0, r5) - rec.mv(0, qt0)},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r := rec
			if c.uV {
				sig := *rec.sig
				sig.Meta.Leads = append([]annotate.Lead(nil), rec.sig.Meta.Leads...)
				sig.Meta.Leads[0].Units, sig.Meta.Leads[0].Gain = "uV", rec.cfg.Gain/1000
				r.sig = &sig
			}
			s, _ := newCaliperStrip(t, r, theme.VariantLight)
			s.SetCaliper(c.c)
			got, ok := s.ReadCaliper()
			if !ok {
				t.Fatal("no reading with a caliper shown")
			}
			checkReading(t, got, c.ms, c.deltaN)
			if got.MVA != rec.mv(c.c.Lead, c.c.A) && !c.uV {
				t.Errorf("first leg %.6f mV, the sample is %.6f mV", got.MVA, rec.mv(c.c.Lead, c.c.A))
			}
			for _, paper := range [][2]float64{{50, 20}, {12.5, 5}} { // the paper does not change the values
				s.SetSpeed(paper[0], 0)
				s.SetGain(paper[1])
				if again, _ := s.ReadCaliper(); !sameReading(again, got) {
					t.Errorf("at %g mm/s and %g mm/mV the reading is %+v, at 25 and 10 %+v", paper[0], paper[1], again, got)
				}
			}
		})
	}
}

// checkReading compares a reading's interval, rate and amplitude
// difference with the expected ones, to rounding error.
func checkReading(t *testing.T, got CaliperReading, ms, delta float64) {
	t.Helper()
	near := func(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }
	bpm := 0.0
	if ms > 0 {
		bpm = 60000 / ms
	}
	if !near(got.Ms, ms) || !near(got.BPM, bpm) || !near(got.DeltaMV, delta) {
		t.Errorf("reading %.6f ms, %.6f bpm, Δ %.6f mV; want %.6f ms, %.6f bpm, Δ %.6f mV",
			got.Ms, got.BPM, got.DeltaMV, ms, bpm, delta)
	}
}

// sameReading reports whether a and b are the same reading (NaN equal to NaN).
func sameReading(a, b CaliperReading) bool {
	same := func(x, y float64) bool { return x == y || (math.IsNaN(x) && math.IsNaN(y)) }
	return a.Caliper == b.Caliper && a.LeadName == b.LeadName && a.Ms == b.Ms && a.BPM == b.BPM &&
		same(a.MVA, b.MVA) && same(a.MVB, b.MVB) && same(a.DeltaMV, b.DeltaMV)
}

// TestCaliperMissingSample: a leg on a missing WFDB sample reads no
// amplitude (NaN, "Δ – mV") instead of the invalid code as a voltage, and
// the interval still reads; legs beyond the record are clamped to it.
func TestCaliperMissingSample(t *testing.T) {
	rec := newCaliperRecord(t)
	sig := *rec.sig
	sig.Meta.Format = "WFDB"
	sig.Samples = [][]int32{append([]int32(nil), rec.sig.Samples[0]...), rec.sig.Samples[1]}
	gap := rec.beats[5].Sample
	sig.Samples[0][gap] = annotate.InvalidWFDB
	rec.sig = &sig
	s, _ := newCaliperStrip(t, rec, theme.VariantLight)
	s.SetCaliper(Caliper{A: gap - 100, B: gap})
	rd, _ := s.ReadCaliper()
	if !math.IsNaN(rd.MVB) || !math.IsNaN(rd.DeltaMV) || math.IsNaN(rd.MVA) || rd.Ms != 100*1000/rec.cfg.Fs {
		t.Errorf("a leg on a missing sample: %+v, want no amplitude there and a 100-sample interval", rd)
	}
	if txt := rd.Text(); !strings.Contains(txt, "Δ – mV") {
		t.Errorf("readout %q, want the amplitude shown as missing", txt)
	}
	s.SetCaliper(Caliper{A: -50, B: rec.sig.Meta.NSamples + 50, Lead: 7})
	if c, _ := s.Caliper(); c.A != 0 || c.B != rec.sig.Meta.NSamples-1 || c.Lead != 0 {
		t.Errorf("caliper %+v, want it clamped to samples 0 and %d and on the top lane's lead", c, rec.sig.Meta.NSamples-1)
	}
}

// TestCaliperFollowsShownLeads: with the leads shown in another order
// (V1 above II), the caliper's lead is the record's lead drawn in the lane
// it stands in, and ↑ ↓ walk the lanes as shown.
func TestCaliperFollowsShownLeads(t *testing.T) {
	rec := newCaliperRecord(t)
	s, _ := newCaliperStrip(t, rec, theme.VariantLight)
	s.SetLeads([]int{1, 0})
	top, bottom := plotRect(s.Size())
	if a, b := s.leadAt(fyne.NewPos(10, top+1)), s.leadAt(fyne.NewPos(10, bottom-1)); a != 1 || b != 0 {
		t.Fatalf("leads at the top and bottom lanes: %d, %d; want 1, 0", a, b)
	}
	s.SetCaliper(Caliper{A: 100, B: 200, Lead: 1})
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c, _ := s.Caliper(); c.Lead != 0 {
		t.Errorf("↓ from the top lane (lead 1) reads lead %d, want 0", c.Lead)
	}
	s.TypedKey(&fyne.KeyEvent{Name: fyne.KeyDown})
	if c, _ := s.Caliper(); c.Lead != 0 {
		t.Errorf("↓ on the bottom lane moved to lead %d", c.Lead)
	}
	s.SetLeads([]int{1}) // lead 0, measured, is hidden
	if c, _ := s.Caliper(); c.Lead != 1 {
		t.Errorf("with its lead hidden the caliper reads lead %d, want 1 (the only lead shown)", c.Lead)
	}
}

// TestCaliperReadingText checks the readout's wording and rounding.
func TestCaliperReadingText(t *testing.T) {
	cases := []struct {
		rd   CaliperReading
		want string
	}{
		{CaliperReading{LeadName: "MLII", Ms: 833.333, BPM: 72.00003, DeltaMV: -0.125}, "833 ms · 72 bpm · Δ -0.125 mV (MLII)"},
		{CaliperReading{LeadName: "V1", Ms: 411.1, BPM: 145.9, DeltaMV: 0.85}, "411 ms · 146 bpm · Δ +0.850 mV (V1)"},
		{CaliperReading{LeadName: "I", DeltaMV: 0}, "0 ms · – bpm · Δ +0.000 mV (I)"},
		{CaliperReading{LeadName: "II", Ms: 1000, BPM: 60, DeltaMV: math.NaN()}, "1000 ms · 60 bpm · Δ – mV (II)"},
	}
	for _, c := range cases {
		if got := c.rd.Text(); got != c.want {
			t.Errorf("Text() = %q, want %q", got, c.want)
		}
	}
}

// TestCaliperKeys places a caliper from the keyboard at the cursor and
// moves, re-leads, marches out and removes it, on a strip alone.
func TestCaliperKeys(t *testing.T) {
	rec := newCaliperRecord(t)
	s, w := newCaliperStrip(t, rec, theme.VariantLight)
	r5 := rec.beats[5].Sample
	s.SetSelection(1, 0, r5)
	coarse := int64(math.Round(rec.cfg.Fs / 25)) // 1 mm of paper at 25 mm/s
	steps := []struct {
		name  string
		in    in
		want  Caliper
		on    bool
		march bool
	}{
		{"k places both legs at the cursor", ch('k'), Caliper{A: r5, B: r5}, true, false},
		{"Right moves the second leg 1 mm", k(fyne.KeyRight), Caliper{A: r5, B: r5 + coarse}, true, false},
		{"again", k(fyne.KeyRight), Caliper{A: r5, B: r5 + 2*coarse}, true, false},
		{"Shift+Left moves it one sample back", shiftK(fyne.KeyLeft), Caliper{A: r5, B: r5 + 2*coarse - 1}, true, false},
		{"Down reads the second lead", k(fyne.KeyDown), Caliper{A: r5, B: r5 + 2*coarse - 1, Lead: 1}, true, false},
		{"Down stays on the last lead", k(fyne.KeyDown), Caliper{A: r5, B: r5 + 2*coarse - 1, Lead: 1}, true, false},
		{"Up goes back to the first", k(fyne.KeyUp), Caliper{A: r5, B: r5 + 2*coarse - 1}, true, false},
		{"K marches it out", ch('K'), Caliper{A: r5, B: r5 + 2*coarse - 1}, true, true},
		{"K again stops", ch('K'), Caliper{A: r5, B: r5 + 2*coarse - 1}, true, false},
		{"K once more", ch('K'), Caliper{A: r5, B: r5 + 2*coarse - 1}, true, true},
		{"Esc removes it and the march-out", k(fyne.KeyEscape), Caliper{}, false, false},
		{"K without a caliper does nothing", ch('K'), Caliper{}, false, false},
		{"k again places a new one", ch('k'), Caliper{A: r5, B: r5}, true, false},
		{"and k removes it", ch('k'), Caliper{}, false, false},
	}
	for _, st := range steps {
		press(w, st.in)
		c, on := s.Caliper()
		if c != st.want || on != st.on || s.MarchOut() != st.march {
			t.Fatalf("%s: caliper %+v shown %v march-out %v, want %+v %v %v", st.name, c, on, s.MarchOut(), st.want, st.on, st.march)
		}
	}
	a0, _ := s.View()
	press(w, k(fyne.KeyRight))
	if a, _ := s.View(); a <= a0 {
		t.Errorf("without a caliper Right scrolls the strip: start %d, was %d", a, a0)
	}
}

// TestCaliperNoCursor: with no cursor in sight, k puts the caliper in the
// middle of the view.
func TestCaliperNoCursor(t *testing.T) {
	rec := newCaliperRecord(t)
	s, w := newCaliperStrip(t, rec, theme.VariantLight)
	press(w, ch('k'))
	a, b := s.View()
	if c, on := s.Caliper(); !on || c.A != (a+b)/2 || c.B != c.A {
		t.Errorf("caliper %+v (shown %v), want both legs at the middle of [%d,%d)", c, on, a, b)
	}
}

// dragStrip drags on s from (x, y) by (dx, dy) in two moves, as the
// desktop driver reports a drag: each event at the pointer's new position
// with the move since the last one.
func dragStrip(s *Strip, x, y, dx, dy float32) {
	for range 2 {
		x, y = x+dx/2, y+dy/2
		s.Dragged(&fyne.DragEvent{PointEvent: fyne.PointEvent{Position: fyne.NewPos(x, y)}, Dragged: fyne.Delta{DX: dx / 2, DY: dy / 2}})
	}
	s.DragEnd()
}

// TestCaliperDrag measures with the mouse: with the caliper on, a drag on
// the second lead lays a caliper from where it starts to where it ends,
// on that lead; a drag from a leg moves that leg only; the strip does not
// pan meanwhile. Without a caliper a drag still pans.
func TestCaliperDrag(t *testing.T) {
	rec := newCaliperRecord(t)
	s, w := newCaliperStrip(t, rec, theme.VariantLight)
	a0, _ := s.View()
	dragStrip(s, 100, 300, 50, 0)
	if _, on := s.Caliper(); on {
		t.Fatal("a drag without the caliper on made one")
	}
	if a, _ := s.View(); a >= a0 {
		t.Fatalf("a drag without the caliper did not pan: start %d, was %d", a, a0)
	}
	s.ScrollTo(4 * rec.cfg.Fs)
	press(w, ch('k'))
	dragStrip(s, 200, 300, 150, -40)
	want := Caliper{A: s.sampleAt(200), B: s.sampleAt(350), Lead: 1}
	if got, _ := s.Caliper(); got != want {
		t.Errorf("drag from x 200 to 350 on lead 2: caliper %+v, want %+v", got, want)
	}
	if a, _ := s.View(); a != a0 {
		t.Errorf("the strip panned during a caliper drag: start %d, was %d", a, a0)
	}
	x := s.xOf(want.A) + 2
	dragStrip(s, x, 120, -60, 0) // grab the first leg, on lead 1
	moved := Caliper{A: s.sampleAt(x - 60), B: want.B, Lead: 1}
	if got, _ := s.Caliper(); got != moved {
		t.Errorf("dragging the first leg: caliper %+v, want %+v", got, moved)
	}
	rd, _ := s.ReadCaliper()
	checkReading(t, rd, float64(moved.B-moved.A)*1000/rec.cfg.Fs, rec.mv(1, moved.B)-rec.mv(1, moved.A))
}

// TestCaliperGolden renders a caliper over a QT-like interval at 50 mm/s
// and one over an RR interval marched out at 25 mm/s, in both themes. The
// goldens were looked at when made; a mismatch writes the new image under
// testdata/failed.
func TestCaliperGolden(t *testing.T) {
	rec := newCaliperRecord(t)
	fs := rec.cfg.Fs
	r5, r6 := rec.beats[5].Sample, rec.beats[6].Sample
	cases := []struct {
		name  string
		speed float64
		c     Caliper
		march bool
	}{
		{"qt", 50, Caliper{A: r5 - int64(0.045*fs), B: r5 + int64(0.42*fs)}, false},
		{"march", 25, Caliper{A: r5, B: r6, Lead: 1}, true},
	}
	for _, vr := range themeVariants {
		for _, c := range cases {
			t.Run(vr.name+"_"+c.name, func(t *testing.T) {
				s, w := newCaliperStrip(t, rec, vr.v)
				s.SetSpeed(c.speed, 0)
				s.ScrollTo(float64(r5) - 1.2*fs)
				s.SetCaliper(c.c)
				if c.march && !s.ToggleMarchOut() {
					t.Fatal("K did not march out")
				}
				test.AssertRendersToImage(t, "strip_caliper_"+vr.name+"_"+c.name+".png", w.Canvas())
				if c.march {
					checkMarchTicks(t, s, w, vr.v)
				}
			})
		}
	}
}

// checkMarchTicks checks the march-out in the window's image: the caliper's
// colour runs down the column of A + k·(B − A) for every k in view, and
// not down the columns halfway between.
func checkMarchTicks(t *testing.T, s *Strip, w fyne.Window, v fyne.ThemeVariant) {
	t.Helper()
	img := w.Canvas().Capture()
	col := stripColor(variantTheme{NewTheme(), v}, ColorNameECGCaliper, v)
	c, _ := s.Caliper()
	d := c.B - c.A
	top, bottom := plotRect(s.Size())
	count := func(x int) (n int) {
		for y := int(top); y < int(bottom); y++ {
			if colourDist(img.At(x, y), col) < 8 {
				n++
			}
		}
		return n
	}
	a, b := s.View()
	ticks := 0
	for at := c.A - d*((c.A-a)/d); at < b; at += d {
		x := int(math.Round(float64(s.xOf(at))))
		if at == c.A || at == c.B || x < 2 || x > int(s.Size().Width)-2 {
			continue
		}
		ticks++
		if n := count(x); n < int(bottom-top)/3 {
			t.Errorf("march-out tick at sample %d (x %d): only %d caliper-coloured pixels", at, x, n)
		}
		if n := count(int(math.Round(float64(s.xOf(at - d/2))))); n > 0 {
			t.Errorf("%d caliper-coloured pixels halfway before the tick at sample %d", n, at)
		}
	}
	if ticks < 3 {
		t.Errorf("only %d march-out ticks in view, want the interval repeated across the strip", ticks)
	}
}

// TestCaliperReadoutClearOfName: a caliper at the left edge keeps its
// readout right of the lead's name and inside the strip.
func TestCaliperReadoutClearOfName(t *testing.T) {
	rec := newCaliperRecord(t)
	s, _ := newCaliperStrip(t, rec, theme.VariantLight)
	a, _ := s.View()
	s.SetCaliper(Caliper{A: a, B: a + 10, Lead: 1})
	r := test.WidgetRenderer(s).(*stripRenderer)
	name, txt := r.names[1], r.cal.text
	if txt.Hidden || txt.Position().X < name.Position().X+name.MinSize().Width {
		t.Errorf("readout at x %g, the lead's name ends at %g", txt.Position().X, name.Position().X+name.MinSize().Width)
	}
	if end := txt.Position().X + txt.Size().Width; end > s.Size().Width {
		t.Errorf("readout ends at x %g, beyond the strip's %g", end, s.Size().Width)
	}
}
