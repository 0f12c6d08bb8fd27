package ui

import (
	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"github.com/ecgstation/ecgstation/annotate"
)

// trigger is one way to fire a binding: a named key (with or without
// Shift), a typed rune, or a shortcut (a key with Ctrl, Alt...).
type trigger struct {
	key   fyne.KeyName
	shift bool
	r     rune
	sc    fyne.Shortcut
}

// binding is one row of the shortcut table: what the help shows and what
// the key does. run gets the trigger that fired (for bindings on several keys).
type binding struct {
	group, keys, help string
	on                []trigger
	run               func(r *RecordScreen, t trigger)
}

// Shortcut is one line of the help: the keys and what they do.
type Shortcut struct {
	Group, Keys, Help string
}

// ctrl and alt build shortcuts with Ctrl (Cmd on macOS) or Alt.
func ctrl(k fyne.KeyName, shift bool) trigger {
	m := fyne.KeyModifierShortcutDefault
	if shift {
		m |= fyne.KeyModifierShift
	}
	return trigger{sc: &desktop.CustomShortcut{KeyName: k, Modifier: m}}
}

func alt(k fyne.KeyName) trigger {
	return trigger{sc: &desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierAlt}}
}

func key(k fyne.KeyName) trigger      { return trigger{key: k} }
func shiftKey(k fyne.KeyName) trigger { return trigger{key: k, shift: true} }
func runes(s string) (t []trigger) {
	for _, c := range s {
		t = append(t, trigger{r: c})
	}
	return t
}

// classKeys maps the single relabel keys to their codes.
var classKeys = map[rune]annotate.Code{'n': annotate.Normal, 's': annotate.SVPB,
	'v': annotate.PVC, 'f': annotate.Fusion, 'q': annotate.Unknown}

// classOf maps the Alt+letter jumps to classes.
var classOf = map[fyne.KeyName]annotate.Class{fyne.KeyN: annotate.ClassN, fyne.KeyS: annotate.ClassS,
	fyne.KeyV: annotate.ClassV, fyne.KeyF: annotate.ClassF, fyne.KeyQ: annotate.ClassQ}

// bindings is the shortcut table: the key handlers and the help overlay
// both read it, so the help lists exactly what the keys do.
var bindings []binding

func init() {
	bindings = append(append(append(moveBindings(), editBindings()...), viewBindings()...), caliperBindings()...)
}

func moveBindings() []binding {
	const g = "Move and select"
	return []binding{
		{g, "← →", "previous / next beat", []trigger{key(fyne.KeyLeft), key(fyne.KeyRight)},
			func(r *RecordScreen, t trigger) { r.step(t.dir(), false) }},
		{g, "Shift+← →", "grow the selection to a range of beats", []trigger{shiftKey(fyne.KeyLeft), shiftKey(fyne.KeyRight)},
			func(r *RecordScreen, t trigger) { r.step(t.dir(), true) }},
		{g, ", .", "move the cursor 40 ms back / on (where i inserts, m moves to)", runes(",."),
			func(r *RecordScreen, t trigger) { r.moveCursor(map[rune]int{',': -1, '.': 1}[t.r]) }},
		{g, "Ctrl+← →", "scroll a tenth of the strip", []trigger{ctrl(fyne.KeyLeft, false), ctrl(fyne.KeyRight, false)},
			func(r *RecordScreen, t trigger) { r.Strip.ScrollBy(float64(t.dir()) * arrowStep) }},
		{g, "Page Up / Page Down", "previous / next page", []trigger{key(fyne.KeyPageUp), key(fyne.KeyPageDown)},
			func(r *RecordScreen, t trigger) { r.page(t.dir()) }},
		{g, "Home / End", "first / last beat of the record", []trigger{key(fyne.KeyHome), key(fyne.KeyEnd)},
			func(r *RecordScreen, t trigger) { r.home(t.key == fyne.KeyEnd) }},
		{g, "u / U", "next / previous unreviewed beat", runes("uU"),
			func(r *RecordScreen, t trigger) { r.jump(dirOf(t.r, 'u'), "unreviewed", unreviewed) }},
		{g, "l / L", "next / previous low-confidence model label", runes("lL"),
			func(r *RecordScreen, t trigger) { r.jump(dirOf(t.r, 'l'), "low-confidence", uncertain) }},
		{g, "Alt+N S V F Q", "next beat of that class", []trigger{alt(fyne.KeyN), alt(fyne.KeyS), alt(fyne.KeyV), alt(fyne.KeyF), alt(fyne.KeyQ)},
			func(r *RecordScreen, t trigger) { r.jumpClass(classOf[t.name()]) }},
		{g, "e / E", "next / previous rhythm episode", runes("eE"),
			func(r *RecordScreen, t trigger) { r.nextEpisode(dirOf(t.r, 'e')) }},
		{g, "Esc", "clear the selection; cancel a ; chord; close the help", []trigger{key(fyne.KeyEscape)},
			func(r *RecordScreen, t trigger) { r.escape() }},
	}
}

