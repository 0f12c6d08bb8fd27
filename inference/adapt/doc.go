// Package adapt is the per-record adapter: it learns the patient from the
// reader's labels in one record and relabels the beats nobody reviewed.
//
// A population model meets patients unlike those it was trained on (a
// record whose normal beats look like V beats to it, S beats of normal
// shape). A few labels from the reader teach a small model the patient
// (Wiens and Guttag 2010). The adapter is that small model:
//
//   - It learns from every reader label (annotate.Teaches: a single fix, a
//     template relabel, a confirmation, a reference label), never from
//     propagated, model or its own labels. With fewer than
//     Options.MinLabels (10) it changes nothing, nor with reader labels of
//     one class only (a template card relabelled S would otherwise make
//     every beat S).
//   - Each beat is a feature row: the population model's log class
//     probabilities log max(p, 1e-4); the beat model's embedding; four RR
//     features (the RR interval before and after the beat over the mean RR
//     of the 8 beats each side, their ratio, that local mean in s); and,
//     with beat windows, the beat against the record's median template
//     (the sample-by-sample median of up to 512 evenly spaced windows, each
//     less its mean): correlation, RMS difference and peak-to-peak
//     amplitude over the template's peak-to-peak, and the mean difference
//     over 8 equal segments. Every column is standardised over the record.
//   - A multinomial logistic regression over the classes the reader
//     labelled: P(c|x) = softmax(W·x + b), fitted by L-BFGS from zero on
//     the weighted mean cross-entropy + ½‖W‖²/(C·n) (C = 1), with balanced
//     class weights n/(K·n_c). At most 3000 reader labels are fitted, spread
//     evenly over the classes.
//   - A non-N class the reader never labelled nor corrected (no reader
//     label of that class, no reader label on a beat the population model
//     gave that class) keeps its population labels: the adapter cannot
//     predict a class it was not shown. So, without a reader's N label,
//     do the beats the population model calls N (template cards relabelled
//     S or V teach no N: the adapter would call every beat S or V).
//   - With Options.MinConfidence set, the adapter overrules the
//     population class only where its own probability reaches it.
//   - It overrules it only on local evidence: with look-alike groups
//     (Input.Group, the template clusters: Options.Group) a beat changes
//     to class c only when its group holds a reader label of c; with
//     Options.Neighbours = k, only when at least half of the k reader
//     labels nearest the beat (squared Euclidean distance over its
//     standardised feature row; among its group's labels when it has a
//     group) are c. A regression fitted on a few S labels would otherwise
//     call S whole stretches of AF or nodal rhythm nobody looked at.
//     Product returns the options the product runs (MinConfidence 0.9,
//     5 neighbours). Options.Crowd (off in the product) asks, besides,
//     that a quarter of the beats of the group nearest the beat, reader
//     labels or not, be reader labels of the new class: where the reader
//     labels are mostly corrections (a full-disclosure scan), they must
//     crowd around the beat (docs/adaptive-review.md, third round).
//   - Only annotate.Adaptable beats (unreviewed detector, model or adapted
//     labels) get a label; a reader's label is never touched. Each label
//     carries annotate.SourceAdapted, annotate.AdaptedWho(Name, n) and the
//     adapter's probability as its confidence; annotate.Session.Adapt
//     applies them.
//
// # Wiring it into a record: Features and Run
//
// Features is the seam the window, the simulated reader and the benches
// share. It caches, per record and keyed by beat sample and the beat's two
// neighbours (an inserted or deleted beat gives its neighbours new RR, so
// new figures), what the adapter reads of each beat: the population model's probabilities and
// embedding (one model pass per beat, in the background: Add) and the beat
// window (CutWindows). Features.Run is the adapter step after an edit: it
// reads the session's labels, fits, and makes the result the session's
// adapted layer (annotate.Session.SetAdapted) in one commit off the undo
// stack:
//
//	f, _ := adapt.NewFeatures(beatModel, signal)
//	f.Add(ctx, sess.Labels().Beats, progress) // once per open record
//	opt := adapt.Product()
//	opt.Off, opt.Group = !on, clusterOf       // the record's switch, its template clusters
//	sum, err := f.Run(ctx, sess, opt)
//	status(sum.String())                      // "Adapter: 812 beats relabelled from 37 reader labels"
//	next := adapt.Questions(sum.Input, sum.Result, 5)
//
// Run shows the adapter every unreviewed beat as its population label, so
// the labels after a Run are a function of the reader's labels (and the
// cache and the look-alike groups) alone: undoing an edit and running again restores the labels of
// before, bit for bit. A beat the adapter no longer claims gets back its
// population label from the record's model layer
// (annotate.Session.PopulationLabel); an adapted label keeps the
// population model's probabilities in Provenance.Probs.
//
// Questions picks the beats worth asking the reader next: per non-N class
// the population model predicted and the reader never checked, its most
// confident beat; then farthest-point seeds in the embedding; once the
// adapter has learned, the beats it is least sure of. CutWindows reads the
// beat windows from any annotate.Signal in chunks.
//
// There is no randomness: the same input gives the same labels, bit for bit.
package adapt
