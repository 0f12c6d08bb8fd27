package ui

import (
	"fmt"
	"image"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/annotate/stats"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// errorCell is the size of a gallery snippet.
var errorCell = fyne.NewSize(220, 130)

// beatCaption is the tile text of a confusion cell's beat; info gives
// each record's start and rate for the clock time.
func beatCaption(b eval.BeatRef, info map[annotate.RecordID]annotate.RecordInfo) []string {
	return []string{beatHead(b, info), fmt.Sprintf("ref %s · model %s %.2f", symbolOrNone(b.Reader), symbolOrNone(b.Model), b.Confidence)}
}

// flipCaption is the tile text of a model A/B flip.
func flipCaption(f eval.Flip, info map[annotate.RecordID]annotate.RecordInfo) []string {
	return []string{beatHead(f.BeatRef, info),
		fmt.Sprintf("reader %s · A %s %.2f · B %s %.2f", symbolOrNone(f.Reader), f.Model.Class(), f.Confidence, f.B.Class(), f.ConfidenceB)}
}

// beatHead is a tile's first line: the record and where in it.
func beatHead(b eval.BeatRef, info map[annotate.RecordID]annotate.RecordInfo) string {
	in := info[b.Record]
	return fmt.Sprintf("%s  %s", b.Name, stats.Clock(in.Start, in.Fs, b.Sample))
}

func symbolOrNone(c annotate.Code) string {
	if c == annotate.NotQRS {
		return "none"
	}
	return c.Symbol()
}

// galleryHint is the gallery's title before a cell is opened.
const galleryHint = "Click a cell of the matrix to see its beats."

// beatGallery is a scrolling gallery of beats (snippets with context) that
// draws only the tiles in view and reads their snippets as they scroll in.
// A click selects a beat; a double click or the Show button jumps to it.
type beatGallery struct {
	beats    []eval.BeatRef
	caption  func(i int) []string
	snippet  func(eval.BeatRef) (*Snippet, error)
	jump     func(eval.BeatRef)
	grid     *widget.GridWrap
	title    *widget.Label
	content  fyne.CanvasObject
	cache    *snippetCache
	ids      map[*tile]int
	selected int
}

func newBeatGallery() *beatGallery {
	g := &beatGallery{ids: map[*tile]int{}, selected: -1, title: widget.NewLabel(galleryHint)}
	g.title.Truncation = fyne.TextTruncateEllipsis
	g.cache = newSnippetCache(func(int64) (*Snippet, error) { return nil, nil })
	g.grid = widget.NewGridWrap(func() int { return len(g.beats) }, g.create, g.update)
	g.grid.OnSelected = func(id widget.GridWrapItemID) { g.selected = id }
	show := widget.NewButton("Show on the strip", func() { g.open(g.selected) })
	g.content = container.NewBorder(container.NewBorder(nil, nil, nil, show, g.title), nil, nil, nil, g.grid)
	return g
}

// set shows beats under a title, each tile with caption(its index).
func (g *beatGallery) set(title string, beats []eval.BeatRef, caption func(i int) []string) {
	g.beats, g.caption, g.selected = beats, caption, -1
	read := g.snippet // the cache reads off the UI goroutine: no g fields there
	g.cache = newSnippetCache(func(i int64) (*Snippet, error) { return callSnippet(read, beats[i]) })
	g.title.SetText(title)
	g.grid.UnselectAll()
	if g.grid.Size().Width > 0 { // laid out, so its scroller exists
		g.grid.ScrollToTop()
	}
	g.grid.Refresh()
}

func (g *beatGallery) open(i int) {
	if i >= 0 && i < len(g.beats) && g.jump != nil {
		g.jump(g.beats[i])
	}
}

func (g *beatGallery) create() fyne.CanvasObject {
	t := newTile()
	t.ExtendBaseWidget(t)
	t.onTap = func() { g.grid.Select(g.ids[t]) }
	t.onDouble = func() { g.open(g.ids[t]) }
	wrap := container.NewGridWrap(errorCell, t)
	return wrap
}

// update fills tile i; the cache is keyed by the beat's index in the
// gallery (a new set of beats gets a new cache).
func (g *beatGallery) update(id widget.GridWrapItemID, o fyne.CanvasObject) {
	t := o.(*fyne.Container).Objects[0].(*tile)
	g.ids[t] = id
	if id >= len(g.beats) {
		return
	}
	t.selected = id == g.selected
	cache := g.cache
	sn, ok := cache.get(int64(id), func(*Snippet) {
		if g.cache == cache && g.ids[t] == id {
			g.update(id, o)
		}
	})
	if !ok {
		t.set(nil, g.caption(id)...)
		return
	}
	t.set(func(img *image.RGBA, p tilePalette, env *trace.Envelope) { drawSnippetImage(img, sn, p, env) }, g.caption(id)...)
}
