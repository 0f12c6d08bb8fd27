package report

import (
	"fmt"
	"slices"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// ECG paper: 25 mm/s, 10 mm/mV, 1-mm and 5-mm grid lines.
const (
	mmPerS   = 25.0
	mmPerMV  = 10.0
	maxLeads = 3
)

// stripPages draws a strip for each key event.
func (g *doc) stripPages() error {
	win := int64(g.opt.StripSeconds * g.sum.Fs)
	evs := KeyEvents(g.sum, win)
	if len(evs) > g.opt.MaxStrips {
		evs = evs[:g.opt.MaxStrips]
	}
	if len(evs) == 0 || g.sig == nil {
		return g.err()
	}
	g.pdf.AddPage()
	g.heading(fmt.Sprintf("ECG strips of key events (25 mm/s, 10 mm/mV; labels of reader %s)", g.d.Reader))
	for _, e := range evs {
		if err := g.strip(e, win); err != nil {
			return err
		}
	}
	return g.err()
}

// strip draws one event's strip at the current position.
func (g *doc) strip(e Event, win int64) error {
	n := g.sum.Duration.Seconds() * g.sum.Fs
	start := min(max(0, e.At-win/2), max(0, int64(n)-win))
	half := time.Duration(float64(win) / g.sum.Fs / 2 * float64(time.Second))
	sn, err := ReadSnippet(g.sig, start+win/2, half, half, g.in.Beats)
	if err != nil {
		return fmt.Errorf("report %s: strip at %d: %w", g.d.Entry.Info.Name, e.At, err)
	}
	leads := min(len(sn.Values), maxLeads)
	band := 30.0
	if leads > 1 {
		band = 24
	}
	h := 5 + 4 + band*float64(leads) + 6
	p := g.pdf
	if p.GetY()+h > pageH-margin-6 {
		p.AddPage()
	}
	x0, y0 := margin, p.GetY()
	g.font("B", 9)
	p.CellFormat(textW, 5, g.tr(fmt.Sprintf("%s at %s", e.Title, g.clock(e.At))), "", 1, "L", false, 0, "")
	w := float64(len(sn.Values[0])) / sn.Fs * mmPerS
	g.labels(sn, x0, y0+5)
	gy := y0 + 9
	g.grid(x0, gy, w, band*float64(leads))
	for l := range leads {
		g.trace(sn, l, x0, gy+band*float64(l), w, band)
	}
	g.font("", 7)
	p.SetXY(x0, gy+band*float64(leads)+0.5)
	p.CellFormat(textW, 4, g.tr(fmt.Sprintf("%s to %s", g.clock(sn.Start), g.clock(sn.Start+int64(len(sn.Values[0]))))), "", 1, "L", false, 0, "")
	p.Ln(2)
	return nil
}

// grid draws the ECG paper grid.
func (g *doc) grid(x, y, w, h float64) {
	p := g.pdf
	for _, major := range []bool{false, true} {
		if major {
			p.SetDrawColor(235, 150, 150)
			p.SetLineWidth(0.18)
		} else {
			p.SetDrawColor(250, 215, 215)
			p.SetLineWidth(0.06)
		}
		for i := 0; float64(i) <= w; i++ {
			if (i%5 == 0) == major {
				p.Line(x+float64(i), y, x+float64(i), y+h)
			}
		}
		for i := 0; float64(i) <= h; i++ {
			if (i%5 == 0) == major {
				p.Line(x, y+float64(i), x+w, y+float64(i))
			}
		}
	}
}

// trace draws lead l of sn in a band of height h mm, centred on the
// lead's median, clipped to the band.
func (g *doc) trace(sn *Snippet, l int, x, y, w, h float64) {
	p, v := g.pdf, sn.Values[l]
	if len(v) == 0 {
		return
	}
	s := slices.Clone(v)
	slices.Sort(s)
	mid := float64(s[len(s)/2])
	p.ClipRect(x, y, w, h, false)
	p.SetDrawColor(0, 0, 0)
	p.SetLineWidth(0.2)
	step := max(1, int(sn.Fs/200)) // at most 200 points per second (8 per mm)
	for i := 0; i < len(v); i += step {
		px := x + float64(i)/sn.Fs*mmPerS
		py := y + h/2 - (float64(v[i])-mid)*mmPerMV
		if i == 0 {
			p.MoveTo(px, py)
		} else {
			p.LineTo(px, py)
		}
	}
	p.DrawPath("D")
	p.ClipEnd()
	g.font("", 6)
	p.SetXY(x+0.5, y+0.5)
	p.CellFormat(20, 3, g.tr(sn.Leads[l].Name), "", 0, "L", false, 0, "")
}

// labels writes each beat's label above the strip, V red and S green.
func (g *doc) labels(sn *Snippet, x, y float64) {
	p := g.pdf
	g.font("B", 7)
	for _, b := range sn.Beats {
		if !b.Code.IsBeat() {
			continue
		}
		switch b.Code.Class() {
		case annotate.ClassV:
			p.SetTextColor(200, 30, 30)
		case annotate.ClassS:
			p.SetTextColor(30, 140, 30)
		default:
			p.SetTextColor(40, 40, 40)
		}
		p.SetXY(x+sn.Seconds(b.Sample)*mmPerS-2, y)
		p.CellFormat(4, 4, g.tr(b.Code.Symbol()), "", 0, "C", false, 0, "")
	}
	p.SetTextColor(0, 0, 0)
}
