package adapt

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/inference/model"
)

// Window of the beat windows Features cuts, in seconds around the R peak
// (the template features' window), and the beats the beat model runs on at
// a time.
const (
	WindowBefore = 0.25
	WindowAfter  = 0.4
	classifyStep = 4096
)

// ErrMissing is wrapped when Features.Input meets a beat whose features
// were never added: call Features.Add with the record's beats first.
var ErrMissing = errors.New("adapt: beat without features")

// Features is one record's cache of what the adapter reads of each beat:
// the population beat model's class probabilities, its embedding and the
// beat window (lead 0, WindowBefore to WindowAfter seconds around the R
// peak, in ADC units), keyed by the beat's sample. The beat model runs once
// per beat (Add, in batches, in the background): after an edit the
// adapter only reads the cache. Run is the whole adapter step for a
// session: the window and the simulated reader both call it.
//
// A Features is safe for concurrent use. A beat's figures are the model's
// output for the beat with its neighbours of the time (the model's RR and
// template inputs), so the cache keys them by the beat and the beats
// before and after it: a beat whose neighbour a reader inserted or deleted
// is a new key, which Add computes with its new RR; undoing the edit gives
// back the old neighbours, so the old key and the old figures, bit for
// bit (the model's float32 output for a beat depends slightly on the batch
// it runs in, so computing them again would not). The adapter's own RR and
// template features are computed from the current beats at every Run.
type Features struct {
	m       *model.Model
	sig     annotate.Signal
	fs      float64
	classes []annotate.Class
	pre     int // window samples before the R peak
	post    int // window samples from the R peak on

	mu     sync.Mutex
	row    map[beatKey]int // beat and its neighbours -> row of the tables
	latest map[int64]int   // beat sample -> its row last added (Embedding)
	rows   int
	probs  []float32 // rows × len(classes)
	emb    []float32 // rows × embDim
	embDim int
	win    []float32 // rows × (pre+post)
}

// beatKey is a beat with the beats before and after it (-1 at the ends):
// what the beat model's output for it depends on most.
type beatKey struct{ at, prev, next int64 }

// keysOf returns the keys of the beats of beats (non-beat annotations are
// skipped) and their R peaks.
func keysOf(beats []annotate.Beat) ([]beatKey, []int64) {
	var peaks []int64
	for _, b := range beats {
		if b.Code.IsBeat() {
			peaks = append(peaks, b.Sample)
		}
	}
	keys := make([]beatKey, len(peaks))
	for i, at := range peaks {
		keys[i] = beatKey{at: at, prev: -1, next: -1}
		if i > 0 {
			keys[i].prev = peaks[i-1]
		}
		if i+1 < len(peaks) {
			keys[i].next = peaks[i+1]
		}
	}
	return keys, peaks
}

// NewFeatures returns an empty cache for the record sig, whose beats m (a
// beat model) classifies.
func NewFeatures(m *model.Model, sig annotate.Signal) (*Features, error) {
	if m == nil {
		return nil, errors.New("adapt: features need a beat model")
	}
	if md := m.Meta(); md.Task != model.TaskBeat {
		return nil, fmt.Errorf("adapt: %s is a %s model, the adapter needs a beat model", md.ID(), md.Task)
	}
	info := sig.Info()
	if info.Fs <= 0 || len(info.Leads) == 0 {
		return nil, fmt.Errorf("adapt: record %q: %g Hz, %d leads: no signal to cut beats from", info.Name, info.Fs, len(info.Leads))
	}
	f := &Features{m: m, sig: sig, fs: info.Fs, row: map[beatKey]int{}, latest: map[int64]int{},
		pre: int(WindowBefore * info.Fs), post: max(1, int(WindowAfter*info.Fs)), embDim: m.EmbeddingDim()}
	for k := range m.Meta().Classes {
		f.classes = append(f.classes, m.Class(k))
	}
	return f, nil
}

// Model returns the population beat model the cache runs.
func (f *Features) Model() *model.Model { return f.m }

// Classes returns the population model's classes, in its order: the
// columns of Input.Probs and of an adapted label's Provenance.Probs.
func (f *Features) Classes() []annotate.Class { return slices.Clone(f.classes) }

// Len returns the number of beats (with their neighbours) in the cache.
func (f *Features) Len() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	return len(f.row)
}

