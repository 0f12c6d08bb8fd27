package ui

import (
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// densityCases are the densities the click and rendering tests run at.
var densityCases = []struct {
	name  string
	secs  float64
	lines int
}{
	{"30 s a line, lines to fit", 30, FitLines},
	{"60 s a line, lines to fit", 60, FitLines},
	{"120 s a line, lines to fit", 120, FitLines},
	{"30 s a line, 30 lines", 30, 30},
	{"120 s a line, 15 lines", 120, 15},
	{"120 s a line, 60 lines", 120, 60},
}

// pagePos works out, from the page's geometry alone (not from the
// widget's own mapping), where sample s is drawn: the line it is on, and
// across that line in proportion to its time.
func pagePos(d *Disclosure, fs, secs float64, lines int, s int64) fyne.Position {
	lh := float32(lineHeight)
	if lines > 0 {
		lh = d.Size().Height / float32(lines)
	}
	perLine := int64(secs * fs)
	a, _ := d.Page()
	line := (s - a) / perLine
	x := lineGutter + float32(s-a-line*perLine)/float32(perLine)*(d.Size().Width-lineGutter)
	return fyne.NewPos(x, float32(line)*lh+lh/2)
}

// TestDisclosureClickAtDensity: at every density a Ctrl+click at (x, y)
// picks exactly the beat drawn there, and a plain click opens the strip
// with that beat selected, for beats on the first, a middle and the last
// line of the page; a Shift+click picks the run from the last pick across
// the page; the labels written on the page sit over their beats.
func TestDisclosureClickAtDensity(t *testing.T) {
	for _, c := range densityCases {
		t.Run(c.name, func(t *testing.T) {
			r, s, w := newTestScreen(t, theme.VariantLight)
			press(w, k(fyne.KeyF2))
			r.SetDisclosureDensity(c.secs, c.lines)
			if secs, lines := r.Disclosure.Density(); secs != c.secs || lines != c.lines {
				t.Fatalf("density %g s, %d lines", secs, lines)
			}
			a, b := r.Disclosure.Page()
			if want := int64(c.secs*250) * int64(r.Disclosure.Lines()); b-a != min(want, r.info.NSamples-a) {
				t.Fatalf("page [%d, %d) holds %d samples, want %d", a, b, b-a, want)
			}
			page := s.BeatsIn(a, b)
			for _, i := range []int{1, len(page) / 2, len(page) - 2} {
				want := page[i].Sample
				pos := pagePos(r.Disclosure, 250, c.secs, c.lines, want)
				r.clearPicks()
				ctrlClickAt(r.Disclosure, pos)
				if len(r.picked) != 1 || r.picked[0] != want {
					t.Errorf("Ctrl+click at %v picked %v, want the beat at %d", pos, r.picked, want)
				}
				test.TapAt(r.Disclosure, pos)
				if _, _, ok, cur := r.Strip.Selection(); !ok || cur != want || r.mode != modeStrip {
					t.Errorf("click at %v: selection at %d (ok %v, strip %v), want the beat at %d", pos, cur, ok, r.mode == modeStrip, want)
				}
				press(w, k(fyne.KeyF2))
				r.Disclosure.ShowSample(a)
			}
			checkRangePick(t, r, page, c.secs, c.lines)
			checkLabelsOverBeats(t, r.Disclosure, page, c.secs, c.lines)
		})
	}
}

// checkRangePick Ctrl+clicks a beat on the first line and Shift+clicks
// one on the last line: every beat between them, both included, is picked.
func checkRangePick(t *testing.T, r *RecordScreen, page []annotate.Beat, secs float64, lines int) {
	t.Helper()
	from, to := 2, len(page)-3
	r.clearPicks()
	ctrlClickAt(r.Disclosure, pagePos(r.Disclosure, 250, secs, lines, page[from].Sample))
	r.Disclosure.shift = true
	test.TapAt(r.Disclosure, pagePos(r.Disclosure, 250, secs, lines, page[to].Sample))
	if n := len(r.picked); n != to-from+1 || r.picked[0] != page[from].Sample || r.picked[n-1] != page[to].Sample {
		t.Errorf("Ctrl+click beat %d, Shift+click beat %d: %d picked, want %d from %d to %d", from, to, n, to-from+1, page[from].Sample, page[to].Sample)
	}
	r.clearPicks()
}

// ctrlClickAt clicks at pos on the page with Ctrl held.
func ctrlClickAt(d *Disclosure, pos fyne.Position) {
	d.ctrl = true
	test.TapAt(d, pos)
}

// checkLabelsOverBeats checks every beat label written on the page is at
// its non-N beat, labels on a line keep discLabelGap apart, every non-N
// beat is labelled unless it is closer than that to a label, and lines too
// low for labels have none.
func checkLabelsOverBeats(t *testing.T, d *Disclosure, page []annotate.Beat, secs float64, lines int) {
	t.Helper()
	rd := test.WidgetRenderer(d).(*disclosureRenderer)
	at := map[fyne.Position]*canvas.Text{}
	for _, l := range rd.labels {
		if l.Visible() {
			at[l.Position()] = l
		}
	}
	if d.lineH() < labelLineMin {
		if len(at) != 0 {
			t.Errorf("%d labels on lines %g units high", len(at), d.lineH())
		}
		return
	}
	var ectopic, labelled int
	lastX, lastY := float32(-1e9), float32(-1)
	for _, b := range page {
		if b.Code.Class() == annotate.ClassN {
			continue
		}
		ectopic++
		p := pagePos(d, 250, secs, lines, b.Sample)
		top := p.Y - d.lineH()/2 + 1
		if top != lastY {
			lastX, lastY = -1e9, top
		}
		l, ok := at[fyne.NewPos(p.X-5, top)]
		switch {
		case ok && l.Text == b.Code.Symbol() && p.X-lastX >= discLabelGap:
			labelled++
			lastX = p.X
		case ok:
			t.Errorf("label %q at %v over the %s beat at %v, %g units from the label before", l.Text, l.Position(), b.Code.Symbol(), p, p.X-lastX)
		case p.X-lastX >= discLabelGap:
			t.Errorf("the %s beat at %v has no label", b.Code.Symbol(), p)
		}
	}
	if labelled != len(at) || labelled == 0 {
		t.Errorf("%d labels written, %d of them over the page's %d non-N beats", len(at), labelled, ectopic)
	}
}

// TestDisclosurePages: the page count follows the density (a 24 h record
// at 120 s a line and 30 lines a page is 24 pages), and the page number
// follows the page shown.
func TestDisclosurePages(t *testing.T) {
	test.NewTempApp(t)
	sig := tracetest.New(250, 1, 24*time.Hour)
	d := NewDisclosure()
	d.SetRecord(sig, nil, nil)
	w := test.NewTempWindow(t, d)
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 20*lineHeight))
	cases := []struct {
		secs        float64
		lines       int
		at          time.Duration
		page, pages int
	}{
		{120, 30, 0, 1, 24},
		{120, 30, 23*time.Hour + 59*time.Minute, 24, 24},
		{120, 60, 0, 1, 12},
		{60, 30, 90 * time.Minute, 4, 48},
		{60, 30, 50 * time.Minute, 3, 48}, // lines 50-79: 20 of them on page 3
		{60, 30, 40 * time.Minute, 2, 48}, // lines 40-69: 20 of them on page 2
		{60, 15, 0, 1, 96},
		{30, 15, 0, 1, 192},
		{30, 60, 12 * time.Hour, 25, 48},
		{60, FitLines, 0, 1, 72}, // 20 lines fit the window
		{120, FitLines, 2 * time.Hour, 4, 36},
	}
	for _, c := range cases {
		d.SetDensity(c.secs, c.lines)
		d.ShowSample(int64(c.at.Seconds() * 250))
		if page, pages := d.Pages(); page != c.page || pages != c.pages {
			t.Errorf("%g s a line, %d lines, at %v: page %d of %d, want %d of %d", c.secs, c.lines, c.at, page, pages, c.page, c.pages)
		}
	}
	d.SetDensity(45, 30) // not offered: ignored
	if secs, lines := d.Density(); secs != 120 || lines != FitLines {
		t.Errorf("an unoffered density changed it to %g s, %d lines", secs, lines)
	}
}

