package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/sched"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// Repaint intervals: the pyramid build and the overview's tracks (which
// sum every beat) repaint at most this often.
const (
	progressInterval = 150 * time.Millisecond
	overviewInterval = 300 * time.Millisecond
)

// RecordScreen shows one record and edits its labels: a tool bar, the
// episode track, the strip (or the full disclosure), the overview, the
// background-job bar and a status line. Keys reach it through the focused
// strip or disclosure (see Shortcuts); every edit goes through its label
// view (Labels) to the editor, and shows as done once the editor has
// stored it.
type RecordScreen struct {
	Strip      *Strip
	Overview   *Overview
	Disclosure *Disclosure
	Episodes   *EpisodeTrack
	// OnViewChanged, when set, is called with the strip's visible samples
	// [start, end) after every scroll or zoom.
	OnViewChanged func(start, end int64)
	// OnFocus, when set, is called with the sample the reader looks at
	// whenever the view moves (the pre-annotation takes that chunk next).
	OnFocus func(sample int64)
	// OnSelect, when set, is called with the selected beat's sample after
	// every selection by key or click (-1: none).
	OnSelect func(sample int64)
	// OnEdit, when set, is called after every edit the editor accepted,
	// with the action and the samples it touched.
	OnEdit func(a annotate.Action, samples []int64)
	// OnKeyFrame, when set, is called with the time from a key the
	// shortcut table handled to the end of the next strip frame drawn.
	OnKeyFrame func(d time.Duration)
	// OnFrame, when set, is called after every strip frame drawn with the
	// time since the previous one (0 for the first) and the time the
	// strip's own drawing took: the frame-time probe of timing runs.
	OnFrame func(gap, draw time.Duration)
	// OnKeyStored, when set, is called with the time from a key to the
	// moment the edit it made is stored and shown as done.
	OnKeyStored func(d time.Duration)
	// Inline runs edits and the overview's deferred repaint at once on the
	// calling goroutine, instead of on the label view's edit queue and a
	// timer (set it before SetEditor). Tests
	// under Fyne's test driver, which runs fyne.Do on the calling
	// goroutine, set it so nothing runs beside the test's goroutine.
	Inline bool
	// OnFilters, when set, is called with the display filters after the
	// reader switched one (keys F5 to F8, the tool bar).
	OnFilters func(Filters)
	// OnDensity, when set, is called with the full disclosure's seconds a
	// line and lines a page (FitLines: as many as fit) after the reader
	// changes them, from a key or the tool bar.
	OnDensity func(secs float64, lines int)
	// OnReader, when set, is called with the reader picked in the tool
	// bar's reader list: the app opens that reader's own label set of the
	// record (SetReaders then shows it).
	OnReader func(reader string)
	// Snap returns the sample of the R peak nearest sample, for inserting
	// and moving beats; nil: beats go where the cursor is.
	Snap func(sample int64) int64
	// OnLeads, when set, is called with the reader's choice of leads from
	// the Leads dialog (ShowLeads), after the screen shows it.
	OnLeads func(LeadChoice)
	// OnTwelveLead, when set, is called after the reader switched the
	// 12-lead layout on or off (ToggleTwelveLead).
	OnTwelveLead func(on bool)
	// OnLayout, when set, is called with what the status line says of
	// the strip's layout (LayoutChoice's Text) each time that changes.
	OnLayout func(text string)

	win       fyne.Window
	status    *statusLine
	job       *jobBar
	toolbar   *toolbar
	content   fyne.CanvasObject
	info      annotate.RecordInfo
	labels    *Labels // the label view drawn and edited
	keys      *keymap
	anchor    int64   // the fixed end of a range selection
	picked    []int64 // beats Ctrl+clicked on the full-disclosure page, ascending
	pickFrom  int64   // the beat picked last, where a Shift+click range starts; -1: none
	episode   annotate.EpisodeID
	mode      viewMode
	cancel    context.CancelFunc
	done      sync.WaitGroup
	pyr       *trace.Pyramid
	ready     chan struct{} // closed after the build's last repaint
	ovPending bool
	post      func(func()) // how the label view reaches the UI goroutine; nil: fyne.Do
	keyAt     time.Time    // when the last handled key came, until a frame shows it
	frameAt   time.Time    // when the last strip frame ended
	adapter   string       // the per-record adapter's last word for the status line
	noEditor  string       // what the tool bar says without an editor ("": no label database)
	model     []int        // the leads the models read, for the Leads dialog (SetLeads)
	layout    string       // the layout text last told to OnLayout
}

