package ui

import (
	"image"
	"image/color"
	"math"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Snippet is a short stretch of one record around a beat, in physical
// units, for a gallery tile (template members, the review queue, the
// model error gallery). Package app reads it from the record file.
type Snippet struct {
	At    int64   // the beat the snippet is about (sample)
	Start int64   // first sample of Values
	Fs    float64 // Hz
	// Values holds Values[lead][i], sample Start+i, in mV.
	Values [][]float32
	// Beats are the labels inside the snippet, sorted by Sample.
	Beats []annotate.Beat
}

// tilePalette holds the colours a tile is drawn with, taken from the
// theme once per paint.
type tilePalette struct {
	paper, grid, trace, faint, focus color.RGBA
	beat                             func(annotate.Code) color.RGBA
}

func newTilePalette(th fyne.Theme, v fyne.ThemeVariant) tilePalette {
	p := tilePalette{
		paper: stripColor(th, ColorNameECGPaper, v),
		grid:  stripColor(th, ColorNameECGGrid, v),
		trace: stripColor(th, ColorNameECGTrace, v),
		focus: stripColor(th, ColorNameBeatS, v),
	}
	p.faint = p.trace
	p.faint.A = 70 // trace's blend takes the colour straight, A as opacity
	p.beat = func(c annotate.Code) color.RGBA { return stripColor(th, beatColorName(c), v) }
	return p
}

// tileScale maps snippet samples and millivolts to the pixels of a tile.
type tileScale struct {
	rect   image.Rectangle
	n      int     // samples across the tile
	lo, hi float64 // mV range shown
}

// x returns the column of sample i (0 <= i < n).
func (s tileScale) x(i float64) float64 {
	return float64(s.rect.Min.X) + i*float64(s.rect.Dx()-1)/math.Max(1, float64(s.n-1))
}

// lane returns the trace lane of the scale.
func (s tileScale) lane() trace.Lane {
	px := float64(s.rect.Dy()) / math.Max(s.hi-s.lo, 1e-3)
	return trace.Lane{Mid: float64(s.rect.Max.Y), Center: s.lo, PxPerUnit: px}
}

// mvRange returns the range of the values with a margin, at least 1 mV
// wide, so flat lines do not fill the tile.
func mvRange(series ...[]float32) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, s := range series {
		for _, v := range s {
			if f := float64(v); !math.IsNaN(f) {
				lo, hi = math.Min(lo, f), math.Max(hi, f)
			}
		}
	}
	if lo > hi {
		return -0.5, 0.5
	}
	if w := hi - lo; w < 1 {
		lo, hi = lo-(1-w)/2, hi+(1-w)/2
	}
	m := (hi - lo) * 0.08
	return lo - m, hi + m
}

// envelopeOf fills env with the per-column range of values under sc.
func envelopeOf(env *trace.Envelope, values []float32, sc tileScale) {
	w := sc.rect.Dx()
	env.Lo, env.Hi = resize(env.Lo, w), resize(env.Hi, w)
	for i := range env.Lo {
		env.Lo[i], env.Hi[i] = math.Inf(1), math.Inf(-1)
	}
	for i, v := range values {
		c := int(sc.x(float64(i))+0.5) - sc.rect.Min.X
		if c < 0 || c >= w || math.IsNaN(float64(v)) {
			continue
		}
		env.Lo[c], env.Hi[c] = math.Min(env.Lo[c], float64(v)), math.Max(env.Hi[c], float64(v))
	}
	fillGaps(env)
}

// fillGaps gives columns between two samples (zoomed in) the straight line
// between their neighbours, so the trace stays continuous.
func fillGaps(env *trace.Envelope) {
	last := -1
	for i := range env.Lo {
		if !env.Valid(i) {
			continue
		}
		if last >= 0 && i-last > 1 {
			a, b := (env.Lo[last]+env.Hi[last])/2, (env.Lo[i]+env.Hi[i])/2
			for j := last + 1; j < i; j++ {
				f := float64(j-last) / float64(i-last)
				env.Lo[j] = a + f*(b-a)
				env.Hi[j] = env.Lo[j]
			}
		}
		last = i
	}
}

func resize(s []float64, n int) []float64 {
	if cap(s) < n {
		return make([]float64, n)
	}
	return s[:n]
}

// drawTileGrid paints the paper and a light grid: a line every 200 ms and
// every 0.5 mV (the major lines of ECG paper).
func drawTileGrid(img *image.RGBA, sc tileScale, fs float64, before int, p tilePalette) {
	trace.Fill(img, sc.rect, p.paper)
	if fs > 0 {
		step := 0.2 * fs
		for t := float64(before); t < float64(sc.n); t += step {
			trace.VLine(img, sc.rect, int(sc.x(t)), 1, p.grid)
		}
		for t := float64(before) - step; t > 0; t -= step {
			trace.VLine(img, sc.rect, int(sc.x(t)), 1, p.grid)
		}
	}
	lane := sc.lane()
	for mv := math.Ceil(sc.lo*2) / 2; mv <= sc.hi; mv += 0.5 {
		trace.HLine(img, sc.rect, int(lane.Y(mv)), 1, p.grid)
	}
}

// drawTemplateImage draws a template into img: its superimposed member
// beats in a faint trace and the median beat on top, lead 0, with a tick
// at the R peak.
func drawTemplateImage(img *image.RGBA, t *review.Template, p tilePalette, env *trace.Envelope) {
	if len(t.Median) == 0 || len(t.Median[0]) == 0 {
		trace.Fill(img, img.Rect, p.paper)
		return
	}
	series := [][]float32{t.Median[0]}
	for _, s := range t.Snippets {
		if len(s) > 0 {
			series = append(series, s[0])
		}
	}
	lo, hi := mvRange(t.Median[0])
	sc := tileScale{rect: img.Rect, n: len(t.Median[0]), lo: lo, hi: hi}
	drawTileGrid(img, sc, t.Fs, t.Before, p)
	for _, s := range series[1:] {
		envelopeOf(env, s, sc)
		trace.DrawEnvelope(img, sc.rect, env, sc.lane(), p.faint, 1)
	}
	envelopeOf(env, t.Median[0], sc)
	trace.DrawEnvelope(img, sc.rect, env, sc.lane(), p.beat(t.Dominant.Code()), 2)
}

// drawSnippetImage draws a snippet's first lead with a mark under each
// beat in its class colour, the beat the snippet is about marked by a
// taller bar.
func drawSnippetImage(img *image.RGBA, s *Snippet, p tilePalette, env *trace.Envelope) {
	if s == nil || len(s.Values) == 0 || len(s.Values[0]) == 0 {
		trace.Fill(img, img.Rect, p.paper)
		return
	}
	v := s.Values[0]
	lo, hi := mvRange(v)
	sc := tileScale{rect: img.Rect, n: len(v), lo: lo, hi: hi}
	drawTileGrid(img, sc, s.Fs, int(s.At-s.Start), p)
	envelopeOf(env, v, sc)
	trace.DrawEnvelope(img, sc.rect, env, sc.lane(), p.trace, 1.4)
	for _, b := range s.Beats {
		x := int(sc.x(float64(b.Sample - s.Start)))
		h := 5
		if b.Sample == s.At {
			h = 10
		}
		r := image.Rect(x-1, img.Rect.Max.Y-h, x+2, img.Rect.Max.Y)
		trace.Fill(img, r.Intersect(img.Rect), p.beat(b.Code))
	}
}
