package archive

import (
	"cmp"
	"errors"
	"fmt"
	"image"
	"image/color"
	"math"
	"slices"

	"gonum.org/v1/plot"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/plotutil"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/figures"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

// Errors of the plots.
var (
	ErrPlotKind = errors.New("archive: unknown plot kind")
	ErrNoRows   = errors.New("archive: nothing to plot")
)

// The plots of the archive, by name (figures.PlotKinds).
const (
	PlotNoiseByDevice     = figures.PlotNoiseByDevice
	PlotNoiseByLead       = figures.PlotNoiseByLead
	PlotAFByDevice        = figures.PlotAFByDevice
	PlotAgreementByDevice = figures.PlotAgreementByDevice
	PlotClassesByDevice   = figures.PlotClassesByDevice
	PlotNoisePerRecord    = figures.PlotNoisePerRecord
)

// PlotKind names a plot of the archive and its title in a menu.
type PlotKind = figures.PlotKind

// PlotKinds are the plots Plot draws, in menu order.
var PlotKinds = figures.PlotKinds

// Plot draws plot kind of rows: box plots of a per-record figure by device
// (each record a dot beside its device's box), grouped bars of the beats by
// class per device, or each record's noise burden, noisiest first.
func Plot(kind string, rows []Row) (*plot.Plot, error) {
	if len(rows) == 0 {
		return nil, fmt.Errorf("%w: no records", ErrNoRows)
	}
	switch kind {
	case PlotNoiseByDevice:
		return boxByDevice(rows, "Noise burden by device (mean over the leads)", "time under noise (%)", (*Row).MeanNoisePct, true)
	case PlotNoiseByLead:
		return noiseByLead(rows)
	case PlotAFByDevice:
		return boxByDevice(rows, "AF burden by device", "time in AF (%)", func(r *Row) float64 { return r.AFPct }, true)
	case PlotAgreementByDevice:
		return boxByDevice(rows, "Model–reader agreement by device (reviewed records)", "beats of the same class (%)", agreeOf, false)
	case PlotClassesByDevice:
		return classesByDevice(rows)
	case PlotNoisePerRecord:
		return noisePerRecord(rows)
	}
	return nil, fmt.Errorf("%w: %q", ErrPlotKind, kind)
}

// PlotImage draws plot kind of rows into a w x h pixel image.
func PlotImage(kind string, rows []Row, w, h int) (image.Image, error) {
	p, err := Plot(kind, rows)
	if err != nil {
		return nil, err
	}
	return chart.Image(p, w, h)
}

// PlotFile renders plot kind of rows at w x h pixels as "png", "svg" or
// "pdf" bytes.
func PlotFile(kind string, rows []Row, w, h int, format string) ([]byte, error) {
	p, err := Plot(kind, rows)
	if err != nil {
		return nil, err
	}
	return chart.Render(p, w, h, format)
}

// agreeOf is a row's model-reader agreement, NaN where nobody reviewed.
func agreeOf(r *Row) float64 {
	if r.AgreePairs == 0 {
		return math.NaN()
	}
	return r.AgreePct
}

// byDevice returns the devices of rows in name order and each one's rows
// in name order (so a plot does not change with the order of rows).
func byDevice(rows []Row) ([]string, map[string][]*Row) {
	m := map[string][]*Row{}
	for i := range rows {
		m[rows[i].Device] = append(m[rows[i].Device], &rows[i])
	}
	keys := make([]string, 0, len(m))
	for k, rs := range m {
		keys = append(keys, k)
		slices.SortStableFunc(rs, func(a, b *Row) int { return cmp.Compare(a.Name, b.Name) })
	}
	slices.Sort(keys)
	return keys, m
}

// deviceName is how a device shows on an axis ("(none)" when empty).
func deviceName(d string) string { return cmp.Or(d, "(none)") }

// boxByDevice draws a box plot of y (NaN: left out) per device, with the
// records as dots beside each box; the y axis starts at 0 when zero is
// true, else where the values start.
func boxByDevice(rows []Row, title, ylab string, y func(*Row) float64, zero bool) (*plot.Plot, error) {
	keys, m := byDevice(rows)
	p := chart.NewPlot(title, "device", ylab)
	var names []string
	for _, k := range keys {
		var v plotter.Values
		for _, r := range m[k] {
			if x := y(r); !math.IsNaN(x) && !math.IsInf(x, 0) {
				v = append(v, x)
			}
		}
		if len(v) == 0 {
			continue
		}
		if err := addBox(p, float64(len(names)), v); err != nil {
			return nil, err
		}
		names = append(names, fmt.Sprintf("%s (%d)", deviceName(k), len(v)))
	}
	if len(names) == 0 {
		return nil, fmt.Errorf("%w: no record has this figure", ErrNoRows)
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(names))-0.3
	pad := 0.05 * max(p.Y.Max-p.Y.Min, 1)
	p.Y.Min, p.Y.Max = p.Y.Min-pad, p.Y.Max+pad
	if zero {
		p.Y.Min = 0
	}
	return p, nil
}

// addBox adds the box of v at x and its values as dots to the right of it.
func addBox(p *plot.Plot, x float64, v plotter.Values) error {
	b, err := plotter.NewBoxPlot(vg.Points(28), x, v)
	if err != nil {
		return fmt.Errorf("archive: box plot: %w", err)
	}
	b.FillColor = color.NRGBA{0x1f, 0x4e, 0x99, 0x30}
	pts := make(plotter.XYs, len(v))
	for i, y := range v {
		// Spread the dots a little by their order so equal values show.
		pts[i] = plotter.XY{X: x + 0.22 + 0.12*float64(i%5)/4, Y: y}
	}
	s, err := plotter.NewScatter(pts)
	if err != nil {
		return fmt.Errorf("archive: box plot: %w", err)
	}
	s.GlyphStyle.Radius = vg.Points(1.8)
	s.GlyphStyle.Shape = draw.CircleGlyph{}
	s.GlyphStyle.Color = color.NRGBA{0x1f, 0x4e, 0x99, 0xa0}
	p.Add(b, s)
	return nil
}

// maxLeads is how many leads the per-lead noise plot draws side by side.
const maxLeads = 12

// leadName is the name of lead i of r: its name in the record ("lead 3"
// when it has none), with "#2" after a name the record already used, so
// that one record counts once in each box.
func leadName(r *Row, i int, seen map[string]int) string {
	name := fmt.Sprintf("lead %d", i+1)
	if i < len(r.Leads) && r.Leads[i] != "" {
		name = r.Leads[i]
	}
	if seen[name]++; seen[name] > 1 {
		name = fmt.Sprintf("%s #%d", name, seen[name])
	}
	return name
}

// leadNoise returns the lead names of the records of the devices keys (of
// m), the most common first (ties in the order they come), and the noise
// burdens of each lead on each device, v[lead][device], leaving out the
// NaN ones (a record of unknown length). Leads are matched by name, not
// by position: MIT-BIH 100 starts with MLII, 102 with V5.
func leadNoise(keys []string, m map[string][]*Row) (names []string, v [][]plotter.Values) {
	at := map[string]int{}
	for d, k := range keys {
		for _, r := range m[k] {
			seen := map[string]int{}
			for i, x := range r.NoisePct {
				name := leadName(r, i, seen)
				if math.IsNaN(x) || math.IsInf(x, 0) {
					continue
				}
				l, ok := at[name]
				if !ok {
					l, at[name] = len(names), len(names)
					names, v = append(names, name), append(v, make([]plotter.Values, len(keys)))
				}
				v[l][d] = append(v[l][d], x)
			}
		}
	}
	order := make([]int, len(names))
	for i := range order {
		order[i] = i
	}
	size := func(l int) (n int) {
		for _, x := range v[l] {
			n += len(x)
		}
		return n
	}
	slices.SortStableFunc(order, func(a, b int) int { return -cmp.Compare(size(a), size(b)) })
	sn, sv := make([]string, len(order)), make([][]plotter.Values, len(order))
	for i, l := range order {
		sn[i], sv[i] = names[l], v[l]
	}
	return sn, sv
}

// noiseByLead draws, for each device, a box of the records' noise burden
// on each of its leads, by lead name, side by side (the most common leads,
// up to maxLeads, a colour each).
func noiseByLead(rows []Row) (*plot.Plot, error) {
	keys, m := byDevice(rows)
	leads, vals := leadNoise(keys, m)
	if len(leads) == 0 {
		return nil, fmt.Errorf("%w: no record has a noise burden per lead", ErrNoRows)
	}
	n := min(len(leads), maxLeads)
	// Each device's own leads side by side, centred on it; a lead keeps
	// its colour on every device.
	on := make([][]int, len(keys))
	wide := 1
	for d := range keys {
		for l := range n {
			if len(vals[l][d]) > 0 {
				on[d] = append(on[d], l)
			}
		}
		wide = max(wide, len(on[d]))
	}
	p := chart.NewPlot("Noise burden by device and lead", "device", "time under noise (%)")
	w := min(vg.Points(28), 5*vg.Inch/vg.Length(len(keys)*wide)*0.8)
	for d, ls := range on {
		for i, l := range ls {
			b, err := plotter.NewBoxPlot(w, float64(d), vals[l][d])
			if err != nil {
				return nil, fmt.Errorf("archive: noise by lead: %w", err)
			}
			b.FillColor, b.Offset = plotutil.Color(l), w*vg.Length(2*i-len(ls)+1)/2
			p.Add(b)
		}
	}
	for l := range n {
		p.Legend.Add(leads[l], swatch{plotutil.Color(l)})
	}
	if len(leads) > n {
		p.Legend.Add(fmt.Sprintf("(%d rarer leads not drawn)", len(leads)-n))
	}
	names := make([]string, len(keys))
	for i, k := range keys {
		names[i] = fmt.Sprintf("%s (%d)", deviceName(k), len(m[k]))
	}
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.6, float64(len(keys))-0.4
	p.Y.Min = 0
	p.Y.Max *= 1.15 // room for the legend
	return p, nil
}

// swatch is a legend entry of one colour.
type swatch struct{ c color.Color }

// Thumbnail implements plot.Thumbnailer.
func (s swatch) Thumbnail(c *draw.Canvas) {
	c.SetColor(s.c)
	c.Fill(c.Rectangle.Path())
}

// classColours are the bar colours of the AAMI classes S V F Q.
var classColours = [...]color.Color{
	annotate.ClassS: color.RGBA{0x2c, 0xa0, 0x2c, 0xff},
	annotate.ClassV: color.RGBA{0xd6, 0x27, 0x28, 0xff},
	annotate.ClassF: color.RGBA{0x94, 0x67, 0xbd, 0xff},
	annotate.ClassQ: color.RGBA{0xe6, 0xa2, 0x00, 0xff},
}

// classesByDevice draws each device's S, V, F and Q beats per hour of
// recording as grouped bars; the N beats, a hundred times more, are in the
// device's label (per hour too) so they do not flatten the others.
func classesByDevice(rows []Row) (*plot.Plot, error) {
	keys, m := byDevice(rows)
	names := make([]string, len(keys))
	hours := make([]float64, len(keys))
	for i, k := range keys {
		n := 0
		for _, r := range m[k] {
			hours[i] += r.Hours
			n += r.Counts[annotate.ClassN]
		}
		names[i] = fmt.Sprintf("%s\nN %.0f/h", deviceName(k), perHour(n, hours[i]))
	}
	p := chart.NewPlot("Beats per class by device (per hour of recording)", "device", "beats per hour")
	const k = int(annotate.ClassQ - annotate.ClassS + 1)
	w := min(vg.Points(14), 5*vg.Inch/vg.Length(len(keys)*k)*0.8)
	for c := annotate.ClassS; c <= annotate.ClassQ; c++ {
		v := make(plotter.Values, len(keys))
		total := 0
		for i, key := range keys {
			n := 0
			for _, r := range m[key] {
				n += r.Counts[c]
			}
			v[i], total = perHour(n, hours[i]), total+n
		}
		bc, err := plotter.NewBarChart(v, w)
		if err != nil {
			return nil, fmt.Errorf("archive: beats per class: %w", err)
		}
		bc.Color, bc.LineStyle.Width = classColours[c], 0
		bc.Offset = w * vg.Length(2*int(c-annotate.ClassS)-k+1) / 2
		p.Add(bc)
		p.Legend.Add(fmt.Sprintf("%s (%d beats)", c, total), bc)
	}
	p.NominalX(names...)
	p.Y.Min = 0
	p.Y.Max *= 1.2 // room for the legend
	return p, nil
}

// perHour returns n per hour of h hours (0 for no hours).
func perHour(n int, h float64) float64 {
	if h <= 0 {
		return 0
	}
	return float64(n) / h
}

// noisePerRecord draws each record's mean noise burden as a dot, the
// records noisiest first, coloured by device.
func noisePerRecord(rows []Row) (*plot.Plot, error) {
	order := make([]*Row, 0, len(rows))
	for i := range rows {
		if !math.IsNaN(rows[i].MeanNoisePct()) {
			order = append(order, &rows[i])
		}
	}
	if len(order) == 0 {
		return nil, fmt.Errorf("%w: no record has leads", ErrNoRows)
	}
	slices.SortStableFunc(order, func(a, b *Row) int {
		return cmp.Or(-cmp.Compare(a.MeanNoisePct(), b.MeanNoisePct()), cmp.Compare(a.Name, b.Name))
	})
	keys, _ := byDevice(rows)
	pts := make([]plotter.XYs, len(keys))
	for i, r := range order {
		d := slices.Index(keys, r.Device)
		pts[d] = append(pts[d], plotter.XY{X: float64(i + 1), Y: r.MeanNoisePct()})
	}
	p := chart.NewPlot("Noise burden per record (mean over the leads)", "records, noisiest first", "time under noise (%)")
	for d, xy := range pts {
		if len(xy) == 0 {
			continue
		}
		s, err := plotter.NewScatter(xy)
		if err != nil {
			return nil, fmt.Errorf("archive: noise per record: %w", err)
		}
		s.GlyphStyle.Color = plotutil.Color(d)
		s.GlyphStyle.Shape = draw.CircleGlyph{}
		s.GlyphStyle.Radius = vg.Points(2.5)
		p.Add(s)
		p.Legend.Add(fmt.Sprintf("%s (%d)", deviceName(keys[d]), len(xy)), s)
	}
	p.Y.Min = 0
	p.Y.Max *= 1.15
	p.X.Min, p.X.Max = 0, float64(len(order)+1)
	return p, nil
}