// viewMode is what the middle of the screen shows.
type viewMode uint8

const (
	modeStrip viewMode = iota
	modeDisclosure
)

// NewRecordScreen returns an empty record screen.
func NewRecordScreen() *RecordScreen {
	r := &RecordScreen{Strip: NewStrip(), Overview: NewOverview(), Disclosure: NewDisclosure(),
		Episodes: NewEpisodeTrack(), status: newStatusLine(), labels: NewLabels(nil)}
	r.keys = &keymap{r: r}
	r.job = newJobBar()
	r.Strip.OnViewChanged = r.onViewChanged
	r.Strip.Keys, r.Disclosure.Keys = r.keys, r.keys
	r.Strip.OnTap = r.tapAt
	r.Strip.OnDrawn = r.frameDrawn
	r.Strip.OnMoveBeat = func(from, to int64) { r.moveBeat(from, to) }
	r.Strip.SetNoise(func() []annotate.NoiseEntry { return r.labels.Noise() })
	r.Disclosure.OnOpen = r.openFromDisclosure
	r.Disclosure.OnPick = r.pick
	r.Disclosure.OnPickTo = r.pickTo
	r.Disclosure.Picked = func() []int64 { return r.picked }
	r.Disclosure.SetNoise(func() []annotate.NoiseEntry { return r.labels.Noise() })
	r.Disclosure.Highlight = r.Strip.Selection
	r.Overview.OnSeek = r.seek
	r.Episodes.OnSelect = r.selectEpisode
	r.Episodes.OnChange = r.changeEpisode
	r.Episodes.OnMenu = r.episodeMenu
	r.toolbar = newToolbar(r)
	r.Disclosure.Hide()
	middle := container.NewStack(r.Strip, r.Disclosure)
	top := container.NewVBox(r.toolbar.content, r.Episodes)
	bottom := container.NewVBox(r.Overview, r.job.content, r.status)
	r.content = container.NewBorder(top, bottom, nil, nil, middle)
	return r
}

// Content returns the screen's canvas object.
func (r *RecordScreen) Content() fyne.CanvasObject { return r.content }

// SetWindow names the window dialogs (errors, help, sign-off) open over,
// and sends it the keys typed while no widget has the focus.
func (r *RecordScreen) SetWindow(w fyne.Window) {
	r.win = w
	r.keysWithoutFocus()
}

// keysWithoutFocus gives the keys the window's canvas gets when nothing
// has the focus (a click on the overview bar, the episode track or the
// status line takes it away) to the strip or the disclosure, whichever
// shows, and focuses it, so no documented key is ever ignored.
func (r *RecordScreen) keysWithoutFocus() {
	if r.win == nil {
		return
	}
	c := r.win.Canvas()
	c.SetOnTypedKey(func(e *fyne.KeyEvent) {
		if v := r.refocus(c); v != nil {
			v.TypedKey(e)
		}
	})
	c.SetOnTypedRune(func(ch rune) {
		if v := r.refocus(c); v != nil {
			v.TypedRune(ch)
		}
	})
}

// refocus focuses the view on show and returns it, or nil while a dialog
// is open over the window (its keys are not the record's).
func (r *RecordScreen) refocus(c fyne.Canvas) fyne.Focusable {
	if c.Overlays().Top() != nil {
		return nil
	}
	r.FocusView()
	if r.mode == modeDisclosure {
		return r.Disclosure
	}
	return r.Strip
}

