// Package synth generates synthetic multi-lead ECG records with exact
// reference annotations: beats (N, A, V, F), rhythm episodes (AFIB, AFL,
// VT, bigeminy, pauses) and noise stretches. It makes the demo record, the
// test fixtures and the 24-hour and 14-day records for performance work.
//
//	g, err := synth.New(cfg)         // cfg from synth.Default() or synth.Demo()
//	buf := [][]int32{make([]int32, 4096), make([]int32, 4096)}
//	var ann synth.Annotations
//	for n := g.Next(buf); n > 0; n = g.Next(buf) {
//		write(buf, n)                // ADC units, lead by lead
//		g.Drain(&ann)                // labels of the samples so far
//	}
//
// # Model
//
// Each beat is a sum of Gaussian waves, as in the dynamical model of
// McSharry et al. (IEEE TBME 50(3), 2003) but written directly in time,
// and each wave is a dipole in the body frame (x to the patient's left,
// y inferior, z anterior), as in the multi-lead extension of Sameni et al.
// (2007). Lead l sees the projection of the dipole on its lead vector e_l:
//
//	x_l(t) = Σ_beats Σ_waves (e_l · d_w) · exp(−(t − t_R − τ_w)² / (2σ_w²))   [mV]
//
// with t_R the beat's fiducial time, τ_w and σ_w the wave's offset and width
// in seconds and d_w its dipole in mV. A sinus beat has a P wave (τ ≈ −145
// ms, σ 22 ms), q, R and s waves (τ −30, 0, +30 ms; σ 8-11 ms: QRS ≈ 90
// ms) and a two-Gaussian asymmetric T wave (τ 250 and 300 ms at RR = 1 s).
// T offsets and widths scale with √RR (Bazett). The limb leads obey
// Einthoven's law (II = I + III) and the augmented leads are their exact
// combinations; chest leads V1-V6 lie in the horizontal plane from 115° to
// 0°, so V1 shows rS and V5 qRs, and each record rotates the heart by up to
// ±10° about each axis and scales it by 0.85-1.15 so seeds look like
// different patients. QRS dipoles swing ±6% with respiration.
//
// Beat types. V: no P, a wide QRS (three Gaussians, σ up to 32 ms, QRS ≈
// 140-160 ms) from one of two foci (right ventricular outflow: LBBB-like,
// inferior axis; left ventricle: RBBB-like, superior axis; 85% of PVCs come
// from the patient's dominant one), a T wave opposite to the QRS
// (discordant), coupling c_V·RR (default 0.6) and a full compensatory
// pause. With Config.PVCOrigin OriginFascicular every V beat comes from a
// left posterior fascicle instead: QRS about 110 ms (σ 17 ms), RBBB-like
// with a superior axis and a low T: a V beat of nearly normal shape. A: an inverted (low atrial) P wave, a normal QRS, coupling c_A·RR
// (default 0.7), and a sinus reset (pause less than compensatory). F: the
// sinus P on time, a QRS and T that are a 30-70% blend of N and V.
//
// Rhythm. Sinus RR intervals follow
//
//	RR(t) = 60/HR(t) · (1 + a_LF·sin(2π·0.1·t + φ_LF) + a_HF·sin(2π·f_resp·t + φ_HF) + v_n)
//	HR(t) = HR · (1 + C·cos(2π(h − 15)/24))                       [bpm, h = hour of day]
//
// where v_n is AR(1) (ρ = 0.95) and the phases random-walk; VLF, LF and HF
// share the variance HRV² as 0.3 : 0.7·LF/HF/(1+LF/HF) : 0.7/(1+LF/HF).
// Premature beats are drawn per sinus cycle with probabilities that give the
// requested rate per hour (see scheduler.probs). AF: independent log-normal
// RR intervals (mean 60/Rate s, coefficient of variation CV), no P waves,
// and f-waves of 4-9 Hz on the baseline, largest in V1 and the inferior
// leads. Atrial flutter: a sawtooth at 200-400/min, negative in II, with
// 2:1 to 4:1 conduction. VT: runs of at least 3 monomorphic V beats above
// 100 bpm. Bigeminy: N V N V ... Pauses: sinus arrest of at least 2 s.
// Episodes come at fixed times (Config.Events) and at random (Poisson).
//
// Noise. Baseline wander: a respiratory sine plus low-pass (0.05 Hz) random
// drift. Muscle: white noise high-passed at 15 Hz, continuous or in bursts.
// Motion: white noise low-passed twice at 1.5 Hz, in bursts. Power line:
// a sine at MainsHz. Recorded noise (for example the MIT-BIH Noise Stress
// Test Database records bw, ma and em, read by the caller into
// NoiseRecord in mV) is low-pass filtered, resampled by linear
// interpolation, looped, and scaled to the requested SNR, optionally on the
// NST schedule (5 min clean, then 2 min noisy and 2 min clean). SNR follows
// the NST definition: S = (peak-to-peak amplitude of the normal QRS in the
// lead)²/8, N = the mean variance of the noise in 1-s chunks with the
// largest and smallest 5% of the chunks dropped (NSTNoisePower);
// SNR = 10·log10(S/N) dB. Dropouts (Noise.Dropouts) lose the signal on
// every lead at fixed times: a lead off reads exactly 0 mV (Baseline), a
// saturation sits at the upper ADC rail; they are always marked as noise
// (reason "lead off" or "saturation"), and the beats go on in the
// reference. A pause or asystole is an Event "PAUSE" of the wanted length.
//
// Samples are the sum in mV times Gain plus Baseline, rounded and clipped
// to ±(2^(ADCBits−1) − 1) ADC units (the most negative code is left free:
// WFDB uses it for "no sample").
//
// # Exact annotations
//
// Beats are placed on the sample grid (fiducial sample r = round(t_R·fs)),
// and the annotated sample is found by evaluating the beat's own waves in
// lead 0 at every sample within ±100 ms of r and taking the largest
// magnitude: the peak the generator draws. Neighbouring beats, f-waves and
// noise add to the drawing but not to the annotation; on a clean record
// they move the peak by less than a sample.
//
// # Streaming and determinism
//
// The generator draws blocks of 4096 samples whose boundaries do not depend
// on the caller's chunk size, plans beats 1.5 s ahead of the block it
// draws, and keeps no more than the beats that touch the current block, so
// a 14-day record streams in constant memory. Every random choice comes
// from PCG streams of Config.Seed, one per part of the model, so the same
// Config gives the same bytes in any chunking.
package synth