func editBindings() []binding {
	const g = "Edit (each edit is saved at once)"
	return []binding{
		{g, "n s v f q", "relabel the selection N, S, V, F or Q", runes("nsvfq"),
			func(r *RecordScreen, t trigger) { r.relabel(classKeys[t.r]) }},
		{g, "; then a symbol", "relabel with any MIT beat symbol (; L, ; A, ; j, ; /, ...)", runes(";"),
			func(r *RecordScreen, t trigger) { r.keys.startChord() }},
		{g, "i or Insert", "insert a beat at the cursor, on the nearest R peak", append(runes("i"), key(fyne.KeyInsert)),
			func(r *RecordScreen, t trigger) { r.insert() }},
		{g, "Delete or Backspace", "delete the selected beats (or episode, or the noise under the cursor)",
			[]trigger{key(fyne.KeyDelete), key(fyne.KeyBackspace)}, func(r *RecordScreen, t trigger) { r.deleteSelection() }},
		{g, "m", "move the selected beat to the cursor (on the nearest R peak); or drag its marker", runes("m"),
			func(r *RecordScreen, t trigger) { r.moveToCursor() }},
		{g, "Enter", "confirm the selected beats", []trigger{key(fyne.KeyReturn), key(fyne.KeyEnter)},
			func(r *RecordScreen, t trigger) { r.confirmSelection() }},
		{g, "c", "confirm every beat shown", runes("c"), func(r *RecordScreen, t trigger) { r.confirmShown() }},
		{g, "~", "mark the selected range as noise", runes("~"), func(r *RecordScreen, t trigger) { r.markNoise() }},
		{g, "r", "rhythm episode: new over the range, or relabel the selected one", runes("r"),
			func(r *RecordScreen, t trigger) { r.chooseRhythm() }},
		{g, "Ctrl+Z", "undo", []trigger{{sc: &fyne.ShortcutUndo{}}, ctrl(fyne.KeyZ, false)},
			func(r *RecordScreen, t trigger) { r.Undo() }},
		{g, "Ctrl+Shift+Z or Ctrl+Y", "redo", []trigger{ctrl(fyne.KeyZ, true), {sc: &fyne.ShortcutRedo{}}, ctrl(fyne.KeyY, false)},
			func(r *RecordScreen, t trigger) { r.Redo() }},
	}
}

func viewBindings() []binding {
	const g = "View"
	return []binding{
		{g, "+ / -", "faster / slower paper (zoom in / out); on the full disclosure fewer / more seconds a line", runes("+=-_"), func(r *RecordScreen, t trigger) {
			r.zoom(t.r == '+' || t.r == '=')
		}},
		{g, "[ / ]", "full disclosure: 30, 60, 120 s a line, fewer / more", runes("[]"),
			func(r *RecordScreen, t trigger) { r.stepLineSeconds(dirOf(t.r, ']')) }},
		{g, "{ / }", "full disclosure: lines a page to fit the window, 15, 30, 60, fewer / more", runes("{}"),
			func(r *RecordScreen, t trigger) { r.stepPageLines(dirOf(t.r, '}')) }},
		{g, "2 / 5", "paper speed 25 / 50 mm/s", runes("25"),
			func(r *RecordScreen, t trigger) { r.setSpeed(map[rune]float64{'2': 25, '5': 50}[t.r]) }},
		{g, "g", "gain 5, 10, 20 mm/mV in turn", runes("g"), func(r *RecordScreen, t trigger) { r.cycleGain() }},
		{g, "F5", "display filter: baseline wander (high-pass 0.5 Hz) on / off", []trigger{key(fyne.KeyF5)},
			func(r *RecordScreen, t trigger) { r.toggleFilter(filterBaseline) }},
		{g, "F6", "display filter: mains (notch 50 or 60 Hz, see Preferences) on / off", []trigger{key(fyne.KeyF6)},
			func(r *RecordScreen, t trigger) { r.toggleFilter(filterMains) }},
		{g, "F7", "display filter: muscle noise (low-pass 40 Hz) on / off", []trigger{key(fyne.KeyF7)},
			func(r *RecordScreen, t trigger) { r.toggleFilter(filterMuscle) }},
		{g, "F8", "all display filters on / off (models and exports never see them)", []trigger{key(fyne.KeyF8)},
			func(r *RecordScreen, t trigger) { r.toggleFilter(filterAll) }},
		{g, "t", "12-lead layout (3×4 + rhythm strip II) on / off, on a record showing the standard twelve leads", runes("t"),
			func(r *RecordScreen, t trigger) { r.ToggleTwelveLead() }},
		{g, "F2 or d", "switch between the strip and full disclosure", append(runes("d"), key(fyne.KeyF2)),
			func(r *RecordScreen, t trigger) { r.ToggleDisclosure() }},
		{g, "F1 or ?", "this help", append(runes("?"), key(fyne.KeyF1)), func(r *RecordScreen, t trigger) { r.ShowHelp() }},
	}
}

// name returns the key of a key or shortcut trigger.
func (t trigger) name() fyne.KeyName {
	if c, ok := t.sc.(*desktop.CustomShortcut); ok {
		return c.KeyName
	}
	return t.key
}

// dir is -1 for the keys that go back (Left, Page Up, Home), else +1.
func (t trigger) dir() int {
	switch t.name() {
	case fyne.KeyLeft, fyne.KeyPageUp, fyne.KeyHome:
		return -1
	}
	return 1
}

// dirOf is +1 for the lower-case rune fwd, -1 for its upper case.
func dirOf(c, fwd rune) int {
	if c == fwd {
		return 1
	}
	return -1
}

func unreviewed(b annotate.Beat) bool { return b.Review == annotate.Unreviewed && b.Code.IsBeat() }

// Shortcuts returns the shortcut table as the help shows it, in order.
func Shortcuts() []Shortcut {
	out := make([]Shortcut, len(bindings))
	for i, b := range bindings {
		out[i] = Shortcut{Group: b.group, Keys: b.keys, Help: b.help}
	}
	return out
}
