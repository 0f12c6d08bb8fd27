package ui

import (
	"errors"

	"github.com/ecgstation/ecgstation/annotate"
)

// ErrNoEditor is the error of an edit while no label database is open.
var ErrNoEditor = errors.New("no label database is open, so labels cannot be changed")

// BeatSource gives the beats to draw: the strip, the disclosure and the
// overview read the record screen's label view through it, never the
// session itself, so drawing never waits for a commit.
type BeatSource interface {
	// BeatsIn returns the beats with t0 <= Sample < t1, in sample order;
	// the slice is shared and must not be changed.
	BeatsIn(t0, t1 int64) []annotate.Beat
}

// Labels is the record screen's live label view: the labels its widgets
// draw, with the edits not stored yet laid over them (see
// annotate.LabelView). It belongs to the UI goroutine.
type Labels = annotate.LabelView

var _ BeatSource = (*Labels)(nil)

// NewLabels returns labels holding beats (sorted by sample) only: for
// showing a record without an edit session.
func NewLabels(beats []annotate.Beat) *Labels { return annotate.NewLabelView(beats) }
