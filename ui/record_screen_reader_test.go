package ui

import (
	"strings"
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// TestReaderList: the tool bar's reader list shows the reader whose labels
// are edited and offers the known ones and another; a known reader is
// handed to OnReader at once, another after its name is typed, and a
// cancelled name or the reader shown hands nothing.
func TestReaderList(t *testing.T) {
	cases := []struct {
		name  string
		pick  string
		typed string // the name typed after AnotherReader; "" cancels
		want  []string
	}{
		{"a known reader", "carol", "", []string{"carol"}},
		{"the reader shown", "alice", "", nil},
		{"another reader by name", AnotherReader, "  dave ", []string{"dave"}},
		{"another reader by name and Enter", AnotherReader, "erin\n", []string{"erin"}},
		{"another reader, cancelled", AnotherReader, "", nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, _, w := newTestScreen(t, theme.VariantLight)
			sel := r.toolbar.reader.sel
			if !sel.Disabled() {
				t.Error("the list is on before SetReaders")
			}
			var got []string
			r.OnReader = func(name string) { got = append(got, name) }
			r.SetReaders("alice", []string{"carol", "bob", "carol"})
			if sel.Disabled() || sel.Selected != "alice" || len(sel.Options) != 4 || sel.Options[3] != AnotherReader {
				t.Fatalf("list %q shows %q (disabled %v)", sel.Options, sel.Selected, sel.Disabled())
			}
			sel.SetSelected(c.pick)
			if c.pick == AnotherReader {
				answerReaderDialog(t, w, c.typed)
			}
			if len(got) != len(c.want) || (len(got) == 1 && got[0] != c.want[0]) {
				t.Errorf("OnReader got %q, want %q", got, c.want)
			}
			if w.Canvas().Focused() != r.Strip {
				t.Errorf("the keys did not go back to the strip: %T", w.Canvas().Focused())
			}
		})
	}
}

// answerReaderDialog types name into the open "another reader" dialog
// and confirms it ("" cancels it).
func answerReaderDialog(t *testing.T, w fyne.Window, name string) {
	t.Helper()
	top := w.Canvas().Overlays().Top()
	if top == nil {
		t.Fatal("no dialog asks for the reader's name")
	}
	var entry *widget.Entry
	buttons := map[string]*widget.Button{}
	walk(top, func(o fyne.CanvasObject) {
		switch v := o.(type) {
		case *widget.Entry:
			entry = v
		case *widget.Button:
			buttons[v.Text] = v
		}
	})
	if entry == nil || buttons["Open their labels"] == nil || buttons["Cancel"] == nil {
		t.Fatalf("the dialog has no name entry or buttons: %v", buttons)
	}
	if name == "" {
		test.Tap(buttons["Cancel"])
		return
	}
	if n, enter := strings.CutSuffix(name, "\n"); enter {
		test.Type(entry, n)
		entry.TypedKey(&fyne.KeyEvent{Name: fyne.KeyReturn})
		return
	}
	entry.SetText(name)
	test.Tap(buttons["Open their labels"])
}

// walk calls f on o and every object under it.
func walk(o fyne.CanvasObject, f func(fyne.CanvasObject)) {
	f(o)
	switch v := o.(type) {
	case *fyne.Container:
		for _, c := range v.Objects {
			walk(c, f)
		}
	case fyne.Widget:
		for _, c := range test.WidgetRenderer(v).Objects() {
			walk(c, f)
		}
	}
}
