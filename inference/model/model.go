package model

import (
	"errors"
	"fmt"
	"os"
	"sync"

	ort "github.com/yalue/onnxruntime_go"

	"github.com/ecgstation/ecgstation/annotate"
)

// ErrMismatch is wrapped when a model's graph does not fit its metadata
// (input or output names, shapes or element types).
var ErrMismatch = errors.New("model graph does not fit its metadata")

// DefaultBatch is the most rows sent to ONNX Runtime in one run when the
// model's batch dimension is dynamic.
const DefaultBatch = 1024

// Model is a loaded model with an ONNX Runtime session. It is safe for
// concurrent use.
type Model struct {
	path   string
	meta   *Meta
	env    *Env
	batch  int // rows per run: the graph's fixed batch size, or DefaultBatch
	fixed  bool
	embDim int // embedding length, 0 without an embedding output
	// id is meta.ID(), made once: every beat's provenance shares it
	// instead of holding a string of its own (1.4 million at 14 days).
	id      string
	inputs  []Port
	outputs []Port // scores first, then the embedding if any

	mu   sync.RWMutex
	sess *ort.DynamicAdvancedSession // nil once closed

	cutters sync.Map  // record rate (float64) -> *beatwin.Cutter to the model's rate
	bufs    sync.Pool // *windowBufs kept between PrepareBeats calls
}

// Load reads the ONNX model at path, checks it against the contract and
// opens a session for it in env. Every error names the file and says what
// does not fit: errors.Is finds ErrNotONNX, ErrMetadata, ErrMismatch,
// ErrBadOutput (the model fails its self-test on a flat input) or
// ErrRuntimeUnavailable.
func Load(path string, env *Env) (*Model, error) {
	m, err := load(path, env)
	if err != nil {
		return nil, fmt.Errorf("model: load %s: %w", path, err)
	}
	return m, nil
}

func load(path string, env *Env) (*Model, error) {
	if env == nil {
		return nil, &RuntimeError{Err: errors.New("no ONNX Runtime environment was given")}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	if err := CheckONNX(data); err != nil {
		return nil, err
	}
	meta, err := readMeta(data)
	if err != nil {
		return nil, err
	}
	m := &Model{path: path, meta: meta, env: env, id: meta.ID()}
	if err := m.checkGraph(data); err != nil {
		return nil, err
	}
	if err := m.open(data); err != nil {
		return nil, err
	}
	if err := m.selfTest(); err != nil {
		m.Close()
		return nil, err
	}
	return m, nil
}

// readMeta reads the metadata_props through ONNX Runtime and parses them.
func readMeta(data []byte) (*Meta, error) {
	md, err := ort.GetModelMetadataWithONNXData(data)
	if err != nil {
		return nil, fmt.Errorf("ONNX Runtime cannot read the model: %w", err)
	}
	defer md.Destroy()
	keys, err := md.GetCustomMetadataMapKeys()
	if err != nil {
		return nil, fmt.Errorf("read metadata: %w", err)
	}
	props := make(map[string]string, len(keys))
	for _, k := range keys {
		if props[k], _, err = md.LookupCustomMetadataMap(k); err != nil {
			return nil, fmt.Errorf("read metadata %s: %w", k, err)
		}
	}
	return ParseMeta(props)
}

// open creates the session with the env's thread settings.
func (m *Model) open(data []byte) error {
	opts, err := ort.NewSessionOptions()
	if err != nil {
		return fmt.Errorf("session options: %w", err)
	}
	defer opts.Destroy()
	if err := opts.SetIntraOpNumThreads(m.env.threads); err != nil {
		return fmt.Errorf("set intra-op threads: %w", err)
	}
	if err := opts.SetInterOpNumThreads(1); err != nil {
		return fmt.Errorf("set inter-op threads: %w", err)
	}
	spin := map[bool]string{true: "1", false: "0"}[m.env.spin]
	if err := opts.AddSessionConfigEntry("session.intra_op.allow_spinning", spin); err != nil {
		return fmt.Errorf("set spinning: %w", err)
	}
	sess, err := ort.NewDynamicAdvancedSessionWithONNXData(data, portNames(m.inputs), portNames(m.outputs), opts)
	if err != nil {
		return fmt.Errorf("create session: %w", err)
	}
	m.sess = sess
	if err := m.env.track(m); err != nil {
		sess.Destroy()
		m.sess = nil
		return err
	}
	return nil
}

func portNames(ps []Port) []string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.Name
	}
	return s
}

// Meta returns the model's contract. The caller must not change it.
func (m *Model) Meta() *Meta { return m.meta }

// Path returns the file the model was loaded from.
func (m *Model) Path() string { return m.path }

// BatchSize returns the rows per ONNX Runtime run.
func (m *Model) BatchSize() int { return m.batch }

// FixedBatch reports whether the graph fixes its batch size (BatchSize):
// every run then takes that many rows, a short one padded with zeros.
func (m *Model) FixedBatch() bool { return m.fixed }

// EmbeddingDim returns the length of the embedding output, 0 without one.
func (m *Model) EmbeddingDim() int { return m.embDim }

// Class returns the AAMI class of a beat model's output column k, or
// annotate.ClassNone for a rhythm model.
func (m *Model) Class(k int) annotate.Class {
	if m.meta.Task != TaskBeat || k < 0 || k >= len(m.meta.Classes) {
		return annotate.ClassNone
	}
	c, _ := annotate.ParseClass(m.meta.Classes[k])
	return c
}

// BeatLabel returns the class a beat model gives row i of res and the
// provenance to store with it: this model's ID, the class's probability
// and a copy of the row's probabilities in the model's class order.
func (m *Model) BeatLabel(res *Result, i int) (annotate.Class, annotate.Provenance) {
	k, p := res.Best(i)
	return m.Class(k), annotate.Provenance{
		Source:     annotate.SourceModel,
		Who:        m.who(),
		Confidence: p,
		Probs:      append([]float32(nil), res.Row(i)...),
	}
}

// Who returns the model's ID as every label it gives carries it
// (annotate.Provenance.Who).
func (m *Model) Who() string { return m.who() }

// who returns the model's ID, shared by every label it gives.
func (m *Model) who() string {
	if m.id == "" {
		return m.meta.ID()
	}
	return m.id
}

// Close destroys the session. Close is idempotent; Env.Close also closes
// every model still open.
func (m *Model) Close() error {
	m.env.untrack(m)
	return m.close()
}

func (m *Model) close() error {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.sess == nil {
		return nil
	}
	err := m.sess.Destroy()
	m.sess = nil
	if err != nil {
		return fmt.Errorf("model: close %s: %w", m.path, err)
	}
	return nil
}
