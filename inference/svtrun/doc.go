// Package svtrun finds the beats of paroxysmal supraventricular tachycardia
// that the beat model called normal, and turns them into S beats.
//
// The beat model judges each beat by its shape and its RR context. In a
// sustained run of SVT the beats have a normal shape and, after the first
// few, an RR interval like their neighbours', so the model calls most of
// them N (MIT-BIH svdb 865: 1,791 of 1,818 S beats). This rule, applied
// after the model to the beats of a whole run, looks for what the model
// cannot see in a ±10 s window: an abrupt, regular acceleration far above
// the patient's usual rate over ±10 minutes.
//
// # The rule
//
// With p[i] the R peak of beat i in samples at fs Hz (beats in sample
// order, non-beat annotations left out):
//
//	rr_prev[i]      (p[i] - p[i-1]) / fs s; rr_local of beat 0 for the first beat
//	rr_local_irr[i] as the beat model's RR feature computes it (model.RRLocal)
//	ref[i]          the RR interval of rank floor(RefRank·(m-1)) (0-based,
//	                ascending, no interpolation) among the m intervals between
//	                consecutive peaks within ±RefSpan of p[i], both ends included
//	                (m = 0: no ref, and the beat is not fast)
//	fast[i]         rr_prev[i] / ref[i] < FastRatio and rr_local_irr[i] < MaxIrregularity
//
// A stretch is a maximal run of consecutive fast beats i..j-1. It qualifies
// when j-i >= MinBeats, i > 0, rr_prev[i] <= Onset·(the median of the
// OnsetSpan intervals before it): the rate jumps (sinus tachycardia speeds
// up gradually, paroxysmal SVT does not; the median keeps the pause after
// an ectopic beat from passing for an onset), and no noise stretch
// overlaps it (double detections in noise look fast and abrupt). Every beat of a qualifying stretch that the model labelled N
// becomes S (annotate.ClassS.Code). Nothing else changes: never a V, F or Q
// beat, never a reader's label. The rule only adds S beats, so it never
// hides a run; inference/rhythm then finds SVTA in the relabelled run.
//
// On the held-out folds of MIT-BIH DS1 and svdb the rule lifts the pooled
// S sensitivity and positive predictivity from 53.6/39.7 % to 67.7/45.4 %,
// with almost no false S (865: 1,059 beats relabelled, 1,057 truly S; 864
// 2 false).
//
// ref is an order statistic over a window of about 1,000 intervals per
// beat; Relabel slides the window over the beats and keeps the intervals,
// in samples, in a Fenwick tree over their distinct values, so a 24-hour
// record of 100,000 beats costs O(n log n), not a sort per beat (about
// 12 ms and 6 MB, BenchmarkRelabel100k).
package svtrun
