package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// modelOutput turns the true beats of sig into model suggestions (every
// 11th with low confidence), with an AFIB episode at 2-4 min, a pause at
// 6 min and a noise stretch at 5-5.5 min.
func modelOutput(beats []annotate.Beat) annotate.ModelOutput {
	out := annotate.ModelOutput{}
	for i, b := range beats {
		c := float32(0.95)
		if i%11 == 0 {
			c = 0.55
		}
		b.Prov = annotate.Provenance{Source: annotate.SourceModel, Who: "beat@1", Confidence: c}
		out.Beats = append(out.Beats, b)
	}
	prov := annotate.Provenance{Source: annotate.SourceModel, Who: "rhythm@1"}
	out.Episodes = []annotate.Episode{{Start: 120 * 250, End: 240 * 250, Rhythm: "AFIB", Prov: prov},
		{Start: 360 * 250, End: 362 * 250, Rhythm: "PAUSE", Prov: prov}}
	out.Noise = []annotate.Noise{{Start: 300 * 250, End: 330 * 250, Lead: -1, Reason: "noise", Prov: prov}}
	return out
}

// modelSession opens reader's session on an in-memory repository with
// modelOutput of sig's beats merged in.
func modelSession(tb testing.TB, sig *tracetest.ECG, reader annotate.ReaderID) *annotate.Session {
	tb.Helper()
	sess, err := annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: reader})
	if err != nil {
		tb.Fatal(err)
	}
	if _, err := sess.MergeModel(modelOutput(sig.Beats())); err != nil {
		tb.Fatal(err)
	}
	return sess
}

// newTestScreen returns a record screen on a 20-minute procedural record
// whose labels live in a session on an in-memory repository, in a test
// window of 1000 x 640 with the strip focused.
func newTestScreen(t *testing.T, v fyne.ThemeVariant) (*RecordScreen, *annotate.Session, fyne.Window) {
	t.Helper()
	test.NewTempApp(t)
	test.ApplyTheme(t, variantTheme{NewTheme(), v})
	sig := tracetest.New(250, 2, 20*time.Minute)
	sess := modelSession(t, sig, "alice")
	r := NewRecordScreen()
	r.Inline = true // the test driver runs fyne.Do on the calling goroutine
	t.Cleanup(r.Close)
	w := test.NewTempWindow(t, r.Content())
	w.SetPadded(false)
	w.Resize(fyne.NewSize(1000, 640))
	r.SetWindow(w)
	r.SetRecord(sig, nil)
	select { // the build calls back on its goroutine under the test driver
	case <-r.Ready():
	case <-time.After(30 * time.Second):
		t.Fatal("pyramid not built within 30 s")
	}
	r.SetEditor(sess)
	r.Strip.ScrollTo(60 * 250)
	w.Canvas().Focus(r.Strip)
	return r, sess, w
}

// in is one input: a named key (with Shift when shift), a rune or a
// shortcut.
type in struct {
	key   fyne.KeyName
	r     rune
	sc    fyne.Shortcut
	shift bool
}

func k(name fyne.KeyName) in { return in{key: name} }
func shiftK(name fyne.KeyName) in {
	return in{key: name, shift: true}
}
func ch(r rune) in { return in{r: r} }
func ctrlK(name fyne.KeyName, shift bool) in {
	m := fyne.KeyModifierShortcutDefault
	if shift {
		m |= fyne.KeyModifierShift
	}
	return in{sc: &desktop.CustomShortcut{KeyName: name, Modifier: m}}
}
func altK(name fyne.KeyName) in {
	return in{sc: &desktop.CustomShortcut{KeyName: name, Modifier: fyne.KeyModifierAlt}}
}

// press sends the inputs as the window would: to the focused widget, or
// to the canvas while a popup holds the keys.
func press(w fyne.Window, ins ...in) {
	c := w.Canvas()
	for _, i := range ins {
		f := c.Focused()
		kb, _ := f.(desktop.Keyable)
		if i.shift && kb != nil {
			kb.KeyDown(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		}
		switch {
		case f == nil && i.r != 0:
			c.OnTypedRune()(i.r)
		case f == nil && i.key != "":
			c.OnTypedKey()(&fyne.KeyEvent{Name: i.key})
		case i.sc != nil:
			f.(fyne.Shortcutable).TypedShortcut(i.sc)
		case i.r != 0:
			f.TypedRune(i.r)
		default:
			f.TypedKey(&fyne.KeyEvent{Name: i.key})
		}
		if i.shift && kb != nil {
			kb.KeyUp(&fyne.KeyEvent{Name: desktop.KeyShiftLeft})
		}
	}
}

// checkMirror fails unless the screen's copy of the beats is the session's.
func checkMirror(t *testing.T, r *RecordScreen, sess *annotate.Session) {
	t.Helper()
	got, want := r.labels.All(), sess.BeatsIn(0, 1<<62)
	if len(got) != len(want) {
		t.Fatalf("screen shows %d beats, session has %d", len(got), len(want))
	}
	for i := range got {
		if got[i].Sample != want[i].Sample || got[i].Code != want[i].Code || got[i].Review != want[i].Review {
			t.Fatalf("beat %d: screen shows %+v, session has %+v", i, got[i], want[i])
		}
	}
}

func TestRecordScreenOverview(t *testing.T) {
	r, _, w := newTestScreen(t, theme.VariantLight)
	a, b := r.Strip.View()
	if oa, ob := r.Overview.Window(); oa != a || ob != b {
		t.Errorf("overview window [%d,%d), strip shows [%d,%d)", oa, ob, a, b)
	}
	// Click the middle of the overview's data: the strip centres on 10 min.
	ov := r.Overview
	test.TapAt(ov, fyne.NewPos(overviewGutter+(ov.Size().Width-overviewGutter)/2, ov.Size().Height/2))
	a, b = r.Strip.View()
	if mid := (a + b) / 2; mid < 600*250-300 || mid > 600*250+300 {
		t.Errorf("after a click at the middle the strip shows [%d,%d), want it centred on sample %d", a, b, 600*250)
	}
	r.Overview.Refresh()
	test.AssertObjectRendersToImage(t, "overview_light.png", ov)
	_ = w
}

// TestRecordScreenGolden renders the whole screen after a few edits (a
// reader's V, a confirmed beat, a selected range), on the strip and on the
// full-disclosure page (F2), in both themes.
func TestRecordScreenGolden(t *testing.T) {
	for _, vr := range themeVariants {
		t.Run(vr.name, func(t *testing.T) {
			r, _, w := newTestScreen(t, vr.v)
			r.Strip.ScrollTo(118 * 250)
			press(w, k(fyne.KeyRight), ch('v'), k(fyne.KeyRight), k(fyne.KeyReturn), k(fyne.KeyRight), shiftK(fyne.KeyRight))
			test.AssertRendersToImage(t, "record_screen_"+vr.name+".png", w.Canvas())
			press(w, k(fyne.KeyF2))
			if r.mode != modeDisclosure {
				t.Fatal("F2 did not switch to the full disclosure")
			}
			test.AssertRendersToImage(t, "record_screen_disclosure_"+vr.name+".png", w.Canvas())
		})
	}
}
