package main

import (
	"context"
	"errors"
	"fmt"
	"math"
	"os"
	"os/user"
	"path/filepath"
	"runtime/trace"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/private"
)

// guiOptions are the flags of "ecgstation open".
type guiOptions struct {
	path          string        // record to open; "" for the demo
	quit          time.Duration // quit this long after the first strip; 0: never
	sharedFlags                 // label database, reader, ONNX Runtime library: "" for the preferences' choice, else the default
	noPreannotate bool          // never start the models by themselves
}

// errLabelsOff is wrapped by the reasons the record shows without labels
// that can be saved.
var errLabelsOff = errors.New("labels cannot be saved")

// defaultDBPath is labels.db in the user's config folder (made if needed).
func defaultDBPath() (string, error) {
	dir, err := os.UserConfigDir()
	if err != nil {
		return "", fmt.Errorf("no config folder for the label database: %w", err)
	}
	dir = filepath.Join(dir, "ecgstation")
	if err := private.MkdirAll(dir); err != nil {
		return "", fmt.Errorf("make the label database folder: %w", err)
	}
	return filepath.Join(dir, "labels.db"), nil
}

// openDB opens the label database the flags or the preferences name (else
// the default one) and sets the reader. A database that cannot be opened
// leaves g.db nil and g.dbErr saying why; the window still opens.
func (g *gui) openDB() {
	g.reader = annotate.ReaderID(firstNonEmpty(g.opts.reader, g.prefs().Reader, loginName()))
	path := firstNonEmpty(g.opts.db, g.prefs().LabelDB)
	if path == "" {
		p, err := defaultDBPath()
		if err != nil {
			g.dbErr = err
			return
		}
		path = p
	}
	g.dbPath = path
	db, err := store.OpenDB(path, store.DBOptions{})
	if err != nil {
		g.dbErr = fmt.Errorf("the label database %s could not be opened: %w", path, err)
		return
	}
	g.db = db
	if err := db.ReadOnly(); err != nil {
		g.dbErr = fmt.Errorf("the label database %s is read-only, so edits cannot be saved: %w", path, err)
	}
	g.trace("db-open-ms")
}

