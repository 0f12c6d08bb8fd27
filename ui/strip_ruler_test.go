package ui

import (
	"fmt"
	"math"
	"regexp"
	"strconv"
	"testing"

	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
)

// rulerClock matches a ruler time, h:mm:ss with optional tenths.
var rulerClock = regexp.MustCompile(`^(\d+):(\d\d):(\d\d(?:\.\d)?)$`)

// TestStripRulerTimes reads each ruler time the strip shows (its minutes
// and seconds texts joined) and checks it against the time at the tick,
// computed from the view's start and end samples and the tick's position:
// the seconds text sits right after the minutes text, and the time is the
// one under its tick to within a unit's samples and the label's rounding.
func TestStripRulerTimes(t *testing.T) {
	const fs, width = 250.0, 800.0
	for _, c := range []struct {
		speed, start float64 // mm/s (0: the whole record), s
		round        float64 // the labels' precision, s
	}{{25, 61, 1}, {50, 3599 - 10, 0.1}, {25.0 / 8, 1234, 1}, {0, 0, 1}} {
		t.Run(fmt.Sprintf("%gmms_%gs", c.speed, c.start), func(t *testing.T) {
			s, _ := newTestStrip(t, theme.VariantLight)
			s.SetSpeed(c.speed, 0)
			s.ScrollTo(c.start * fs)
			r := test.TempWidgetRenderer(t, s).(*stripRenderer)
			start, end := s.View()
			perUnit := float64(end-start) / width
			n := 0
			for i := 0; i+1 < len(r.ruler); i += 2 {
				head, tail := r.ruler[i], r.ruler[i+1]
				if !head.Visible() {
					continue
				}
				n++
				if !tail.Visible() || tail.Position().X != head.Position().X+head.Size().Width {
					t.Errorf("%q%q: seconds at x %v, want right after the minutes (%v)", head.Text, tail.Text,
						tail.Position().X, head.Position().X+head.Size().Width)
				}
				m := rulerClock.FindStringSubmatch(head.Text + tail.Text)
				if m == nil {
					t.Errorf("ruler shows %q, want h:mm:ss", head.Text+tail.Text)
					continue
				}
				h, _ := strconv.Atoi(m[1])
				mi, _ := strconv.Atoi(m[2])
				sec, _ := strconv.ParseFloat(m[3], 64)
				shown := float64(h*3600+mi*60) + sec
				x := float64(head.Position().X) - 3 // the text starts 3 units right of its tick
				want := (float64(start) + x*perUnit) / fs
				if tol := perUnit/fs + c.round/2; math.Abs(shown-want) > tol {
					t.Errorf("ruler shows %s at x %.0f, the time there is %.2f s (tolerance %.2f s)", head.Text+tail.Text, x, want, tol)
				}
			}
			if n < 2 {
				t.Errorf("%d ruler times shown, want several", n)
			}
		})
	}
}
