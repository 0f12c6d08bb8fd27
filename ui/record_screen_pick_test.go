package ui

import (
	"slices"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// discPos returns where sample is drawn on the full-disclosure page.
func discPos(d *Disclosure, sample int64) fyne.Position {
	w := d.Size().Width - lineGutter
	off := sample - d.start
	line, in := off/d.lineSamples(), off%d.lineSamples()
	return fyne.NewPos(lineGutter+float32(in)/float32(d.lineSamples())*w, float32(line)*d.lineH()+d.lineH()/2)
}

// ctrlClick clicks at sample on the page with Ctrl held.
func ctrlClick(d *Disclosure, sample int64) {
	pos := discPos(d, sample)
	d.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Modifier: fyne.KeyModifierControl})
	test.TapAt(d, pos)
}

// shiftClick clicks at sample on the page with Shift held.
func shiftClick(d *Disclosure, sample int64) {
	pos := discPos(d, sample)
	d.MouseDown(&desktop.MouseEvent{PointEvent: fyne.PointEvent{Position: pos}, Modifier: fyne.KeyModifierShift})
	test.TapAt(d, pos)
}

// TestDisclosurePick checks picking on the full-disclosure page: Ctrl+click
// picks beats (a second Ctrl+click drops one), Shift+click picks the run
// from the beat picked last, one label key relabels all the picked beats
// through the session and clears the picks; Esc and a plain click clear
// them without an edit.
func TestDisclosurePick(t *testing.T) {
	pressV := func(_ *RecordScreen, w fyne.Window, _ []annotate.Beat) { press(w, ch('v')) }
	cases := []struct {
		name   string
		clicks []int // beats of the page Ctrl+clicked, in order
		shift  []int // then beats Shift+clicked, in order
		then   func(r *RecordScreen, w fyne.Window, page []annotate.Beat)
		want   []int // beats of the page the reader made V
	}{
		{"Shift+click picks the run from the last pick", []int{2}, []int{5}, pressV, []int{2, 3, 4, 5}},
		{"a run backwards, then on from its end", []int{6}, []int{3, 7}, pressV, []int{3, 4, 5, 6, 7}},
		{"runs and single picks together", []int{2, 9}, []int{11}, pressV, []int{2, 9, 10, 11}},
		{"Shift+click with nothing picked picks one beat", nil, []int{4}, pressV, []int{4}},
		{"three picks, one key", []int{2, 5, 9}, nil, pressV, []int{2, 5, 9}},
		{"a second Ctrl+click drops a pick", []int{2, 5, 2}, nil, pressV, []int{5}},
		{"Esc clears the picks", []int{2, 5}, nil, func(_ *RecordScreen, w fyne.Window, _ []annotate.Beat) { press(w, k(fyne.KeyEscape)) }, nil},
		{"a plain click opens the strip and clears the picks", []int{2, 5}, nil, func(r *RecordScreen, _ fyne.Window, page []annotate.Beat) {
			test.TapAt(r.Disclosure, discPos(r.Disclosure, page[7].Sample))
		}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, s, w := newTestScreen(t, theme.VariantLight)
			press(w, k(fyne.KeyF2))
			a, b := r.Disclosure.Page()
			page := s.BeatsIn(a, b)
			for _, i := range c.clicks {
				ctrlClick(r.Disclosure, page[i].Sample)
			}
			for _, i := range c.shift {
				shiftClick(r.Disclosure, page[i].Sample)
			}
			c.then(r, w, page)
			if p := r.picked; len(p) != 0 {
				t.Errorf("picks left: %v", p)
			}
			for i, old := range page[:12] {
				now, _ := s.Beat(old.Sample)
				if byReader := now.Prov.Source == annotate.SourceReader; byReader != slices.Contains(c.want, i) ||
					(byReader && now.Code != annotate.PVC) {
					t.Errorf("beat %d: %s by %s, want V by the reader: %v", i, now.Code, now.Prov.Source, slices.Contains(c.want, i))
				}
			}
			checkMirror(t, r, s)
		})
	}
}

// TestDisclosurePickGolden renders the page with three beats picked.
func TestDisclosurePickGolden(t *testing.T) {
	r, s, w := newTestScreen(t, theme.VariantLight)
	press(w, k(fyne.KeyF2))
	a, b := r.Disclosure.Page()
	page := s.BeatsIn(a, b)
	for _, i := range []int{2, 5, 40} {
		ctrlClick(r.Disclosure, page[i].Sample)
	}
	if got := r.picked; len(got) != 3 {
		t.Fatalf("picked %v, want 3 beats", got)
	}
	test.AssertRendersToImage(t, "record_screen_disclosure_picked.png", w.Canvas())
}
