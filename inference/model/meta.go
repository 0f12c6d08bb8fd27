package model

import (
	"errors"
	"fmt"
	"math"
	"sort"
	"strconv"
	"strings"

	"github.com/ecgstation/ecgstation/annotate"
)

// The metadata keys of the contract (ONNX metadata_props).
const (
	KeyTask       = "ecgstation.task"
	KeyFs         = "ecgstation.fs"
	KeyWindow     = "ecgstation.window"
	KeyLeads      = "ecgstation.leads"
	KeyClasses    = "ecgstation.classes"
	KeyInputs     = "ecgstation.inputs"
	KeyOutputs    = "ecgstation.outputs"
	KeyNormalize  = "ecgstation.normalize"
	KeyRRFeatures = "ecgstation.rr_features"
	KeyVersion    = "ecgstation.version"
	KeyName       = "ecgstation.name"
	// KeyTemplateBeats is k of a template input: the median of the windows
	// of the k beats on each side of a beat and the beat itself.
	KeyTemplateBeats = "ecgstation.template_beats"
	// KeyBeatWindow is "before,after" of a rhythm model's waveform input:
	// the samples at fs before each R peak and from it on (a beat model
	// gives them in KeyWindow).
	KeyBeatWindow = "ecgstation.beat_window"
	// KeyContext is k of a quality model: it reads the windows of beats
	// i-k ... i+k to judge beat i.
	KeyContext = "ecgstation.context"
	// TrainPrefix starts the free-form training provenance keys, such as
	// "ecgstation.train.options" and "ecgstation.train.data".
	TrainPrefix = "ecgstation.train."
)

// RequiredKeys lists the keys every model must carry.
var RequiredKeys = []string{KeyTask, KeyFs, KeyWindow, KeyLeads, KeyClasses,
	KeyInputs, KeyOutputs, KeyNormalize, KeyVersion}

var optionalKeys = []string{KeyRRFeatures, KeyName, KeyTemplateBeats, KeyBeatWindow, KeyContext}

// Limits on metadata values; beyond them a value is refused as malformed.
const (
	MaxFs      = 20000 // Hz
	MaxWindow  = 1 << 16
	MaxLeads   = 16
	MaxClasses = 256
	// MaxTemplateBeats caps ecgstation.template_beats.
	MaxTemplateBeats = 64
	// MaxContext caps ecgstation.context.
	MaxContext = 16
	// MaxRhythmWave caps the waveform values of one rhythm segment
	// (window × leads × (before+after)): a float32 row of 16 MB at most.
	MaxRhythmWave = 1 << 22
)

// Task is what a model does.
type Task string

// The tasks.
const (
	TaskBeat   Task = "beat"   // one output row per beat
	TaskRhythm Task = "rhythm" // one output row per segment of consecutive beats
	// TaskQuality: one output row per beat, whether its window holds a
	// heartbeat or noise (classes OK and NOISE), from the windows of the
	// beat and of Context beats on each side.
	TaskQuality Task = "quality"
)

// Normalize says how waveform samples are scaled before they reach the model.
type Normalize string

// The normalisations.
const (
	NormZScore Normalize = "zscore" // mV, then per lead per window: (x-mean)/std
	NormMV     Normalize = "mv"     // physical units (mV) as they are
	NormNone   Normalize = "none"   // raw ADC units, as stored in the record
)

// Meaning is what an input or output tensor holds.
type Meaning string

// The meanings of inputs and outputs.
const (
	Waveform      Meaning = "waveform"      // input [batch, leads, samples]; rhythm and quality: [batch, beats, leads, samples]
	RRFeatures    Meaning = "rr_features"   // input [batch, features] or [batch, beats, features]
	Template      Meaning = "template"      // input [batch, leads, samples]: median of nearby beats' windows
	Probabilities Meaning = "probabilities" // output [batch, classes], rows sum to 1
	Logits        Meaning = "logits"        // output [batch, classes]; the app applies softmax
	Embedding     Meaning = "embedding"     // output [batch, dims]
)

// Port is one named input or output of a model and what it means.
type Port struct {
	Name    string
	Meaning Meaning
}

