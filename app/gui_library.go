package main

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/storage"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/ui"
)

// noDBText is what a screen says when no label database is open.
const noDBText = "No label database is open. Open a record (File > Open…) with a label database, " +
	"or choose one under Preferences > Label database."

// shortcutLibrary is Ctrl+L for the library.
var shortcutLibrary = desktop.CustomShortcut{KeyName: fyne.KeyL, Modifier: fyne.KeyModifierShortcutDefault}

// recordsMenu is the Records menu, and its shortcut on the window.
func (g *gui) recordsMenu() *fyne.Menu {
	lib := fyne.NewMenuItem("Library", func() { g.showLibrary() })
	lib.Shortcut = &shortcutLibrary
	g.win.Canvas().AddShortcut(&shortcutLibrary, func(fyne.Shortcut) { g.showLibrary() })
	arch := fyne.NewMenuItem("Archive view…", func() { g.showArchive() })
	g.adaptItem = g.adaptMenuItem()
	return fyne.NewMenu("Records", lib, arch, fyne.NewMenuItemSeparator(), g.adaptItem)
}

// screenWindows holds the windows of the screens beside the record screen,
// by screen name, reused while open. The zero value is ready to use.
type screenWindows struct {
	sync.Mutex
	m map[string]fyne.Window
}

// screenWindow shows the window of screen name, building it with build the
// first time (or after it was closed). build returns the content and a
// function to call when the window closes.
func (g *gui) screenWindow(name, title string, size fyne.Size, build func(w fyne.Window) (fyne.CanvasObject, func())) fyne.Window {
	g.windows.Lock()
	w, ok := g.windows.m[name]
	g.windows.Unlock()
	if ok {
		w.Show()
		w.RequestFocus()
		return w
	}
	w = g.app.NewWindow(title)
	content, closed := build(w)
	w.SetContent(content)
	w.Resize(size)
	w.SetOnClosed(func() {
		g.windows.Lock()
		delete(g.windows.m, name)
		g.windows.Unlock()
		if closed != nil {
			closed()
		}
	})
	g.windows.Lock()
	if g.windows.m == nil {
		g.windows.m = map[string]fyne.Window{}
	}
	g.windows.m[name] = w
	g.windows.Unlock()
	w.Show()
	return w
}

// jumpTo shows sample of the record at path on the strip, opening the
// record through the record screen's loader when another one is shown.
func (g *gui) jumpTo(path string, sample int64) {
	if g.rec != nil && samePath(g.rec.Path, path) {
		g.showSample(sample)
		return
	}
	req := g.newLoad(path)
	go func() {
		g.load(req)
		fyne.Do(func() {
			if g.rec != nil && samePath(g.rec.Path, path) {
				g.showSample(sample)
			}
		})
	}()
}

// showSample brings the record window to the front and centres the strip
// on sample, with the beat there selected (the cursor, on a gap).
func (g *gui) showSample(sample int64) {
	g.win.RequestFocus()
	g.screen.ShowSample(sample)
}

// samePath reports whether two paths name one record (a WFDB record may be
// named with or without ".hea").
func samePath(a, b string) bool {
	norm := func(p string) string { return strings.TrimSuffix(filepath.Clean(p), ".hea") }
	return norm(a) == norm(b)
}

// library is the library screen of a window.
type library struct {
	g      *gui
	screen *ui.LibraryScreen
	win    fyne.Window
}

func (g *gui) showLibrary() {
	g.screenWindow("library", "ECG Station — Library", fyne.NewSize(1180, 640), func(w fyne.Window) (fyne.CanvasObject, func()) {
		l := &library{g: g, screen: ui.NewLibraryScreen(), win: w}
		l.screen.OnOpen = l.open
		l.screen.OnImport = l.importFile
		l.screen.OnImportFolder = l.importFolder
		l.screen.OnArchive = g.showArchive
		l.reload()
		return l.screen.Content(), nil
	})
}

// reload lists the records of the database, then reads their counts in
// the background.
func (l *library) reload() {
	db := l.g.db
	if db == nil {
		l.screen.SetRows(nil)
		l.screen.SetMessage(noDBText)
		return
	}
	rows, err := libraryRows(db)
	if err != nil {
		l.screen.SetMessage("Could not list the records: " + err.Error())
		return
	}
	l.screen.SetRows(rows)
	reader := l.g.reader
	go func() {
		for _, r := range rows {
			r, err := countRow(db, r, reader)
			if err != nil {
				fyne.Do(func() { l.screen.SetMessage(fmt.Sprintf("%s: %v", r.Name, err)) })
				continue
			}
			fyne.Do(func() { l.screen.UpdateRow(r) })
		}
	}()
}

