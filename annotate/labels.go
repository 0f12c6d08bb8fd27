package annotate

// Source says who produced a label.
type Source uint8

// The label sources. They rank in layers (see Outranks): a reader's label
// (SourceReader, SourceReference, or any reviewed label) over SourcePropagated
// and SourceAdapted, over SourceModel, over SourceDetector.
const (
	SourceReference  Source = iota // imported reference annotations (e.g. a .atr file)
	SourceDetector                 // the QRS detector, before classification
	SourceModel                    // a beat or rhythm model
	SourceReader                   // a human reader
	SourcePropagated               // copied from a reader's correction to look-alike beats
	SourceAdapted                  // the per-record adapter, taught by the reader's labels in this record
)

var sourceNames = [...]string{"reference", "detector", "model", "reader", "propagated", "adapted"}

// String returns the source name.
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// Review is the review state of a label.
type Review uint8

// Review states.
const (
	Unreviewed Review = iota // nobody has looked at it
	Confirmed                // a reader looked and agreed
	Changed                  // a reader set or changed it
)

var reviewNames = [...]string{"unreviewed", "confirmed", "changed"}

// String returns the review state name.
func (r Review) String() string {
	if int(r) < len(reviewNames) {
		return reviewNames[r]
	}
	return "unknown"
}

// Provenance records where a label came from. Its fields are laid out
// widest first (48 bytes, not 56): a 14-day record holds 1.4 million
// beats in the session and again in the window's label view.
type Provenance struct {
	Who        string    // model "name@version", reader id, or reference file extension
	Probs      []float32 // model class probabilities in the model's class order, may be nil
	Confidence float32   // probability of the chosen label, 0 when not given
	Source     Source
}

// Beat is one labelled QRS complex (or a non-beat point annotation). The
// one-byte fields sit together after Prov, so a Beat takes 64 bytes, not
// 80 (TestBeatSize).
type Beat struct {
	Sample int64 // position of the R peak (dominant deflection), samples
	Prov   Provenance
	Code   Code
	Chan   int8 // lead the annotation refers to (WFDB chan), usually 0
	Flags  BeatFlags
	Review Review
}

// Unclassified is the code of a beat in the detector layer: the QRS
// detector found it and no model or reader has classified it yet. It is
// WFDB's Q (Unknown), so no file or count ever reads it as N.
const Unclassified = Unknown

// IsUnclassified reports whether b is in the detector layer (a beat,
// unclassified): the detector's, with its Unclassified code, and untouched
// by a reader. The window, eval and export read such a beat as
// unclassified, never as a class; export leaves it out of training sets.
func (b Beat) IsUnclassified() bool {
	return b.Prov.Source == SourceDetector && b.Code == Unclassified && b.Review == Unreviewed
}

// BeatFlags are per-beat facts that are not labels.
type BeatFlags uint8

// Beat flags.
const (
	FlagNoisy BeatFlags = 1 << iota // the beat lies in a stretch of poor signal quality
)

// Episode is a rhythm episode: [Start, End) in samples with a rhythm label
// such as "AFIB", "AFL", "VT", "B" (bigeminy), "PAUSE" (the WFDB aux text
// without its leading parenthesis).
type Episode struct {
	Start, End int64
	Rhythm     string
	Prov       Provenance
	Review     Review
}

// Noise reasons that say a lead has no signal at all (rather than a signal
// with noise on it): beats may be missing where every lead has none.
const (
	ReasonLeadOff    = "lead off"
	ReasonSaturation = "saturation"
)

// NoSignal reports whether n is a record-wide stretch (Lead -1) where no
// lead has a signal (lead off or saturated): the one kind of mark under
// which a long RR interval may be missing beats rather than be a pause.
// Noise on a signal never removes a pause.
func (n Noise) NoSignal() bool {
	return n.Lead < 0 && (n.Reason == ReasonLeadOff || n.Reason == ReasonSaturation)
}

// Noise is a stretch of unreadable signal, [Start, End) in samples. Lead is
// the lead index, or -1 when the whole record is unreadable there.
type Noise struct {
	Start, End int64
	Lead       int
	Reason     string // "noise", "lead off", "saturation", ...
	Prov       Provenance
}
