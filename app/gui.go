package main

import (
	"cmp"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/app/modelsvc"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// processStart is when the program started (package initialisation, a
// few milliseconds after exec), for the open-to-first-strip timing.
var processStart = time.Now()

// Environment switches of the GUI.
const (
	// envTiming set to 1 prints to stderr "record-open-ms N",
	// "app-started-ms N", "first-strip-ms N", "overview-built-ms N" and
	// "first-labels-ms N" (the first suggested labels merged) (milliseconds
	// since the process started), "view START END" after every scroll or
	// zoom and "frame-us GAP DRAW" after every strip frame (µs since the
	// previous frame, µs the strip took to draw).
	envTiming = "ECGSTATION_TRACE_TIMING"
	appID     = "org.ecgstation.ecgstation"
)

// desktopShortcutOpen is Ctrl+O (Cmd+O on macOS) for File > Open, and
// desktopShortcutQuit Ctrl+Q for File > Quit.
var (
	desktopShortcutOpen = desktop.CustomShortcut{KeyName: fyne.KeyO, Modifier: fyne.KeyModifierShortcutDefault}
	desktopShortcutQuit = desktop.CustomShortcut{KeyName: fyne.KeyQ, Modifier: fyne.KeyModifierShortcutDefault}
)

// appMetadata tells Fyne that every call from another goroutine comes
// through fyne.Do (the app was migrated to Fyne 2.6's threading). Without
// it Fyne checks the calling goroutine on every Refresh with
// runtime.Stack, which took a sixth of the window's CPU time while the
// strip was paged (the strip refreshes its labels, RR and ruler texts on
// every scroll). FyneApp.toml says the same for "fyne package", but
// "go build" does not read it.
var appMetadata = fyne.AppMetadata{ID: appID, Name: "ECG Station", Migrations: map[string]bool{"fyneDo": true}}

// recordFilter is what File > Open lists.
var recordFilter = []string{".hea", ".edf", ".bdf", ".ecg"}

// gui is the main window and the record it shows.
type gui struct {
	app    fyne.App
	win    fyne.Window
	screen *ui.RecordScreen
	rec    *store.Recording
	stderr io.Writer
	opts   guiOptions
	quit   time.Duration // quit this long after the first strip; 0: never

	// db is the label database, session the reader's edit session on rec
	// in it; both nil until opened. Every screen edits labels through
	// session only, so each edit is durable and undoable.
	db      *store.DB
	session *annotate.Session
	reader  annotate.ReaderID

	recID     annotate.RecordID // rec's identity in db
	dbPath    string            // the label database's file, once chosen
	dbErr     error             // why db is nil or read-only, shown once
	job       *preannotation    // the running pre-annotation, or nil
	reclass   *reclassifier     // re-classifies edited beats, or nil
	adapt     *adapter          // the per-record adapter of the record shown, or nil
	adaptItem *fyne.MenuItem    // Records > Per-record adapter, checked while it is on
	closeOnce sync.Once

	// models is the model service every screen of the window shares:
	// the models load once, as the preferences name them.
	models modelsvc.Shared
	// windows are the windows of the screens beside the record screen,
	// one per screen, reused while open.
	windows screenWindows
	// analysis and templates are the open analysis and templates
	// screens, or nil.
	analysis  *analysis
	templates *templates
	// modelsWarned is done once the "suggestions are off" dialog was shown.
	modelsWarned sync.Once
	// leads is the signal the detector and the models read of rec.
	leads recordLeads
	// loads numbers the requests to open a record (newLoad): only the
	// newest one's results show. UI goroutine only.
	loads uint64
}

// runGUI opens the window on the record at o.path ("" for the demo) and
// returns when the window is closed.
func runGUI(o guiOptions, stderr io.Writer) error {
	if err := checkDisplay(os.Getenv); err != nil {
		return err
	}
	if limitHeap(os.Getenv) {
		go followLiveHeap(heapCheck)
	}
	dropEmptyPrefs(fyneConfigDir(), appID)
	fyneapp.SetMetadata(appMetadata)
	a := fyneapp.NewWithID(appID)
	a.Settings().SetTheme(ui.NewTheme())
	a.SetIcon(fyne.NewStaticResource("icon.png", assets.IconPNG))
	g := &gui{app: a, stderr: stderr, opts: o, quit: o.quit, screen: ui.NewRecordScreen()}
	g.win = a.NewWindow("ECG Station")
	g.screen.SetWindow(g.win)
	g.openDB()
	g.win.SetMainMenu(g.menu())
	g.win.Canvas().AddShortcut(&desktopShortcutOpen, func(fyne.Shortcut) { g.showOpen() })
	g.win.SetContent(g.screen.Content())
	g.win.Resize(fyne.NewSize(1200, 760))
	g.screen.Strip.OnFirstDraw = g.firstDraw
	g.wireScreen()
	g.win.Canvas().Focus(g.screen.Strip)
	g.win.SetOnClosed(g.close)
	g.startLoad(o.path) // the UI goroutine: the app runs on this one
	a.Lifecycle().SetOnStarted(func() {
		g.trace("app-started-ms")
		g.warnDB()
		g.firstRun()
	})
	g.win.ShowAndRun()
	g.close()
	return nil
}

func (g *gui) menu() *fyne.MainMenu {
	open := fyne.NewMenuItem("Open…", g.showOpen)
	open.Shortcut = &desktopShortcutOpen
	demo := fyne.NewMenuItem("Open the demo record", func() { g.startLoad("") })
	quit := fyne.NewMenuItem("Quit", func() { g.app.Quit() })
	quit.IsQuit, quit.Shortcut = true, &desktopShortcutQuit
	menus := []*fyne.Menu{fyne.NewMenu("File", open, demo, fyne.NewMenuItemSeparator(), quit)}
	menus = append(menus, g.editMenu(), g.viewMenu(),
		g.analysisMenu(), g.recordsMenu(), g.settingsMenu(), g.reviewMenu(), g.helpMenu())
	return fyne.NewMainMenu(menus...)
}

// loadReq is one request to open a record: its path ("" for the demo),
// the reader whose labels open with it, and its number, by which a load
// that a newer request overtook drops its results (they would otherwise
// show the older record or reader, and the older label set would get
// the edits).
type loadReq struct {
	path   string
	reader annotate.ReaderID
	n      uint64
}

// newLoad numbers a request to open path as the window's reader. On the
// UI goroutine.
func (g *gui) newLoad(path string) loadReq {
	g.loads++
	return loadReq{path: path, reader: g.reader, n: g.loads}
}

// startLoad opens path (the demo when empty) in the background as the
// window's reader. On the UI goroutine.
func (g *gui) startLoad(path string) { go g.load(g.newLoad(path)) }

// newest reports whether req is the newest request to open a record and
// rec, what it opened, the record shown. On the UI goroutine.
func (g *gui) newest(req loadReq, rec *store.Recording) bool {
	return req.n == g.loads && g.rec == rec
}

// load opens req's record off the UI goroutine and shows it: the signal
// first, then the reader's labels from the database, then the models'
// suggestions in the background when the record has none yet. A newer
// request made meanwhile wins: this one then shows nothing.
func (g *gui) load(req loadReq) {
	path := req.path
	if path == "" {
		p, err := demoPath()
		if err != nil {
			g.failLoad(req, err)
			return
		}
		path = p
	}
	rec, err := store.Open(path)
	if err != nil {
		g.failLoad(req, err)
		return
	}
	g.trace("record-open-ms")
	shown := make(chan bool, 1) // the test driver runs fyne.Do on this goroutine
	fyne.Do(func() { shown <- g.showNewest(req, rec) })
	if <-shown {
		g.openLabels(rec, req)
	}
}

// showNewest shows rec when req is still the newest request, else closes
// it; it reports whether it showed it. On the UI goroutine.
func (g *gui) showNewest(req loadReq, rec *store.Recording) bool {
	if req.n != g.loads {
		_ = rec.Close()
		return false
	}
	g.show(rec, nil)
	return true
}

// failLoad reports that req's record could not be opened. The record
// shown before stays, with its labels: when req was the newest request,
// the reader list names their reader again (a switch of readers that
// failed).
func (g *gui) failLoad(req loadReq, err error) {
	g.fail(err)
	fyne.Do(func() {
		if req.n == g.loads && g.session != nil {
			g.reader = g.session.Reader()
			g.screen.SetReaders(string(g.reader), g.knownReaders())
		}
	})
}

// openLabels opens req.reader's labels of rec, shown on the screen, off
// the UI goroutine: the reference labels read only without a database,
// else the reader's session, then the models' suggestions in the
// background when the record has none yet. Nothing shows when a newer
// request to open a record was made meanwhile.
func (g *gui) openLabels(rec *store.Recording, req loadReq) {
	if g.db == nil {
		g.showReference(rec)
		return
	}
	s, err := g.openSession(rec, req.reader)
	readers := g.knownReaders()
	if err != nil {
		g.failLabels(err)
		fyne.Do(func() {
			if g.newest(req, rec) { // the list lets the reader pick another set
				g.screen.SetReaders(string(req.reader), readers)
			}
		})
		return
	}
	g.showStoredLeads(rec, s.id)
	fyne.Do(func() {
		if !g.newest(req, rec) {
			return
		}
		g.session, g.recID = s.sess, s.id
		g.screen.SetEditor(s.sess)
		g.screen.SetReaders(string(s.sess.Reader()), readers)
		g.trace("session-open-ms")
		g.startPreannotation(rec, s)
		g.startAdapter(rec, s)
	})
}

// showReference shows the reference labels beside the record, read only,
// when no label database is open.
func (g *gui) showReference(rec *store.Recording) {
	if err := rec.LoadReference(); err != nil {
		g.fail(fmt.Errorf("the record opened, but its annotations could not be read: %w", err))
		return
	}
	beats := sortedBeats(rec.Beats)
	fyne.Do(func() {
		if g.rec == rec {
			g.screen.Labels().SetBeats(beats)
		}
	})
}

// sortedBeats returns beats in sample order (the strip searches them).
func sortedBeats(b []annotate.Beat) []annotate.Beat {
	if slices.IsSortedFunc(b, byBeatSample) {
		return b
	}
	b = slices.Clone(b)
	slices.SortStableFunc(b, byBeatSample)
	return b
}

func byBeatSample(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) }