// Add computes the features of the beats of beats not in the cache yet
// with their present neighbours (non-beat annotations are skipped). beats
// are the record's beats sorted by Sample, all of them: they give the beat
// model its RR context. It runs the model classifyStep beats at a time,
// calls progress (when not nil) after each batch with the beats done and
// to do, stops when ctx is done, and returns the number of beats added.
func (f *Features) Add(ctx context.Context, beats []annotate.Beat, progress func(done, total int)) (int, error) {
	keys, peaks, todo := f.missing(beats)
	for lo := 0; lo < len(todo); lo += classifyStep {
		if err := ctx.Err(); err != nil {
			return lo, err
		}
		if err := f.addBatch(keys, peaks, todo[lo:min(lo+classifyStep, len(todo))]); err != nil {
			return lo, err
		}
		if progress != nil {
			progress(min(lo+classifyStep, len(todo)), len(todo))
		}
	}
	return len(todo), nil
}

// missing returns the keys and R peaks of beats (beats only) and the
// indices among them of the beats without features.
func (f *Features) missing(beats []annotate.Beat) (keys []beatKey, peaks []int64, todo []int) {
	keys, peaks = keysOf(beats)
	f.mu.Lock()
	defer f.mu.Unlock()
	for i, k := range keys {
		if _, ok := f.row[k]; !ok {
			todo = append(todo, i)
		}
	}
	return keys, peaks, todo
}

// addBatch classifies the beats peaks[i], i in index, cuts their windows
// and stores both under keys[i].
func (f *Features) addBatch(keys []beatKey, peaks []int64, index []int) error {
	res, err := f.m.ClassifyBeats(f.sig, peaks, index)
	if err != nil {
		return fmt.Errorf("adapt: features of %d beats from sample %d: %w", len(index), peaks[index[0]], err)
	}
	beats := make([]annotate.Beat, len(index))
	for j, i := range index {
		beats[j].Sample = peaks[i]
	}
	win, err := CutWindows(f.sig, 0, beats, f.pre, f.post)
	if err != nil {
		return err
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if res.EmbDim != f.embDim {
		f.embDim = res.EmbDim // a model that reports no dimension before its first run
	}
	for j, i := range index {
		if _, ok := f.row[keys[i]]; ok {
			continue // added meanwhile by another Add
		}
		f.row[keys[i]], f.latest[keys[i].at] = f.rows, f.rows
		f.rows++
		f.probs = append(f.probs, res.Row(j)...)
		f.emb = append(f.emb, res.Embedding(j)...)
		f.win = append(f.win, win[j*(f.pre+f.post):(j+1)*(f.pre+f.post)]...)
	}
	return nil
}

// Forget drops the beats at samples from the cache, with any neighbours
// (their rows stay, no longer reachable), so the next Add computes them
// again.
func (f *Features) Forget(samples []int64) {
	f.mu.Lock()
	defer f.mu.Unlock()
	drop := map[int64]bool{}
	for _, s := range samples {
		drop[s] = true
		delete(f.latest, s)
	}
	for k := range f.row {
		if drop[k.at] {
			delete(f.row, k)
		}
	}
}

// Embedding returns a copy of the beat model's embedding of the beat at
// sample, when the cache holds it (the templates screen reads it).
func (f *Features) Embedding(sample int64) ([]float32, bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	r, ok := f.latest[sample]
	if !ok || f.embDim == 0 {
		return nil, false
	}
	return slices.Clone(f.emb[r*f.embDim : (r+1)*f.embDim]), true
}

// Input returns the adapter's input for beats (sorted by Sample; non-beat
// annotations are left out): the beats as given, with the cached
// probabilities, embeddings and windows. A beat not in the cache gives an
// error wrapping ErrMissing.
func (f *Features) Input(beats []annotate.Beat) (Input, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	k, wl := len(f.classes), f.pre+f.post
	in := Input{Fs: f.fs, Classes: slices.Clone(f.classes), EmbDim: f.embDim, WinLen: wl}
	keys, _ := keysOf(beats)
	j := 0
	for _, b := range beats {
		if !b.Code.IsBeat() {
			continue
		}
		r, ok := f.row[keys[j]]
		j++
		if !ok {
			return Input{}, fmt.Errorf("%w at sample %d", ErrMissing, b.Sample)
		}
		in.Beats = append(in.Beats, b)
		in.Probs = append(in.Probs, f.probs[r*k:(r+1)*k]...)
		in.Emb = append(in.Emb, f.emb[r*f.embDim:(r+1)*f.embDim]...)
		in.Windows = append(in.Windows, f.win[r*wl:(r+1)*wl]...)
	}
	if !slices.IsSortedFunc(in.Beats, func(a, b annotate.Beat) int { return cmp.Compare(a.Sample, b.Sample) }) {
		return Input{}, errors.New("adapt: beats not sorted by sample")
	}
	return in, nil
}