// warnDB shows, once the window is up, why labels cannot be saved.
func (g *gui) warnDB() {
	if g.dbErr == nil {
		return
	}
	fmt.Fprintf(g.stderr, "ecgstation: %v\n", g.dbErr)
	if errors.Is(g.dbErr, store.ErrDBCorrupt) {
		g.showDamagedDB()
		return
	}
	msg := fmt.Errorf("%w\n\nRecords open and can be read, but labels are not saved. "+
		"Choose another file under Preferences > Label database, or start with --db FILE", g.dbErr)
	dialog.ShowError(msg, g.win)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if strings.TrimSpace(v) != "" {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

// loginName is the user's login name, or "reader" when unknown.
func loginName() string {
	if u, err := user.Current(); err == nil && u.Username != "" {
		return u.Username
	}
	return "reader"
}

// openedSession is a record registered in the database with the reader's
// session on it.
type openedSession struct {
	id   annotate.RecordID
	sess *annotate.Session
}

// openSession registers rec in the database under its content hash and
// opens reader's edit session on it.
func (g *gui) openSession(rec *store.Recording, reader annotate.ReaderID) (openedSession, error) {
	id, err := store.HashRecord(rec.Path)
	if err != nil {
		return openedSession{}, fmt.Errorf("identify the record %s: %w", rec.Path, err)
	}
	if g.db.ReadOnly() == nil {
		if err := g.db.PutRecord(id, rec.Path, rec.Signal.Info()); err != nil {
			return openedSession{}, fmt.Errorf("register the record in the label database: %w", err)
		}
	}
	sess, err := annotate.Open(g.db, id, annotate.Options{Reader: reader, MergeWindow: mergeWindow(rec.Signal.Info().Fs)})
	if err != nil {
		return openedSession{}, fmt.Errorf("open %s's labels of the record: %w", reader, err)
	}
	return openedSession{id: id, sess: sess}, nil
}

// matchWindow is EC57's beat match window: a model beat within it of a
// beat the reader already has (imported reference labels, say) is the same
// beat, so a merge relabels that beat instead of adding one beside it.
const matchWindow = 150 * time.Millisecond

// mergeWindow is matchWindow in samples at fs.
func mergeWindow(fs float64) int64 {
	return int64(math.Round(matchWindow.Seconds() * fs))
}

// failLabels reports that the record shows but its labels could not be
// opened.
func (g *gui) failLabels(err error) {
	err = fmt.Errorf("%w: %w", errLabelsOff, err)
	fmt.Fprintf(g.stderr, "ecgstation: %v\n", err)
	fyne.Do(func() {
		g.screen.SetNoEditorText("not saved: the labels did not open")
		dialog.ShowError(fmt.Errorf("the record opened, but its labels did not:\n%w", err), g.win)
	})
}

// wireScreen connects the record screen's hooks: snapping to R peaks, the
// pre-annotation's focus, re-classification after edits, and the timing
// traces.
func (g *gui) wireScreen() {
	g.screen.OnReader = g.switchReader
	g.screen.Snap = func(sample int64) int64 {
		if g.rec == nil {
			return sample
		}
		return snapToPeak(g.modelSignal(g.rec), sample)
	}
	g.screen.OnLeads = g.saveLeads
	g.screen.OnFocus = func(sample int64) {
		if j := g.job; j != nil {
			j.focus(sample)
		}
	}
	timing := os.Getenv(envTiming) == "1"
	g.screen.OnEdit = func(a annotate.Action, samples []int64) {
		if timing {
			fmt.Fprintf(g.stderr, "edit %s %v\n", strings.ReplaceAll(string(a), " ", "-"), samples)
		}
		g.reclass.add(a, samples) // on the UI goroutine, as is g.reclass
		g.adapt.poke()
	}
	if !timing {
		return
	}
	g.screen.OnViewChanged = func(start, end int64) { fmt.Fprintf(g.stderr, "view %d %d\n", start, end) }
	g.screen.OnSelect = func(sample int64) { fmt.Fprintf(g.stderr, "select %d\n", sample) }
	g.screen.OnLayout = func(text string) { fmt.Fprintf(g.stderr, "layout %s\n", text) }
	g.screen.OnKeyFrame = func(d time.Duration) { fmt.Fprintf(g.stderr, "key-to-frame-us %d\n", d.Microseconds()) }
	g.screen.OnFrame = func(gap, draw time.Duration) {
		fmt.Fprintf(g.stderr, "frame-us %d %d\n", gap.Microseconds(), draw.Microseconds())
		trace.Logf(context.Background(), "frame", "%d %d", gap.Microseconds(), draw.Microseconds())
	}
	g.screen.OnKeyStored = func(d time.Duration) { fmt.Fprintf(g.stderr, "key-to-stored-us %d\n", d.Microseconds()) }
}

// editMenu is the record screen's Edit menu. Its items show the keys but
// leave them to the strip, whose shortcut table is the one place keys are
// bound.
func (g *gui) editMenu() *fyne.Menu {
	undo := fyne.NewMenuItem("Undo    (Ctrl+Z)", func() { g.screen.Undo() })
	redo := fyne.NewMenuItem("Redo    (Ctrl+Shift+Z)", func() { g.screen.Redo() })
	sign := fyne.NewMenuItem("Sign off…", func() { g.screen.SignOff() })
	again := fyne.NewMenuItem("Suggest labels again (run the models)", func() { g.rerunPreannotation() })
	stop := fyne.NewMenuItem("Cancel the suggestions in progress", func() { g.cancelPreannotation() })
	return fyne.NewMenu("Edit", undo, redo, fyne.NewMenuItemSeparator(), sign, fyne.NewMenuItemSeparator(), again, stop)
}

// viewMenu switches between the strip and the full disclosure, and opens
// the keyboard help.
func (g *gui) viewMenu() *fyne.Menu {
	disc := fyne.NewMenuItem("Strip or full disclosure    (F2)", func() { g.screen.ToggleDisclosure() })
	leads := fyne.NewMenuItem("Leads…", func() { g.screen.ShowLeads() })
	twelve := fyne.NewMenuItem("12-lead layout on / off    (t)", func() { g.screen.ToggleTwelveLead() })
	help := fyne.NewMenuItem("Keyboard shortcuts    (F1)", func() { g.screen.ShowHelp() })
	return fyne.NewMenu("View", disc, leads, twelve, help)
}