// Meta is the parsed contract of a model.
type Meta struct {
	Task       Task
	Fs         float64  // Hz the model expects
	Before     int      // samples before the R peak, at Fs: a beat's window, or a rhythm model's beat_window (0 without a waveform)
	After      int      // samples from the R peak on (R is at index Before)
	Segment    int      // rhythm: beats per segment
	Leads      int      // number of leads fed to the model
	LeadNames  []string // names to pick leads by; nil means the first Leads leads
	Classes    []string // output classes in output order
	Inputs     []Port   // every graph input, in the metadata's order
	Outputs    []Port   // the outputs the app reads
	Normalize  Normalize
	RRFeatures []string // names of the RR features, in input order
	// TemplateBeats is k of a template input (0 without one): the median of
	// the normalised windows of beats i-k ... i+k.
	TemplateBeats int
	// Context is k of a quality model (0 otherwise): its waveform input
	// holds the windows of beats i-k ... i+k for beat i.
	Context int
	Version string
	Name    string            // "" when the metadata has none
	Train   map[string]string // training provenance, keys without TrainPrefix
}

// WindowLen returns the number of waveform samples per beat (Before+After).
func (m *Meta) WindowLen() int { return m.Before + m.After }

// Input returns the input with the given meaning.
func (m *Meta) Input(k Meaning) (Port, bool) { return findPort(m.Inputs, k) }

// Output returns the output with the given meaning.
func (m *Meta) Output(k Meaning) (Port, bool) { return findPort(m.Outputs, k) }

// Scores returns the probabilities or logits output.
func (m *Meta) Scores() Port {
	if p, ok := m.Output(Probabilities); ok {
		return p
	}
	p, _ := m.Output(Logits)
	return p
}

// ID returns "name@version", the model's identity in label provenance.
func (m *Meta) ID() string {
	n := m.Name
	if n == "" {
		n = string(m.Task)
	}
	return n + "@" + m.Version
}

func findPort(ps []Port, k Meaning) (Port, bool) {
	for _, p := range ps {
		if p.Meaning == k {
			return p, true
		}
	}
	return Port{}, false
}

// ErrMetadata is wrapped by every metadata error; ErrMissingKey,
// ErrBadValue and ErrUnknownKey say which kind it is.
var (
	ErrMetadata   = errors.New("model metadata does not fit the contract")
	ErrMissingKey = errors.New("missing key")
	ErrBadValue   = errors.New("malformed value")
	ErrUnknownKey = errors.New("unknown key")
)

// MetaError is a problem with one metadata key.
type MetaError struct {
	Key   string
	Value string // the value as found ("" when missing)
	Err   error  // ErrMissingKey, ErrBadValue or ErrUnknownKey
	Msg   string // what is wrong, for a person
}

func (e *MetaError) Error() string {
	switch e.Err {
	case ErrMissingKey:
		return fmt.Sprintf("metadata key %s is missing: %s", e.Key, e.Msg)
	case ErrUnknownKey:
		return fmt.Sprintf("metadata key %s is unknown (%s)", e.Key, e.Msg)
	}
	v := e.Value
	if len(v) > 80 {
		v = v[:80] + "..."
	}
	return fmt.Sprintf("metadata %s=%q: %s", e.Key, v, e.Msg)
}

// Unwrap lets errors.Is find both ErrMetadata and the kind of problem.
func (e *MetaError) Unwrap() []error { return []error{ErrMetadata, e.Err} }

func bad(key, val, format string, a ...any) *MetaError {
	return &MetaError{Key: key, Value: val, Err: ErrBadValue, Msg: fmt.Sprintf(format, a...)}
}

// ParseMeta reads the contract from a model's metadata_props. Keys that do
// not start with "ecgstation." are ignored; unknown "ecgstation." keys are
// refused, so a misspelt key is caught rather than silently defaulted.
func ParseMeta(props map[string]string) (*Meta, error) {
	if err := checkKeys(props); err != nil {
		return nil, err
	}
	m := &Meta{Version: strings.TrimSpace(props[KeyVersion]),
		Name: strings.TrimSpace(props[KeyName]), Train: map[string]string{}}
	for _, step := range []func(*Meta, map[string]string) error{
		parseTask, parseFs, parseWindow, parseLeads, parseClasses,
		parseNormalize, parseRRNames, parseTemplate, parseContext, parseInputs, parseBeatWindow, parseOutputs,
	} {
		if err := step(m, props); err != nil {
			return nil, err
		}
	}
	for k, v := range props {
		if strings.HasPrefix(k, TrainPrefix) {
			m.Train[strings.TrimPrefix(k, TrainPrefix)] = v
		}
	}
	return m, nil
}

