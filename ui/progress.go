package ui

import (
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
)

// Progress is how far a background job (the pre-annotation) has got.
type Progress struct {
	Stage       string        // what runs now ("beats", "rhythm")
	Fraction    float64       // done, 0 to 1
	Beats       int           // beats labelled so far
	BeatsPerSec float64       // rate so far
	ETA         time.Duration // time left; 0 when unknown
}

// jobBar is the row under the overview that shows a background job: a
// progress bar, its rate and time left, and a cancel button. It hides
// when no job runs and the last message has been read.
type jobBar struct {
	title   string
	bar     *widget.ProgressBar
	text    *widget.Label
	cancel  *widget.Button
	stop    func()
	content *fyne.Container
	mu      sync.Mutex
	shown   time.Time // when progress was last shown
}

func newJobBar() *jobBar {
	j := &jobBar{bar: widget.NewProgressBar(), text: widget.NewLabel("")}
	j.text.Truncation = fyne.TextTruncateEllipsis
	j.cancel = widget.NewButtonWithIcon("Cancel", theme.CancelIcon(), j.onCancel)
	j.bar.TextFormatter = func() string { return fmt.Sprintf("%.0f %%", 100*j.bar.Value) }
	j.content = container.NewBorder(nil, nil, nil, j.cancel, container.NewGridWithColumns(2, j.bar, j.text))
	j.content.Hide()
	return j
}

func (j *jobBar) reset() {
	if j.stop != nil {
		j.stop()
	}
	j.stop = nil
	j.content.Hide()
}

func (j *jobBar) onCancel() {
	if j.stop != nil {
		j.stop()
		j.stop = nil
		j.text.SetText(j.title + ": cancelling…")
		j.cancel.Disable()
	}
}

// StartJob shows the job bar for a job called title; Cancel calls cancel.
// Call it on the UI goroutine.
func (r *RecordScreen) StartJob(title string, cancel func()) {
	j := r.job
	j.title, j.stop = title, cancel
	j.bar.SetValue(0)
	j.text.SetText(title + ": starting…")
	j.cancel.Enable()
	j.cancel.Show()
	j.content.Show()
}

// JobProgress shows p, at most every progressInterval. It may be called
// from any goroutine.
func (r *RecordScreen) JobProgress(p Progress) {
	j := r.job
	j.mu.Lock()
	now := time.Now()
	skip := now.Sub(j.shown) < progressInterval && p.Fraction < 1
	if !skip {
		j.shown = now
	}
	j.mu.Unlock()
	if skip {
		return
	}
	fyne.Do(func() {
		j := r.job
		j.bar.SetValue(p.Fraction)
		txt := fmt.Sprintf("%s: %s, %s, %.0f beats/s", j.title, p.Stage, Count(p.Beats, "beat"), p.BeatsPerSec)
		if p.ETA > 0 {
			txt += ", about " + p.ETA.Round(time.Second).String() + " left"
		}
		j.text.SetText(txt)
	})
}

// JobDone shows msg in place of the progress (an error when err is not
// nil) and takes the cancel button away. It may be called from any
// goroutine.
func (r *RecordScreen) JobDone(msg string, err error) {
	fyne.Do(func() {
		j := r.job
		j.stop = nil
		j.cancel.Hide()
		if err != nil {
			msg = j.title + " failed: " + err.Error()
			r.showError(fmt.Errorf("%s: %w", j.title, err))
		} else {
			j.bar.SetValue(1)
		}
		j.text.SetText(msg)
	})
}

// JobText returns the job bar's text (for tests and timing traces).
func (r *RecordScreen) JobText() string { return r.job.text.Text }
