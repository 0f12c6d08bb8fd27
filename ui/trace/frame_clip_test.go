package trace

import (
	"fmt"
	"image"
	"math"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// overRange is 4 s at 250 Hz of three leads at 200 units/mV: a ±15 mV
// square wave at 2 Hz, a flat lead, and a 10 mV sine at 1 Hz: at any paper
// gain the first and last reach far beyond their lanes.
func overRange() annotate.Signal {
	const fs, n, gain = 250, 1000, 200
	s := [][]int32{make([]int32, n), make([]int32, n), make([]int32, n)}
	for k := range n {
		sq := 15.0
		if (k/(fs/4))%2 == 1 {
			sq = -15
		}
		s[0][k] = int32(sq * gain)
		s[2][k] = int32(math.Round(10 * gain * math.Sin(2*math.Pi*float64(k)/fs)))
	}
	leads := []annotate.Lead{{Name: "square", Units: "mV", Gain: gain}, {Name: "II", Units: "mV", Gain: gain},
		{Name: "sine", Units: "mV", Gain: gain}}
	return &annotate.MemSignal{Meta: annotate.RecordInfo{Name: "over-range", Fs: fs, NSamples: n, Leads: leads}, Samples: s}
}

// isTrace reports whether the pixel at x, y is (partly) trace: the paper
// and the grid lines of paperStyle are all light red.
func isTrace(img *image.RGBA, x, y int) bool { return img.RGBAAt(x, y).R < 200 }

// TestLanesClipOverRange draws an over-range record at every paper gain
// and checks that the flat middle lead's lane holds no trace but its own
// baseline: neither the square wave above nor the sine below draws into
// it. The 20 mm/mV frame is a golden image.
func TestLanesClipOverRange(t *testing.T) {
	src := NewSource(overRange(), nil)
	for _, gain := range []float64{5, 10, 20, 40} {
		t.Run(fmt.Sprintf("%g mm/mV", gain), func(t *testing.T) {
			img := image.NewRGBA(image.Rect(0, 0, 400, 300))
			f := paperFrame(400, 300, 1, 0)
			f.Gain = gain
			if err := f.Draw(img, src); err != nil {
				t.Fatal(err)
			}
			checkLaneClean(t, img, f)
			for i := range f.Lanes {
				checkInside(t, img, f, i)
			}
			if gain == 20 {
				assertGolden(t, "frame_clip_20mm.png", img)
			}
		})
	}
}

// checkLaneClean checks lane 1 (the flat lead) has trace only within two
// pixels of its baseline.
func checkLaneClean(t *testing.T, img *image.RGBA, f *Frame) {
	t.Helper()
	rc, mid := f.LaneRect(1), f.Lanes[1].Y(0)
	for y := rc.Min.Y; y < rc.Max.Y; y++ {
		if math.Abs(float64(y)+0.5-mid) <= 2 {
			continue
		}
		for x := rc.Min.X; x < rc.Max.X; x++ {
			if isTrace(img, x, y) {
				t.Fatalf("trace at (%d, %d) in the flat lead's lane %v (baseline row %.1f)", x, y, rc, mid)
			}
		}
	}
}

// checkInside checks that lane i's over-range trace reaches both edges of
// its lane somewhere (it is drawn, and clipped there rather than hidden).
func checkInside(t *testing.T, img *image.RGBA, f *Frame, i int) {
	t.Helper()
	if i == 1 {
		return
	}
	rc := f.LaneRect(i)
	top, bottom := false, false
	for x := rc.Min.X; x < rc.Max.X; x++ {
		top = top || isTrace(img, x, rc.Min.Y)
		bottom = bottom || isTrace(img, x, rc.Max.Y-1)
	}
	if !top || !bottom {
		t.Errorf("lane %d %v: trace at its top edge %v, bottom edge %v; want both (clipped, not hidden)", i, rc, top, bottom)
	}
}
