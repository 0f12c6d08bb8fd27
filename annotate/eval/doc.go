// Package eval compares a test annotator with a reference annotator the way
// ANSI/AAMI EC38 and EC57 prescribe and PhysioNet's bxb, sumstats and epicmp
// implement: beat-by-beat matching, gross and average sensitivity (Se) and
// positive predictivity (+P), per-class confusion matrices, and
// episode-by-episode comparison of rhythms. On top of that it builds what
// the data scientist's screens show: the confusion matrix of a model
// against readers with the pairs of every cell (ConfusionOf, the model
// error browser) and model A/B (CompareAB: both models' tables and the beats
// whose class flips, fixed or broken with respect to the reader).
//
// # Beat-by-beat matching (bxb)
//
// The pairing is annotate.MatchTimes, the project's one beat matcher;
// Compare adds what EC57 scores on top of it (labels, VF, shutdown) and
// returns every pair it counts (Result.Pairs), agreeing ones included.
// Reference beat T and test beat t match when |T-t| <= W, W the match window
// (150 ms, rounded to whole samples: 54 samples at 360 Hz, 150 at 1000 Hz).
// Both annotation streams are walked in time order; the earlier annotation
// of the current pair is paired with the other one when it is within the
// window and is a better match than the next annotation of the other stream
// (or when the next pair of annotations matches each other better, bxb's
// 2002 rule). An unpaired reference beat is a false negative ("o" column),
// an unpaired test beat a false positive ("O" row). With the defaults:
//
//	ref:  N@1000            N@1360            N@1720
//	test:   t@1054                    t@1500  t@1721
//	fs = 360 Hz, W = 54: 1000/1054 match (54 <= 54); 1360 is missed;
//	1500 is an extra test beat; 1720/1721 match.
//
// Beats before Start (default: the first 5 minutes, EC57's learning period)
// are not scored, except that the last test beat before Start may match the
// first reference beat after it. The comparison ends when both streams pass
// End (default: the record length).
//
// Reference beats inside ventricular flutter/fibrillation ([ ... ]) are not
// read at all, and unmatched test beats inside reference VF are not counted.
// Shutdown (a NOISE "~" annotation whose sub-type has bits 4 and 5 set, ended
// by a NOISE annotation without them) does not remove beats from the QRS
// statistics: unmatched beats there are tallied in the X row and column and
// reported separately as bxb does.
//
// # Classes
//
// Beats are mapped to AAMI classes by annotate.Code.Class (annotate.AAMIMapping:
// N = N L R e j; S = A a J S; V = V E; F = F; Q = / f Q). bxb itself counts
// e, j and n as S; this package follows EVALUATION.md and annotate instead.
//
// # Episodes (epicmp)
//
// A reference episode counts as detected when any test episode of the same
// rhythm overlaps it; episode +P is the same with the roles swapped. Duration
// Se is the overlapped fraction of the reference duration, duration +P the
// overlapped fraction of the test duration. Episodes are clipped to
// [Start, End); reference atrial flutter is excluded from AF +P.
package eval
