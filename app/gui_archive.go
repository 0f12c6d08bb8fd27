package main

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/dialog"
	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/store/archive"
	"github.com/ecgstation/ecgstation/store/private"
	"github.com/ecgstation/ecgstation/ui"
)

// archiveSegment is the segment length of the archive view's segment and
// lead-noise tables: ten 5-minute segments show where in a 50-minute
// record the noise or the AF lies, 288 a day of a Holter.
const archiveSegment = 5 * time.Minute

// archiveView is the archive view's window: the figures of every record of
// the label database, read in the background, and what the view asks of
// them (groups, plots, the mixed model, the CSV tables).
type archiveView struct {
	g      *gui
	win    fyne.Window
	screen *ui.ArchiveScreen

	mu      sync.Mutex // guards the fields below (read by the fit and the export off the UI goroutine)
	rows    []archive.Row
	segs    []archive.Segment
	devices *archive.Devices
	devName string // the devices CSV's file name, for its messages
	loading bool
	// pending: a devices CSV came while the records were being read, so
	// they are read again with it when that read ends.
	pending bool
}

// showArchive opens the archive view of the label database.
func (g *gui) showArchive() {
	g.screenWindow("archive", "ECG Station — Archive", fyne.NewSize(1280, 800), func(w fyne.Window) (fyne.CanvasObject, func()) {
		v := &archiveView{g: g, win: w}
		v.screen = ui.NewArchiveScreen(ui.ArchiveActions{
			Open:     v.open,
			Group:    groupRows,
			Plot:     archive.PlotImage,
			SavePlot: saveArchivePlot,
			Fit:      v.fit,
			Export:   v.export,
			Devices:  v.readDevices,
		}, w)
		v.screen.OnApply = v.traceTable
		v.load()
		return v.screen.Content(), nil
	})
}

// load sums up the records in the background, saying how far it got. While
// a read is running it only notes that the records must be read again (a
// devices CSV came), which read does when it ends.
func (v *archiveView) load() {
	db := v.g.db
	if db == nil {
		v.screen.SetMessage(noDBText)
		return
	}
	v.mu.Lock()
	if v.loading {
		v.pending = true
		v.mu.Unlock()
		return
	}
	v.loading = true
	opt := v.options()
	v.mu.Unlock()
	v.screen.SetMessage("Reading the records…")
	go v.read(db, opt)
}

// options are the options of a read with the devices CSV chosen last;
// v.mu is held.
func (v *archiveView) options() archive.Options {
	return archive.Options{Devices: v.devices, Me: v.g.reader, SegmentLen: archiveSegment}
}

// read sums up the records with opt and shows them, then again with the
// devices CSV chosen meanwhile, as long as one came during the read.
func (v *archiveView) read(db *store.DB, opt archive.Options) {
	for {
		rows, segs, errs := archive.Summarise(db, opt, func(done, total int) {
			fyne.Do(func() { v.screen.SetProgress(done, total) })
		})
		v.mu.Lock()
		v.rows, v.segs = rows, segs
		again := v.pending
		v.pending, v.loading = false, again
		name, next := v.devName, v.options()
		v.mu.Unlock()
		notes := unmatchedNotes(name, opt.Devices.Unmatched(rows))
		fyne.Do(func() {
			v.screen.SetRows(rows, errs, notes...)
			v.g.traceText("archive-rows", fmt.Sprint(len(rows)))
		})
		if !again {
			return
		}
		opt = next
	}
}

// unmatchedNotes says which rows of the devices CSV name no record (as
// `ecgstation archive` prints them), the first three by line.
func unmatchedNotes(file string, un []archive.DeviceEntry) []string {
	switch len(un) {
	case 0:
		return nil
	case 1:
		return []string{fmt.Sprintf("%s line %d: %q names no record of the database", file, un[0].Line, un[0].Record)}
	}
	var s []string
	for _, e := range un[:min(3, len(un))] {
		s = append(s, fmt.Sprintf("line %d %q", e.Line, e.Record))
	}
	if len(un) > 3 {
		s = append(s, "…")
	}
	return []string{fmt.Sprintf("%s: %d rows name no record of the database (%s)", file, len(un), strings.Join(s, ", "))}
}

// groupRows sums rows by device or site for the table.
func groupRows(rows []archive.Row, by string) []ui.ArchiveGroupRow {
	gs := archive.GroupBy(rows, by)
	out := make([]ui.ArchiveGroupRow, len(gs))
	for i, g := range gs {
		out[i] = ui.ArchiveGroupRow(g)
	}
	return out
}

// open opens a record of the table on the record screen.
func (v *archiveView) open(r archive.Row) {
	v.g.openListed(r.Name, r.Path, v.win)
}

// snapshot returns the rows and segments read last.
func (v *archiveView) snapshot() ([]archive.Row, []archive.Segment) {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.rows, v.segs
}

// errNotRead is what the fit and the export say before the rows are read.
var errNotRead = errors.New("the records are still being read: wait for the table to fill")

