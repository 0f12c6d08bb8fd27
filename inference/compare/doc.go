// Package compare runs model A/B: two beat models classify the beats of
// reviewed records, and eval.CompareAB compares their labels with the
// readers' (both models' EC57 tables and every beat whose label flips
// between them, split into fixed and broken with respect to the reader's
// label). The comparison itself, like the confusion matrix of the model
// error browser (eval.ConfusionOf), is domain code in annotate/eval; this
// package adds what needs the models.
//
// Both models classify the reader's beats (their positions, so no matching
// is needed between the models; ClassifyBeats with every reader beat as
// context for the RR features), and each model's labels are matched with
// the reader's by eval.Compare (annotate.MatchTimes: bxb's rules, 150 ms
// window, the first 5 minutes a learning period unless whole, reader VF
// [ ... ] not scored). A flip is a beat the two models put in different
// AAMI classes:
//
//	fixed    B agrees with the reader, A did not
//	broken   A agreed with the reader, B does not
//	other    neither agrees with the reader
package compare
