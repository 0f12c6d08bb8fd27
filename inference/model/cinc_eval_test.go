package model_test

import (
	"fmt"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/inference/qrs"
	"github.com/ecgstation/ecgstation/inference/rhythm"
	"github.com/ecgstation/ecgstation/store/cinc"
	"github.com/ecgstation/ecgstation/store/ecgdata"
	"github.com/ecgstation/ecgstation/store/wfdb"
)

// TestCinC scores the rhythm model on the CinC 2017 recordings the way the
// app reads a record: the QRS detector finds the beats, the pipeline's
// segments (rhythm.SegmentStarts, stride a quarter segment) are classified
// and their probabilities averaged over the recording. The recording's call
// is its most probable class: AFIB -> A, N -> N, anything else -> O (a model
// without an N class cannot say N, so only its AF F1 means something); a
// recording with fewer beats than a segment gets no rhythm, which reads as
// N. It prints the challenge's F1 of N, A and O over the N, A and O
// recordings. A model trained on CinC is scored on its own training set
// here: its held-out figure is train_rhythm.py --cinc-folds. Slow, so it
// runs only with ECGSTATION_CINC=1:
//
//	ECGDATA=../shared/data ECGSTATION_CINC=1 go test ./inference/model -run TestCinC -v
func TestCinC(t *testing.T) {
	dir := ecgdata.Study(t, "ECGSTATION_CINC", "cinc2017", "REFERENCE.csv", "score the rhythm model on CinC 2017")
	recs, err := cinc.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	m := loadModel(t, newEnv(t), "RHYTHM_MODEL", "rhythm.onnx")
	var c challengeConfusion
	for _, r := range recs {
		if r.Class != cinc.Noisy {
			c.add(r.Class, callRecording(t, m, r.Path))
		}
	}
	t.Logf("rhythm model %s on CinC 2017 (%d recordings labelled N, A or O): %s", m.Meta().ID(), c.total(), c)
}

// callRecording returns the label the model gives the recording at path.
func callRecording(t *testing.T, m *model.Model, path string) cinc.Class {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil {
		t.Fatal(err)
	}
	peaks := make([]int64, 0, len(beats))
	for _, b := range beats {
		peaks = append(peaks, b.Sample)
	}
	seg := m.Meta().Segment
	starts := rhythm.SegmentStarts(len(peaks), seg, max(1, seg/4))
	if starts == nil {
		return cinc.Normal
	}
	res, err := m.ClassifyRhythm(rec, peaks, starts)
	if err != nil {
		t.Fatal(err)
	}
	mean := make([]float64, len(res.Classes))
	for j := range starts {
		for k, p := range res.Row(j) {
			mean[k] += float64(p)
		}
	}
	switch res.Classes[slices.Index(mean, slices.Max(mean))] {
	case "AFIB":
		return cinc.AF
	case "N":
		return cinc.Normal
	}
	return cinc.Other
}

// challengeConfusion counts recordings by reference label and call.
type challengeConfusion map[[2]cinc.Class]int

func (c *challengeConfusion) add(ref, call cinc.Class) {
	if *c == nil {
		*c = challengeConfusion{}
	}
	(*c)[[2]cinc.Class{ref, call}]++
}

func (c challengeConfusion) total() int {
	n := 0
	for _, v := range c {
		n += v
	}
	return n
}

// f1 returns the challenge's F1 of class k: 2·TP / (reference k + called k).
func (c challengeConfusion) f1(k cinc.Class) float64 {
	var ref, called int
	for key, v := range c {
		if key[0] == k {
			ref += v
		}
		if key[1] == k {
			called += v
		}
	}
	return 2 * float64(c[[2]cinc.Class{k, k}]) / float64(max(ref+called, 1))
}

