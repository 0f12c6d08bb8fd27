package ui

import (
	"fmt"
	"time"

	"fyne.io/fyne/v2"
	"github.com/ecgstation/ecgstation/annotate"
)

// modalKeys is an open popup (the help, the rhythm chooser) that takes
// every key until it closes.
type modalKeys interface {
	key(name fyne.KeyName) bool
	rune(r rune) bool
}

// keymap dispatches the keys of the focused strip or disclosure through
// the shortcut table, with the state of a ; chord and of an open popup.
type keymap struct {
	r     *RecordScreen
	chord bool
	modal modalKeys
}

var _ KeyHandler = (*keymap)(nil)

// Key implements KeyHandler: named keys, matched with Shift first, then
// without it.
func (k *keymap) Key(name fyne.KeyName, shift bool) bool {
	if k.modal != nil {
		return k.modal.key(name)
	}
	for _, exact := range []bool{true, false} {
		for _, b := range bindings {
			for _, t := range b.on {
				if t.sc == nil && t.r == 0 && t.key == name && (t.shift == shift || (!exact && !t.shift)) {
					k.r.keyAt = time.Now()
					b.run(k.r, t)
					return true
				}
			}
		}
	}
	return false
}

// Rune implements KeyHandler: a chord's symbol, else the table's runes.
func (k *keymap) Rune(c rune) bool {
	if k.modal != nil {
		return k.modal.rune(c)
	}
	if k.chord {
		k.endChord(c)
		return true
	}
	for _, b := range bindings {
		for _, t := range b.on {
			if t.r == c {
				k.r.keyAt = time.Now()
				b.run(k.r, t)
				return true
			}
		}
	}
	return false
}

// Shortcut implements KeyHandler: Ctrl and Alt combinations.
func (k *keymap) Shortcut(sc fyne.Shortcut) bool {
	if k.modal != nil {
		return true
	}
	name := sc.ShortcutName()
	for _, b := range bindings {
		for _, t := range b.on {
			if t.sc != nil && t.sc.ShortcutName() == name {
				k.r.keyAt = time.Now()
				b.run(k.r, t)
				return true
			}
		}
	}
	return false
}

// startChord waits for an MIT symbol to relabel the selection with.
func (k *keymap) startChord() {
	if len(k.r.selectedBeats()) == 0 {
		k.r.status.SetText("Select a beat first, then ; and its MIT symbol.")
		return
	}
	k.chord = true
	k.r.status.SetText("Relabel as: type the MIT symbol (N L R A a J S V F e j E / f Q ...), Esc cancels.")
}

// endChord relabels the selection with the symbol typed after ;.
func (k *keymap) endChord(c rune) {
	k.chord = false
	code, ok := annotate.ParseSymbol(string(c))
	if !ok || !code.IsBeat() {
		k.r.status.SetText(fmt.Sprintf("%q is not an MIT beat symbol: nothing changed.", c))
		return
	}
	k.r.relabel(code)
}

// escape cancels a chord, else removes the caliper, else clears the
// selection (keeping the cursor).
func (r *RecordScreen) escape() {
	if r.keys.chord {
		r.keys.chord = false
		r.status.SetText(r.statusText(r.Strip.View()))
		return
	}
	if r.removeCaliper() {
		return
	}
	r.selectEpisode(0)
	_, _, _, c := r.Strip.Selection()
	r.anchor = c
	r.Strip.SetSelection(1, 0, c)
	r.selected()
}

// jumpClass selects the next beat of class k.
func (r *RecordScreen) jumpClass(k annotate.Class) {
	r.jump(1, k.String(), func(b annotate.Beat) bool { return b.Code.Class() == k })
}
