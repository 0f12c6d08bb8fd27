// Package review decides what a reader looks at next and what can be left
// alone: the template view of a morphology cluster (what the template
// gallery shows), the review queue of beats most likely wrong, calibrated
// auto-accept per class, and the propagation of a reader's corrections to
// look-alike beats. It imports the standard library and annotate only, so the
// UI, the reader simulator and the app share it.
//
// # The review queue
//
// Every beat a reader has not looked at one by one (unreviewed, or labelled
// only through a template or a propagation) gets a suspicion score
//
//	score = (1 − p_label) + Wm·[label ≠ the model's class]
//	      + Wd·[label ≠ the cluster's dominant class] + Wr·odd(RR)
//	      + Wo·max(0, (a − Top)/(1 − Top))
//
// with p_label the model's probability of the beat's current class (0 when
// the model gave none; the two model terms are left out for a label copied
// from a reader's template relabel or correction, which overrules the model
// on purpose), a the beat's atypicality in its cluster (the fraction of
// members nearer the centre), and odd(RR) = 1 for a beat labelled N or Q that comes
// early (RR_prev < Premature·RR_local) or an S beat that does not, RR_local
// being the median of the 8 RR intervals before the beat. Long RR intervals
// (RR > Gap·RR_local) become gap items of score Wg: a beat may be missing
// there. Items are ordered by score, highest first, ties by position. With
// auto-accept every beat it does not accept is queued; without, beats
// scoring under MinScore are left out.
//
// On the DS1 records the reader simulator (annotate/sim) found the queue's
// precision mostly under one half, so walking it one key per item costs
// about what fixing the same beats in full disclosure does; Wo is 0 by
// default because atypicality did not raise it.
//
// # The adaptive queue
//
// Once a per-record adapter learns from the reader's answers, the best
// question is the one whose answer would change the most labels. Ask ranks
// the beats no reader has labelled:
//
//  1. per non-N class the population model predicted and no reader label
//     speaks for (none of that class, none on a beat the model gave it),
//     the beat it gives that class with the highest probability: a class
//     the model gets wrong everywhere is settled by one answer, and the
//     adapter, which keeps a class it was never shown, learns it;
//
//  2. then, by expected labels changed: a look-alike group (its template
//     cluster) no reader label and no question speaks for offers its
//     surest beat, scoring its size Alike (the adapter knows nothing of
//     those beats: full doubt), so the large groups are seeded first, as
//     k-means seeds would; a group already spoken for offers its most
//     unsure beat, scoring
//
//     score = (1 − (P − P_alt)) × Alike / (1 + k)²
//
//     with P the probability of the beat's current class (the adapter's
//     once it has learned, else the population model's), P_alt that of
//     the likeliest other class and k the reader labels and questions
//     already in the group. The square makes a second question in a group
//     wait until other groups had theirs (diversity).
//
// Every question says why in words: "unsure S/N (0.55); 1,240 beats look
// alike", "none of 1,240 look-alikes checked yet; model N 0.99",
// "model calls 212 beats V; none checked; its surest V (0.99)".
//
// # Auto-accept
//
// Calibrate takes beats whose truth is known (held-out reviewed records)
// and, per predicted class k, the curve of confidence thresholds t: how many
// beats the model calls k with confidence >= t, and how many of those are
// wrong. Threshold(k, maxErr) is the lowest t whose accepted beats are wrong
// at most maxErr of the time; Estimate applies thresholds to a new record and
// says how many beats would be auto-accepted and how many errors that leaves
// (accepted × the held-out error rate at that threshold).
//
// # Propagation
//
// After a reader corrects beats, Propagate gives their look-alikes (from a
// LookAlikes, normally the clustering) the corrected code through
// annotate.Session.Propagate, which only touches unreviewed model, detector
// or propagated labels: a reader's label is never overwritten.
package review
