package ui

import (
	"fmt"
	"math"
	"slices"
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/figures"
	"github.com/ecgstation/ecgstation/store/archive"
)

// archiveRows are five records on two devices and two sites with known
// figures; 203 has no reader (its agreement is blank).
func archiveRows() []figures.Row {
	nan := math.NaN()
	row := func(name, dev, site, pat string, h, af float64, noise []float64, c [6]int, st annotate.State, reader string, rev, pairs int, agree, kappa float64) figures.Row {
		r := figures.Row{Name: name, Device: dev, Site: site, Patient: pat, Hours: h, AFPct: af, Leads: []string{"I", "II"},
			NoisePct: noise, Counts: c, State: st, Reader: reader, Reviewed: rev, AgreePairs: pairs, AgreePct: agree, Kappa: kappa}
		for _, n := range c {
			r.Beats += n
		}
		return r
	}
	return []figures.Row{
		row("100", "mitdb", "boston", "p100", 0.5, 0, []float64{3.1, 0.4}, [6]int{0, 2239, 33, 1, 0, 0}, annotate.StateSignedOff, "ana", 2273, 2273, 99.1, 0.91),
		row("203", "mitdb", "boston", "p203", 0.5, 61.2, []float64{12.5, 9.8}, [6]int{0, 2529, 2, 444, 1, 4}, annotate.StateNew, "", 0, 0, nan, nan),
		row("801", "svdb", "boston", "p801", 0.5, 0, []float64{1.2, 1.0}, [6]int{0, 1600, 240, 2, 0, 0}, annotate.StateInProgress, "ben", 300, 1842, 95.0, 0.77),
		row("h-7", "holter-x", "leeds", "p7", 23.8, 4.5, []float64{6.0, 2.2}, [6]int{0, 98000, 1200, 900, 12, 30}, annotate.StateInProgress, "ana", 5000, 100142, 97.3, 0.85),
		row("h-8", "holter-x", "leeds", "p7", 24.1, 0.2, []float64{5.0, 4.0}, [6]int{0, 101000, 300, 50, 3, 0}, annotate.StateSignedOff, "ben", 101353, 101353, 98.9, 0.88),
	}
}

// sumGroups sums rows by device or site as package archive's GroupBy does
// for the figures the tests check (records, hours, beats, classes): an
// in-memory stand-in for the caller's side, since archive.GroupBy is
// package app's to wire.
func sumGroups(rows []figures.Row, by string) []ArchiveGroupRow {
	var out []ArchiveGroupRow
	for _, r := range rows {
		key := r.Device
		if by == "site" {
			key = r.Site
		}
		i := slices.IndexFunc(out, func(g ArchiveGroupRow) bool { return g.Key == key })
		if i < 0 {
			out, i = append(out, ArchiveGroupRow{Key: key, AgreePct: math.NaN(), Kappa: math.NaN()}), len(out)
		}
		g := &out[i]
		g.Records++
		g.Hours += r.Hours
		g.Beats += r.Beats
		for c := range g.Counts {
			g.Counts[c] += r.Counts[c]
		}
	}
	return out
}

func newTestArchive(t *testing.T, a ArchiveActions) *ArchiveScreen {
	t.Helper()
	test.NewTempApp(t)
	serialUI(t)
	if a.Group == nil {
		a.Group = sumGroups
	}
	s := NewArchiveScreen(a, nil)
	s.SetRows(archiveRows(), nil)
	return s
}

func rowNames(rows []figures.Row) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func TestArchiveSortEveryColumn(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	for c, col := range recordCols {
		// The table starts sorted by record name, up: a click on it turns
		// it down first.
		for _, desc := range []bool{c == 0, c != 0} {
			s.SortBy(c)
			mark := map[bool]string{false: " ▲", true: " ▼"}[desc]
			if h := s.Header(c); h != col.title+mark {
				t.Errorf("column %d header %q, want %q", c, h, col.title+mark)
			}
			rows := s.Rows()
			for i := 1; i < len(rows); i++ {
				d := col.cmp(&rows[i-1], &rows[i])
				if desc {
					d = -d
				}
				if d > 0 {
					t.Errorf("%s (desc %v): %v out of order", col.title, desc, rowNames(rows))
					break
				}
			}
		}
	}
}

