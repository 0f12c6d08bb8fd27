// Package compare shows where a beat model and the readers disagree, and
// how a second model changes that: the confusion matrix of model against
// reader labels whose every cell lists its beats (for the error browser's
// gallery), and model A/B on reviewed records (both models' EC57 tables and
// every beat whose label flips between them, split into fixed and broken
// with respect to the reader's label).
//
// # Matching
//
// Model beats are matched with reader beats as ANSI/AAMI EC57 prescribes
// and annotate/eval implements (bxb's rules: 150 ms window, the first 5
// minutes a learning period unless Options.Whole, reader VF [ ... ] not
// scored). eval.Compare returns the confusion counts and the pairs whose
// labels differ; the pairs whose labels agree are found by comparing the
// same streams again with every model beat relabelled N, and then V: bxb
// pairs beats by time alone, so the pairing is the same, and every pair
// with a reader beat that is not N (or not V) is listed. The cells built
// from the pairs are checked against eval's matrix.
//
// # Labels
//
// With SchemeAAMI rows are the reader's AAMI class (N S V F Q, annotate.
// AAMIMapping) and columns the model's, plus O (no partner beat) as bxb
// writes them; with SchemeMIT rows and columns are the MIT symbols that
// occur. The per-class Se, +P and F1 table is always AAMI, from eval's
// matrix (EC57's +P rules).
//
// # Model A/B
//
// Both models classify the reader's beats (their positions, so no matching
// is needed between the models; ClassifyBeats with every reader beat as
// context for the RR features). A flip is a beat the two models put in
// different AAMI classes:
//
//	fixed    B agrees with the reader, A did not
//	broken   A agreed with the reader, B does not
//	other    neither agrees with the reader
package compare
