package ui

import (
	"slices"
	"strings"

	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/widget"
)

// AnotherReader is the reader list's last choice: it asks for a name not
// in the list.
const AnotherReader = "Another reader…"

// readerControl is the tool bar's reader list: whose label set the screen
// edits. Each reader has their own label set of a record; picking another
// reader hands the name to OnReader, which opens that reader's set in
// place of the one shown.
type readerControl struct {
	r       *RecordScreen
	sel     *widget.Select
	current string
}

func newReaderControl(r *RecordScreen) *readerControl {
	c := &readerControl{r: r}
	c.sel = widget.NewSelect(nil, c.picked)
	c.sel.PlaceHolder = "reader name" // as wide as the list gets: a longer name is cut short
	c.sel.Disable()
	return c
}

// SetReaders shows current as the reader whose labels the screen edits,
// and offers the known readers (the label database's) to switch to; ""
// for current leaves the list off (no label database).
func (r *RecordScreen) SetReaders(current string, known []string) {
	c := r.toolbar.reader
	c.current = current
	opts := slices.Clone(known)
	if current != "" && !slices.Contains(opts, current) {
		opts = append(opts, current)
	}
	slices.Sort(opts)
	opts = slices.Compact(opts)
	c.sel.SetOptions(append(opts, AnotherReader))
	c.sel.Selected = current
	c.sel.Refresh()
	if current == "" || r.OnReader == nil {
		c.sel.Disable()
	} else {
		c.sel.Enable()
	}
}

// DisableReaders turns the reader list off while the labels of a reader
// picked in it open; SetReaders turns it on again.
func (r *RecordScreen) DisableReaders() { r.toolbar.reader.sel.Disable() }

// Reader returns the reader the tool bar shows ("" before SetReaders).
func (r *RecordScreen) Reader() string { return r.toolbar.reader.current }

// picked handles a choice in the list: another known reader switches at
// once, AnotherReader asks for the name first.
func (c *readerControl) picked(v string) {
	switch v {
	case c.current, "":
		return
	case AnotherReader:
		c.ask()
		return
	}
	c.switchTo(v)
}

// ask asks for the name of a reader not in the list; cancelling leaves
// the list as it was.
func (c *readerControl) ask() {
	c.sel.Selected = c.current
	c.sel.Refresh()
	if c.r.win == nil {
		return
	}
	name := widget.NewEntry()
	name.SetPlaceHolder("name or initials")
	d := dialog.NewForm("Read as another reader", "Open their labels", "Cancel",
		[]*widget.FormItem{widget.NewFormItem("Reader", name)}, func(ok bool) {
			if n := strings.TrimSpace(name.Text); ok && n != "" {
				c.switchTo(n)
			}
			c.r.FocusView()
		}, c.r.win)
	name.OnSubmitted = func(string) { d.Submit() } // Enter opens them, as the button does
	d.Show()
	c.r.win.Canvas().Focus(name)
}

// switchTo hands reader to OnReader and gives the keys back to the view.
func (c *readerControl) switchTo(reader string) {
	if c.r.OnReader != nil && reader != c.current {
		c.r.OnReader(reader)
	}
	c.r.FocusView()
}