func TestArchiveSortOrders(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	for _, c := range []struct {
		name  string
		col   int
		twice bool
		want  []string
	}{
		{"name up (from the start)", 0, true, []string{"100", "203", "801", "h-7", "h-8"}},
		{"name down", 0, false, []string{"h-8", "h-7", "801", "203", "100"}},
		{"hours up, ties by name", 4, false, []string{"100", "203", "801", "h-7", "h-8"}},
		{"mean noise down", 5, true, []string{"203", "h-8", "h-7", "100", "801"}},
		{"V beats up", 9, false, []string{"100", "801", "h-8", "203", "h-7"}},
		{"AF down", 12, true, []string{"203", "h-7", "h-8", "100", "801"}},
		{"agreement up, no reader first", 16, false, []string{"203", "801", "h-7", "h-8", "100"}},
		{"kappa down, no reader last", 17, true, []string{"100", "h-8", "h-7", "801", "203"}},
	} {
		s.sorts = map[string]sortKey{}
		s.SortBy(c.col)
		if c.twice {
			s.SortBy(c.col)
		}
		if got := rowNames(s.Rows()); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestArchiveCells(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	for _, c := range []struct {
		name     string
		row, col int
		want     string
	}{
		{"noise per lead", 0, 5, "3.1 / 0.4"},
		{"hours", 3, 4, "23.8"},
		{"S beats", 2, 8, "240"},
		{"AF", 1, 12, "61.2"},
		{"state", 0, 13, "signed off"},
		{"reviewed", 2, 15, "16%"},
		{"agreement", 0, 16, "99.1"},
		{"kappa", 0, 17, "0.910"},
		{"no reader: agreement blank", 1, 16, ""},
		{"no reader: kappa blank", 1, 17, ""},
	} {
		if got := s.Cell(c.row, c.col); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestArchiveGroupsAndFilter(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	s.SetMode(ArchiveDevices)
	if h := s.SortedHeader(); h != "Device ▲" {
		t.Errorf("first header %q, want Device ▲", h)
	}
	keys := func() []string {
		var out []string
		for _, g := range s.Groups() {
			out = append(out, fmt.Sprintf("%s:%d:%d", g.Key, g.Records, g.Beats))
		}
		return out
	}
	if got, want := keys(), []string{"holter-x:2:201495", "mitdb:2:5253", "svdb:1:1842"}; !slices.Equal(got, want) {
		t.Errorf("devices %v, want %v", got, want)
	}
	s.SortBy(5) // beats
	s.SortBy(5)
	if got := s.Groups()[0].Key; got != "holter-x" {
		t.Errorf("most beats first: %s, want holter-x", got)
	}
	if got := s.Cell(0, 3); got != "47.9" {
		t.Errorf("holter-x hours %q, want 47.9", got)
	}
	s.SetMode(ArchiveSites)
	if got := s.Header(0); got != "Site ▲" {
		t.Errorf("first header %q, want Site ▲", got)
	}
	s.SetFilter("BOSTON")
	if len(s.Groups()) != 1 || s.Groups()[0].Records != 3 {
		t.Errorf("sites of the boston records: %+v, want one of 3 records", s.Groups())
	}
	s.SetMode(ArchiveRecords)
	for _, c := range []struct{ q, want string }{
		{"ben", "801 h-8"}, {"holter", "h-7 h-8"}, {"p7", "h-7 h-8"}, {"zzz", ""}, {"", "100 203 801 h-7 h-8"},
	} {
		s.SetFilter(c.q)
		if got := strings.Join(rowNames(s.Rows()), " "); got != c.want {
			t.Errorf("filter %q: %q, want %q", c.q, got, c.want)
		}
	}
}

func TestArchiveHeaderTapSorts(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	h := s.table.createHeader().(*archiveHeader)
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 6}, h) // Beats
	test.Tap(h)
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 6}, h)
	if got := s.Rows()[0].Name; got != "801" || h.Text != "Beats ▲" {
		t.Errorf("after a tap: first %s, header %q; want 801 and Beats ▲", got, h.Text)
	}
	test.Tap(h)
	s.table.updateHeader(widget.TableCellID{Row: -1, Col: 6}, h)
	if got := s.Rows()[0].Name; got != "h-8" || h.Text != "Beats ▼" {
		t.Errorf("after two taps: first %s, header %q; want h-8 and Beats ▼", got, h.Text)
	}
}

func TestArchiveOpen(t *testing.T) {
	var opened []string
	s := newTestArchive(t, ArchiveActions{Open: func(r figures.Row) { opened = append(opened, r.Name) }})
	s.table.Select(widget.TableCellID{Row: 2, Col: 0})
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	c := s.table.createCell().(*libraryCell)
	s.table.updateCell(widget.TableCellID{Row: 3, Col: 1}, c)
	test.DoubleTap(c)
	s.SetMode(ArchiveDevices) // a device row opens nothing
	s.table.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
	if !slices.Equal(opened, []string{"801", "h-7"}) {
		t.Errorf("opened %v, want 801 (Enter) and h-7 (double click)", opened)
	}
}

