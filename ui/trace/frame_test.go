package trace

import (
	"bytes"
	"context"
	"flag"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

var update = flag.Bool("update", false, "rewrite the golden images under testdata/")

// assertGolden compares img with testdata/name; on mismatch it writes img
// to testdata/failed/name so a person can look at it.
func assertGolden(t *testing.T, name string, img image.Image) {
	t.Helper()
	var got bytes.Buffer
	if err := png.Encode(&got, img); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err == nil {
		wimg, derr := png.Decode(bytes.NewReader(want))
		if derr == nil && sameImage(wimg, img) {
			return
		}
	}
	failed := filepath.Join("testdata", "failed", name)
	_ = os.MkdirAll(filepath.Dir(failed), 0o755)
	_ = os.WriteFile(failed, got.Bytes(), 0o644)
	t.Errorf("%s does not match its golden image (read error: %v); wrote %s (run with -update to accept)", name, err, failed)
}

func sameImage(a, b image.Image) bool {
	if a.Bounds() != b.Bounds() {
		return false
	}
	r := a.Bounds()
	for y := r.Min.Y; y < r.Max.Y; y++ {
		for x := r.Min.X; x < r.Max.X; x++ {
			if color.NRGBAModel.Convert(a.At(x, y)) != color.NRGBAModel.Convert(b.At(x, y)) {
				return false
			}
		}
	}
	return true
}

// paperStyle is the light ECG paper look the ui theme also uses.
var paperStyle = Style{
	Paper:      color.RGBA{255, 250, 248, 255},
	Minor:      color.RGBA{246, 208, 208, 255},
	Major:      color.RGBA{230, 150, 150, 255},
	Trace:      color.RGBA{20, 20, 30, 255},
	TraceWidth: 1.3,
	GridWidth:  1,
}

// buildSource returns a source on a procedural ECG with its pyramid built.
func buildSource(t testing.TB, dur time.Duration) *Source {
	t.Helper()
	sig := tracetest.New(250, 2, dur)
	p, err := NewPyramid(sig, 0)
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Build(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	return NewSource(sig, p)
}

// paperFrame returns a frame of w x h pixels at 25 mm/s * zoom, with
// 4 px per mm, starting at second start.
func paperFrame(w, h int, zoom, start float64) *Frame {
	const pxPerMM = 4
	spp := 250 / (PaperSpeed * zoom * pxPerMM)
	return &Frame{
		View: View{Start: start * 250, SPP: spp, Width: w}, Fs: 250, PxPerMM: pxPerMM,
		Plot: image.Rect(0, 0, w, h), Style: paperStyle, MinGap: 3,
	}
}

var (
	twoHourOnce sync.Once
	twoHourSig  annotate.Signal
	twoHourPyr  *Pyramid
)

// twoHourSource returns a new Source on a shared 2 h procedural record
// with its pyramid (built once; both are read-only afterwards).
func twoHourSource(t *testing.T) *Source {
	twoHourOnce.Do(func() {
		src := buildSource(t, 2*time.Hour)
		twoHourSig, twoHourPyr = src.Signal(), src.Pyramid()
	})
	if twoHourPyr == nil {
		t.Fatal("2 h test record not built")
	}
	return NewSource(twoHourSig, twoHourPyr)
}

func TestFrameGolden(t *testing.T) {
	src := twoHourSource(t)
	cases := []struct {
		name  string
		zoom  float64 // times 25 mm/s
		start float64 // s
	}{
		{"frame_50mms.png", 2, 10},             // 0.625 samples/px: straight lines between samples
		{"frame_25mms.png", 1, 10},             // 2.5 samples/px: raw min/max
		{"frame_1min.png", 1.0 / 16, 60},       // 40 samples/px: raw min/max, 1 s grid
		{"frame_2h.png", 1.0 / 1024, 0},        // 640 samples/px: pyramid
		{"frame_partial.png", 1.0 / 512, 6000}, // runs past the end at 2 h: blank there
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 400, 240))
			f := paperFrame(400, 240, c.zoom, c.start)
			if err := f.Draw(img, src); err != nil {
				t.Fatal(err)
			}
			assertGolden(t, c.name, img)
		})
	}
}

// TestEnvelopeSources checks the three ways of computing a column against
// a direct scan of the samples.
func TestEnvelopeSources(t *testing.T) {
	src := twoHourSource(t)
	sig := src.Signal()
	all := make([][]int32, 2)
	for i := range all {
		all[i] = make([]int32, 10*60*250) // the first 10 minutes
	}
	if _, err := sig.Read(all, 0); err != nil {
		t.Fatal(err)
	}
	k0 := float64(int(1) << src.Pyramid().K0())
	for _, spp := range []float64{3.7, k0 / 2, k0, k0 * 3.3, k0 * 40} {
		v := View{Start: 1234.5, SPP: spp, Width: 300}
		var env Envelope
		if err := src.Envelope(&env, 1, v); err != nil {
			t.Fatal(err)
		}
		for i := range env.Lo {
			a, b := int64(math.Ceil(v.Sample(float64(i)))), int64(math.Ceil(v.Sample(float64(i+1))))
			if b > int64(len(all[1])) {
				break
			}
			lo, hi := bruteRange(all[1], a, b)
			exact := spp < k0
			if exact && (env.Lo[i] != float64(lo) || env.Hi[i] != float64(hi)) {
				t.Fatalf("spp %g col %d: got [%g,%g], want [%d,%d]", spp, i, env.Lo[i], env.Hi[i], lo, hi)
			}
			if !exact && (env.Lo[i] > float64(lo) || env.Hi[i] < float64(hi)) {
				t.Fatalf("spp %g col %d: pyramid [%g,%g] does not cover samples [%d,%d]", spp, i, env.Lo[i], env.Hi[i], lo, hi)
			}
		}
	}
}

