package ui

import (
	"testing"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/theme"
	"github.com/ecgstation/ecgstation/annotate"
)

// TestRecordScreenKeys presses keys on the focused strip and checks what
// the session (the edit history every screen shares) holds afterwards, and
// that the screen shows exactly that.
func TestRecordScreenKeys(t *testing.T) {
	type env struct {
		r    *RecordScreen
		s    *annotate.Session
		view []annotate.Beat // the beats in view before the keys
	}
	beat := func(e env, i int) annotate.Beat {
		b, ok := e.s.Beat(e.view[i].Sample)
		if !ok {
			return annotate.Beat{Sample: -1}
		}
		return b
	}
	byReader := func(t *testing.T, b annotate.Beat, c annotate.Code) {
		t.Helper()
		if b.Code != c || b.Review != annotate.Changed || b.Prov.Source != annotate.SourceReader || b.Prov.Who != "alice" {
			t.Errorf("beat at %d: %s %s by %s %q, want %s changed by the reader alice", b.Sample, b.Code, b.Review, b.Prov.Source, b.Prov.Who, c)
		}
	}
	cases := []struct {
		name string
		keys []in
		want func(t *testing.T, e env)
	}{
		{"Right then v relabels the first beat in view V", []in{k(fyne.KeyRight), ch('v')}, func(t *testing.T, e env) {
			byReader(t, beat(e, 0), annotate.PVC)
		}},
		{"; then A relabels with any MIT symbol", []in{k(fyne.KeyRight), k(fyne.KeyRight), ch(';'), ch('A')}, func(t *testing.T, e env) {
			byReader(t, beat(e, 1), annotate.APC)
		}},
		{"; then a non-beat symbol changes nothing", []in{k(fyne.KeyRight), ch(';'), ch('+')}, func(t *testing.T, e env) {
			if b := beat(e, 0); b.Code != e.view[0].Code || b.Review != annotate.Unreviewed {
				t.Errorf("beat became %s %s", b.Code, b.Review)
			}
		}},
		{"Delete removes the selected beat", []in{k(fyne.KeyRight), k(fyne.KeyDelete)}, func(t *testing.T, e env) {
			if b := beat(e, 0); b.Sample >= 0 {
				t.Errorf("beat %d still there: %+v", e.view[0].Sample, b)
			}
		}},
		{"Delete then i inserts a reader's N at the cursor", []in{k(fyne.KeyRight), k(fyne.KeyDelete), ch('i')}, func(t *testing.T, e env) {
			byReader(t, beat(e, 0), annotate.Normal)
		}},
		{"Ctrl+Z undoes the relabel", []in{k(fyne.KeyRight), ch('v'), ctrlK(fyne.KeyZ, false)}, func(t *testing.T, e env) {
			if b := beat(e, 0); b.Code != e.view[0].Code || b.Prov.Source != annotate.SourceModel {
				t.Errorf("after undo: %s by %s", b.Code, b.Prov.Source)
			}
		}},
		{"Ctrl+Shift+Z redoes it", []in{k(fyne.KeyRight), ch('v'), ctrlK(fyne.KeyZ, false), ctrlK(fyne.KeyZ, true)}, func(t *testing.T, e env) {
			byReader(t, beat(e, 0), annotate.PVC)
		}},
		{"Shift+Right twice then s relabels three beats", []in{k(fyne.KeyRight), shiftK(fyne.KeyRight), shiftK(fyne.KeyRight), ch('s')},
			func(t *testing.T, e env) {
				for i := range 3 {
					byReader(t, beat(e, i), annotate.SVPB)
				}
				if b := beat(e, 3); b.Review != annotate.Unreviewed {
					t.Errorf("fourth beat %s, want untouched", b.Review)
				}
			}},
		{"Enter confirms the selection", []in{k(fyne.KeyRight), k(fyne.KeyReturn)}, func(t *testing.T, e env) {
			if b := beat(e, 0); b.Review != annotate.Confirmed || b.Code != e.view[0].Code {
				t.Errorf("beat %s %s, want %s confirmed", b.Code, b.Review, e.view[0].Code)
			}
		}},
		{"c confirms every beat shown", []in{ch('c')}, func(t *testing.T, e env) {
			for i := range e.view {
				if b := beat(e, i); b.Review != annotate.Confirmed {
					t.Fatalf("beat %d of %d in view is %s", i, len(e.view), b.Review)
				}
			}
		}},
		{"Alt+V then q relabels the next V beat Q", []in{altK(fyne.KeyV), ch('q')}, func(t *testing.T, e env) {
			for i, b := range e.view {
				if b.Code.Class() == annotate.ClassV {
					byReader(t, beat(e, i), annotate.Unknown)
					return
				}
			}
			t.Fatal("no V beat in view")
		}},
		{"Shift+Right, ~ marks the range as noise", []in{k(fyne.KeyRight), shiftK(fyne.KeyRight), ch('~')}, func(t *testing.T, e env) {
			ns := e.s.Noise()
			if len(ns) != 2 || ns[1].Start != e.view[0].Sample || ns[1].End != e.view[1].Sample+1 || ns[1].Prov.Source != annotate.SourceReader {
				t.Errorf("noise %+v, want a reader's stretch [%d,%d]", ns, e.view[0].Sample, e.view[1].Sample)
			}
		}},
		{"., ., m moves the beat 80 ms on", []in{k(fyne.KeyRight), ch('.'), ch('.'), ch('m')}, func(t *testing.T, e env) {
			to := e.view[0].Sample + 20
			if b, ok := e.s.Beat(to); !ok || b.Code != e.view[0].Code {
				t.Errorf("no beat moved to %d", to)
			}
			if _, ok := e.s.Beat(e.view[0].Sample); ok {
				t.Errorf("beat still at %d", e.view[0].Sample)
			}
		}},
		{"e then Delete deletes the next episode", []in{ch('e'), k(fyne.KeyDelete)}, func(t *testing.T, e env) {
			for _, ep := range e.s.Episodes() {
				if ep.Rhythm == "AFIB" {
					t.Errorf("AFIB episode still there: %+v", ep)
				}
			}
		}},
		{"Shift+Right, r, 3 makes a VT episode over the range", []in{k(fyne.KeyRight), shiftK(fyne.KeyRight), shiftK(fyne.KeyRight), ch('r'), ch('3')},
			func(t *testing.T, e env) {
				eps := e.s.Episodes()
				last := eps[len(eps)-1]
				if last.Rhythm != "VT" || last.Start != e.view[0].Sample || last.End != e.view[2].Sample+1 {
					t.Errorf("episodes %+v, want VT over [%d,%d]", eps, e.view[0].Sample, e.view[2].Sample)
				}
			}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, s, w := newTestScreen(t, theme.VariantLight)
			a, b := r.Strip.View()
			e := env{r: r, s: s, view: s.BeatsIn(a, b)}
			press(w, c.keys...)
			c.want(t, e)
			checkMirror(t, r, s)
		})
	}
}