// show puts rec on screen and closes the record shown before (stopping its
// pre-annotation first).
func (g *gui) show(rec *store.Recording, beats []annotate.Beat) {
	released := g.stopPreannotation()
	old := g.rec
	g.rec, g.session, g.recID = rec, nil, ""
	opening := ""
	if g.db != nil { // the session opens next: no "not saved" meanwhile
		opening = "opening the labels…"
	}
	g.screen.SetNoEditorText(opening)
	g.win.Canvas().Focus(g.screen.Strip) // before the overview's build starts repainting
	p := g.prefs()
	g.screen.SetRecordPaper(rec.Signal, ui.NewLabels(beats), p.Speed, p.Gain)
	if ready := g.screen.Ready(); ready != nil && os.Getenv(envTiming) == "1" {
		go func() { <-ready; g.trace("overview-built-ms") }()
	}
	if old != nil { // the screen no longer reads it (its build was stopped); the adapter may, until released
		go func() { <-released; _ = old.Close() }()
	}
	name := filepath.Base(rec.Path)
	g.win.SetTitle("ECG Station — " + name)
}

// fail reports an error opening a record: on stderr and in a dialog.
func (g *gui) fail(err error) {
	fmt.Fprintf(g.stderr, "ecgstation: %v\n", err)
	if g.quit > 0 { // a timing or test run must end even when nothing opens
		time.AfterFunc(g.quit, func() { fyne.Do(g.app.Quit) })
	}
	fyne.Do(func() {
		d := dialog.NewError(fmt.Errorf("could not open the record:\n%w", err), g.win)
		d.Show()
	})
}