func TestArchiveFit(t *testing.T) {
	var got []string
	s := newTestArchive(t, ArchiveActions{Fit: func(y, fixed string) (string, error) {
		got = append(got, y+"~"+fixed)
		if fixed == "site" {
			return "", fmt.Errorf("one site only")
		}
		return "summary of " + y, nil
	}})
	s.SetModel("records.af_pct", "device")
	s.Fit()
	waitFor(t, func() bool { return s.ModelText() == "summary of records.af_pct" })
	s.SetModel("records.kappa", "site")
	s.Fit()
	waitFor(t, func() bool { return s.ModelText() == "Not fitted: one site only" })
	if !slices.Equal(got, []string{"records.af_pct~device", "records.kappa~site"}) {
		t.Errorf("fits %v", got)
	}
}

func TestArchiveExport(t *testing.T) {
	var got []string
	s := newTestArchive(t, ArchiveActions{Export: func(level, path string) error {
		got = append(got, level+" "+path)
		return nil
	}})
	for _, l := range ExportLevels {
		s.SetExportLevel(l)
		if msg := s.ExportTo("/tmp/x.csv"); !strings.HasPrefix(msg, "Exported the "+l) {
			t.Errorf("%s: %q", l, msg)
		}
	}
	want := []string{"records /tmp/x.csv", "segments /tmp/x.csv", "lead-noise /tmp/x.csv"}
	if !slices.Equal(got, want) {
		t.Errorf("exports %v, want %v", got, want)
	}
}

func TestArchivePlotsFiltered(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{Plot: archive.PlotImage})
	s.SetFilter("mitdb")
	waitFor(t, func() bool { return Idle() && s.PlotImage() != nil })
	if msg := s.plots.msg.Text; !strings.HasPrefix(msg, "2 records") {
		t.Errorf("plot says %q, want the 2 mitdb records", msg)
	}
}

func TestArchiveScreenGolden(t *testing.T) {
	test.NewTempApp(t)
	serialUI(t)
	test.ApplyTheme(t, &fixedVariantTheme{NewTheme(), theme.VariantLight})
	s := NewArchiveScreen(ArchiveActions{Group: sumGroups, Plot: archive.PlotImage,
		Fit: func(y, fixed string) (string, error) { return "", fmt.Errorf("no model in this test") }}, nil)
	w := test.NewTempWindow(t, s.Content())
	w.Resize(fyne.NewSize(1280, 760))
	s.SetRows(archiveRows(), nil)
	s.SortBy(5)
	s.SortBy(5)
	waitFor(t, func() bool { return Idle() && s.PlotImage() != nil })
	test.AssertImageMatches(t, "archive_light.png", w.Canvas().Capture())
}

func TestLibraryArchiveButton(t *testing.T) {
	test.NewTempApp(t)
	l := NewLibraryScreen()
	asked := 0
	l.OnArchive = func() { asked++ }
	test.NewTempWindow(t, l.Content())
	b := findButton(l.Content(), "Archive view…")
	if b == nil {
		t.Fatal("no Archive view… button in the library")
	}
	test.Tap(b)
	if asked != 1 {
		t.Errorf("the archive view was asked for %d times, want 1", asked)
	}
}

func TestArchiveProgressAndErrors(t *testing.T) {
	s := newTestArchive(t, ArchiveActions{})
	s.SetProgress(37, 87)
	if got := s.status.Text; got != "Reading 37 of 87 records…" {
		t.Errorf("progress %q", got)
	}
	s.SetRows(archiveRows()[:2], []error{fmt.Errorf("record 999: no such bucket"), fmt.Errorf("x")})
	if got := s.status.Text; !strings.Contains(got, "2 records") || !strings.Contains(got, "2 records not read (first: record 999: no such bucket)") {
		t.Errorf("status %q", got)
	}
}

func TestArchiveLeadNoiseBlank(t *testing.T) {
	nan := math.NaN()
	for _, c := range []struct {
		in   []float64
		want string
	}{
		{[]float64{3.14, 0.4}, "3.1 / 0.4"},
		{[]float64{nan, nan}, ""}, // a record of unknown length: blank, as AF % is
		{nil, ""},
		{[]float64{2, nan}, "2.0 / "},
	} {
		if got := leadNoise(c.in); got != c.want {
			t.Errorf("leadNoise(%v) = %q, want %q", c.in, got, c.want)
		}
	}
}

func TestArchiveSavePlot(t *testing.T) {
	var got []string
	s := newTestArchive(t, ArchiveActions{SavePlot: func(kind string, rows []figures.Row, path string) error {
		got = append(got, fmt.Sprintf("%s %d %s", kind, len(rows), path))
		return nil
	}})
	s.SetFilter("mitdb")
	s.SetPlot(figures.PlotKinds[2].Name)
	if msg := s.SavePlotTo("/tmp/p.svg"); !strings.HasPrefix(msg, "Saved the plot") || !strings.Contains(msg, "2 records") {
		t.Errorf("message %q", msg)
	}
	if want := []string{figures.PlotKinds[2].Name + " 2 /tmp/p.svg"}; !slices.Equal(got, want) {
		t.Errorf("saved %v, want %v (the chosen plot of the filtered records)", got, want)
	}
}
