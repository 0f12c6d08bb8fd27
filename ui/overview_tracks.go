package ui

import (
	"image"
	"image/color"
	"math"
	"slices"
	"sort"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/store/report/chart"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// The overview's tracks, top to bottom.
type trackKind uint8

const (
	trackEnvelope trackKind = iota
	trackEctopy
	trackHR
	trackRhythm
	trackNoise
	trackConfidence
	trackReviewed
)

// Track heights in units, the number of rhythm tracks, and the heart-rate
// scale.
const (
	rhythmRows    = 3
	trackGap      = 1
	hrMin, hrMax  = 30.0, 180.0 // bpm at the bottom and top of the HR track
	lowConfidence = 0.8         // a model label below this probability is uncertain
)

var trackHeights = map[trackKind]float32{trackEnvelope: 26, trackEctopy: 7, trackHR: 24,
	trackRhythm: 9, trackNoise: 8, trackConfidence: 8, trackReviewed: 8}

// track is one row of the overview, at y with height h (units).
type track struct {
	kind   trackKind
	name   string
	rhythm string
	y, h   float32
}

// layoutTracks lists the tracks; the rhythm tracks show the rhythms with
// the longest total time, in that order.
func layoutTracks(l *Labels) []track {
	rh := topRhythms(l.Episodes(), rhythmRows)
	var ts []track
	y := float32(0)
	add := func(k trackKind, name, rhythm string) {
		ts = append(ts, track{kind: k, name: name, rhythm: rhythm, y: y, h: trackHeights[k]})
		y += trackHeights[k] + trackGap
	}
	add(trackEnvelope, "ECG", "")
	add(trackEctopy, "ectopy", "")
	add(trackHR, "HR", "")
	for i := range rhythmRows {
		name := ""
		if i < len(rh) {
			name = rh[i]
		} else if i == 0 {
			name = "rhythm"
		}
		add(trackRhythm, chart.RhythmName(name), name)
	}
	add(trackNoise, "noise", "")
	add(trackConfidence, "uncertain", "")
	add(trackReviewed, "reviewed", "")
	return ts
}

func tracksHeight(ts []track) float32 {
	if len(ts) == 0 {
		return 0
	}
	last := ts[len(ts)-1]
	return last.y + last.h
}

// topRhythms returns up to n rhythm labels by total episode time.
func topRhythms(eps []annotate.EpisodeEntry, n int) []string {
	total := map[string]int64{}
	for _, e := range eps {
		total[e.Rhythm] += e.End - e.Start
	}
	names := make([]string, 0, len(total))
	for k := range total {
		names = append(names, k)
	}
	sort.Slice(names, func(i, j int) bool {
		if total[names[i]] != total[names[j]] {
			return total[names[i]] > total[names[j]]
		}
		return names[i] < names[j]
	})
	return names[:min(n, len(names))]
}

// draw paints every track for a w x h pixel image.
func (r *overviewRenderer) draw(w, h int) image.Image {
	if r.img == nil || r.img.Rect.Dx() != w || r.img.Rect.Dy() != h {
		r.img = image.NewRGBA(image.Rect(0, 0, w, h))
	}
	o := r.o
	th, v := o.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	trace.Fill(r.img, r.img.Rect, stripColor(th, ColorNameECGPaper, v))
	size := o.Size()
	if o.src == nil || o.info.NSamples == 0 || w == 0 || size.Width <= overviewGutter {
		return r.img
	}
	scale := float64(w) / float64(size.Width)
	g := int(overviewGutter * scale)
	view := trace.View{SPP: float64(o.info.NSamples) / float64(w-g), Width: w - g}
	r.cols.update(o.labels, view)
	p := &trackPainter{img: r.img, view: view, x0: g, scale: scale, th: th, v: v, o: o, cols: &r.cols}
	for _, t := range r.tracks {
		rc := image.Rect(g, int(float64(t.y)*scale), w, int(float64(t.y+t.h)*scale))
		p.paint(r, t, rc)
	}
	return r.img
}

// trackPainter draws tracks into img; column i of view is pixel x0+i.
type trackPainter struct {
	img   *image.RGBA
	view  trace.View
	x0    int
	scale float64
	th    fyne.Theme
	v     fyne.ThemeVariant
	o     *Overview
	cols  *overviewCols // the beat tracks summed per column of view
}

func (p *trackPainter) color(n fyne.ThemeColorName) color.RGBA { return stripColor(p.th, n, p.v) }

// col returns the column of sample s.
func (p *trackPainter) col(s int64) int { return p.x0 + int(p.view.X(float64(s))) }

func (p *trackPainter) paint(r *overviewRenderer, t track, rc image.Rectangle) {
	grid := p.color(ColorNameECGGrid)
	if t.kind != trackEnvelope {
		trace.Fill(p.img, rc, mix(p.color(ColorNameECGPaper), grid, 0.5))
	}
	switch t.kind {
	case trackEnvelope:
		r.drawEnvelope(p, rc)
	case trackEctopy:
		p.ectopy(rc)
	case trackHR:
		p.heartRate(r, rc)
	case trackRhythm:
		p.rhythm(t.rhythm, rc)
	case trackNoise:
		p.noise(rc)
	case trackConfidence:
		p.confidence(rc)
	case trackReviewed:
		p.reviewed(rc)
	}
}

// drawEnvelope paints the envelope of the first lead shown, scaled so a typical column
// fills 60 % of the track.
func (r *overviewRenderer) drawEnvelope(p *trackPainter, rc image.Rectangle) {
	if err := r.o.src.Envelope(&r.env, r.o.lead, p.view); err != nil {
		fyne.LogError("ecg overview: drawing", err)
	}
	lane := r.lane(float64(rc.Dy()))
	lane.Mid += float64(rc.Min.Y)
	trace.DrawBand(p.img, rc, &r.env, lane, p.color(ColorNameECGTrace), 1, 0.35)
}

// lane centres the envelope on its median column and scales the median
// column range to 60 % of height h.
func (r *overviewRenderer) lane(h float64) trace.Lane {
	r.spans = r.spans[:0]
	var mids []float64
	for i := range r.env.Lo {
		if r.env.Valid(i) {
			r.spans = append(r.spans, r.env.Hi[i]-r.env.Lo[i])
			mids = append(mids, (r.env.Hi[i]+r.env.Lo[i])/2)
		}
	}
	if len(mids) == 0 {
		return trace.Lane{Mid: h / 2, PxPerUnit: 1}
	}
	slices.Sort(r.spans)
	slices.Sort(mids)
	span := max(r.spans[len(r.spans)/2], 1)
	return trace.Lane{Mid: h / 2, Center: mids[len(mids)/2], PxPerUnit: 0.6 * h / span}
}

// ectopy marks the columns holding S, V, F or Q beats, in the colour of
// the column's last one.
func (p *trackPainter) ectopy(rc image.Rectangle) {
	var colors [annotate.ClassQ + 1]*color.RGBA
	for x, has := range p.cols.hasEct {
		if !has {
			continue
		}
		code := p.cols.ect[x]
		k := code.Class()
		if colors[k] == nil {
			c := p.color(beatColorName(code))
			colors[k] = &c
		}
		trace.VSpan(p.img, rc, p.x0+x, float64(rc.Min.Y), float64(rc.Max.Y), *colors[k])
	}
}

// hrWindow is the span over which the HR track takes the median RR, so a
// premature beat does not show as a spike when a column is a second long.
const hrWindow = 30.0 // s

// heartRate draws the median heart rate of the RR intervals within
// hrWindow around each column.
func (p *trackPainter) heartRate(r *overviewRenderer, rc image.Rectangle) {
	fs := p.o.info.Fs
	half := max(0, int(hrWindow*fs/p.view.SPP/2))
	c := p.color(ColorNameECGTrace)
	prevY := math.NaN()
	for x := range p.view.Width {
		r.rrs = p.cols.rrAround(r.rrs, x, half)
		if len(r.rrs) == 0 {
			prevY = math.NaN()
			continue
		}
		hr := 60 * fs / stats.UpperMedianInPlace(r.rrs)
		f := (min(max(hr, hrMin), hrMax) - hrMin) / (hrMax - hrMin)
		y := float64(rc.Max.Y-1) - f*float64(rc.Dy()-2)
		y0, y1 := y, y
		if !math.IsNaN(prevY) {
			y0, y1 = min(y, prevY), max(y, prevY)
		}
		trace.VSpan(p.img, rc, p.x0+x, y0-0.6, y1+0.6, c)
		prevY = y
	}
}

// rhythm draws the episodes of one rhythm as bars.
func (p *trackPainter) rhythm(name string, rc image.Rectangle) {
	if name == "" {
		return
	}
	c := p.color(rhythmColorName(name))
	for _, e := range p.o.labels.Episodes() {
		if e.Rhythm == name {
			trace.Fill(p.img, image.Rect(p.col(e.Start), rc.Min.Y, max(p.col(e.End), p.col(e.Start)+1), rc.Max.Y), c)
		}
	}
}

// noise draws the noise stretches.
func (p *trackPainter) noise(rc image.Rectangle) {
	c := p.color(ColorNameECGText)
	for _, n := range p.o.labels.Noise() {
		trace.Fill(p.img, image.Rect(p.col(n.Start), rc.Min.Y, max(p.col(n.End), p.col(n.Start)+1), rc.Max.Y), c)
	}
}

// confidence marks columns holding an unreviewed model label below
// lowConfidence, darker the less sure the model was.
func (p *trackPainter) confidence(rc image.Rectangle) {
	c := p.color(ColorNameBeatQ)
	paper := p.color(ColorNameECGPaper)
	for x, conf := range p.cols.low {
		if conf == 0 {
			continue
		}
		f := 0.25 + 0.75*(1-float64(conf)/lowConfidence)
		trace.Fill(p.img, image.Rect(p.x0+x, rc.Min.Y, p.x0+x+1, rc.Max.Y), mix(paper, c, f))
	}
}

// uncertain reports whether b is an unreviewed model label the model was
// unsure of.
func uncertain(b annotate.Beat) bool {
	return b.Review == annotate.Unreviewed && b.Prov.Source == annotate.SourceModel &&
		b.Prov.Confidence > 0 && b.Prov.Confidence < lowConfidence
}

// reviewed fills each column by the fraction of its beats a reader has
// looked at: full colour when all were.
func (p *trackPainter) reviewed(rc image.Rectangle) {
	c := p.color(ColorNameReviewed)
	paper := mix(p.color(ColorNameECGPaper), p.color(ColorNameECGGrid), 0.5)
	for x, done := range p.cols.done {
		if done > 0 {
			f := float64(done) / float64(p.cols.n[x])
			trace.Fill(p.img, image.Rect(p.x0+x, rc.Min.Y, p.x0+x+1, rc.Max.Y), mix(paper, c, f))
		}
	}
}
