package assets

import _ "embed"

// The default models, used when the user names no model of their own. Both
// are ONNX files that carry the model contract (docs/model-contract.md) and
// were trained in training/ on the DS1 records of the MIT-BIH Arrhythmia
// Database only (EVALUATION.md's inter-patient split), the rhythm model also
// on CinC 2017, from fixed seeds. `make models` rebuilds them from
// ../shared/data/mitdb and cinc2017; their metadata
// (ecgstation.train.options, ecgstation.train.data) records the training
// options and the SHA-256 of the training files and source records.
var (
	// BeatModel classifies beats into the AAMI classes N, S, V, F, Q from
	// two leads around the R peak and RR features, and gives each beat an
	// embedding for template clustering (training/train_beat.py).
	//
	//go:embed models/beat.onnx
	BeatModel []byte

	// RhythmModel labels runs of consecutive beats AFIB, AFL, N (normal
	// rhythm) or OTHER from their RR features (training/train_rhythm.py).
	//
	//go:embed models/rhythm.onnx
	RhythmModel []byte
)

// File names of the default models, for messages and for writing them out
// where a loader needs a path.
const (
	BeatModelName   = "beat.onnx"
	RhythmModelName = "rhythm.onnx"
)
