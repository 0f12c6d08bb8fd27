package ui

import (
	"sync"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// DamagedDB is what the damaged-database dialog offers. The app fills in
// the work: the ui never touches the label database itself.
type DamagedDB struct {
	Path    string // the damaged file
	Problem string // what is wrong, for a person
	// Check reads the whole file and says what cannot be read.
	Check func() (report string, err error)
	// Salvage copies what is readable into a new file and returns the new
	// file's path and what it copied and could not.
	Salvage func() (out, report string, err error)
	// Use makes the window save labels to the file at out from now on.
	Use func(out string) error
}

// Button texts of the damaged-database dialog.
const (
	DamagedCheck   = "Check the file"
	DamagedSalvage = "Salvage into a new file"
	DamagedUse     = "Use the salvaged file"
)

// DamagedDBDialog is the dialog shown when the label database is damaged:
// it says so, and offers to check the file and to salvage what is
// readable into a new file, which the window can then use.
type DamagedDBDialog struct {
	d                   DamagedDB
	dlg                 dialog.Dialog
	report              *widget.Label
	check, salvage, use *widget.Button
	mu                  sync.Mutex
	text, out           string // the report shown; the salvaged file
}

// ShowDamagedDB shows the damaged-database dialog on win.
func ShowDamagedDB(d DamagedDB, win fyne.Window) *DamagedDBDialog {
	g := &DamagedDBDialog{d: d}
	problem := widget.NewLabel(d.Problem)
	problem.Wrapping = fyne.TextWrapWord
	g.report = widget.NewLabelWithStyle("", fyne.TextAlignLeading, fyne.TextStyle{Monospace: true})
	g.report.Wrapping = fyne.TextWrapWord
	g.check = widget.NewButtonWithIcon(DamagedCheck, theme.SearchIcon(), g.onCheck)
	g.salvage = widget.NewButtonWithIcon(DamagedSalvage, theme.DocumentSaveIcon(), g.onSalvage)
	g.use = widget.NewButtonWithIcon(DamagedUse, theme.ConfirmIcon(), g.onUse)
	g.use.Disable()
	scroll := container.NewVScroll(g.report)
	scroll.SetMinSize(fyne.NewSize(680, 260))
	content := container.NewBorder(container.NewVBox(problem, container.NewHBox(g.check, g.salvage, g.use)), nil, nil, nil, scroll)
	g.dlg = dialog.NewCustom("The label database is damaged", "Close", content, win)
	g.dlg.Resize(fyne.NewSize(760, 540))
	g.dlg.Show()
	return g
}

// Report returns the text the dialog shows under its buttons.
func (g *DamagedDBDialog) Report() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.text
}

// Salvaged returns the salvaged file, "" before a salvage succeeded.
func (g *DamagedDBDialog) Salvaged() string {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.out
}

// show sets the report text (on the UI goroutine) and re-enables the buttons.
func (g *DamagedDBDialog) show(text, out string) {
	fyne.Do(func() {
		g.check.Enable()
		g.salvage.Enable()
		if out != "" {
			g.use.Enable()
		}
		g.report.SetText(text)
		g.mu.Lock() // last: Report and Salvaged see the widgets done
		g.text, g.out = text, out
		g.mu.Unlock()
	})
}

// busy disables the buttons and says what runs.
func (g *DamagedDBDialog) busy(what string) {
	g.check.Disable()
	g.salvage.Disable()
	g.report.SetText(what)
}

func (g *DamagedDBDialog) onCheck() {
	g.busy("Checking " + g.d.Path + "…")
	go func() {
		text, err := g.d.Check()
		if err != nil {
			text += "\n" + err.Error()
		}
		g.show(text, g.Salvaged())
	}()
}

func (g *DamagedDBDialog) onSalvage() {
	g.busy("Copying what is readable of " + g.d.Path + " into a new file…")
	go func() {
		out, text, err := g.d.Salvage()
		if err != nil {
			text, out = text+"\nSalvage failed: "+err.Error(), ""
		} else {
			text += "\nChoose \"" + DamagedUse + "\" to save labels there from now on."
		}
		g.show(text, out)
	}()
}

func (g *DamagedDBDialog) onUse() {
	out := g.Salvaged()
	if err := g.d.Use(out); err != nil {
		g.report.SetText(g.Report() + "\n" + err.Error())
		return
	}
	g.dlg.Hide()
}