// SetRecord shows sig with labels (nil: none yet) and no editor, and starts
// building its pyramid; a previous record's build is stopped first. It
// returns at once.
func (r *RecordScreen) SetRecord(sig annotate.Signal, labels *Labels) {
	r.SetRecordPaper(sig, labels, 0, 0)
}

// SetRecordPaper is SetRecord at paper speed mm/s and gain mm/mV (0: the
// defaults), set before the pyramid's build starts: the build repaints
// from its own goroutine, so nothing should change the view alongside it.
func (r *RecordScreen) SetRecordPaper(sig annotate.Signal, labels *Labels, speed, gain float64) {
	r.Close()
	if labels == nil {
		labels = NewLabels(nil)
	}
	r.info, r.labels, r.episode, r.model = sig.Info(), labels, 0, nil
	labels.OnChange = r.labelsChanged
	pyr, err := trace.NewPyramid(sig, 0)
	if err != nil {
		fyne.LogError("ecg record: no overview", err)
		pyr = nil
	}
	r.pyr, r.ready = pyr, nil
	r.Strip.SetRecord(sig, pyr, labels)
	r.Overview.SetRecord(sig, pyr, labels)
	r.Disclosure.SetRecord(sig, pyr, labels)
	r.Disclosure.SetFilters(r.Strip.Filters())
	r.Episodes.SetRecord(r.info, labels, r.Strip)
	r.job.reset()
	r.onViewChanged(r.Strip.View())
	r.SetPaper(speed, gain)
	if pyr != nil {
		r.build(pyr)
	}
}

// SetEditor makes ed the session the screen edits, and shows its labels.
// Call it on the UI goroutine after SetRecord; ed may be nil (read only).
// The screen then follows ed's changes by itself (see Changed).
func (r *RecordScreen) SetEditor(ed annotate.Editor) {
	post := r.post
	switch {
	case r.Inline:
		post = nil
	case post == nil:
		post = fyne.Do
	}
	r.labels.Open(ed, post)
}

// Labels returns the screen's label view. Call its methods on the UI
// goroutine (Changed from any).
func (r *RecordScreen) Labels() *Labels { return r.labels }

// Changed tells the screen that its editor's labels changed elsewhere (a
// model merge, another screen's edit), so it reads them at once instead of
// at the next check. It may be called from any goroutine and never blocks
// (an Inline screen reads on the caller's goroutine).
func (r *RecordScreen) Changed() { r.labels.Changed() }

// labelsChanged redraws what shows labels; the overview at most every
// overviewInterval.
func (r *RecordScreen) labelsChanged() {
	r.dropGoneBeat()
	r.Strip.Refresh()
	r.Episodes.Refresh()
	if r.mode == modeDisclosure {
		r.Disclosure.Refresh()
	}
	r.toolbar.update()
	r.onViewChanged(r.Strip.View())
	if !r.ovPending {
		r.ovPending = true
		repaint := func() {
			r.ovPending = false
			r.Overview.Refresh()
		}
		if r.Inline {
			repaint()
		} else {
			time.AfterFunc(overviewInterval, func() { fyne.Do(repaint) })
		}
	}
}

// build runs the pyramid build in a goroutine, repainting through fyne.Do.
func (r *RecordScreen) build(pyr *trace.Pyramid) {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	ready := make(chan struct{})
	r.ready = ready
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		defer close(ready)
		sched.Background()
		last := time.Now()
		err := pyr.Build(ctx, func(done, total int64) {
			if time.Since(last) >= progressInterval {
				last = time.Now()
				fyne.Do(r.repaint)
			}
		})
		if err != nil && ctx.Err() == nil {
			fyne.LogError("ecg record: building the overview", err)
		}
		if ctx.Err() == nil {
			fyne.Do(r.repaint)
		}
	}()
}

func (r *RecordScreen) repaint() {
	r.Strip.Refresh()
	r.Overview.Refresh()
	if r.mode == modeDisclosure {
		r.Disclosure.Refresh()
	}
	r.onViewChanged(r.Strip.View())
}

