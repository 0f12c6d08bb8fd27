package ui

import (
	"slices"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
)

func testRows() []LibraryRow {
	day := time.Date(2026, 3, 1, 0, 0, 0, 0, time.UTC)
	return []LibraryRow{
		{ID: "aa", Name: "100", State: annotate.StateSignedOff, Readers: []string{"ana"}, Duration: 30 * time.Minute,
			Added: day, Beats: 200, Reviewed: 200, Counted: true, Counts: [6]int{0, 190, 5, 5, 0, 0}},
		{ID: "bb", Name: "holter-7", State: annotate.StateInProgress, Readers: []string{"ben"}, Duration: 24 * time.Hour,
			Added: day.Add(48 * time.Hour), Beats: 1000, Reviewed: 100, Counted: true, Path: "/data/ward3/holter-7.edf"},
		{ID: "cc", Name: "203", State: annotate.StateNew, Duration: 30 * time.Minute, Added: day.Add(24 * time.Hour)},
	}
}

func names(rows []LibraryRow) []string {
	var out []string
	for _, r := range rows {
		out = append(out, r.Name)
	}
	return out
}

func TestLibraryFilterSort(t *testing.T) {
	test.NewTempApp(t)
	l := NewLibraryScreen()
	l.SetRows(testRows())
	for _, c := range []struct {
		name, filter, state, sort string
		want                      []string
	}{
		{"all by name", "", FilterAll, SortName, []string{"100", "203", "holter-7"}},
		{"by status", "", FilterAll, SortStatus, []string{"203", "holter-7", "100"}},
		{"longest first", "", FilterAll, SortDuration, []string{"holter-7", "100", "203"}},
		{"least reviewed first", "", FilterAll, SortReviewed, []string{"203", "holter-7", "100"}},
		{"newest first", "", FilterAll, SortAdded, []string{"holter-7", "203", "100"}},
		{"reader", "BEN", FilterAll, SortName, []string{"holter-7"}},
		{"path", "ward3", FilterAll, SortName, []string{"holter-7"}},
		{"signed off", "", annotate.StateSignedOff.String(), SortName, []string{"100"}},
		{"nothing", "zzz", FilterAll, SortName, nil},
	} {
		l.SetFilter(c.filter)
		l.SetStateFilter(c.state)
		l.SetSort(c.sort)
		if got := names(l.Rows()); !slices.Equal(got, c.want) {
			t.Errorf("%s: %v, want %v", c.name, got, c.want)
		}
	}
}

func TestLibraryCells(t *testing.T) {
	rows := testRows()
	for _, c := range []struct {
		name string
		row  int
		col  int
		want string
	}{
		{"status", 0, 1, "signed off"},
		{"duration", 1, 3, "24:00:00"},
		{"short duration", 0, 3, "0:30:00"},
		{"V beats", 0, 7, "5"},
		{"reviewed", 1, 10, "10%"},
		{"not counted yet", 2, 4, "…"},
		{"path", 1, 12, "/data/ward3/holter-7.edf"},
	} {
		if got := libraryCellText(&rows[c.row], c.col); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
}

func TestLibraryOpen(t *testing.T) {
	test.NewTempApp(t)
	l := NewLibraryScreen()
	var opened []string
	l.OnOpen = func(r LibraryRow) { opened = append(opened, r.Name) }
	l.SetRows(testRows())
	w := test.NewTempWindow(t, l.Content())
	w.Resize(fyne.NewSize(1100, 400))
	l.table.Select(widget.TableCellID{Row: 2, Col: 0})
	l.openSelected()
	if !slices.Equal(opened, []string{"holter-7"}) {
		t.Fatalf("opened %v, want the third row by name", opened)
	}
	// Counts arriving later replace the row.
	r := l.Rows()[1]
	r.Counted, r.Beats = true, 7
	l.UpdateRow(r)
	if got := libraryCellText(&l.Rows()[1], 4); got != "7" {
		t.Errorf("after UpdateRow the beats column says %q", got)
	}
}