// fit fits figure y ("segments.noise_pct_mean": a column of a tidy table)
// with fixed effect fixed ("device", "site") and a random intercept per
// patient, on that table of every record (as a data scientist would read
// the exported CSV), and returns the fit's summary. The fixed effect is
// always categorical, C(fixed): devices named by serial numbers, sites
// coded 1 2 3 or a year folder are levels to compare, not a slope.
func (v *archiveView) fit(y, fixed string) (string, error) {
	fixed = "C(" + fixed + ")"
	level, col, ok := strings.Cut(y, ".")
	if !ok {
		return "", fmt.Errorf("no table in the figure %q (want table.column)", y)
	}
	var csv bytes.Buffer
	if err := v.writeTable(&csv, level); err != nil {
		return "", err
	}
	t, err := archive.ReadTable(&csv)
	if err != nil {
		return "", err
	}
	f, err := archive.FitMixed(t, archive.MixedSpec{Y: col, Fixed: []string{fixed}, Group: "patient"}, true)
	if err != nil {
		return "", fmt.Errorf("%s ~ %s + (1 | patient), per %s: %w", col, fixed, strings.TrimSuffix(level, "s"), err)
	}
	var out bytes.Buffer
	fmt.Fprintf(&out, "Table: %s (%s)\n\n", level, ui.Count(t.Rows(), "row"))
	if err := f.Summary(&out); err != nil {
		return "", err
	}
	return out.String(), nil
}

// writeTable writes the tidy table of level ("records", "segments",
// "lead-noise") of the rows read last.
func (v *archiveView) writeTable(w io.Writer, level string) error {
	rows, segs := v.snapshot()
	if len(rows) == 0 {
		return errNotRead
	}
	switch level {
	case "records":
		return archive.WriteRecordsCSV(w, rows)
	case "segments":
		return archive.WriteSegmentsCSV(w, segs)
	case "lead-noise":
		return archive.WriteLeadNoiseCSV(w, segs)
	}
	return fmt.Errorf("no table %q (want records, segments or lead-noise)", level)
}

// export writes the tidy table of level ("records", "segments",
// "lead-noise") to path, readable by its owner only (the table names
// records and patients).
func (v *archiveView) export(level, path string) error {
	var buf bytes.Buffer
	if err := v.writeTable(&buf, level); err != nil {
		return err
	}
	return private.WriteFile(path, buf.Bytes())
}

// readDevices reads the user's device, site and patient CSV and reads the
// records again with it (when the read under way ends, if one is).
func (v *archiveView) readDevices(path string) {
	d, err := archive.ReadDevicesFile(path)
	if err != nil {
		dialog.ShowError(fmt.Errorf("%s: %w", filepath.Base(path), err), v.win)
		return
	}
	v.mu.Lock()
	v.devices, v.devName = d, filepath.Base(path)
	v.mu.Unlock()
	v.load()
}

// traceTable traces the table's view, sorted header and first row (a
// record, device or site: its name and its cells), for the real-window
// test.
func (v *archiveView) traceTable() {
	n := len(v.screen.Rows())
	if v.screen.Mode() != ui.ArchiveRecords {
		n = len(v.screen.Groups())
	}
	var first, cells []string
	for c := 0; n > 0 && v.screen.Header(c) != ""; c++ {
		cells = append(cells, v.screen.Cell(0, c))
	}
	if len(cells) > 0 {
		first = cells[:1]
	}
	v.g.traceText("archive-table", fmt.Sprintf("%s sorted=%q first=%s cells=%s",
		v.screen.Mode(), v.screen.SortedHeader(), strings.Join(first, ""), strings.Join(cells, "|")))
}

// openListed opens a record listed by a screen (library, archive) on the
// record screen, or says where it went missing.
func (g *gui) openListed(name, path string, win fyne.Window) {
	if _, err := os.Stat(storePath(path)); err != nil {
		dialog.ShowError(fmt.Errorf("the record %s is no longer at %s: %w", name, path, err), win)
		return
	}
	g.startLoad(path)
	g.win.RequestFocus()
}

// Size of a saved archive plot, in pixels (points for SVG and PDF).
const savedPlotWidth, savedPlotHeight = 1200, 700

// saveArchivePlot writes plot kind of rows to path as PNG, SVG or PDF, by
// its extension, through a temporary file (a failed write leaves no half
// file).
func saveArchivePlot(kind string, rows []archive.Row, path string) error {
	format := strings.TrimPrefix(strings.ToLower(filepath.Ext(path)), ".")
	if format != "png" && format != "svg" && format != "pdf" {
		return fmt.Errorf("%s: name the file .png, .svg or .pdf", filepath.Base(path))
	}
	data, err := archive.PlotFile(kind, rows, savedPlotWidth, savedPlotHeight, format)
	if err != nil {
		return err
	}
	return writeFileAtomic(path, ".plot-*", func(w io.Writer) error {
		_, err := w.Write(data)
		return err
	})
}
