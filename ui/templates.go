package ui

import (
	"fmt"
	"image"
	"slices"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/review"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Template screen sizes, in Fyne units.
var (
	templateCell = fyne.NewSize(190, 190)
	memberCell   = fyne.NewSize(150, 112)
)

// memberPage is how many members of a cluster the member grid shows at a
// time (least like the cluster first: the ones worth looking at).
const memberPage = 48

// TemplateKeys is the template screen's keyboard help, for the guide and
// the status line.
const TemplateKeys = "N S V F Q relabel the whole cluster · Space mark · M merge marked into selected · " +
	"K split · P split by RR · Enter members · J strip"

// MemberKeys is the member grid's keyboard help.
const MemberKeys = "Space mark · T marked to a new cluster · G marked to the first marked cluster · " +
	"N S V F Q relabel marked · Enter strip · Esc back"

// TemplateActions are what the template screen asks of package app, which
// does them through the reader's session and the record's clustering.
// Every one but Jump and Snippet is followed by a SetTemplates from app.
type TemplateActions struct {
	Relabel      func(id int, c annotate.Code) error          // every beat of cluster id
	RelabelBeats func(samples []int64, c annotate.Code) error // single beats
	Split        func(id int) error
	// SplitPremature splits cluster id into its premature and on-time beats.
	SplitPremature func(id int) error
	Merge          func(into int, from []int) error
	Move           func(samples []int64, to int) error // to: a cluster id, or -1 for a new one
	Jump           func(sample int64)                  // show the beat on the strip
	Snippet        func(at int64) (*Snippet, error)    // a member beat's picture
	// Reopen offers to reopen a signed-off label set when an edit is
	// refused for it (see Reopener).
	Reopen Reopener
}

// TemplateScreen shows a record's morphology templates: a gallery of
// clusters (superimposed beats and the median beat, count, dominant label,
// label mix, mean RR and prematurity), the members of the selected cluster
// least like it first, and the review queue.
type TemplateScreen struct {
	Actions TemplateActions
	Queue   *ReviewQueue

	gallery   *tileGrid
	members   *tileGrid
	status    *widget.Label
	title     *widget.Label
	tabs      *container.AppTabs
	content   fyne.CanvasObject
	templates []review.Template
	marked    map[int]bool // template IDs marked for a merge
	shown     []int64      // members on show
	picked    map[int64]bool
	snippets  *snippetCache
	pages     int
	win       fyne.Window
}

// NewTemplateScreen returns an empty template screen.
func NewTemplateScreen(a TemplateActions) *TemplateScreen {
	s := &TemplateScreen{Actions: a, marked: map[int]bool{}, picked: map[int64]bool{}, pages: 1}
	s.snippets = newSnippetCache(func(at int64) (*Snippet, error) { return callSnippet(s.Actions.Snippet, at) })
	s.gallery = newTileGrid(templateCell)
	s.gallery.OnRune, s.gallery.OnKey = s.galleryRune, s.galleryKey
	s.gallery.OnSelect = func(int) { s.pages = 1; s.showMembers() }
	s.gallery.OnActivate = func(int) { s.focusMembers() }
	s.gallery.setEmpty("No templates yet.")
	s.members = newTileGrid(memberCell)
	s.members.OnRune, s.members.OnKey = s.memberRune, s.memberKey
	s.members.OnActivate = func(i int) { s.jump(s.shown[i]) }
	s.status = widget.NewLabel(TemplateKeys)
	s.status.Truncation = fyne.TextTruncateEllipsis
	s.title = widget.NewLabel("")
	s.title.TextStyle.Bold = true
	s.Queue = NewReviewQueue(QueueActions{})
	more := widget.NewButton("More members", func() { s.pages++; s.showMembers() })
	split := container.NewVSplit(s.gallery, container.NewBorder(container.NewBorder(nil, nil, nil, more, s.title), nil, nil, nil, s.members))
	split.Offset = 0.62
	s.tabs = container.NewAppTabs(container.NewTabItem("Templates", split), container.NewTabItem("Review queue", s.Queue.Content()))
	s.tabs.OnSelected = func(*container.TabItem) { s.tabShown() }
	s.content = container.NewBorder(nil, s.status, nil, nil, s.tabs)
	return s
}

// tabShown focuses the tiles of the tab just shown, so its keys act
// without a click on a card first, and shows the footer (the template
// keys) under the templates only: the queue has its own key line.
func (s *TemplateScreen) tabShown() {
	if s.tabs.SelectedIndex() == 1 {
		s.status.Hide()
		s.Queue.grid.requestFocus()
		return
	}
	s.status.Show()
	s.gallery.requestFocus()
}

// Content returns the screen's canvas object.
func (s *TemplateScreen) Content() fyne.CanvasObject { return s.content }

// SetWindow names the window the screen's and its queue's dialogs (the
// offer to reopen a signed-off record) open over.
func (s *TemplateScreen) SetWindow(w fyne.Window) {
	s.win = w
	s.Queue.SetWindow(w)
}

// Gallery returns the focusable gallery, for the window to focus.
func (s *TemplateScreen) Gallery() fyne.Focusable { return s.gallery }

// SetMessage shows msg in the status line (progress, an error, why there
// are no templates).
func (s *TemplateScreen) SetMessage(msg string) { s.status.SetText(msg) }

// SetEmptyText says why the gallery is empty (no database, no record...).
func (s *TemplateScreen) SetEmptyText(msg string) { s.gallery.setEmpty(msg) }

// Templates returns the templates on show.
func (s *TemplateScreen) Templates() []review.Template { return s.templates }

// SetTemplates shows ts (largest first), keeping the selected cluster
// selected when it is still there.
func (s *TemplateScreen) SetTemplates(ts []review.Template) {
	keep := -1
	if i := s.gallery.Selected(); i >= 0 && i < len(s.templates) {
		keep = s.templates[i].ID
	}
	s.templates = ts
	s.snippets.reset() // the labels in them may have changed
	tiles := s.gallery.setLen(len(ts))
	for i := range ts {
		t := &s.templates[i]
		tiles[i].marked = s.marked[t.ID]
		tiles[i].set(func(img *image.RGBA, p tilePalette, env *trace.Envelope) { drawTemplateImage(img, t, p, env) },
			templateCaption(t)...)
	}
	if j := slices.IndexFunc(ts, func(t review.Template) bool { return t.ID == keep }); j >= 0 {
		s.gallery.Select(j)
	} else if len(ts) > 0 {
		s.gallery.Select(max(0, min(s.gallery.Selected(), len(ts)-1)))
	} else {
		s.showMembers()
	}
}

// templateCaption is a card's text: identity, count and dominant label;
// the label mix (and how many labels the adapter gave, after a diamond);
// mean RR and prematurity.
func templateCaption(t *review.Template) []string {
	head := fmt.Sprintf("#%d  %s  %s", t.ID, t.Dominant, Count(t.Count(), "beat"))
	var mix []string
	for k := annotate.ClassNone; k <= annotate.ClassQ; k++ {
		if n := t.Mix[k]; n > 0 {
			name := k.String()
			if k == annotate.ClassNone {
				name = "none"
			}
			mix = append(mix, fmt.Sprintf("%s %s", name, pct(n, t.Count())))
		}
	}
	if t.Adapted > 0 {
		mix = append(mix, fmt.Sprintf("◆ %d adapted", t.Adapted))
	}
	rr := fmt.Sprintf("RR %.2f s · prematurity %.2f", t.MeanRR, t.Prematurity)
	return []string{head, strings.Join(mix, "  "), rr}
}

// pct formats n/total as a whole percentage ("<1%" for a few).
func pct(n, total int) string {
	if total == 0 {
		return "0%"
	}
	p := 100 * n / total
	if p == 0 && n > 0 {
		return "<1%"
	}
	return fmt.Sprintf("%d%%", p)
}

// selectedTemplate returns the selected template, nil when none.
func (s *TemplateScreen) selectedTemplate() *review.Template {
	if i := s.gallery.Selected(); i >= 0 && i < len(s.templates) {
		return &s.templates[i]
	}
	return nil
}

func (s *TemplateScreen) galleryRune(r rune) {
	t := s.selectedTemplate()
	if t == nil {
		return
	}
	if k, ok := annotate.ParseClass(strings.ToUpper(string(r))); ok && s.Actions.Relabel != nil {
		s.do(fmt.Sprintf("cluster #%d (%s) to %s", t.ID, Count(t.Count(), "beat"), k), func() error { return s.Actions.Relabel(t.ID, k.Code()) })
		return
	}
	switch r {
	case ' ':
		s.marked[t.ID] = !s.marked[t.ID]
		s.gallery.setMarked(s.gallery.Selected(), s.marked[t.ID])
	case 'm', 'M':
		s.merge(t.ID)
	case 'k', 'K':
		s.do(fmt.Sprintf("cluster #%d split", t.ID), func() error { return s.Actions.Split(t.ID) })
	case 'p', 'P':
		if s.Actions.SplitPremature != nil {
			s.do(fmt.Sprintf("cluster #%d split by prematurity", t.ID), func() error { return s.Actions.SplitPremature(t.ID) })
		}
	case 'j', 'J':
		if len(t.Beats) > 0 {
			s.jump(t.Beats[0])
		}
	}
}

func (s *TemplateScreen) galleryKey(e *fyne.KeyEvent) {
	if e.Name == fyne.KeyReturn || e.Name == fyne.KeyEnter {
		s.focusMembers()
	}
}

// merge merges the marked clusters into cluster into.
func (s *TemplateScreen) merge(into int) {
	var from []int
	for _, t := range s.templates {
		if s.marked[t.ID] && t.ID != into {
			from = append(from, t.ID)
		}
	}
	if len(from) == 0 {
		s.SetMessage("Mark the clusters to merge with Space first, then select the one they go into and press M.")
		return
	}
	s.do(fmt.Sprintf("%s merged into #%d", Count(len(from), "cluster"), into), func() error {
		err := s.Actions.Merge(into, from)
		if err == nil {
			clear(s.marked)
		}
		return err
	})
}

// do runs an action and says what it did, or what went wrong; an edit of
// a signed-off record offers to reopen it and do it then.
func (s *TemplateScreen) do(what string, f func() error) {
	if err := f(); err != nil {
		if !s.Actions.Reopen.offer(err, s.win, what, func() { s.do(what, f) }, s.SetMessage) {
			s.SetMessage("Not done: " + err.Error())
		}
		return
	}
	s.SetMessage(what + " · " + TemplateKeys)
}

func (s *TemplateScreen) jump(sample int64) {
	if s.Actions.Jump != nil {
		s.Actions.Jump(sample)
	}
}

func (s *TemplateScreen) focusMembers() {
	if len(s.shown) == 0 {
		return
	}
	if c := fyne.CurrentApp().Driver().CanvasForObject(s.members); c != nil {
		c.Focus(s.members)
	}
	s.SetMessage(MemberKeys)
}