func (c challengeConfusion) String() string {
	var sb strings.Builder
	nao := []cinc.Class{cinc.Normal, cinc.AF, cinc.Other}
	var mean float64
	for _, k := range nao {
		fmt.Fprintf(&sb, "F1 %s %.3f, ", k, c.f1(k))
		mean += c.f1(k) / 3
	}
	fmt.Fprintf(&sb, "mean %.3f; reference -> called:", mean)
	for _, r := range nao {
		fmt.Fprintf(&sb, " %s->", r)
		for i, k := range nao {
			fmt.Fprintf(&sb, "%s%s %d", map[bool]string{true: "", false: "/"}[i == 0], k, c[[2]cinc.Class{r, k}])
		}
	}
	return sb.String()
}

// TestCinCFalseEctopy counts the V and S beats the beat model calls per
// 1,000 beats on the CinC 2017 recordings labelled normal rhythm (the
// detector's beats, classified in the pipeline's chunks as TestDS2 does).
// Those recordings may hold a few ectopic beats the challenge did not
// label, so this is an upper bound on false ectopy. It needs a beat model
// that reads single-lead records; it runs with ECGSTATION_CINC=1:
//
//	ECGDATA=../shared/data ECGSTATION_CINC=1 go test ./inference/model -run TestCinCFalseEctopy -v
//
// ECGSTATION_CINC_RECORDS names a file of record names, one a line: only
// those recordings are counted (the held-out half of a model that learnt
// from the others, make models' build/models/cinc-held-out.txt).
func TestCinCFalseEctopy(t *testing.T) {
	dir := ecgdata.Study(t, "ECGSTATION_CINC", "cinc2017", "REFERENCE.csv", "count the beat model's ectopy on CinC 2017's normal recordings")
	recs, err := cinc.Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	only := recordList(t, os.Getenv("ECGSTATION_CINC_RECORDS"))
	m := loadModel(t, newEnv(t), "BEAT_MODEL", "beat.onnx")
	count := map[string]int{}
	var beats, n int
	for _, r := range recs {
		if r.Class != cinc.Normal || (only != nil && !only[r.Record]) {
			continue
		}
		classes, err := classifyRecording(t, m, r.Path)
		if err != nil {
			t.Skipf("beat model %s cannot read %s: %v", m.Meta().ID(), r.Record, err)
		}
		for _, k := range classes {
			count[m.Class(k).String()]++
		}
		beats += len(classes)
		n++
	}
	t.Logf("beat model %s on %d CinC normal recordings, %d beats: V %.2f, S %.2f per 1,000 beats (V %d, S %d)",
		m.Meta().ID(), n, beats, 1000*float64(count["V"])/float64(max(beats, 1)),
		1000*float64(count["S"])/float64(max(beats, 1)), count["V"], count["S"])
}

// recordList reads a file of record names, one a line; nil for no file.
func recordList(t *testing.T, path string) map[string]bool {
	if path == "" {
		return nil
	}
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("ECGSTATION_CINC_RECORDS: %v", err)
	}
	names := map[string]bool{}
	for _, f := range strings.Fields(string(b)) {
		names[f] = true
	}
	if len(names) == 0 {
		t.Fatalf("ECGSTATION_CINC_RECORDS: %s names no record", path)
	}
	return names
}

// classifyRecording returns the beat model's class index of each beat the
// detector finds at path, or the error of a model that cannot read the
// record (it needs more leads than the record has).
func classifyRecording(t *testing.T, m *model.Model, path string) ([]int, error) {
	rec, err := wfdb.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer rec.Close()
	beats, err := qrs.Detect(rec, qrs.Options{})
	if err != nil || len(beats) == 0 {
		return nil, err
	}
	peaks := make([]int64, len(beats))
	for i, b := range beats {
		peaks[i] = b.Sample
	}
	if _, err := m.ClassifyBeats(rec, peaks, []int{0}); err != nil {
		return nil, err
	}
	return classifyInChunks(t, m, rec, peaks, rec.Info().Fs), nil
}
