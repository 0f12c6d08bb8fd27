package ui

import (
	"image/color"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store/report/chart"
)

// Episode track geometry, in units.
const (
	episodeHeight = 22
	edgeGrab      = 6  // units either side of an onset or offset that grab it
	episodeTitle  = 48 // width of the track's title, which names stay right of
)

var (
	_ fyne.Tappable          = (*EpisodeTrack)(nil)
	_ fyne.SecondaryTappable = (*EpisodeTrack)(nil)
	_ fyne.Draggable         = (*EpisodeTrack)(nil)
	_ desktop.Hoverable      = (*EpisodeTrack)(nil)
)

// EpisodeTrack is the row above the strip with the rhythm episodes in the
// strip's view, lined up with it: a click selects an episode, dragging its
// onset or offset moves it, and a right-click opens its menu (set the
// rhythm, delete). It follows the strip it was given.
type EpisodeTrack struct {
	widget.BaseWidget

	// OnSelect is called with the episode clicked (0: none).
	OnSelect func(id annotate.EpisodeID)
	// OnChange is called when an edge was dragged, with the new span.
	OnChange func(id annotate.EpisodeID, start, end int64)
	// OnMenu is called on a right-click with the episode under it (0:
	// none) and the absolute position for a popup menu.
	OnMenu func(id annotate.EpisodeID, at fyne.Position)

	info     annotate.RecordInfo
	labels   *Labels
	strip    *Strip
	selected annotate.EpisodeID
	drag     *edgeDrag
	hoverEdg bool
}

// edgeDrag is an onset (or offset) being dragged to sample at.
type edgeDrag struct {
	id    annotate.EpisodeID
	onset bool
	at    int64
}

// NewEpisodeTrack returns an empty episode track.
func NewEpisodeTrack() *EpisodeTrack {
	t := &EpisodeTrack{}
	t.ExtendBaseWidget(t)
	return t
}

// SetRecord shows the episodes of labels over the view of strip.
func (t *EpisodeTrack) SetRecord(info annotate.RecordInfo, labels *Labels, strip *Strip) {
	t.info, t.labels, t.strip, t.selected = info, labels, strip, 0
	t.Refresh()
}

// Select marks episode id as selected (0: none).
func (t *EpisodeTrack) Select(id annotate.EpisodeID) {
	t.selected = id
	t.Refresh()
}

// Selected returns the selected episode (0: none).
func (t *EpisodeTrack) Selected() annotate.EpisodeID { return t.selected }

// span returns an episode's span as drawn (a dragged edge where it is).
func (t *EpisodeTrack) span(e annotate.EpisodeEntry) (int64, int64) {
	a, b := e.Start, e.End
	if d := t.drag; d != nil && d.id == e.ID {
		if d.onset {
			a = min(d.at, b-1)
		} else {
			b = max(d.at, a+1)
		}
	}
	return a, b
}

// at returns the episode under x and whether x is on its onset or offset
// (edge 1: onset, 2: offset, 0: inside).
func (t *EpisodeTrack) at(x float32) (e annotate.EpisodeEntry, edge int, ok bool) {
	if t.strip == nil || t.labels == nil {
		return e, 0, false
	}
	for _, ep := range t.labels.Episodes() {
		x0, x1 := t.strip.xOf(ep.Start), t.strip.xOf(ep.End)
		switch {
		case abs32(x-x0) <= edgeGrab:
			return ep, 1, true
		case abs32(x-x1) <= edgeGrab:
			return ep, 2, true
		case x > x0 && x < x1:
			e, ok = ep, true
		}
	}
	return e, 0, ok
}

func abs32(v float32) float32 {
	if v < 0 {
		return -v
	}
	return v
}

// Tapped selects the episode under the pointer.
func (t *EpisodeTrack) Tapped(e *fyne.PointEvent) {
	ep, _, ok := t.at(e.Position.X)
	id := annotate.EpisodeID(0)
	if ok {
		id = ep.ID
	}
	if t.OnSelect != nil {
		t.OnSelect(id)
	}
}

// TappedSecondary opens the episode menu.
func (t *EpisodeTrack) TappedSecondary(e *fyne.PointEvent) {
	ep, _, ok := t.at(e.Position.X)
	id := annotate.EpisodeID(0)
	if ok {
		id = ep.ID
		if t.OnSelect != nil {
			t.OnSelect(id)
		}
	}
	if t.OnMenu != nil {
		t.OnMenu(id, e.AbsolutePosition)
	}
}

// Dragged moves the onset or offset grabbed.
func (t *EpisodeTrack) Dragged(e *fyne.DragEvent) {
	if t.drag == nil {
		ep, edge, ok := t.at(e.Position.X - e.Dragged.DX)
		if !ok || edge == 0 {
			return
		}
		t.drag = &edgeDrag{id: ep.ID, onset: edge == 1}
	}
	t.drag.at = t.strip.sampleAt(e.Position.X)
	t.Refresh()
}

