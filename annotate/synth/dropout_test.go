package synth

import (
	"errors"
	"testing"
	"time"
)

// TestDropouts checks that a dropout replaces every lead's samples by the
// baseline (lead off) or the upper ADC rail (saturation) over exactly its
// span, leaves the rest, and is marked as noise on every lead.
func TestDropouts(t *testing.T) {
	for _, kind := range []string{DropLeadOff, DropSaturation} {
		t.Run(kind, func(t *testing.T) {
			c := Default()
			c.Duration, c.Seed, c.Baseline = 20*time.Second, 3, 12
			c.Noise.Dropouts = []Dropout{{Kind: kind, At: 5 * time.Second, Length: 4 * time.Second}}
			_, samples, ann, err := Record(c)
			if err != nil {
				t.Fatal(err)
			}
			a, b := int(5*c.Fs), int(9*c.Fs)
			want := c.Baseline
			if kind == DropSaturation {
				want = 1<<15 - 1
			}
			for l, lead := range samples {
				same := 0
				for k, v := range lead {
					inside := k >= a && k < b
					if inside && v != want {
						t.Fatalf("lead %d sample %d = %d inside the dropout [%d, %d), want %d", l, k, v, a, b, want)
					}
					if !inside && v == want {
						same++
					}
				}
				if same > len(lead)/20 {
					t.Errorf("lead %d: %d samples outside the dropout at %d", l, same, want)
				}
			}
			if len(ann.Noise) != 1 || ann.Noise[0].Start != int64(a) || ann.Noise[0].End != int64(b) ||
				ann.Noise[0].Lead != -1 || ann.Noise[0].Reason != kind {
				t.Errorf("noise marks %+v", ann.Noise)
			}
		})
	}
}

func TestDropoutErrors(t *testing.T) {
	for _, c := range []struct {
		d     Dropout
		field string
	}{
		{Dropout{Kind: "unplugged", At: time.Second, Length: time.Second}, "Noise.Dropouts[0].Kind"},
		{Dropout{Kind: DropLeadOff, At: -time.Second, Length: time.Second}, "Noise.Dropouts[0].At"},
		{Dropout{Kind: DropLeadOff, At: time.Minute, Length: time.Second}, "Noise.Dropouts[0].At"},
		{Dropout{Kind: DropLeadOff, At: time.Second}, "Noise.Dropouts[0].Length"},
		{Dropout{Kind: DropSaturation, At: 50 * time.Second, Length: 11 * time.Second}, "Noise.Dropouts[0].Length"},
	} {
		cfg := Default()
		cfg.Noise.Dropouts = []Dropout{c.d}
		_, err := New(cfg)
		var ce *ConfigError
		if !errors.As(err, &ce) || ce.Field != c.field || !errors.Is(err, ErrRange) {
			t.Errorf("%+v: got %v, want a range error on %s", c.d, err, c.field)
		}
	}
}
