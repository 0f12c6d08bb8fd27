// Package research holds the research benchmarks of ECG Station that the
// ecgstation command runs but no reader needs: bench-effort (Effort), which
// plays a reader correcting records to full agreement with their reference
// by each review strategy (annotate/sim's cost model) and counts the
// actions, and nst (NST), the MIT-BIH noise stress test of the QRS
// detector. The app's command table parses their flags and hands them the
// models (from app/modelsvc) and the detector.
package research
