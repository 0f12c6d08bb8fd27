package pipeline

import (
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate/synth"
	"github.com/ecgstation/ecgstation/inference/model"
)

// The small test models (testdata/models/make_models.py): untrained, so
// their labels are arbitrary but valid.
var modelDir = filepath.Join("..", "..", "testdata", "models")

var shared struct {
	once sync.Once
	env  *model.Env
	err  error
}

// testEnv returns the process's ONNX Runtime, or skips the test.
func testEnv(t testing.TB) *model.Env {
	t.Helper()
	shared.once.Do(func() { shared.env, shared.err = model.NewEnv(model.Options{Threads: 1}) })
	if shared.err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, shared.err)
	}
	return shared.env
}

func TestMain(m *testing.M) {
	code := m.Run()
	if shared.env != nil {
		if err := shared.env.Close(); err != nil {
			fmt.Fprintln(os.Stderr, "close:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// loadModel loads a test model, or skips without ONNX Runtime.
func loadModel(t testing.TB, name string) *model.Model {
	t.Helper()
	m, err := model.Load(filepath.Join(modelDir, name), testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// record is a synthetic record in memory with its reference labels.
type record struct {
	sig *view
	ann synth.Annotations
}

var records sync.Map // synth seed+duration -> *record

// synthRecord returns the demo configuration's record of the given length
// (AF, flutter, VT, bigeminy, pauses, ectopic beats, noise), made once.
func synthRecord(t testing.TB, d time.Duration) *record {
	t.Helper()
	if r, ok := records.Load(d); ok {
		return r.(*record)
	}
	cfg := synth.Demo()
	cfg.Duration = d
	cfg.Events = slices.DeleteFunc(cfg.Events, func(e synth.Event) bool { return e.At+e.Length >= d })
	info, samples, ann, err := synth.Record(cfg)
	if err != nil {
		t.Fatal(err)
	}
	r := &record{sig: newView(info, samples, 0), ann: ann}
	records.Store(d, r)
	return r
}

// collect gathers what a run hands out.
type collect struct {
	mu       sync.Mutex
	chunks   []Chunk
	progress []Progress
}

func (c *collect) chunk(ch Chunk) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.chunks = append(c.chunks, ch)
}

func (c *collect) prog(p Progress) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.progress = append(c.progress, p)
}