// libraryRows turns the database's records into rows without their counts.
func libraryRows(db *store.DB) ([]ui.LibraryRow, error) {
	es, err := db.Records()
	if err != nil {
		return nil, err
	}
	rows := make([]ui.LibraryRow, len(es))
	for i, e := range es {
		rows[i] = ui.LibraryRow{ID: string(e.ID), Name: e.Info.Name, Format: e.Info.Format, Path: e.Path,
			State: e.Status.State, Duration: e.Info.Duration(), Added: e.Added, Readers: readerNames(e)}
	}
	return rows, nil
}

// readerNames lists the readers of a record, the one who signed off first.
func readerNames(e store.RecordEntry) []string {
	var out []string
	for _, r := range e.Readers {
		out = append(out, string(r.Reader))
	}
	if by := string(e.Status.By); by != "" {
		if i := slices.Index(out, by); i > 0 {
			out = append([]string{by}, slices.Delete(out, i, i+1)...)
		}
	}
	return out
}

// countRow counts the beats of the label set the library shows for a
// record (archive.ShownLabelSet: the current reader's when they have one,
// else the one report would pick, else the one with the most commits, else
// the model layer).
func countRow(db *store.DB, r ui.LibraryRow, me annotate.ReaderID) (ui.LibraryRow, error) {
	e, err := db.Record(annotate.RecordID(r.ID))
	if err != nil {
		return r, err
	}
	for b, err := range db.Beats(e.ID, archive.ShownLabelSet(e, me), 0, 1<<62) {
		if err != nil {
			return r, err
		}
		if !b.Code.IsBeat() {
			continue
		}
		r.Counts[b.Code.Class()]++
		r.Beats++
		if annotate.ReaderOwned(b.Prov, b.Review) {
			r.Reviewed++
		}
	}
	r.Counted = true
	return r, nil
}

func (l *library) open(r ui.LibraryRow) { l.g.openListed(r.Name, r.Path, l.win) }

// storePath returns the file to look for: a WFDB record named without
// ".hea" is its header.
func storePath(p string) string {
	if filepath.Ext(p) == "" {
		return p + ".hea"
	}
	return p
}

func (l *library) importFile() {
	if l.g.db == nil {
		l.screen.SetMessage(noDBText)
		return
	}
	d := dialog.NewFileOpen(func(r fyne.URIReadCloser, err error) {
		if err != nil || r == nil {
			return
		}
		path := r.URI().Path()
		_ = r.Close()
		l.importPaths([]string{path})
	}, l.win)
	d.SetFilter(storage.NewExtensionFileFilter(recordFilter))
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

func (l *library) importFolder() {
	if l.g.db == nil {
		l.screen.SetMessage(noDBText)
		return
	}
	d := dialog.NewFolderOpen(func(u fyne.ListableURI, err error) {
		if err != nil || u == nil {
			return
		}
		paths, err := recordFilesIn(u.Path())
		if err != nil {
			dialog.ShowError(err, l.win)
			return
		}
		l.importPaths(paths)
	}, l.win)
	d.Resize(fyne.NewSize(900, 600))
	d.Show()
}

// recordFilesIn lists the record files of a folder (not its sub-folders).
func recordFilesIn(dir string) ([]string, error) {
	ents, err := os.ReadDir(dir)
	if err != nil {
		return nil, fmt.Errorf("import folder: %w", err)
	}
	var out []string
	for _, e := range ents {
		if !e.IsDir() && slices.Contains(recordFilter, strings.ToLower(filepath.Ext(e.Name()))) {
			out = append(out, filepath.Join(dir, e.Name()))
		}
	}
	return out, nil
}

// importPaths registers record files in the background and lists them.
func (l *library) importPaths(paths []string) {
	db := l.g.db
	l.screen.SetMessage(fmt.Sprintf("Importing %s…", ui.Count(len(paths), "record")))
	go func() {
		n, err := importRecords(db, paths)
		fyne.Do(func() {
			l.reload()
			if err != nil {
				dialog.ShowError(err, l.win)
			}
			l.screen.SetMessage(fmt.Sprintf("Imported %d of %d records.", n, len(paths)))
		})
	}()
}

// importRecords registers each record file (WFDB, EDF+, ISHNE) in db by
// its content hash, with its metadata; it returns how many it registered
// and the errors of the others, each naming its file.
func importRecords(db *store.DB, paths []string) (int, error) {
	var errs []error
	n := 0
	for _, p := range paths {
		if err := importRecord(db, p); err != nil {
			errs = append(errs, err)
			continue
		}
		n++
	}
	return n, errors.Join(errs...)
}

func importRecord(db *store.DB, path string) error {
	rec, err := store.Open(path)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	info := rec.Signal.Info()
	_ = rec.Close()
	id, err := store.HashRecord(path)
	if err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	if err := db.PutRecord(id, path, info); err != nil {
		return fmt.Errorf("import %s: %w", path, err)
	}
	return nil
}
