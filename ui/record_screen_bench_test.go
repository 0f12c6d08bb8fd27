package ui

import (
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/test"
	"github.com/ecgstation/ecgstation/ui/trace/tracetest"
)

// BenchmarkKeyRelabelMem measures a relabel key on the focused strip of a
// 24 h record (about 108,000 model beats) whose session stores in memory:
// the screen's own cost of a key (the preview, the session's command,
// showing what was stored, the redraw requests), without the disk's fsync
// that app's BenchmarkKeyToRelabel includes. The keys alternate v and n
// on one selected beat, so every press is a real change.
func BenchmarkKeyRelabelMem(b *testing.B) {
	sig := tracetest.New(250, 2, 24*time.Hour)
	sess := modelSession(b, sig, "bench")
	test.NewTempApp(b).Settings().SetTheme(NewTheme())
	r := NewRecordScreen()
	r.Inline = true // the test driver runs fyne.Do on the calling goroutine
	w := test.NewTempWindow(b, r.Content())
	w.Resize(fyne.NewSize(1200, 700))
	r.SetWindow(w)
	r.SetRecord(sig, nil)
	b.Cleanup(r.Close)
	<-r.Ready()
	r.SetEditor(sess)
	r.Strip.ScrollTo(12 * 3600 * 250)
	w.Canvas().Focus(r.Strip)
	f := w.Canvas().Focused()
	f.TypedKey(&fyne.KeyEvent{Name: fyne.KeyRight})
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		f.TypedRune([]rune{'v', 'n'}[i%2])
		i++
	}
}
