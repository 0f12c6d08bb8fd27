// Package rhythm turns beats and a rhythm model's outputs into rhythm
// episodes: atrial fibrillation and flutter from the model, and VT, SVT runs,
// ventricular bigeminy and trigeminy, pauses, bradycardia and tachycardia from
// rules on the beat labels and RR intervals. Every threshold is a field of
// Options, with the defaults below.
//
// # Rules
//
// With R[i] the R peak of beat i in samples at fs Hz (beats sorted, non-beat
// annotations left out), RR[i] = (R[i] - R[i-1]) / fs seconds, and a run of
// beats i..j having the mean rate 60·(j-i)·fs / (R[j] - R[i]) beats/min:
//
//	VT     a maximal run of >= 3 consecutive V beats whose mean rate is > 100 bpm
//	SVTA   a maximal run of >= 3 consecutive S beats whose mean rate is > 100 bpm
//	B      >= 3 consecutive cycles of (non-V, V): N V N V N V
//	T      >= 3 consecutive cycles of (non-V, non-V, V): N N V N N V N N V
//	PAUSE  RR[i] >= 2.0 s, unless a stretch where no lead has a signal
//	       (annotate.Noise with Lead -1, reason lead off or saturation)
//	       overlaps it: beats may be missing there. Noise never removes a pause
//	BRADY  the rate over the 8 RR intervals around beat i, 60·8·fs / (R[i+4] - R[i-4]),
//	       is < 50 bpm; TACHY: > 100 bpm; kept when sustained for >= 30 s
//
// Rhythm names are those of MIT-BIH rhythm annotations (the WFDB aux text
// without its "("), with PAUSE, BRADY and TACHY where MIT-BIH has none.
//
// # The model
//
// A rhythm model (inference/model, task rhythm) gives class probabilities for
// segments of consecutive beats (Windows). Each beat takes the mean of the
// probabilities of the segments that hold it; an episode of class c starts at
// a beat whose probability of c reaches Enter (0.6) and lasts while it stays
// at or above Exit (0.4): hysteresis, so an episode does not flicker on and
// off around one threshold. Classes named in Background (OTHER, N) make no
// episodes.
//
// A model that reads RR intervals only can take the irregularity that
// ventricular beats bring (bigeminy, trigeminy, frequent PVCs in sinus
// rhythm) for AF. So an AFIB probability counts as below Exit on a beat
// where the model's AF is explained by ventricular ectopy (Options.Ectopy,
// 0.06): within 16 beats on each side there are at least 2 V or F beats,
// and at least 12 comparisons of intervals between consecutive N or S
// beats (with nothing between them, or one V or F beat: the cycle around a
// PVC; each compared with the last interval of its kind at most 6 beats
// before) whose median relative difference is below 0.06, as regular as
// sinus rhythm. AF is irregular whatever the ventricular beats do. Where
// there are no ventricular beats, too few classified beats, or an
// irregular supraventricular rhythm, the model's call stands; flutter is
// left to the model. The threshold was chosen on DS1 (no AF beat of 201
// or 203 is that regular; 1% of them are under 0.10).
//
// # Episodes
//
// An episode of beats i..j spans [(R[i-1]+R[i])/2, (R[j]+R[j+1])/2): midway
// between beats, where MIT-BIH puts rhythm annotations (a PAUSE spans
// [R[i-1], R[i])). Post-processing, per rhythm (Post): episodes of one rhythm
// less than MergeGap apart are merged, then those shorter than MinDuration
// are dropped. Defaults: AFIB and AFL merge across 10 s and last >= 30 s
// (the clinical definition of an AF episode); BRADY and TACHY merge across 5 s
// and last >= 30 s; the beat-defined rhythms are kept as found.
//
//	eps := rhythm.Detect(rhythm.Input{Beats: beats, Fs: 250, Noise: noise,
//		Model: &windows}, rhythm.DefaultOptions())
package rhythm
