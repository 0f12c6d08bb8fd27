package annotate

import "testing"

func TestParseLabel(t *testing.T) {
	cases := []struct {
		in   string
		want Code
		ok   bool
	}{
		{"N", Normal, true},
		{"n", SVEsc, true},
		{" V ", PVC, true},
		{"normal beat", Normal, true},
		{"Normal beat", Normal, true},
		{"premature ventricular contraction", PVC, true},
		{"atrial premature contraction", APC, true}, // EDFbrowser
		{"Atrial premature beat", APC, true},        // WFDB anndesc
		{"R-on-T premature ventricular  contraction", ROnT, true},
		{"rhythm change", Rhythm, true},
		{"Sleep stage W", 0, false},
		{"", 0, false},
	}
	for _, c := range cases {
		got, ok := ParseLabel(c.in)
		if ok != c.ok || got != c.want {
			t.Errorf("ParseLabel(%q) = %v, %v; want %v, %v", c.in, got, ok, c.want, c.ok)
		}
	}
}

// TestDescriptionRoundTrip checks every described code parses back from its
// description.
func TestDescriptionRoundTrip(t *testing.T) {
	for c := range MaxCode + 1 {
		d := c.Description()
		if d == "" {
			continue
		}
		if got, ok := ParseDescription(d); !ok || got != c {
			t.Errorf("ParseDescription(%q) = %v, %v; want %v", d, got, ok, c)
		}
	}
	if Normal.Description() != "normal beat" {
		t.Errorf("Normal.Description() = %q", Normal.Description())
	}
}

// FuzzParseLabel checks that any text ParseLabel accepts names a code whose
// own symbol and description parse back to it, and that it never panics.
func FuzzParseLabel(f *testing.F) {
	for c := range MaxCode + 1 {
		f.Add(c.Symbol())
		f.Add(c.Description())
	}
	f.Add("Atrial premature beat")
	f.Add("  NORMAL   beat ")
	f.Fuzz(func(t *testing.T, s string) {
		c, ok := ParseLabel(s)
		if !ok {
			return
		}
		if got, ok := ParseLabel(c.Symbol()); !ok || got != c {
			t.Errorf("%q parses to %v, whose symbol parses to %v, %v", s, c, got, ok)
		}
		if d := c.Description(); d != "" {
			if got, ok := ParseDescription(d); !ok || got != c {
				t.Errorf("%q parses to %v, whose description %q parses to %v, %v", s, c, d, got, ok)
			}
		}
	})
}
