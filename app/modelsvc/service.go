// Package modelsvc is the model service of ECG Station: the one place that
// finds ONNX Runtime, loads the beat and rhythm models a configuration
// names (the built-in models when it names none) once, says why model
// suggestions are off when it cannot, and closes them. Every command and
// every screen of the app gets its models here.
//
// A Service serves one configuration. A command makes one from its flags
// and closes it when it returns; a window's screens share one through
// Shared, which replaces it when the preferences name other models.
package modelsvc

import (
	"errors"
	"fmt"
	"os"
	"sync"

	"github.com/ecgstation/ecgstation/annotate"
	"github.com/ecgstation/ecgstation/assets"
	"github.com/ecgstation/ecgstation/inference/model"
	"github.com/ecgstation/ecgstation/store/private"
)

// ErrClosed is returned for models asked of a closed Service.
var ErrClosed = errors.New("modelsvc: the model service was closed")

// Config says which ONNX Runtime and which models to load.
type Config struct {
	// Library is the ONNX Runtime shared library; "" searches for it as
	// model.FindLibrary does ($ONNXRUNTIME_LIB, then lib/).
	Library string
	// Threads is the intra-op threads per model session; 0 means
	// model.DefaultThreads().
	Threads int
	// Beat and Rhythm are model files; "" means the built-in model.
	Beat, Rhythm string
	// BeatFrom and RhythmFrom say where a user names the models (a flag,
	// a preference), for the messages that a model could not be loaded.
	BeatFrom, RhythmFrom string
}

// Service loads ONNX Runtime and models once, on first use, and keeps
// them (and why they failed) until Close. It is safe for concurrent use.
type Service struct {
	cfg Config

	mu     sync.Mutex
	env    *model.Env
	envErr error
	models map[string]loaded // by role ("beat", "rhythm") or file path
	closed bool
}

// loaded is a model, or why it could not be loaded.
type loaded struct {
	m   *model.Model
	err error
}

// Keys of the configured models in Service.models (file paths never end
// in a colon).
const (
	keyBeat   = "beat:"
	keyRhythm = "rhythm:"
)

// New returns a Service for cfg. Nothing is loaded until a model is asked for.
func New(cfg Config) *Service {
	return &Service{cfg: cfg, models: map[string]loaded{}}
}

// Beat returns the configured beat model.
func (s *Service) Beat() (*model.Model, error) {
	return s.get(keyBeat, s.cfg.Beat, assets.BeatModel, assets.BeatModelName, s.cfg.BeatFrom)
}

// Rhythm returns the configured rhythm model.
func (s *Service) Rhythm() (*model.Model, error) {
	return s.get(keyRhythm, s.cfg.Rhythm, assets.RhythmModel, assets.RhythmModelName, s.cfg.RhythmFrom)
}

// Load returns the model in the file path (another model to compare with,
// say), loaded once in the same ONNX Runtime environment.
func (s *Service) Load(path string) (*model.Model, error) {
	return s.get(path, path, nil, path, "")
}

// Suggesters returns the models that suggest labels: the beat and the
// rhythm model, as many as load. off is nil when both load, else why the
// others are off (the beat model first: without it the rhythm model is not
// used either, and labels come from the detector and the rhythm rules).
// errors.Is(off, model.ErrRuntimeUnavailable) when ONNX Runtime is missing.
func (s *Service) Suggesters() (beat, rhythm *model.Model, off error) {
	beat, err := s.Beat()
	if err != nil {
		return nil, nil, err
	}
	rhythm, err = s.Rhythm()
	return beat, rhythm, err
}

// get returns the model under key, loading it the first time: from path,
// or from the built-in data when path is empty.
func (s *Service) get(key, path string, data []byte, name, from string) (*model.Model, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil, ErrClosed
	}
	if l, ok := s.models[key]; ok {
		return l.m, l.err
	}
	env, err := s.envLocked()
	if err != nil {
		return nil, err
	}
	var l loaded
	l.m, l.err = loadModel(env, path, data, name, from)
	s.models[key] = l
	return l.m, l.err
}

// Runtime describes the ONNX Runtime in use: its version, the library's
// path and how it was found (model.FromOption, FromEnv, ...); err says why
// there is none. It loads the runtime if no model has yet.
func (s *Service) Runtime() (version, lib, from string, err error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return "", "", "", ErrClosed
	}
	env, err := s.envLocked()
	if err != nil {
		return "", "", "", err
	}
	return env.Version(), env.Library(), env.LibrarySource(), nil
}

// envLocked loads ONNX Runtime the first time; s.mu is held.
func (s *Service) envLocked() (*model.Env, error) {
	if s.env == nil && s.envErr == nil {
		s.env, s.envErr = model.NewEnv(model.Options{Library: s.cfg.Library, Threads: s.cfg.Threads})
	}
	return s.env, s.envErr
}

// Close closes every model and releases ONNX Runtime. Models handed out
// fail from then on; Close is idempotent.
func (s *Service) Close() error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return nil
	}
	s.closed = true
	s.models = nil
	if s.env == nil {
		return nil
	}
	return s.env.Close() // closes the models loaded in it
}

// loadModel loads the model file path, or the built-in model data when
// path is empty (written to a temporary file, which ONNX Runtime loads
// from). name names the model and from where a user names another one.
func loadModel(env *model.Env, path string, data []byte, name, from string) (*model.Model, error) {
	if path != "" {
		return model.Load(path, env)
	}
	if len(data) == 0 {
		return nil, fmt.Errorf("this build has no built-in %s: name a model file with %s", name, from)
	}
	f, err := private.CreateTemp("", "ecgstation-*-"+name)
	if err != nil {
		return nil, fmt.Errorf("write the built-in %s: %w", name, err)
	}
	defer os.Remove(f.Name())
	_, err = f.Write(data)
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		return nil, fmt.Errorf("write the built-in %s: %w", name, err)
	}
	m, err := model.Load(f.Name(), env)
	if err != nil {
		return nil, fmt.Errorf("built-in %s: %w", name, err)
	}
	return m, nil
}

// Classes returns the AAMI class of each of m's outputs, in output order.
func Classes(m *model.Model) []annotate.Class {
	out := make([]annotate.Class, len(m.Meta().Classes))
	for k := range out {
		out[k] = m.Class(k)
	}
	return out
}
