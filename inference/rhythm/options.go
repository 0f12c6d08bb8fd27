package rhythm

import (
	"slices"
	"time"
)

// The rhythm names the rules and the post-processing know.
const (
	AF        = "AFIB"  // atrial fibrillation (model)
	Flutter   = "AFL"   // atrial flutter (model)
	VT        = "VT"    // ventricular tachycardia
	SVT       = "SVTA"  // supraventricular tachyarrhythmia (SVT run)
	Bigeminy  = "B"     // ventricular bigeminy
	Trigeminy = "T"     // ventricular trigeminy
	Pause     = "PAUSE" // pause (sinus arrest, AV block)
	Brady     = "BRADY" // bradycardia
	Tachy     = "TACHY" // tachycardia
)

// RulesWho is the provenance Who of the episodes the rules find.
const RulesWho = "rules"

// Post is the post-processing of one rhythm's episodes.
type Post struct {
	// MergeGap: episodes of the rhythm at most this far apart become one.
	MergeGap time.Duration
	// MinDuration: shorter episodes (after merging) are dropped.
	MinDuration time.Duration
}

// Options are the thresholds of the rules and of the model's episodes.
// A zero field means its default (DefaultOptions).
type Options struct {
	VTBeats  int     // fewest consecutive V beats of a VT run (3)
	VTRate   float64 // a VT run's mean rate must be above this, beats/min (100)
	SVTBeats int     // fewest consecutive S beats of an SVT run (3)
	SVTRate  float64 // an SVT run's mean rate must be above this, beats/min (100)

	BigeminyCycles  int // fewest consecutive (non-V, V) cycles of bigeminy (3)
	TrigeminyCycles int // fewest consecutive (non-V, non-V, V) cycles of trigeminy (3)

	Pause time.Duration // shortest RR interval that is a pause (2 s)

	RateBeats int     // RR intervals around a beat that its rate for brady/tachycardia averages (8)
	BradyRate float64 // bradycardia below this running rate, beats/min (50)
	TachyRate float64 // tachycardia above this running rate, beats/min (100)

	Enter float32 // a model episode starts where a beat's probability reaches this (0.6)
	Exit  float32 // and lasts while it stays at or above this (0.4)
	// Ectopy: the model's AF is not called on beats whose supraventricular
	// rhythm is regular to within this median relative difference while
	// ventricular beats make the RR irregular (0.06; see ectopy); < 0: off.
	Ectopy float64
	// Background lists the rhythm model classes that make no episodes
	// (OTHER, N).
	Background []string

	// Post holds the post-processing per rhythm; a rhythm not in it gets
	// DefaultPost(rhythm).
	Post map[string]Post
}

// DefaultOptions returns the documented defaults.
func DefaultOptions() Options {
	return Options{
		VTBeats: 3, VTRate: 100, SVTBeats: 3, SVTRate: 100,
		BigeminyCycles: 3, TrigeminyCycles: 3,
		Pause:     2 * time.Second,
		RateBeats: 8, BradyRate: 50, TachyRate: 100,
		Enter: 0.6, Exit: 0.4, Ectopy: 0.06,
		Background: []string{"OTHER", "N"},
	}
}

// DefaultPost returns the default post-processing of a rhythm: AF and
// flutter merge across 10 s and last at least 30 s, brady- and tachycardia
// merge across 5 s and last at least 30 s, the others are kept as found.
func DefaultPost(rhythm string) Post {
	switch rhythm {
	case AF, Flutter:
		return Post{MergeGap: 10 * time.Second, MinDuration: 30 * time.Second}
	case Brady, Tachy:
		return Post{MergeGap: 5 * time.Second, MinDuration: 30 * time.Second}
	}
	return Post{}
}

// withDefaults fills the zero fields of o.
func (o Options) withDefaults() Options {
	d := DefaultOptions()
	setInt(&o.VTBeats, d.VTBeats)
	setInt(&o.SVTBeats, d.SVTBeats)
	setInt(&o.BigeminyCycles, d.BigeminyCycles)
	setInt(&o.TrigeminyCycles, d.TrigeminyCycles)
	setInt(&o.RateBeats, d.RateBeats)
	setFloat(&o.VTRate, d.VTRate)
	setFloat(&o.SVTRate, d.SVTRate)
	setFloat(&o.BradyRate, d.BradyRate)
	setFloat(&o.TachyRate, d.TachyRate)
	if o.Pause <= 0 {
		o.Pause = d.Pause
	}
	if o.Enter <= 0 {
		o.Enter = d.Enter
	}
	if o.Exit <= 0 {
		o.Exit = d.Exit
	}
	if o.Ectopy == 0 {
		o.Ectopy = d.Ectopy
	}
	if o.Background == nil {
		o.Background = d.Background
	}
	return o
}

// post returns the post-processing of rhythm.
func (o Options) post(rhythm string) Post {
	if p, ok := o.Post[rhythm]; ok {
		return p
	}
	return DefaultPost(rhythm)
}

func (o Options) background(class string) bool { return slices.Contains(o.Background, class) }

func setInt(p *int, d int) {
	if *p <= 0 {
		*p = d
	}
}

func setFloat(p *float64, d float64) {
	if *p <= 0 {
		*p = d
	}
}
