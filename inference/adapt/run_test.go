package adapt

import (
	"context"
	"path/filepath"
	"reflect"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
)

var (
	beatModelOnce sync.Once
	beatModel     *model.Model
	beatModelErr  error
)

// realModel loads the shipped beat model (assets/models/beat.onnx) through
// ONNX Runtime once per test binary, or skips when the runtime is missing.
func realModel(t testing.TB) *model.Model {
	t.Helper()
	beatModelOnce.Do(func() {
		env, err := model.NewEnv(model.Options{Threads: 1})
		if err != nil {
			beatModelErr = err
			return
		}
		beatModel, beatModelErr = model.Load(filepath.Join("..", "..", "assets", "models", "beat.onnx"), env)
	})
	if beatModelErr != nil {
		t.Skipf("the beat model needs ONNX Runtime (set ONNXRUNTIME_LIB): %v", beatModelErr)
	}
	return beatModel
}

// modelRecord is a synthetic record opened in a session whose model layer
// is the real beat model's labels of the reference beats (as the pipeline
// would merge them), with the reference codes as the truth.
type modelRecord struct {
	sess  *annotate.Session
	sig   *annotate.MemSignal
	truth map[int64]annotate.Code
	feat  *Features
}

// openModelRecord generates cfg, classifies its beats with the real model,
// merges them into a fresh session and fills a Features cache.
func openModelRecord(t testing.TB, cfg synth.Config) *modelRecord {
	t.Helper()
	m := realModel(t)
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &modelRecord{sig: &annotate.MemSignal{Meta: info, Samples: samples}, truth: map[int64]annotate.Code{}}
	var peaks []int64
	for _, b := range ann.Beats {
		if b.Code.IsBeat() {
			peaks, r.truth[b.Sample] = append(peaks, b.Sample), b.Code
		}
	}
	out := modelLabels(t, m, r.sig, peaks)
	r.sess, err = annotate.Open(&annotate.MemRepository{}, "rec", annotate.Options{Reader: "ann"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := r.sess.MergeModel(annotate.ModelOutput{Beats: out}); err != nil {
		t.Fatal(err)
	}
	if r.feat, err = NewFeatures(m, r.sig); err != nil {
		t.Fatal(err)
	}
	if _, err := r.feat.Add(context.Background(), r.sess.Labels().Beats, nil); err != nil {
		t.Fatal(err)
	}
	return r
}

// modelLabels labels the beats at peaks with m, as the pipeline does.
func modelLabels(t testing.TB, m *model.Model, sig annotate.Signal, peaks []int64) []annotate.Beat {
	t.Helper()
	index := make([]int, len(peaks))
	for i := range index {
		index[i] = i
	}
	res, err := m.ClassifyBeats(sig, peaks, index)
	if err != nil {
		t.Fatal(err)
	}
	out := make([]annotate.Beat, len(peaks))
	for i, at := range peaks {
		k, prov := m.BeatLabel(res, i)
		out[i] = annotate.Beat{Sample: at, Code: k.Code(), Prov: prov}
	}
	return out
}

// run runs the adapter on the record and fails the test on an error.
func (r *modelRecord) run(t testing.TB, opt Options) Summary {
	t.Helper()
	sum, err := r.feat.Run(context.Background(), r.sess, opt)
	if err != nil {
		t.Fatal(err)
	}
	return sum
}

// tenMinutes is a 10-minute record with frequent V and S beats.
func tenMinutes(seed uint64) synth.Config {
	cfg := synth.Default()
	cfg.Duration, cfg.Seed = 10*time.Minute, seed
	cfg.PVC, cfg.PAC = synth.Ectopy{PerHour: 300}, synth.Ectopy{PerHour: 300}
	return cfg
}

// TestRunAdaptsAndSwitchesOff: with enough reader labels Run gives
// unreviewed beats adapted labels carrying the adapter's provenance and the
// population probabilities; switched off, every beat gets back its model
// label exactly, and reader labels stay as the reader left them.
func TestRunAdaptsAndSwitchesOff(t *testing.T) {
	r := openModelRecord(t, tenMinutes(3))
	before := r.sess.Labels().Beats
	var taught []int64
	for _, b := range before {
		if len(taught) < 30 && b.Sample%3 == 0 {
			taught = append(taught, b.Sample)
			if err := r.sess.Relabel([]int64{b.Sample}, r.truth[b.Sample], ""); err != nil {
				t.Fatal(err)
			}
		}
	}
	readers := r.sess.Labels().Beats
	sum := r.run(t, Options{})
	if sum.Learned != len(taught) || sum.Note != "" {
		t.Fatalf("learned %d of %d reader labels: %q", sum.Learned, len(taught), sum.Note)
	}
	adapted := 0
	for _, b := range r.sess.Labels().Beats {
		if b.Prov.Source != annotate.SourceAdapted {
			continue
		}
		adapted++
		if a, n, ok := annotate.ParseAdaptedWho(b.Prov.Who); !ok || a != Name || n != len(taught) {
			t.Errorf("adapted beat %d: who %q", b.Sample, b.Prov.Who)
		}
		if len(b.Prov.Probs) != len(r.feat.Classes()) || b.Prov.Confidence <= 0 || b.Review != annotate.Unreviewed {
			t.Errorf("adapted beat %d: %+v", b.Sample, b)
		}
	}
	if adapted != sum.Adapted || sum.Changed != adapted {
		t.Errorf("%d adapted beats, summary %+v", adapted, sum)
	}
	t.Logf("%s (%d adapted, %v)", sum, adapted, sum.Elapsed)
	off := r.run(t, Options{Off: true})
	if off.Restored != adapted {
		t.Errorf("switched off: %d restored, want %d", off.Restored, adapted)
	}
	if got := r.sess.Labels().Beats; !reflect.DeepEqual(got, readers) {
		t.Error("switched off, the labels differ from before the adapter ran")
	}
}

// TestFeaturesFollowNeighbours: a reader inserts a beat, and the beats
// before and after it get the model's figures for their new RR (what the
// model gives them with the inserted beat among the peaks), not the stale
// ones; deleting it again gives back the figures of before, bit for bit.
func TestFeaturesFollowNeighbours(t *testing.T) {
	r := openModelRecord(t, tenMinutes(4))
	before, err := r.feat.Input(r.sess.Labels().Beats)
	if err != nil {
		t.Fatal(err)
	}
	s := before.Beats
	at := (s[20].Sample + s[21].Sample) / 2
	if err := r.sess.Insert(at, annotate.Normal, ""); err != nil {
		t.Fatal(err)
	}
	beats := r.sess.Labels().Beats
	if n, err := r.feat.Add(context.Background(), beats, nil); err != nil || n != 3 {
		t.Fatalf("added %d beats (want the inserted one and its 2 neighbours): %v", n, err)
	}
	after, err := r.feat.Input(beats)
	if err != nil {
		t.Fatal(err)
	}
	var peaks []int64
	for _, b := range after.Beats {
		peaks = append(peaks, b.Sample)
	}
	want, err := r.feat.Model().ClassifyBeats(r.sig, peaks, []int{20, 21, 22}) // the batch Add ran
	if err != nil {
		t.Fatal(err)
	}
	k := len(before.Classes)
	for j, i := range []int{20, 22} { // the neighbours: 20 and, after the inserted 21, 22
		got, old := after.Probs[i*k:(i+1)*k], before.Probs[[]int{20, 21}[j]*k:([]int{20, 21}[j]+1)*k]
		if !reflect.DeepEqual(got, want.Row(2*j)) {
			t.Errorf("neighbour %d: probabilities %v, the model gives %v with the inserted beat", i, got, want.Row(2*j))
		}
		if reflect.DeepEqual(got, old) {
			t.Errorf("neighbour %d: probabilities unchanged by its new RR: %v", i, got)
		}
	}
	if err := r.sess.Undo(); err != nil {
		t.Fatal(err)
	}
	undone, err := r.feat.Input(r.sess.Labels().Beats)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(undone.Probs, before.Probs) || !reflect.DeepEqual(undone.Emb, before.Emb) {
		t.Error("after undoing the insert the figures differ from before it")
	}
}