// checkKeys refuses missing required keys and unknown ecgstation keys.
func checkKeys(props map[string]string) error {
	if !hasContractKey(props) {
		return &MetaError{Key: "ecgstation.*", Err: ErrMissingKey,
			Msg: "the model carries no ECG Station metadata at all; add it after torch.onnx.export with training/contract.py's write_metadata (docs/model-contract.md)"}
	}
	for _, k := range RequiredKeys {
		if _, ok := props[k]; !ok {
			return &MetaError{Key: k, Err: ErrMissingKey, Msg: "docs/model-contract.md lists the keys a model must carry"}
		}
	}
	if strings.TrimSpace(props[KeyVersion]) == "" {
		return bad(KeyVersion, props[KeyVersion], "version must not be empty")
	}
	known := append(append([]string{}, RequiredKeys...), optionalKeys...)
	var unknown []string
	for k := range props {
		if strings.HasPrefix(k, "ecgstation.") && !strings.HasPrefix(k, TrainPrefix) && !contains(known, k) {
			unknown = append(unknown, k)
		}
	}
	if len(unknown) > 0 {
		sort.Strings(unknown)
		return &MetaError{Key: unknown[0], Value: props[unknown[0]], Err: ErrUnknownKey,
			Msg: "known keys: " + strings.Join(known, ", ") + ", " + TrainPrefix + "*"}
	}
	return nil
}

