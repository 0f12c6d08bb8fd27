// Package model runs ECG Station's beat and rhythm models with ONNX Runtime
// and enforces the model contract (docs/model-contract.md).
//
// A model is an ONNX file whose metadata_props say how to feed it, for
// example (a beat classifier exported by training/example_export.py):
//
//	ecgstation.task        beat
//	ecgstation.fs          360
//	ecgstation.window      90,166          samples before / from the R peak
//	ecgstation.leads       2               or lead names: MLII,V1
//	ecgstation.classes     N,S,V,F,Q       output order
//	ecgstation.inputs      x:waveform,rr:rr_features
//	ecgstation.outputs     probs:probabilities,emb:embedding
//	ecgstation.normalize   zscore          or mv, none
//	ecgstation.rr_features rr_prev,rr_next,rr_prev_ratio,rr_next_ratio
//	ecgstation.version     0.1.0
//	ecgstation.train.*     training provenance (options, data hashes)
//
// so the graph takes x as float32 [batch, 2, 256] and rr as [batch, 4], and
// gives probs [batch, 5] and emb [batch, E]. A rhythm model takes rr as
// [batch, window, F] (ecgstation.window is its beats per segment) and may
// also read each of those beats' windows, for example the atrial activity
// before each QRS:
//
//	ecgstation.task        rhythm
//	ecgstation.window      32              beats per segment
//	ecgstation.inputs      rr:rr_features,x:waveform
//	ecgstation.beat_window 72,36           samples before / from each R peak, at fs
//
// x is then [batch, 32, leads, 108]: for segment row j from beat s, x[j][k]
// is the window PrepareBeats serves a beat model of the same fs, leads and
// normalize for beat s+k (PrepareRhythm cuts each beat's window once for
// the segments that share it). ParseMeta checks the keys,
// Load checks the graph against them and tries the model on a flat line,
// and Run checks every output: shape, no NaN or Inf, rows of
// probabilities summing to 1 (softmax is applied to logits).
//
// Use:
//
//	env, err := model.NewEnv(model.Options{Library: flagLib}) // or ONNXRUNTIME_LIB, or lib/
//	if errors.Is(err, model.ErrRuntimeUnavailable) { ...show err, label by hand... }
//	defer env.Close()
//	m, err := model.Load("beat.onnx", env)
//	res, err := m.ClassifyBeats(signal, peaks, index) // resampled, normalised, batched
//	k, p := res.Best(0)                                 // m.Class(k), probability p
//	seg, err := r.ClassifyRhythm(signal, peaks, starts) // a rhythm model: segments from peaks[starts[j]]
//
// ONNX Runtime's environment is process-wide: Env counts handles on it and
// the last Close destroys it, after closing the sessions opened through
// each handle.
package model

// The test models are made by the project's own script:
//go:generate /usr/bin/python3 ../../testdata/models/make_models.py
