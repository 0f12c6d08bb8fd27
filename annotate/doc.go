// Package annotate is the domain of ECG Station: what a record is (its
// metadata and a way to read its samples), what a label is (MIT-BIH beat and
// non-beat codes, AAMI EC57 classes, rhythm episodes and noise stretches),
// where each label came from (provenance) and whether a reader has looked at
// it (review state), the edit session with undo and redo, and the agreement
// statistics (EC57 beat-by-beat matching, confusion matrices, kappa).
//
// A reader's edit is a Command (Relabel, Insert, Move, SetEpisode, Undo...)
// whose one build function says what it does to a label set: the Session
// runs it (Session.Run: stored durably, then applied), and a LabelView,
// the live copy a screen draws from, builds the same command against its
// copy to show it at once while the session stores it.
//
// A beat's label comes from one layer (LayerOf): the reader's, a derived
// one (propagated from a reader's cluster relabel, or the per-record
// adapter's), the population model's, the detector's; a lower layer never
// overwrites a higher one. The adapter's labels come in through
// Session.SetAdapted, in one commit off the undo stack, which gives every
// beat the adapter no longer claims its population label back from the
// record's model layer (PopulationLabel).
//
// It imports the standard library only, so every other package can depend on
// it and it can be tested without a GUI, a database or a model runtime.
//
// Units: sample positions are int64 sample numbers at the record's sampling
// frequency Fs (Hz), counted from 0 at the first sample. Digital sample values
// are ADC units; Lead.Physical converts them to the lead's physical units
// (normally mV).
package annotate
