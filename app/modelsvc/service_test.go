package modelsvc

import (
	"errors"
	"path/filepath"
	"testing"

	"github.com/ecgstation/ecgstation/inference/model"
)

// missingLib is a configuration whose ONNX Runtime library does not exist.
func missingLib(t *testing.T) Config {
	return Config{Library: filepath.Join(t.TempDir(), "no-such-libonnxruntime.so"), Threads: 1}
}

// withRuntime is the default configuration, skipping the test when ONNX
// Runtime cannot be found.
func withRuntime(t *testing.T) Config {
	t.Helper()
	if _, err := model.FindLibrary(""); err != nil {
		t.Skipf("ONNX Runtime not available (run `make ort` or set %s): %v", model.LibraryEnv, err)
	}
	return Config{Threads: 1, BeatFrom: "--model", RhythmFrom: "--rhythm-model"}
}

// TestNoRuntime checks that every model request says ONNX Runtime is
// missing and where it was looked for, and that Close is idempotent.
func TestNoRuntime(t *testing.T) {
	cfg := missingLib(t)
	s := New(cfg)
	for name, get := range map[string]func() (*model.Model, error){
		"beat": s.Beat, "rhythm": s.Rhythm, "file": func() (*model.Model, error) { return s.Load("x.onnx") },
		"suggesters": func() (*model.Model, error) { b, _, err := s.Suggesters(); return b, err },
	} {
		m, err := get()
		if m != nil || !errors.Is(err, model.ErrRuntimeUnavailable) {
			t.Errorf("%s: got %v, %v; want ErrRuntimeUnavailable", name, m, err)
		}
	}
	var re *model.RuntimeError
	if _, err := s.Beat(); !errors.As(err, &re) || len(re.Tried) == 0 || re.Tried[0] != cfg.Library {
		t.Errorf("the error does not say where ONNX Runtime was looked for: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Errorf("second Close: %v", err)
	}
	if _, err := s.Beat(); !errors.Is(err, ErrClosed) {
		t.Errorf("Beat after Close = %v, want ErrClosed", err)
	}
}

// TestLoadsOnce checks that the built-in models load once and are shared,
// that a bad model file is refused with its name, and that Close closes
// the models handed out.
func TestLoadsOnce(t *testing.T) {
	s := New(withRuntime(t))
	b1, r1, off := s.Suggesters()
	if off != nil || b1 == nil || r1 == nil {
		t.Fatalf("Suggesters = %v, %v, %v; want both built-in models", b1, r1, off)
	}
	if b2, err := s.Beat(); err != nil || b2 != b1 {
		t.Errorf("second Beat = %p, %v; want the same model %p", b2, err, b1)
	}
	bad := filepath.Join(t.TempDir(), "bad.onnx")
	if _, err := s.Load(bad); err == nil {
		t.Errorf("Load(%s) = %v, want an error", bad, err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := b1.Run(&model.Batch{}); err == nil {
		t.Error("the beat model still runs after Close")
	}
}

// TestSharedReplaces checks that Shared hands out one Service per
// configuration and closes a replaced one when its last user releases it.
func TestSharedReplaces(t *testing.T) {
	var h Shared
	a := missingLib(t)
	s1, rel1 := h.Acquire(a)
	s2, rel2 := h.Acquire(a)
	if s1 != s2 {
		t.Fatal("two screens with one configuration got two services")
	}
	b := a
	b.Beat = "other.onnx"
	s3, rel3 := h.Acquire(b)
	if s3 == s1 {
		t.Fatal("a new configuration got the old service")
	}
	rel1()
	rel1() // a release is counted once
	if _, err := s1.Beat(); errors.Is(err, ErrClosed) {
		t.Fatal("the replaced service closed while a screen still used it")
	}
	rel2()
	if _, err := s1.Beat(); !errors.Is(err, ErrClosed) {
		t.Errorf("the replaced service is still open after its last release: %v", err)
	}
	rel3()
	if _, err := s3.Beat(); errors.Is(err, ErrClosed) {
		t.Error("the current service closed when its user released it")
	}
	if err := h.Close(); err != nil {
		t.Fatal(err)
	}
	if _, err := s3.Beat(); !errors.Is(err, ErrClosed) {
		t.Errorf("Shared.Close left the current service open: %v", err)
	}
	if s4, _ := h.Acquire(a); !errors.Is(func() error { _, err := s4.Beat(); return err }(), ErrClosed) {
		t.Error("Acquire after Close handed out an open service")
	}
}
