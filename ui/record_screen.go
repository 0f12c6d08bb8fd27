package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/widget"
	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/ui/trace"
)

// progressInterval bounds how often the pyramid build repaints the screen.
const progressInterval = 150 * time.Millisecond

// RecordScreen shows one record: the strip, the overview bar under it and
// a status line. It builds the record's min/max pyramid in the background
// and repaints as the build goes, at most every progressInterval.
type RecordScreen struct {
	Strip    *Strip
	Overview *Overview
	// OnViewChanged, when set, is called with the strip's visible samples
	// [start, end) after every scroll or zoom.
	OnViewChanged func(start, end int64)

	status  *widget.Label
	content fyne.CanvasObject
	info    annotate.RecordInfo
	nBeats  int
	cancel  context.CancelFunc
	done    sync.WaitGroup
	pyr     *trace.Pyramid
	ready   chan struct{} // closed after the build's last repaint
}

// NewRecordScreen returns an empty record screen.
func NewRecordScreen() *RecordScreen {
	r := &RecordScreen{Strip: NewStrip(), Overview: NewOverview(), status: widget.NewLabel("")}
	r.status.Truncation = fyne.TextTruncateEllipsis
	r.Strip.OnViewChanged = r.onViewChanged
	r.Overview.OnSeek = func(sample int64) { r.Strip.CenterOn(float64(sample)) }
	bottom := container.NewVBox(r.Overview, r.status)
	r.content = container.NewBorder(nil, bottom, nil, nil, r.Strip)
	return r
}

// Content returns the screen's canvas object.
func (r *RecordScreen) Content() fyne.CanvasObject { return r.content }

// SetRecord shows sig with its beats (sorted by sample) and starts
// building its pyramid; a previous record's build is stopped first. It
// returns at once.
func (r *RecordScreen) SetRecord(sig annotate.Signal, beats []annotate.Beat) {
	r.Close()
	r.info, r.nBeats = sig.Info(), len(beats)
	pyr, err := trace.NewPyramid(sig, 0)
	if err != nil {
		fyne.LogError("ecg record: no overview", err)
		pyr = nil
	}
	r.pyr, r.ready = pyr, nil
	r.Strip.SetRecord(sig, pyr, beats)
	r.Overview.SetRecord(sig, pyr, beats)
	r.onViewChanged(r.Strip.View())
	if pyr != nil {
		r.build(pyr)
	}
}

// build runs the pyramid build in a goroutine, repainting through fyne.Do.
func (r *RecordScreen) build(pyr *trace.Pyramid) {
	ctx, cancel := context.WithCancel(context.Background())
	r.cancel = cancel
	ready := make(chan struct{})
	r.ready = ready
	r.done.Add(1)
	go func() {
		defer r.done.Done()
		defer close(ready)
		last := time.Now()
		err := pyr.Build(ctx, func(done, total int64) {
			if time.Since(last) >= progressInterval {
				last = time.Now()
				fyne.Do(r.repaint)
			}
		})
		if err != nil && ctx.Err() == nil {
			fyne.LogError("ecg record: building the overview", err)
		}
		if ctx.Err() == nil {
			fyne.Do(r.repaint)
		}
	}()
}

func (r *RecordScreen) repaint() {
	r.Strip.Refresh()
	r.Overview.Refresh()
	r.onViewChanged(r.Strip.View())
}

// Ready returns a channel closed when the current record's pyramid is
// built and the screen repainted with it (or nil when there is none).
func (r *RecordScreen) Ready() <-chan struct{} { return r.ready }

// Close stops the background build of the current record and waits for it.
func (r *RecordScreen) Close() {
	if r.cancel != nil {
		r.cancel()
		r.cancel = nil
	}
	r.done.Wait()
}

func (r *RecordScreen) onViewChanged(start, end int64) {
	r.Overview.SetWindow(start, end)
	if r.OnViewChanged != nil {
		r.OnViewChanged(start, end)
	}
	fs := r.info.Fs
	if fs <= 0 {
		return
	}
	txt := fmt.Sprintf("%s  ·  %s, %g Hz, %d leads, %s, %d beats  ·  %s – %s  ·  %s",
		r.info.Name, r.info.Format, fs, len(r.info.Leads), r.info.Duration().Round(time.Second),
		r.nBeats, trace.Clock(float64(start)/fs, false), trace.Clock(float64(end)/fs, false),
		r.Strip.SpeedText())
	if p := r.pyr; p != nil {
		switch {
		case p.Err() != nil:
			txt += "  ·  overview failed: " + p.Err().Error()
		case p.Done() < p.Len():
			txt += fmt.Sprintf("  ·  building overview %d %%", p.Done()*100/p.Len())
		}
	}
	r.status.SetText(txt)
}
