package main

import (
	"fmt"
	"path/filepath"
	"strings"
	"time"

	"github.com/ecgstation/ecgstation/store"
	"github.com/ecgstation/ecgstation/ui"
)

// showDamagedDB tells the reader the label database is damaged and offers
// what "ecgstation db check" and "db salvage" do: a report of what cannot
// be read, and a new file with everything that can, which the window then
// uses.
func (g *gui) showDamagedDB() *ui.DamagedDBDialog {
	path := g.dbPath
	return ui.ShowDamagedDB(ui.DamagedDB{
		Path: path,
		Problem: fmt.Sprintf("%v\n\nRecords open and can be read, but labels are not saved. Check the file to see what "+
			"cannot be read; salvage copies every readable label set, undo history and audit entry into a new file "+
			"(the damaged one is left as it is).", g.dbErr),
		Check: func() (string, error) {
			rep, err := store.CheckDB(path)
			var b strings.Builder
			writeCheckReport(&b, rep)
			return b.String(), err
		},
		Salvage: func() (string, string, error) {
			out := salvageName(path, time.Now())
			rep, err := store.Salvage(path, out)
			var b strings.Builder
			writeSalvageReport(&b, rep, err == nil)
			return out, b.String(), err
		},
		Use: g.useDB,
	}, g.win)
}

// salvageName is a new file beside path for its salvage:
// labels.db -> labels-salvaged-20261207-001500.db.
func salvageName(path string, now time.Time) string {
	ext := filepath.Ext(path)
	return strings.TrimSuffix(path, ext) + "-salvaged-" + now.Format("20060102-150405") + ext
}

// useDB makes the window save labels to the database at path from now on
// (the preference too), and reloads the record so its labels come from it.
func (g *gui) useDB(path string) error {
	g.app.Preferences().SetString(ui.PrefLabelDB, path)
	g.opts.db = path
	g.dbErr = nil
	g.openDB()
	if g.dbErr != nil {
		return g.dbErr
	}
	if g.rec != nil {
		g.startLoad(g.rec.Path)
	}
	return nil
}
