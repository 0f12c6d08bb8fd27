package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

var (
	_ fyne.Focusable = (*tileGrid)(nil)
	_ fyne.Tappable  = (*tileGrid)(nil)
)

// tileGrid is a focusable, scrolling grid of tiles with one selected tile
// and a set of marked ones. Arrow keys, Home and End move the selection;
// every other key goes to OnKey and OnRune, so the screen that owns the
// grid decides what N, V, Enter... do.
type tileGrid struct {
	widget.BaseWidget

	// OnSelect is called when the selection moves (by key or click).
	OnSelect func(i int)
	// OnActivate is called for a double click on a tile.
	OnActivate func(i int)
	// OnKey and OnRune receive the keys the grid does not use itself.
	OnKey  func(*fyne.KeyEvent)
	OnRune func(rune)

	tiles    []*tile
	selected int
	cell     fyne.Size
	box      *fyne.Container
	scroll   *container.Scroll
	focused  bool
	frame    *canvas.Rectangle
	emptyMsg *widget.Label
}

// newTileGrid returns an empty grid of cells of the given size.
func newTileGrid(cell fyne.Size) *tileGrid {
	g := &tileGrid{cell: cell, selected: -1}
	g.box = container.New(layout.NewGridWrapLayout(cell))
	g.scroll = container.NewVScroll(g.box)
	g.frame = &canvas.Rectangle{StrokeWidth: 2}
	g.emptyMsg = widget.NewLabel("")
	g.emptyMsg.Wrapping = fyne.TextWrapWord
	g.ExtendBaseWidget(g)
	return g
}

// setLen makes the grid hold n tiles (reusing the ones it has) and returns
// them for the caller to fill; the selection is kept when still in range.
func (g *tileGrid) setLen(n int) []*tile {
	for len(g.tiles) < n {
		i := len(g.tiles)
		t := newTile()
		t.onTap = func() { g.Select(i); g.requestFocus() }
		t.onDouble = func() {
			if g.OnActivate != nil {
				g.OnActivate(i)
			}
		}
		g.tiles = append(g.tiles, t)
	}
	g.tiles = g.tiles[:n]
	objs := make([]fyne.CanvasObject, n)
	for i, t := range g.tiles {
		objs[i] = t
	}
	g.box.Objects = objs
	g.box.Refresh()
	if g.selected >= n {
		g.selected = n - 1
	}
	if g.selected < 0 && n > 0 {
		g.selected = 0
	}
	g.paintSelection()
	return g.tiles
}

// setEmpty sets what the grid says when it holds no tiles.
func (g *tileGrid) setEmpty(msg string) {
	g.emptyMsg.SetText(msg)
	g.Refresh()
}

// Selected returns the selected tile's index, -1 when the grid is empty.
func (g *tileGrid) Selected() int { return g.selected }

// Select selects tile i and scrolls it into view.
func (g *tileGrid) Select(i int) {
	if i < 0 || i >= len(g.tiles) {
		return
	}
	g.selected = i
	g.paintSelection()
	g.scrollTo(i)
	if g.OnSelect != nil {
		g.OnSelect(i)
	}
}

// deselect selects no tile (the keys then act on none until the reader
// chooses one).
func (g *tileGrid) deselect() {
	g.selected = -1
	g.paintSelection()
}

func (g *tileGrid) paintSelection() {
	for i, t := range g.tiles {
		if sel := i == g.selected; t.selected != sel {
			t.selected = sel
			t.Refresh()
		}
	}
}

// setMarked marks or unmarks tile i (merge sources, beats to move).
func (g *tileGrid) setMarked(i int, on bool) {
	if i >= 0 && i < len(g.tiles) && g.tiles[i].marked != on {
		g.tiles[i].marked = on
		g.tiles[i].Refresh()
	}
}

func (g *tileGrid) scrollTo(i int) {
	cols := g.columns()
	rowH := g.cell.Height + theme.Padding()
	top := float32(i/cols) * rowH
	off := g.scroll.Offset
	switch h := g.scroll.Size().Height; {
	case top < off.Y:
		off.Y = top
	case top+rowH > off.Y+h:
		off.Y = top + rowH - h
	default:
		return
	}
	g.scroll.ScrollToOffset(off)
}

// columns returns how many tiles fit in a row.
func (g *tileGrid) columns() int {
	w := g.scroll.Size().Width
	n := int((w + theme.Padding()) / (g.cell.Width + theme.Padding()))
	return max(1, n)
}

func (g *tileGrid) requestFocus() {
	if c := fyne.CurrentApp().Driver().CanvasForObject(g); c != nil {
		c.Focus(g)
	}
}

// Tapped focuses the grid.
func (g *tileGrid) Tapped(*fyne.PointEvent) { g.requestFocus() }

// FocusGained implements fyne.Focusable.
func (g *tileGrid) FocusGained() { g.focused = true; g.Refresh() }

// FocusLost implements fyne.Focusable.
func (g *tileGrid) FocusLost() { g.focused = false; g.Refresh() }

// TypedRune passes the rune to OnRune.
func (g *tileGrid) TypedRune(r rune) {
	if g.OnRune != nil {
		g.OnRune(r)
	}
}

// TypedKey moves the selection, or passes the key to OnKey.
func (g *tileGrid) TypedKey(e *fyne.KeyEvent) {
	n, cols := len(g.tiles), g.columns()
	switch e.Name {
	case fyne.KeyLeft:
		g.Select(max(0, g.selected-1))
	case fyne.KeyRight:
		g.Select(min(n-1, g.selected+1))
	case fyne.KeyUp:
		g.Select(max(0, g.selected-cols))
	case fyne.KeyDown:
		g.Select(min(n-1, g.selected+cols))
	case fyne.KeyHome:
		g.Select(0)
	case fyne.KeyEnd:
		g.Select(n - 1)
	default:
		if g.OnKey != nil {
			g.OnKey(e)
		}
	}
}

// CreateRenderer implements fyne.Widget.
func (g *tileGrid) CreateRenderer() fyne.WidgetRenderer {
	g.ExtendBaseWidget(g)
	return &tileGridRenderer{g: g}
}

type tileGridRenderer struct{ g *tileGrid }

func (r *tileGridRenderer) Layout(size fyne.Size) {
	r.g.scroll.Resize(size)
	r.g.frame.Resize(size)
	r.g.emptyMsg.Move(fyne.NewPos(theme.Padding(), theme.Padding()))
	r.g.emptyMsg.Resize(fyne.NewSize(size.Width-2*theme.Padding(), r.g.emptyMsg.MinSize().Height))
}

func (r *tileGridRenderer) MinSize() fyne.Size {
	return fyne.NewSize(r.g.cell.Width, r.g.cell.Height)
}

func (r *tileGridRenderer) Refresh() {
	g := r.g
	th, v := g.Theme(), fyne.CurrentApp().Settings().ThemeVariant()
	g.frame.FillColor = th.Color(theme.ColorNameBackground, v)
	g.frame.StrokeColor = th.Color(theme.ColorNameSeparator, v)
	if g.focused {
		g.frame.StrokeColor = th.Color(theme.ColorNameFocus, v)
	}
	g.emptyMsg.Hidden = len(g.tiles) > 0 || g.emptyMsg.Text == ""
	g.frame.Refresh()
	g.emptyMsg.Refresh()
	g.scroll.Refresh()
}

func (r *tileGridRenderer) Objects() []fyne.CanvasObject {
	return []fyne.CanvasObject{r.g.frame, r.g.scroll, r.g.emptyMsg}
}

func (r *tileGridRenderer) Destroy() {}
