package ui

import (
	"fmt"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

// rhythms are the episode labels offered, with the digit that picks each
// in the chooser (the WFDB rhythm names, without the parenthesis).
var rhythms = []struct{ label, name string }{
	{"AFIB", "atrial fibrillation"}, {"AFL", "atrial flutter"}, {"VT", "ventricular tachycardia"},
	{"SVTA", "supraventricular tachyarrhythmia"}, {"B", "ventricular bigeminy"},
	{"T", "ventricular trigeminy"}, {"PAUSE", "pause"}, {"NOD", "nodal rhythm"}, {"N", "normal sinus rhythm"},
}

// rhythmChooser is the modal list of rhythms; a digit or a click picks one.
type rhythmChooser struct {
	r     *RecordScreen
	popup *widget.PopUp
	pick  func(rhythm string)
}

// chooseRhythm relabels the selected episode, or makes a new one over the
// selected range, with a rhythm the reader picks.
func (r *RecordScreen) chooseRhythm() {
	a, b, ok, _ := r.Strip.Selection()
	switch {
	case r.episode != 0:
		id := r.episode
		r.pickRhythm("Rhythm of the selected episode", func(rh string) { r.relabelEpisode(id, rh) })
	case ok && b > a:
		r.pickRhythm("Rhythm of the new episode", func(rh string) { r.newEpisode(a, b+1, rh) })
	default:
		r.status.SetText("Select a range of beats (Shift+arrows) or an episode first, then press r.")
	}
}

// pickRhythm opens the chooser (or, without a window, does nothing).
func (r *RecordScreen) pickRhythm(title string, pick func(string)) {
	if r.win == nil || r.keys.modal != nil {
		return
	}
	c := &rhythmChooser{r: r, pick: pick}
	list := container.NewVBox(widget.NewLabelWithStyle(title, fyne.TextAlignCenter, fyne.TextStyle{Bold: true}))
	for i, rh := range rhythms {
		list.Add(widget.NewButton(fmt.Sprintf("%d   %s — %s", i+1, rh.label, rh.name), func() { c.choose(i) }))
	}
	list.Add(widget.NewButton("Esc   cancel", c.close))
	c.popup = widget.NewModalPopUp(list, r.win.Canvas())
	r.openModal(c, c.popup)
}

func (c *rhythmChooser) close() { c.r.closeModal(c.popup) }

func (c *rhythmChooser) choose(i int) {
	c.close()
	c.pick(rhythms[i].label)
}

func (c *rhythmChooser) key(name fyne.KeyName) bool {
	if name == fyne.KeyEscape {
		c.close()
	}
	return true
}

func (c *rhythmChooser) rune(ch rune) bool {
	if i := int(ch - '1'); i >= 0 && i < len(rhythms) {
		c.choose(i)
	}
	return true
}

// newEpisode adds a reader's episode over [a, b).
func (r *RecordScreen) newEpisode(a, b int64, rhythm string) {
	e := annotate.Episode{Start: a, End: b, Rhythm: rhythm}
	r.do(annotate.SetEpisode{Episode: e}, func(d annotate.Diff) { r.selectEpisode(annotate.NewEpisode(d)) })
}

// episodeByID returns the live episode id.
func (r *RecordScreen) episodeByID(id annotate.EpisodeID) (annotate.EpisodeEntry, bool) {
	for _, e := range r.labels.Episodes() {
		if e.ID == id {
			return e, true
		}
	}
	return annotate.EpisodeEntry{}, false
}

// relabelEpisode gives episode id another rhythm.
func (r *RecordScreen) relabelEpisode(id annotate.EpisodeID, rhythm string) {
	e, ok := r.episodeByID(id)
	if !ok {
		return
	}
	e.Rhythm = rhythm
	r.changeEpisodeTo(e)
}

// changeEpisode moves episode id to [a, b) (an edge dragged).
func (r *RecordScreen) changeEpisode(id annotate.EpisodeID, a, b int64) {
	e, ok := r.episodeByID(id)
	if !ok {
		return
	}
	e.Start, e.End = a, b
	r.changeEpisodeTo(e)
}

// changeEpisodeTo gives episode e.ID the span and rhythm of e.
func (r *RecordScreen) changeEpisodeTo(e annotate.EpisodeEntry) {
	r.do(annotate.ChangeEpisode{ID: e.ID, Episode: e.Episode}, nil)
}

// selectEpisode selects episode id on the track (0: none).
func (r *RecordScreen) selectEpisode(id annotate.EpisodeID) {
	r.episode = id
	r.Episodes.Select(id)
	if e, ok := r.episodeByID(id); ok {
		r.status.SetText(fmt.Sprintf("episode %s, %s; r relabels, Delete deletes, drag its edges to move them",
			e.Rhythm, provText(annotate.Beat{Prov: e.Prov, Review: e.Review})))
	}
}

// episodeMenu is the right-click menu of the episode track.
func (r *RecordScreen) episodeMenu(id annotate.EpisodeID, at fyne.Position) {
	if r.win == nil {
		return
	}
	var items []*fyne.MenuItem
	if id != 0 {
		set := fyne.NewMenuItem("Set rhythm", nil)
		var sub []*fyne.MenuItem
		for _, rh := range rhythms {
			sub = append(sub, fyne.NewMenuItem(rh.label+" — "+rh.name, func() { r.relabelEpisode(id, rh.label) }))
		}
		set.ChildMenu = fyne.NewMenu("", sub...)
		items = append(items, set, fyne.NewMenuItem("Delete episode", func() { r.selectEpisode(id); r.deleteSelection() }))
	}
	if a, b, ok, _ := r.Strip.Selection(); ok && b > a {
		items = append(items, fyne.NewMenuItem("New episode over the selection…", func() { r.selectEpisode(0); r.chooseRhythm() }))
	}
	if len(items) > 0 {
		widget.ShowPopUpMenuAtPosition(fyne.NewMenu("", items...), r.win.Canvas(), at)
	}
}
