// Package stats computes the figures of a Holter summary from a record's
// labels: total beats, heart rate (minimum, mean and maximum with their
// times), ectopy counts (isolated beats, couplets, runs and bigeminy, for
// ventricular and supraventricular ectopic beats), AF burden, the longest
// pause and the episode list, and the series the report plots draw (heart
// rate per minute, RR intervals, AF and ectopy per hour).
//
// It imports the standard library and annotate only.
//
// # Beats and RR intervals
//
// Beats are the labels whose code is a QRS complex (annotate.Code.IsBeat);
// other point annotations are ignored. An RR interval is the time between
// two consecutive beats, in seconds:
//
//	RR_i = (t_i - t_(i-1)) / fs
//
// An interval is "valid" for heart rate and HRV when no noise
// stretch of any lead (annotate.Noise) touches it, its two beats included:
// beats may be missing or misplaced there, so the interval is not an RR.
//
// # Heart rate
//
// The minimum and maximum heart rate have one definition, for the record
// and for every episode (RateExtremes): the slowest and fastest mean over
// at least HRBeats (k = 8) consecutive valid RR intervals ending at beat i,
//
//	HR_i = 60 * n / (RR_(i-n+1) + ... + RR_i)   [beats/min], k <= n <= 2k-1
//
// (a longer stretch splits into such windows, so its mean lies between
// theirs), and the time reported with the minimum or maximum is beat i, the
// last beat of the window. A window never spans an invalid interval. Where
// there are never k consecutive valid intervals, the window is the longest
// run of valid intervals there is. In an episode (EpisodeRates) a run of
// fewer than k valid intervals is a window of its own too when it is the
// whole episode or, between noise marks, holds at least MinShortRun (3):
// one or two intervals there may be a double detection at a noise edge
// ("300 bpm"), no heart rate. The episode's mean (EpisodeMean) is over the
// intervals of its windows, so its minimum <= mean <= maximum. The mean heart rate is
// 60 * n / (sum of the n valid RR intervals), the rate the whole analysed
// time gives. The trend series
// (Minute) is the same mean over the valid RR intervals that end inside
// each minute of the record, counted from its first sample; a minute with
// no valid interval has no value (NaN).
//
// # Heart rate variability
//
// ComputeHRV gives the time-domain measures of the 1996 ESC/NASPE Task
// Force over NN intervals: valid RR intervals whose two beats are both
// normal (class N). SDNN is the SD of all NN intervals; SDANN the SD of the
// means of the NN intervals in each 5-minute segment (from sample 0, an
// interval in the segment of its second beat, segments with 2 or more NN
// intervals); SDNN index the mean of the SDs of those segments; RMSSD the
// root mean square of the differences of successive NN intervals; pNN50
// the percentage of those differences over 50 ms. Successive differences
// are taken only between adjacent NN intervals (sharing a beat): their
// count is the pNN50 denominator. SDs divide by n.
//
// # Ectopy
//
// For a class X (V or S), a maximal stretch of consecutive X beats is an
// isolated beat (1 beat), a couplet (2) or a run (3 or more). Bigeminy is a
// maximal stretch of at least BigeminyBeats (3) isolated X beats each one
// beat apart (N X N X N X): it counts as one bigeminy episode, and its X
// beats still count as isolated. For example, with X = V:
//
//	N V N N V V N V V V V N V N V N V N
//	  1     couplet run of 4   bigeminy (3 V)
//
// gives isolated 4, couplets 1, runs 1 (longest 4), bigeminy 1.
//
// # AF burden and pauses
//
// AF burden is the time inside AFIB episodes (their union) over the record's
// duration. A pause is an RR interval of PauseThreshold (2 s) or more, and
// the longest pause the longest RR interval, whether a mark touches it or
// not: a noise rule never hides or drops a pause. An interval that a mark
// touches (noise, artefact such as a baseline excursion, or no signal) may
// hold beats the detector lost there, so it is no heart rate, and it is
// counted apart (Summary.PausesMarked) and flagged for the reader to check:
// every such interval of PauseThreshold or more, and the longest one when
// it is longer than every clean interval, is listed (Summary.LongRRToCheck).
package stats