// Ready returns a channel closed when the current record's pyramid is
// built and the screen repainted with it (or nil when there is none).
func (r *RecordScreen) Ready() <-chan struct{} { return r.ready }

// Close runs the edits queued, stops following the editor and the
// background build of the current record, and waits for them.
func (r *RecordScreen) Close() {
	r.labels.Close()
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.done.Wait()
}

// showError opens a dialog saying what went wrong (and logs it).
func (r *RecordScreen) showError(err error) {
	fyne.LogError("ecg record", err)
	r.status.SetText("Error: " + err.Error())
	if r.win != nil {
		dialog.ShowError(err, r.win)
	}
}

func (r *RecordScreen) onViewChanged(start, end int64) {
	r.Overview.SetWindow(start, end)
	r.Episodes.Refresh()
	if r.OnViewChanged != nil {
		r.OnViewChanged(start, end)
	}
	if r.OnFocus != nil && end > start {
		r.OnFocus((start + end) / 2)
	}
	r.status.SetText(r.statusText(start, end))
	r.noteLayout()
}

// statusText sums up the record, the view and the selection.
func (r *RecordScreen) statusText(start, end int64) string {
	fs := r.info.Fs
	if fs <= 0 {
		return ""
	}
	if r.mode == modeDisclosure {
		start, end = r.Disclosure.Page()
	}
	txt := fmt.Sprintf("%s  ·  %s, %g Hz, %s, %s  ·  %s – %s  ·  %s",
		r.info.Name, r.info.Format, fs, r.info.Duration().Round(time.Second), Count(r.labels.Len(), "beat"),
		trace.Clock(float64(start)/fs, false), trace.Clock(float64(end)/fs, false), r.Strip.SpeedText())
	if l := r.Strip.LayoutChoice().Text; l != "" && r.mode == modeStrip { // beside the paper it is drawn on
		txt += "  ·  " + l
	}
	if f := r.filterText(); f != "" {
		txt += "  ·  " + f
	}
	if r.mode == modeDisclosure {
		txt += "  ·  " + r.densityText()
	}
	if s := r.selectionText(); s != "" {
		txt += "  ·  " + s
	}
	if s := r.leadsText(); s != "" {
		txt += "  ·  " + s
	}
	if r.adapter != "" {
		txt += "  ·  " + r.adapter
	}
	if p := r.pyr; p != nil {
		switch {
		case p.Err() != nil:
			txt += "  ·  overview failed: " + p.Err().Error()
		case p.Done() < p.Len():
			txt += fmt.Sprintf("  ·  building overview %d %%", p.Done()*100/p.Len())
		}
	}
	return txt
}

// SetAdapterStatus puts the per-record adapter's last word ("Adapter: 812
// beats relabelled from 37 reader labels") on the status line; "" takes it
// off. Call it on the UI goroutine.
func (r *RecordScreen) SetAdapterStatus(text string) {
	r.adapter = text
	r.status.SetText(r.statusText(r.Strip.View()))
}

// StatusText returns the status line as shown.
func (r *RecordScreen) StatusText() string { return r.status.Text }

// frameDrawn reports the frame to OnFrame and the time from the last key
// to this frame to OnKeyFrame.
func (r *RecordScreen) frameDrawn(draw time.Duration) {
	now := time.Now()
	if r.OnFrame != nil {
		gap := time.Duration(0)
		if !r.frameAt.IsZero() {
			gap = now.Sub(r.frameAt)
		}
		r.OnFrame(gap, draw)
	}
	r.frameAt = now
	if r.keyAt.IsZero() {
		return
	}
	d := time.Since(r.keyAt)
	r.keyAt = time.Time{}
	if r.OnKeyFrame != nil {
		r.OnKeyFrame(d)
	}
}

// filterText describes the display filters in the view shown: the strip's
// or the full disclosure's, each of which may be drawn unfiltered from the
// overview's buckets when zoomed out.
func (r *RecordScreen) filterText() string {
	if r.mode == modeDisclosure {
		return r.Disclosure.FilterText()
	}
	return r.Strip.FilterText()
}