func hasContractKey(props map[string]string) bool {
	for k := range props {
		if strings.HasPrefix(k, "ecgstation.") {
			return true
		}
	}
	return false
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseTask(m *Meta, p map[string]string) error {
	v := strings.TrimSpace(p[KeyTask])
	if v != string(TaskBeat) && v != string(TaskRhythm) && v != string(TaskQuality) {
		return bad(KeyTask, p[KeyTask], `task must be "beat", "rhythm" or "quality"`)
	}
	m.Task = Task(v)
	return nil
}

func parseFs(m *Meta, p map[string]string) error {
	fs, err := strconv.ParseFloat(strings.TrimSpace(p[KeyFs]), 64)
	if err != nil || math.IsNaN(fs) || fs <= 0 || fs > MaxFs {
		return bad(KeyFs, p[KeyFs], "fs must be a sampling frequency in Hz, above 0 and at most %d", MaxFs)
	}
	m.Fs = fs
	return nil
}

func parseWindow(m *Meta, p map[string]string) error {
	v := p[KeyWindow]
	if m.Task == TaskRhythm {
		n, err := atoi(v)
		if err != nil || n < 2 || n > MaxWindow {
			return bad(KeyWindow, v, "a rhythm window is the number of beats per segment, 2 to %d", MaxWindow)
		}
		m.Segment = n
		return nil
	}
	b, a, ok := parsePair(v)
	if !ok {
		return bad(KeyWindow, v, `a beat window is "before,after": samples before the R peak and from it on, e.g. "90,166"`)
	}
	m.Before, m.After = b, a
	return nil
}

// parsePair reads a beat window "before,after": before 0 or more, after 1
// or more, before+after at most MaxWindow.
func parsePair(v string) (before, after int, ok bool) {
	parts := strings.Split(v, ",")
	if len(parts) != 2 {
		return 0, 0, false
	}
	b, e1 := atoi(parts[0])
	a, e2 := atoi(parts[1])
	if e1 != nil || e2 != nil || b < 0 || a < 1 || b > MaxWindow || a > MaxWindow-b {
		return 0, 0, false
	}
	return b, a, true
}

// parseBeatWindow reads KeyBeatWindow, which a rhythm model with a
// waveform input must carry and every other model must not (a beat model
// gives its window in KeyWindow). It runs after parseInputs.
func parseBeatWindow(m *Meta, p map[string]string) error {
	v, ok := p[KeyBeatWindow]
	_, wave := m.Input(Waveform)
	switch {
	case m.Task != TaskRhythm && ok:
		return bad(KeyBeatWindow, v, "a %s model gives its window in %s; remove %s", m.Task, KeyWindow, KeyBeatWindow)
	case !wave && ok:
		return bad(KeyBeatWindow, v, "no input has meaning waveform; remove %s, or add the waveform input it describes", KeyBeatWindow)
	case m.Task != TaskRhythm || !wave:
		return nil
	case !ok:
		return &MetaError{Key: KeyBeatWindow, Err: ErrMissingKey,
			Msg: `a rhythm model with a waveform input needs it: "before,after", the samples at ecgstation.fs before each R peak and from it on, e.g. "72,36"`}
	}
	b, a, good := parsePair(v)
	if !good {
		return bad(KeyBeatWindow, v, `a rhythm model's beat window is "before,after": samples at ecgstation.fs before each R peak and from it on, e.g. "72,36"`)
	}
	if n := m.Segment * m.Leads * (b + a); n > MaxRhythmWave {
		return bad(KeyBeatWindow, v, "a segment's waveform would hold %d values (window %d beats × %d leads × %d samples), at most %d: use a shorter beat window", n, m.Segment, m.Leads, b+a, MaxRhythmWave)
	}
	m.Before, m.After = b, a
	return nil
}

func atoi(s string) (int, error) { return strconv.Atoi(strings.TrimSpace(s)) }

func parseLeads(m *Meta, p map[string]string) error {
	v := p[KeyLeads]
	if n, err := atoi(v); err == nil {
		if n < 1 || n > MaxLeads {
			return bad(KeyLeads, v, "lead count must be 1 to %d", MaxLeads)
		}
		m.Leads = n
		return nil
	}
	names, err := splitList(v, MaxLeads)
	if err != "" {
		return bad(KeyLeads, v, "leads must be a count or lead names separated by commas: %s", err)
	}
	m.Leads, m.LeadNames = len(names), names
	return nil
}

// splitList splits a comma-separated list of unique, non-empty, trimmed
// items, or says what is wrong with it.
func splitList(v string, max int) ([]string, string) {
	if strings.TrimSpace(v) == "" {
		return nil, "empty list"
	}
	parts := strings.Split(v, ",")
	if len(parts) > max {
		return nil, fmt.Sprintf("%d items, at most %d", len(parts), max)
	}
	for i, s := range parts {
		parts[i] = strings.TrimSpace(s)
		if parts[i] == "" {
			return nil, fmt.Sprintf("item %d is empty", i+1)
		}
		if contains(parts[:i], parts[i]) {
			return nil, fmt.Sprintf("%q is listed twice", parts[i])
		}
	}
	return parts, ""
}

func parseClasses(m *Meta, p map[string]string) error {
	v := p[KeyClasses]
	cs, msg := splitList(v, MaxClasses)
	if msg == "" && len(cs) < 2 {
		msg = "a model needs at least 2 classes"
	}
	if msg != "" {
		return bad(KeyClasses, v, "classes must be listed in output order, separated by commas: %s", msg)
	}
	if m.Task == TaskQuality && !(len(cs) == 2 && contains(cs, ClassOK) && contains(cs, ClassNoise)) {
		return bad(KeyClasses, v, "a quality model's classes are %s and %s, in either order", ClassOK, ClassNoise)
	}
	if m.Task == TaskBeat {
		for _, c := range cs {
			if _, ok := annotate.ParseClass(c); !ok {
				return bad(KeyClasses, v, "beat class %q is not an AAMI class (N, S, V, F, Q)", c)
			}
		}
	}
	m.Classes = cs
	return nil
}

func parseNormalize(m *Meta, p map[string]string) error {
	v := Normalize(strings.TrimSpace(p[KeyNormalize]))
	if v != NormZScore && v != NormMV && v != NormNone {
		return bad(KeyNormalize, p[KeyNormalize], `normalize must be "zscore", "mv" or "none"`)
	}
	m.Normalize = v
	return nil
}

func parseRRNames(m *Meta, p map[string]string) error {
	v, ok := p[KeyRRFeatures]
	if !ok || strings.TrimSpace(v) == "" {
		return nil
	}
	names, msg := splitList(v, len(rrFuncs))
	if msg != "" {
		return bad(KeyRRFeatures, v, "rr_features must list feature names separated by commas: %s", msg)
	}
	for _, n := range names {
		if _, ok := rrFuncs[n]; !ok {
			return bad(KeyRRFeatures, v, "unknown RR feature %q (known: %s)", n, strings.Join(RRFeatureNames(), ", "))
		}
	}
	m.RRFeatures = names
	return nil
}

func parseTemplate(m *Meta, p map[string]string) error {
	v, ok := p[KeyTemplateBeats]
	if !ok {
		return nil
	}
	n, err := atoi(v)
	if err != nil || n < 1 || n > MaxTemplateBeats {
		return bad(KeyTemplateBeats, v, "template_beats is the number of beats on each side a template takes, 1 to %d", MaxTemplateBeats)
	}
	m.TemplateBeats = n
	return nil
}
