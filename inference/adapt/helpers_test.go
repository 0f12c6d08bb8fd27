package adapt

import (
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
)

// popClasses is the class order of the test population model.
var popClasses = []annotate.Class{annotate.ClassN, annotate.ClassS, annotate.ClassV, annotate.ClassF, annotate.ClassQ}

// record is a synthetic record with its truth and an Input whose
// population model is wrong on purpose.
type record struct {
	truth []annotate.Code
	in    Input
}

// synthRecord generates minutes of ECG with S and V beats and labels it with
// a population model that calls every V and every S beat N (probability
// 0.7 N; 0.2 for the true class), as a model meets a patient whose ectopic
// beats it never saw. Windows are lead 0 from 0.25 s before to 0.4 s after
// the R peak.
func synthRecord(t testing.TB, minutes int, seed uint64) record {
	t.Helper()
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = time.Duration(minutes)*time.Minute, seed
	cfg.PVC, cfg.PAC = synth.Ectopy{PerHour: 200}, synth.Ectopy{PerHour: 200}
	info, sig, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	var r record
	r.in = Input{Fs: info.Fs, Classes: popClasses}
	for _, b := range ann.Beats {
		if !b.Code.IsBeat() {
			continue
		}
		r.truth = append(r.truth, b.Code)
		r.in.Beats = append(r.in.Beats, annotate.Beat{Sample: b.Sample, Code: annotate.Normal,
			Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "pop@1", Confidence: 0.7}})
		r.in.Probs = append(r.in.Probs, wrongProbs(b.Code.Class())...)
	}
	r.cutWindows(t, &annotate.MemSignal{Meta: info, Samples: sig})
	return r
}

// cutWindows fills the record's windows from lead 0 of sig, 0.25 s before
// to 0.4 s after the R peak.
func (r *record) cutWindows(t testing.TB, sig annotate.Signal) {
	t.Helper()
	pre, post := int(0.25*r.in.Fs), int(0.4*r.in.Fs)
	w, err := CutWindows(sig, 0, r.in.Beats, pre, post)
	if err != nil {
		t.Fatal(err)
	}
	r.in.Windows, r.in.WinLen = w, pre+post
}

// wrongProbs returns population probabilities that call a beat of class k
// N.
func wrongProbs(k annotate.Class) []float32 {
	p := []float32{0.7, 0.05, 0.05, 0.05, 0.05}
	for j, c := range popClasses {
		if c == k && c != annotate.ClassN {
			p[0], p[j] = 0.7, 0.2
		}
	}
	sum := float32(0)
	for _, v := range p {
		sum += v
	}
	for j := range p {
		p[j] /= sum
	}
	return p
}

// teach makes the reader label perClass beats of each class (truth),
// evenly spaced over that class's beats in the record, as a reader who
// samples the record (or its template clusters) does; it returns the
// number of reader labels.
func (r *record) teach(perClass map[annotate.Class]int) int {
	of := map[annotate.Class][]int{}
	for i, c := range r.truth {
		of[c.Class()] = append(of[c.Class()], i)
	}
	n := 0
	for k, want := range perClass {
		is := of[k]
		for j := range min(want, len(is)) {
			i := is[j*len(is)/want]
			r.in.Beats[i].Code, r.in.Beats[i].Review = r.truth[i], annotate.Changed
			r.in.Beats[i].Prov = annotate.Provenance{Source: annotate.SourceReader, Who: "ann"}
			n++
		}
	}
	return n
}

// apply returns the beats with the adapter's labels put in, as
// annotate.Session.Adapt does.
func apply(t testing.TB, beats []annotate.Beat, labels []annotate.Beat) []annotate.Beat {
	t.Helper()
	s, err := annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := s.MergeModel(annotate.ModelOutput{Beats: beats}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Adapt(labels); err != nil {
		t.Fatal(err)
	}
	return s.Labels().Beats
}