// DragEnd commits the dragged edge.
func (t *EpisodeTrack) DragEnd() {
	d := t.drag
	if d == nil {
		return
	}
	for _, ep := range t.labels.Episodes() {
		if ep.ID == d.id {
			a, b := t.span(ep)
			t.drag = nil
			if (a != ep.Start || b != ep.End) && t.OnChange != nil {
				t.OnChange(ep.ID, a, b)
			}
		}
	}
	t.drag = nil
	t.Refresh()
}

// MouseIn implements desktop.Hoverable.
func (t *EpisodeTrack) MouseIn(*desktop.MouseEvent) {}

// MouseMoved notes whether the pointer is on an edge, for the cursor.
func (t *EpisodeTrack) MouseMoved(e *desktop.MouseEvent) {
	_, edge, _ := t.at(e.Position.X)
	t.hoverEdg = edge != 0
}

// MouseOut implements desktop.Hoverable.
func (t *EpisodeTrack) MouseOut() { t.hoverEdg = false }

// Cursor shows a resize cursor over an onset or offset.
func (t *EpisodeTrack) Cursor() desktop.Cursor {
	if t.hoverEdg || t.drag != nil {
		return desktop.HResizeCursor
	}
	return desktop.DefaultCursor
}

// CreateRenderer implements fyne.Widget.
func (t *EpisodeTrack) CreateRenderer() fyne.WidgetRenderer {
	t.ExtendBaseWidget(t)
	r := &episodeRenderer{t: t, bg: &canvas.Rectangle{}, title: &canvas.Text{Text: "episodes", TextSize: trackNameSize}}
	return r
}

type episodeRenderer struct {
	t     *EpisodeTrack
	bg    *canvas.Rectangle
	title *canvas.Text
	bars  []*canvas.Rectangle
	names []*canvas.Text
	objs  []fyne.CanvasObject
}

func (r *episodeRenderer) Destroy() {}

func (r *episodeRenderer) MinSize() fyne.Size { return fyne.NewSize(100, episodeHeight) }

func (r *episodeRenderer) Objects() []fyne.CanvasObject { return r.objs }

func (r *episodeRenderer) Layout(size fyne.Size) {
	r.bg.Resize(size)
	r.layoutBars(size)
}

func (r *episodeRenderer) Refresh() { r.layoutBars(r.t.Size()) }

// layoutBars places a bar and a name for every episode in view.
func (r *episodeRenderer) layoutBars(size fyne.Size) {
	t := r.t
	th, v := t.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	paper := stripColor(th, ColorNameECGPaper, v)
	r.bg.FillColor = mix(paper, stripColor(th, ColorNameECGGrid, v), 0.5)
	r.title.Color = stripColor(th, ColorNameECGText, v)
	r.title.Move(fyne.NewPos(4, (episodeHeight-trackNameSize)/2-2))
	n := 0
	if t.strip != nil && t.labels != nil {
		for _, e := range t.labels.Episodes() {
			a, b := t.span(e)
			x0, x1 := max(t.strip.xOf(a), -2), min(t.strip.xOf(b), size.Width+2)
			if x1 < 0 || x0 > size.Width {
				continue
			}
			r.place(n, e, x0, x1, stripColor(th, rhythmColorName(e.Rhythm), v), th, v)
			n++
		}
	}
	for i := n; i < len(r.bars); i++ {
		r.bars[i].Hide()
		r.names[i].Hide()
	}
	r.objs = append(r.objs[:0], r.bg, r.title)
	for i := range r.bars {
		r.objs = append(r.objs, r.bars[i], r.names[i])
	}
	for _, o := range r.objs {
		canvas.Refresh(o)
	}
}

// place puts bar i over [x0, x1] with the episode's rhythm in it.
func (r *episodeRenderer) place(i int, e annotate.EpisodeEntry, x0, x1 float32, c color.RGBA, th fyne.Theme, v fyne.ThemeVariant) {
	for len(r.bars) <= i {
		r.bars = append(r.bars, &canvas.Rectangle{CornerRadius: 3})
		r.names = append(r.names, &canvas.Text{TextSize: 11, TextStyle: fyne.TextStyle{Bold: true}})
	}
	bar, name := r.bars[i], r.names[i]
	fill := color.NRGBA{c.R, c.G, c.B, 110}
	if e.Review == annotate.Unreviewed && e.Prov.Source == annotate.SourceModel {
		fill.A = 60
	}
	bar.FillColor, bar.StrokeColor, bar.StrokeWidth = fill, c, 1
	if e.ID == r.t.selected {
		bar.StrokeColor, bar.StrokeWidth = th.Color(theme.ColorNamePrimary, v), 3
	}
	bar.Move(fyne.NewPos(x0, 2))
	bar.Resize(fyne.NewSize(max(x1-x0, 2), episodeHeight-4))
	name.Text, name.Color = chart.RhythmName(e.Rhythm), th.Color(theme.ColorNameForeground, v)
	name.Move(fyne.NewPos(max(x0, episodeTitle)+5, 4))
	name.Show()
	bar.Show()
}