// TestEnvelopeLines checks that zoomed in past one sample per column the
// columns follow the straight line between two samples.
func TestEnvelopeLines(t *testing.T) {
	data := [][]int32{{0, 100, 100, -50}}
	src := NewSource(newMemSignal(data, 12), nil)
	var env Envelope
	v := View{Start: 0, SPP: 0.25, Width: 12}
	if err := src.Envelope(&env, 0, v); err != nil {
		t.Fatal(err)
	}
	want := [][2]float64{{0, 25}, {25, 50}, {50, 75}, {75, 100}, {100, 100}, {100, 100}, {100, 100}, {100, 100},
		{62.5, 100}, {25, 62.5}, {-12.5, 25}, {-50, -12.5}}
	for i, w := range want {
		if env.Lo[i] != w[0] || env.Hi[i] != w[1] {
			t.Errorf("column %d: got [%g,%g], want %v", i, env.Lo[i], env.Hi[i], w)
		}
	}
}

func TestTimeStep(t *testing.T) {
	cases := []struct {
		name     string
		pxPerSec float64
		want     GridStep
	}{
		{"25 mm/s at 4 px/mm: paper", 100, GridStep{0.04, 0.2}},
		{"12.5 mm/s: 40 ms lines 2 px apart, 0.2 s", 50, GridStep{0.2, 1}},
		{"1 min on 1200 px", 20, GridStep{0.2, 1}},
		{"10 min on 1200 px", 2, GridStep{5, 30}},
		{"24 h on 1200 px: 5 min lines 4.2 px apart", 1200.0 / 86400, GridStep{300, 1800}},
		{"14 days on 100 px", 100.0 / (14 * 86400), GridStep{6 * 3600, 24 * 3600}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if got := TimeStep(c.pxPerSec, 4); got != c.want {
				t.Errorf("TimeStep(%g) = %v, want %v", c.pxPerSec, got, c.want)
			}
		})
	}
}

func TestClock(t *testing.T) {
	cases := []struct {
		sec    float64
		tenths bool
		want   string
	}{
		{0, false, "0:00:00"},
		{59.6, false, "0:01:00"},
		{3725, false, "1:02:05"},
		{7 * 86400, false, "168:00:00"},
		{12.34, true, "0:00:12.3"},
		{-5, false, "-0:00:05"},
	}
	for _, c := range cases {
		if got := Clock(c.sec, c.tenths); got != c.want {
			t.Errorf("Clock(%g, %v) = %q, want %q", c.sec, c.tenths, got, c.want)
		}
	}
}

func TestRulerTicks(t *testing.T) {
	// 10 s on 1000 px from 0:01:00: labels every second (100 px apart).
	v := View{Start: 60 * 250, SPP: 2.5, Width: 1000}
	ticks := RulerTicks(v, 250, 60)
	if len(ticks) != 10 || ticks[0].Label != "0:01:00" || ticks[1].X != 100 || ticks[9].Label != "0:01:09" {
		t.Errorf("ticks = %+v", ticks)
	}
}

// TestHighGainFits draws two leads at 5, 10 and 20 mm/mV in a short plot
// and checks, by the trace pixels drawn, that each lead stays in its own
// lane below its name: at 20 mm/mV the R peaks were clipped at the top of
// the plot and the second lead's ran into the first's lane.
func TestHighGainFits(t *testing.T) {
	src := twoHourSource(t)
	const w, h, room = 400, 400, 16
	for _, gain := range []float64{5, 10, 20} {
		t.Run(fmt.Sprintf("%g mm/mV", gain), func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, w, h))
			f := paperFrame(w, h, 1, 10)
			f.Gain, f.NameRoom = gain, room
			if err := f.Draw(img, src); err != nil {
				t.Fatal(err)
			}
			for i, l := range f.Lanes {
				up, down := 0.0, 0.0
				var env Envelope
				if err := src.Envelope(&env, i, f.View); err != nil {
					t.Fatal(err)
				}
				for c := range env.Lo {
					if env.Valid(c) {
						up, down = max(up, l.Mid-l.Y(env.Hi[c])), max(down, l.Y(env.Lo[c])-l.Mid)
					}
				}
				top, bot := float64(h/2*i), float64(h/2*(i+1))
				if l.Mid-up < top || l.Mid+down > bot+0.5 {
					t.Errorf("lead %d spans rows %.0f-%.0f, outside its lane %.0f-%.0f", i, l.Mid-up, l.Mid+down, top, bot)
				}
				if gain == 20 && l.Mid-up < top+room {
					t.Errorf("lead %d reaches row %.0f, over its name (rows %.0f-%.0f)", i, l.Mid-up, top, top+room)
				}
			}
		})
	}
}
