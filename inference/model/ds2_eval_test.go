package model_test

import (
	"fmt"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/eval"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/pipeline"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/inference/svtrun"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// The inter-patient test set of EVALUATION.md (de Chazal 2004), and the
// MIT-BIH Arrhythmia records with atrial fibrillation or flutter: 201 and 203
// are in DS1 (the default models trained on them), the others in DS2.
var (
	ds2     = strings.Fields("100 103 105 111 113 117 121 123 200 202 210 212 213 214 219 221 222 228 231 232 233 234")
	afRecs  = strings.Fields("201 202 203 210 219 221 222")
	afTrain = map[string]bool{"201": true, "203": true}
)

// TestDS2 scores the committed default models end to end on MIT-BIH: the QRS
// detector finds the beats, the beat model classifies them (in the
// pipeline's chunks, classifyInChunks) and eval.Compare
// scores them against the reference annotations with EC57's rules (AAMI
// classes by annotate.AAMIMapping, gross over the records); the rhythm model's
// AF episodes are scored by duration. It needs ECGDATA and ONNX Runtime, and
// takes about a minute, so it runs only with ECGSTATION_DS2=1:
//
//	ECGDATA=../shared/data ECGSTATION_DS2=1 go test ./inference/model -run TestDS2 -v
//
// BEAT_MODEL and RHYTHM_MODEL choose other model files.
func TestDS2(t *testing.T) {
	dir := ecgdata.Study(t, "ECGSTATION_DS2", "mitdb", "100.hea", "score the default models on MIT-BIH DS2")
	env := newEnv(t)
	beat := loadModel(t, env, "BEAT_MODEL", "beat.onnx")
	rhythm := loadModel(t, env, "RHYTHM_MODEL", "rhythm.onnx")
	var results []*eval.Result
	for _, name := range ds2 {
		res, _ := scoreDS2Record(t, filepath.Join(dir, name), beat, nil)
		results = append(results, res)
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "beat model %s on DS2, EC57, AAMI classes: %s\n", beat.Meta().ID(), annotate.AAMIMapping)
	eval.WriteTable(&sb, results)
	sb.WriteString("\n")
	eval.WriteMatrix(&sb, results)
	writeClassTable(&sb, results)
	var seen, unseen eval.EpisodeResult
	for _, name := range afRecs {
		_, af := scoreDS2Record(t, filepath.Join(dir, name), beat, rhythm)
		fmt.Fprintf(&sb, "AF %s (trained on: %v): %s\n", name, afTrain[name], episodeLine(af))
		if afTrain[name] {
			seen.Add(af)
		} else {
			unseen.Add(af)
		}
	}
	fmt.Fprintf(&sb, "AF records seen in training (201 203): %s\n", episodeLine(seen))
	fmt.Fprintf(&sb, "AF records not seen (202 210 219 221 222): %s\n", episodeLine(unseen))
	t.Log("\n" + sb.String())
}

func mitdbDir(t *testing.T) string {
	return ecgdata.Dir(t, "mitdb", "100.hea")
}

func newEnv(t *testing.T) *model.Env {
	env, err := model.NewEnv(model.Options{})
	if err != nil {
		t.Skip(err)
	}
	t.Cleanup(func() { env.Close() })
	return env
}

// loadModel loads $envVar, else assets/models/file.
func loadModel(t *testing.T, env *model.Env, envVar, file string) *model.Model {
	path := os.Getenv(envVar)
	if path == "" {
		path = filepath.Join("..", "..", "assets", "models", file)
	}
	m, err := model.Load(path, env)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// scoreDS2Record detects and classifies the beats of one record and compares
// them with its .atr; with a rhythm model it also compares AF episodes.
func scoreDS2Record(t *testing.T, path string, beat, rhythm *model.Model) (*eval.Result, eval.EpisodeResult) {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	info := rec.Info()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	peaks := make([]int64, len(beats))
	for i, b := range beats {
		peaks[i] = b.Sample
	}
	best := classifyInChunks(t, beat, rec, peaks, info.Fs)
	test := make([]eval.Annotation, len(beats))
	for i := range beats {
		test[i] = eval.Annotation{Sample: peaks[i], Code: beat.Class(best[i]).Code()}
	}
	ref := readRef(t, path)
	o := eval.DefaultOptions(info.Fs, info.NSamples)
	cmp, err := eval.Compare(filepath.Base(path), ref, test, o)
	if err != nil {
		t.Fatal(err)
	}
	if rhythm == nil {
		return cmp, eval.EpisodeResult{}
	}
	eps := afEpisodes(t, rhythm, rec, peaks)
	return cmp, eval.CompareEpisodes(refEpisodes(t, path, info), eps, "AFIB", o)
}

// refEpisodes reads the reference rhythm episodes as the app does.
func refEpisodes(t *testing.T, path string, info annotate.RecordInfo) []annotate.Episode {
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	return wfdb.ToLabels(anns, info, annotate.Provenance{}).Episodes
}

// classifyInChunks returns the best class of every beat of peaks, fed to
// the model as the background pipeline feeds it: in chunks of
// pipeline.DefaultChunk, each with the R peaks within pipeline.Margin on
// either side as RR context, so that rr_long sees what it sees in the app;
// then the SVT run rule relabels them as the pipeline does.
func classifyInChunks(t *testing.T, m *model.Model, sig annotate.Signal, peaks []int64, fs float64) []int {
	chunk := int64(pipeline.DefaultChunk.Seconds() * fs)
	margin := int64(pipeline.Margin.Seconds() * fs)
	first := func(s int64) int { return sort.Search(len(peaks), func(k int) bool { return peaks[k] >= s }) }
	best := make([]int, 0, len(peaks))
	for lo := 0; lo < len(peaks); {
		start := peaks[lo] - peaks[lo]%chunk
		hi, a, b := first(start+chunk), first(start-margin), first(start+chunk+margin)
		index := make([]int, hi-lo)
		for j := range index {
			index[j] = lo - a + j
		}
		res, err := m.ClassifyBeats(sig, peaks[a:b], index)
		if err != nil {
			t.Fatal(err)
		}
		for j := range index {
			k, _ := res.Best(j)
			best = append(best, k)
		}
		lo = hi
	}
	return applySVTRule(m, best, peaks, fs)
}

// applySVTRule relabels best as the app does after the beat model
// (svtrun.Relabel): the N beats of abrupt, regular SVT runs become S.
func applySVTRule(m *model.Model, best []int, peaks []int64, fs float64) []int {
	s := slices.IndexFunc(m.Meta().Classes, func(c string) bool { k, _ := annotate.ParseClass(c); return k == annotate.ClassS })
	if s < 0 {
		return best
	}
	marks := make([]rhythm.Mark, len(peaks))
	for i, p := range peaks {
		marks[i] = rhythm.Mark{Sample: p, Code: m.Class(best[i]).Code()}
	}
	for _, i := range svtrun.Relabel(marks, fs, nil) {
		best[i] = s
	}
	return best
}

func readRef(t *testing.T, path string) []eval.Annotation {
	anns, err := wfdb.ReadAnnotations(path + ".atr")
	if err != nil {
		t.Fatal(err)
	}
	ref := make([]eval.Annotation, len(anns))
	for i, a := range anns {
		ref[i] = eval.Annotation{Sample: a.Sample, Code: a.Code, Sub: a.Sub, Aux: a.Aux}
	}
	return ref
}

// afEpisodes runs the rhythm model on segments that overlap by half, gives
// each beat the mean probabilities of the segments that hold it, and turns
// runs of beats whose most probable rhythm is AFIB into episodes (from the
// run's first R peak to the last one).
func afEpisodes(t *testing.T, m *model.Model, sig annotate.Signal, peaks []int64) []annotate.Episode {
	seg := m.Meta().Segment
	hop := max(seg/2, 1)
	var starts []int
	for s := 0; s+seg <= len(peaks); s += hop {
		starts = append(starts, s)
	}
	if len(starts) == 0 {
		return nil
	}
	res, err := m.ClassifyRhythm(sig, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	nc := len(res.Classes)
	sum := make([]float64, len(peaks)*nc)
	for j, s := range starts {
		for b := s; b < s+seg; b++ {
			for k, p := range res.Row(j) {
				sum[b*nc+k] += float64(p)
			}
		}
	}
	af := indexOf(res.Classes, "AFIB")
	var eps []annotate.Episode
	for b := range peaks {
		row := sum[b*nc : (b+1)*nc]
		best := 0
		for k := range row {
			if row[k] > row[best] {
				best = k
			}
		}
		eps = extend(eps, best == af && row[af] > 0, peaks, b)
	}
	return eps
}

// extend grows the last episode to beat b when b continues it, or starts one.
func extend(eps []annotate.Episode, isAF bool, peaks []int64, b int) []annotate.Episode {
	if !isAF {
		return eps
	}
	if n := len(eps); n > 0 && b > 0 && eps[n-1].End == peaks[b-1] {
		eps[n-1].End = peaks[b]
		return eps
	}
	return append(eps, annotate.Episode{Start: peaks[b], End: peaks[b], Rhythm: "AFIB"})
}

func indexOf(xs []string, s string) int {
	for i, x := range xs {
		if x == s {
			return i
		}
	}
	return -1
}

// writeClassTable writes gross Se and +P per AAMI class.
func writeClassTable(sb *strings.Builder, results []*eval.Result) {
	var m eval.Matrix
	for _, r := range results {
		m.Add(&r.Matrix)
	}
	fmt.Fprintf(sb, "\n| class | Se %% | +P %% | TP | FN | FP |\n|---|---|---|---|---|---|\n")
	for k := eval.LabelN; k <= eval.LabelQ; k++ {
		c := m.Class(k)
		se, _ := c.Se()
		pp, _ := c.PP()
		fmt.Fprintf(sb, "| %s | %.2f | %.2f | %d | %d | %d |\n", k, se, pp, c.TP, c.FN, c.FP)
	}
}

func episodeLine(r eval.EpisodeResult) string {
	se, _ := r.DurationSe()
	pp, _ := r.DurationPP()
	return fmt.Sprintf("duration Se %.1f +P %.1f (ref %.0f s, test %.0f s at 360 Hz); episodes %d/%d detected, %d/%d test true",
		se, pp, float64(r.RefDur)/360, float64(r.TestDur)/360, r.TPs, r.TPs+r.FN, r.TPp, r.TPp+r.FP)
}

// BenchmarkDefaultBeatModel measures the default beat model (or
// $BEAT_MODEL) on 2048 beats of MIT-BIH record 100: inputs prepared from the
// record (resampled, z-scored, RR features) and run, at 1 and 2 threads.
func BenchmarkDefaultBeatModel(b *testing.B) {
	rec, err := wfdb.Open(filepath.Join(ecgdata.Dir(b, "mitdb", "100.hea"), "100"))
	if err != nil {
		b.Skip(err)
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil {
		b.Fatal(err)
	}
	peaks := make([]int64, len(beats))
	for i, bt := range beats {
		peaks[i] = bt.Sample
	}
	index := make([]int, 2048)
	for i := range index {
		index[i] = i
	}
	for _, threads := range []int{1, 2} {
		b.Run(fmt.Sprintf("threads=%d", threads), func(b *testing.B) {
			env, err := model.NewEnv(model.Options{Threads: threads})
			if err != nil {
				b.Skip(err)
			}
			defer env.Close()
			path := os.Getenv("BEAT_MODEL")
			if path == "" {
				path = filepath.Join("..", "..", "assets", "models", "beat.onnx")
			}
			m, err := model.Load(path, env)
			if err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := m.ClassifyBeats(rec, peaks, index); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(b.N*len(index))/b.Elapsed().Seconds(), "beats/s")
		})
	}
}
