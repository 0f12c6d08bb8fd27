package trace

import (
	"image"
	"image/color"
	"math"
)

// Lane maps the digital values of one lead to pixel rows: Center is drawn
// at row Mid, and values grow upwards by PxPerUnit pixels per digital unit.
type Lane struct {
	Mid       float64
	Center    float64
	PxPerUnit float64
}

// Y returns the (fractional) pixel row of digital value v.
func (l Lane) Y(v float64) float64 { return l.Mid - (v-l.Center)*l.PxPerUnit }

// Fill paints r of img with c (opaque), row by row.
func Fill(img *image.RGBA, r image.Rectangle, c color.RGBA) {
	r = r.Intersect(img.Rect)
	if r.Empty() {
		return
	}
	row := img.Pix[img.PixOffset(r.Min.X, r.Min.Y) : img.PixOffset(r.Max.X-1, r.Min.Y)+4]
	for i := 0; i < len(row); i += 4 {
		row[i], row[i+1], row[i+2], row[i+3] = c.R, c.G, c.B, c.A
	}
	for y := r.Min.Y + 1; y < r.Max.Y; y++ {
		o := img.PixOffset(r.Min.X, y)
		copy(img.Pix[o:o+len(row)], row)
	}
}

// blend mixes c over the pixel at offset o with coverage a (0..1).
func blend(pix []uint8, o int, c color.RGBA, a float64) {
	blend8(pix, o, c, uint32(a*float64(c.A)+0.5))
}

// blend8 mixes c over the pixel at offset o with opacity f in 0..255.
func blend8(pix []uint8, o int, c color.RGBA, f uint32) {
	if f >= 255 {
		pix[o], pix[o+1], pix[o+2], pix[o+3] = c.R, c.G, c.B, 255
		return
	}
	g := 255 - f
	p := pix[o : o+4 : o+4]
	p[0] = uint8((uint32(p[0])*g + uint32(c.R)*f + 127) / 255)
	p[1] = uint8((uint32(p[1])*g + uint32(c.G)*f + 127) / 255)
	p[2] = uint8((uint32(p[2])*g + uint32(c.B)*f + 127) / 255)
	p[3] = uint8((uint32(p[3])*g + 255*f + 127) / 255)
}

// VSpan paints the rows [y0, y1] (fractional, y0 <= y1) of column x,
// clipped to clip, with anti-aliased ends.
func VSpan(img *image.RGBA, clip image.Rectangle, x int, y0, y1 float64, c color.RGBA) {
	clip = clip.Intersect(img.Rect)
	if x < clip.Min.X || x >= clip.Max.X {
		return
	}
	y0, y1 = max(y0, float64(clip.Min.Y)), min(y1, float64(clip.Max.Y))
	if y0 >= y1 {
		return
	}
	first, last := int(math.Floor(y0)), int(math.Ceil(y1))-1
	stride := img.Stride
	o := img.PixOffset(x, first)
	for y := first; y <= last; y++ {
		if y == first || y == last {
			cov := min(y1, float64(y+1)) - max(y0, float64(y))
			blend(img.Pix, o, c, cov)
		} else {
			blend8(img.Pix, o, c, uint32(c.A))
		}
		o += stride
	}
}

// HLine paints a horizontal line of the given width (pixels) at row y.
func HLine(img *image.RGBA, clip image.Rectangle, y, width int, c color.RGBA) {
	Fill(img, image.Rect(clip.Min.X, y, clip.Max.X, y+width).Intersect(clip), c)
}

// VLine paints a vertical line of the given width (pixels) at column x.
func VLine(img *image.RGBA, clip image.Rectangle, x, width int, c color.RGBA) {
	r := image.Rect(x, clip.Min.Y, x+width, clip.Max.Y).Intersect(clip).Intersect(img.Rect)
	for y := r.Min.Y; y < r.Max.Y; y++ {
		o := img.PixOffset(r.Min.X, y)
		for i := 0; i < r.Dx(); i++ {
			img.Pix[o], img.Pix[o+1], img.Pix[o+2], img.Pix[o+3] = c.R, c.G, c.B, c.A
			o += 4
		}
	}
}

// DrawEnvelope draws env as a trace of the given width (pixels) in lane,
// clipped to clip. Each column is a vertical span from its max to its min,
// stretched to meet the previous column so the trace has no gaps.
func DrawEnvelope(img *image.RGBA, clip image.Rectangle, env *Envelope, lane Lane, c color.RGBA, width float64) {
	half := width / 2
	prevTop, prevBot, prev := 0.0, 0.0, false
	for i := range env.Lo {
		if !env.Valid(i) {
			prev = false
			continue
		}
		top, bot := lane.Y(env.Hi[i]), lane.Y(env.Lo[i])
		if prev {
			top, bot = min(top, prevBot), max(bot, prevTop)
		}
		prevTop, prevBot, prev = lane.Y(env.Hi[i]), lane.Y(env.Lo[i]), true
		VSpan(img, clip, clip.Min.X+i, top-half, bot+half, c)
	}
}

// DrawBand draws env as a zoomed-out envelope: the range of each column
// filled with c at the given opacity (0..1), and its upper and lower edges
// as lines of the given width in c, so a record of many beats per column
// reads as a band with a crisp outline instead of a solid block.
func DrawBand(img *image.RGBA, clip image.Rectangle, env *Envelope, lane Lane, c color.RGBA, width, opacity float64) {
	fill := c
	fill.A = uint8(float64(c.A)*opacity + 0.5)
	half := width / 2
	pTop, pBot, prev := 0.0, 0.0, false
	for i := range env.Lo {
		if !env.Valid(i) {
			prev = false
			continue
		}
		top, bot := lane.Y(env.Hi[i]), lane.Y(env.Lo[i])
		x := clip.Min.X + i
		VSpan(img, clip, x, top+half, bot-half, fill)
		t0, t1, b0, b1 := top, top, bot, bot
		if prev {
			t0, t1 = min(top, pTop), max(top, pTop)
			b0, b1 = min(bot, pBot), max(bot, pBot)
		}
		VSpan(img, clip, x, t0-half, t1+half, c)
		VSpan(img, clip, x, b0-half, b1+half, c)
		pTop, pBot, prev = top, bot, true
	}
}