// TestRecordScreenJumps checks the keys that move the selection.
func TestRecordScreenJumps(t *testing.T) {
	cases := []struct {
		name string
		keys []in
		want func(s *annotate.Session, a0 int64) (int64, bool) // the beat that must be selected
	}{
		{"Alt+V selects the next V", []in{altK(fyne.KeyV)}, func(s *annotate.Session, a0 int64) (int64, bool) {
			return first(s, a0, func(b annotate.Beat) bool { return b.Code.Class() == annotate.ClassV })
		}},
		{"l selects the next low-confidence beat", []in{ch('l')}, func(s *annotate.Session, a0 int64) (int64, bool) {
			return first(s, a0, uncertain)
		}},
		{"c then u selects the first unreviewed beat after the view", []in{ch('c'), ch('u')}, func(s *annotate.Session, a0 int64) (int64, bool) {
			return first(s, a0, unreviewed)
		}},
		{"Home selects the first beat", []in{k(fyne.KeyHome)}, func(s *annotate.Session, _ int64) (int64, bool) {
			return first(s, -1, func(annotate.Beat) bool { return true })
		}},
		{"Page Down selects the first beat of the next page", []in{k(fyne.KeyPageDown)}, nil},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			r, s, w := newTestScreen(t, theme.VariantLight)
			a0, _ := r.Strip.View()
			press(w, c.keys...)
			got, _, ok, _ := r.Strip.Selection()
			if c.want == nil { // page: the first beat in the new view
				a, b := r.Strip.View()
				bs := s.BeatsIn(a, b)
				if !ok || a <= a0 || len(bs) == 0 || got != bs[0].Sample {
					t.Errorf("selected %d (ok %v), view starts %d; want the first beat of the new page", got, ok, a)
				}
				return
			}
			want, found := c.want(s, a0-1)
			if !found || !ok || got != want {
				t.Errorf("selected %d (ok %v), want %d (found %v)", got, ok, want, found)
			}
			if a, b := r.Strip.View(); got < a || got >= b {
				t.Errorf("selected beat %d is outside the view [%d,%d)", got, a, b)
			}
		})
	}
}

// first returns the first beat after sample for which ok holds.
func first(s *annotate.Session, after int64, ok func(annotate.Beat) bool) (int64, bool) {
	for _, b := range s.BeatsIn(after+1, 1<<62) {
		if ok(b) {
			return b.Sample, true
		}
	}
	return 0, false
}