func (g *gui) showOpen() {
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil {
			dialog.ShowError(err, g.win)
			return
		}
		if r == nil {
			return // cancelled
		}
		path := r.URI().Path()
		_ = r.Close()
		g.startLoad(path)
	}, g.win)
	d.SetFilter(storage.NewExtensionFileFilter(recordFilter))
	if g.rec != nil {
		if dir, err := storage.ListerForURI(storage.NewFileURI(filepath.Dir(g.rec.Path))); err == nil {
			d.SetLocation(dir)
		}
	}
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// firstDraw logs the open-to-first-strip time and arms --quit-after.
func (g *gui) firstDraw() {
	g.trace("first-strip-ms")
	if g.quit > 0 {
		time.AfterFunc(g.quit, func() { fyne.Do(g.app.Quit) })
	}
}

// trace prints "what N", N the milliseconds since the process started,
// when ECGSTATION_TRACE_TIMING=1.
func (g *gui) trace(what string) {
	if os.Getenv(envTiming) == "1" {
		fmt.Fprintf(g.stderr, "%s %d\n", what, time.Since(processStart).Milliseconds())
	}
}

// traceText prints "what text" when ECGSTATION_TRACE_TIMING=1, for the
// outcomes a test waits for that carry no time.
func (g *gui) traceText(what, text string) {
	if os.Getenv(envTiming) == "1" {
		fmt.Fprintf(g.stderr, "%s %s\n", what, text)
	}
}

// close stops the background work and closes the record and the label
// database, once. Every accepted edit is already in the database.
func (g *gui) close() {
	g.closeOnce.Do(func() {
		<-g.stopPreannotation() // the adapter ends within one beat-model batch; it reads the record until then
		g.screen.Close()
		if g.rec != nil {
			_ = g.rec.Close()
		}
		if err := g.models.Close(); err != nil {
			fmt.Fprintf(g.stderr, "ecgstation: closing the models: %v\n", err)
		}
		if g.db != nil {
			if err := g.db.Close(); err != nil {
				fmt.Fprintf(g.stderr, "ecgstation: closing the label database: %v\n", err)
			}
		}
	})
}