// TestDisclosureDensityKeys: [ ] and { } step the density, + and - step
// the seconds a line while the page shows; each change reaches OnDensity
// once, the tool bar's selects and the status line's page count.
func TestDisclosureDensityKeys(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	var saved [][2]float64
	r.OnDensity = func(secs float64, lines int) { saved = append(saved, [2]float64{secs, float64(lines)}) }
	press(w, k(fyne.KeyF2))
	steps := []struct {
		key          in
		secs         float64
		lines        int
		status, sel1 string
	}{
		{ch(']'), 120, FitLines, "120 s a line", "120 s/line"},
		{ch(']'), 120, FitLines, "9 lines (fit) a page  ·  page 1 of 2", "120 s/line"}, // clamped: no change
		{ch('['), 60, FitLines, "60 s a line", "60 s/line"},
		{ch('+'), 30, FitLines, "30 s a line", "30 s/line"},
		{ch('-'), 60, FitLines, "60 s a line", "60 s/line"},
		{ch('}'), 60, 15, "15 lines a page  ·  page 1 of 2", "60 s/line"},
		{ch('}'), 60, 30, "30 lines a page  ·  page 1 of 1", "60 s/line"},
		{ch('{'), 60, 15, "15 lines", "60 s/line"},
	}
	for i, st := range steps {
		press(w, st.key)
		secs, lines := r.Disclosure.Density()
		if secs != st.secs || lines != st.lines {
			t.Errorf("step %d: %g s, %d lines, want %g s, %d lines", i, secs, lines, st.secs, st.lines)
		}
		if !strings.Contains(r.StatusText(), st.status) {
			t.Errorf("step %d: status %q, want %q in it", i, r.StatusText(), st.status)
		}
		if got := r.toolbar.density.secs.Selected; got != st.sel1 {
			t.Errorf("step %d: the tool bar shows %q", i, got)
		}
	}
	if len(saved) != 7 || saved[6] != [2]float64{60, 15} {
		t.Errorf("OnDensity saw %v, want 7 changes ending at 60 s, 15 lines", saved)
	}
	r.toolbar.density.lines.SetSelected("fit")
	if _, lines := r.Disclosure.Density(); lines != FitLines || saved[len(saved)-1] != [2]float64{60, 0} {
		t.Errorf("the tool bar's select left %d lines (saved %v)", lines, saved)
	}
	press(w, k(fyne.KeyF2))
	if r.toolbar.density.content.Visible() {
		t.Error("the density selects show with the strip")
	}
}

// TestDisclosureDensityGolden renders the page at 30 s a line (lines to
// fit the window) and at 120 s a line with 15 lines a page.
func TestDisclosureDensityGolden(t *testing.T) {
	for _, c := range []struct {
		file  string
		secs  float64
		lines int
	}{
		{"disclosure_30s_fit.png", 30, FitLines},
		{"disclosure_120s_15lines.png", 120, 15},
		{"disclosure_120s_60lines.png", 120, 60},
	} {
		t.Run(c.file, func(t *testing.T) {
			r, _, w := newTestScreen(t, theme.VariantLight)
			press(w, k(fyne.KeyF2))
			r.SetDisclosureDensity(c.secs, c.lines)
			press(w, k(fyne.KeyHome))
			test.AssertRendersToImage(t, c.file, w.Canvas())
		})
	}
}
