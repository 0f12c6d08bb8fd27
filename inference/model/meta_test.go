package model

import (
	"errors"
	"maps"
	"reflect"
	"strings"
	"testing"
)

// beatProps is the metadata training/example_export.py writes.
func beatProps() map[string]string {
	return map[string]string{
		KeyTask: "beat", KeyFs: "360", KeyWindow: "90,166", KeyLeads: "2",
		KeyClasses: "N,S,V,F,Q", KeyInputs: "x:waveform,rr:rr_features",
		KeyOutputs: "probs:probabilities,emb:embedding", KeyNormalize: "zscore",
		KeyRRFeatures: "rr_prev,rr_next,rr_prev_ratio,rr_next_ratio", KeyVersion: "0.1.0",
		KeyName: "example-beat", TrainPrefix + "options": "untrained example, seed=1",
		"producer.note": "keys outside ecgstation.* are ignored",
	}
}

func rhythmProps() map[string]string {
	return map[string]string{
		KeyTask: "rhythm", KeyFs: "250", KeyWindow: "32", KeyLeads: "1",
		KeyClasses: "AFIB,AFL,OTHER", KeyInputs: "rr:rr_features", KeyOutputs: "probs:probabilities",
		KeyNormalize: "none", KeyRRFeatures: "rr_prev,rr_prev_ratio,rr_local", KeyVersion: "test",
	}
}

// rhythmWaveProps is a rhythm model that also reads each beat's waveform
// (testdata/models' rhythm_wave.onnx).
func rhythmWaveProps() map[string]string {
	return with(rhythmProps(), KeyFs, "180", KeyNormalize, "zscore",
		KeyInputs, "rr:rr_features,x:waveform", KeyBeatWindow, "72,36")
}

// with returns base with the given key set to val, or deleted when val is "\x00".
func with(base map[string]string, kv ...string) map[string]string {
	p := maps.Clone(base)
	for i := 0; i < len(kv); i += 2 {
		if kv[i+1] == "\x00" {
			delete(p, kv[i])
		} else {
			p[kv[i]] = kv[i+1]
		}
	}
	return p
}

var metaErrorCases = []struct {
	name    string
	props   map[string]string
	key     string // MetaError.Key wanted
	kind    error
	message string // part of the message
}{
	{"no contract keys", map[string]string{"other": "x"}, "ecgstation.*", ErrMissingKey, "no ECG Station metadata"},
	{"unknown key (typo)", with(beatProps(), "ecgstation.normalise", "zscore"), "ecgstation.normalise", ErrUnknownKey, "known keys"},
	{"empty version", with(beatProps(), KeyVersion, "  "), KeyVersion, ErrBadValue, "must not be empty"},
	{"task other", with(beatProps(), KeyTask, "segment"), KeyTask, ErrBadValue, `"rhythm" or "quality"`},
	{"fs text", with(beatProps(), KeyFs, "fast"), KeyFs, ErrBadValue, "sampling frequency"},
	{"fs zero", with(beatProps(), KeyFs, "0"), KeyFs, ErrBadValue, "above 0"},
	{"fs NaN", with(beatProps(), KeyFs, "NaN"), KeyFs, ErrBadValue, "Hz"},
	{"fs huge", with(beatProps(), KeyFs, "1e9"), KeyFs, ErrBadValue, "at most"},
	{"beat window one number", with(beatProps(), KeyWindow, "256"), KeyWindow, ErrBadValue, `"before,after"`},
	{"beat window negative", with(beatProps(), KeyWindow, "-1,100"), KeyWindow, ErrBadValue, `"before,after"`},
	{"beat window after 0", with(beatProps(), KeyWindow, "90,0"), KeyWindow, ErrBadValue, `"before,after"`},
	{"beat window three", with(beatProps(), KeyWindow, "1,2,3"), KeyWindow, ErrBadValue, `"before,after"`},
	{"rhythm window pair", with(rhythmProps(), KeyWindow, "30,30"), KeyWindow, ErrBadValue, "beats per segment"},
	{"rhythm window 1", with(rhythmProps(), KeyWindow, "1"), KeyWindow, ErrBadValue, "beats per segment"},
	{"leads 0", with(beatProps(), KeyLeads, "0"), KeyLeads, ErrBadValue, "1 to 16"},
	{"leads 99", with(beatProps(), KeyLeads, "99"), KeyLeads, ErrBadValue, "1 to 16"},
	{"leads empty name", with(beatProps(), KeyLeads, "MLII,,V1"), KeyLeads, ErrBadValue, "item 2 is empty"},
	{"leads twice", with(beatProps(), KeyLeads, "MLII,MLII"), KeyLeads, ErrBadValue, "listed twice"},
	{"classes one", with(beatProps(), KeyClasses, "N"), KeyClasses, ErrBadValue, "at least 2"},
	{"classes empty", with(beatProps(), KeyClasses, ""), KeyClasses, ErrBadValue, "empty list"},
	{"classes not AAMI", with(beatProps(), KeyClasses, "N,S,V,X"), KeyClasses, ErrBadValue, `"X" is not an AAMI class`},
	{"classes twice", with(beatProps(), KeyClasses, "N,V,N"), KeyClasses, ErrBadValue, "listed twice"},
	{"normalize other", with(beatProps(), KeyNormalize, "minmax"), KeyNormalize, ErrBadValue, `"zscore", "mv" or "none"`},
	{"rr unknown", with(beatProps(), KeyRRFeatures, "rr_prev,qt"), KeyRRFeatures, ErrBadValue, `unknown RR feature "qt"`},
	{"rr twice", with(beatProps(), KeyRRFeatures, "rr_prev,rr_prev"), KeyRRFeatures, ErrBadValue, "listed twice"},
	{"inputs no pair", with(beatProps(), KeyInputs, "x"), KeyInputs, ErrBadValue, `"x" is not a "name:meaning" pair`},
	{"inputs bad meaning", with(beatProps(), KeyInputs, "x:signal,rr:rr_features"), KeyInputs, ErrBadValue, `meaning "signal"`},
	{"inputs meaning twice", with(beatProps(), KeyInputs, "x:waveform,y:waveform,rr:rr_features"), KeyInputs, ErrBadValue, "repeats"},
	{"inputs name twice", with(beatProps(), KeyInputs, "x:waveform,x:rr_features"), KeyInputs, ErrBadValue, "repeats"},
	{"beat without waveform", with(beatProps(), KeyInputs, "rr:rr_features"), KeyInputs, ErrBadValue, "needs an input with meaning waveform"},
	{"template without template_beats", with(beatProps(), KeyInputs, "x:waveform,rr:rr_features,t:template"), KeyInputs, ErrBadValue, "needs " + KeyTemplateBeats},
	{"template_beats without template", with(beatProps(), KeyTemplateBeats, "8"), KeyInputs, ErrBadValue, "no input has meaning template"},
	{"template_beats 0", with(beatProps(), KeyTemplateBeats, "0"), KeyTemplateBeats, ErrBadValue, "1 to 64"},
	{"template_beats text", with(beatProps(), KeyTemplateBeats, "many"), KeyTemplateBeats, ErrBadValue, "1 to 64"},
	{"template on a rhythm model", with(with(rhythmProps(), KeyInputs, "rr:rr_features,t:template"), KeyTemplateBeats, "8"), KeyInputs, ErrBadValue, `meaning "template"`},
	{"rr input without names", with(beatProps(), KeyRRFeatures, "\x00"), KeyInputs, ErrBadValue, "needs ecgstation.rr_features"},
	{"rr names without input", with(beatProps(), KeyInputs, "x:waveform"), KeyInputs, ErrBadValue, "no input has meaning rr_features"},
	{"template on a rhythm model (waveform allowed)", with(rhythmProps(), KeyInputs, "rr:rr_features,t:template"), KeyInputs, ErrBadValue, `meaning "template" is not one of rr_features, waveform`},
	{"rhythm without rr_features", with(rhythmWaveProps(), KeyInputs, "x:waveform", KeyRRFeatures, "\x00"), KeyInputs, ErrBadValue, "a rhythm model needs an input with meaning rr_features"},
	{"rhythm waveform without beat_window", with(rhythmWaveProps(), KeyBeatWindow, "\x00"), KeyBeatWindow, ErrMissingKey, `ecgstation.beat_window is missing: a rhythm model with a waveform input needs it: "before,after"`},
	{"beat_window on a beat model", with(beatProps(), KeyBeatWindow, "72,36"), KeyBeatWindow, ErrBadValue, "a beat model gives its window in ecgstation.window; remove ecgstation.beat_window"},
	{"beat_window without waveform", with(rhythmProps(), KeyBeatWindow, "72,36"), KeyBeatWindow, ErrBadValue, "no input has meaning waveform; remove ecgstation.beat_window"},
	{"beat_window one number", with(rhythmWaveProps(), KeyBeatWindow, "108"), KeyBeatWindow, ErrBadValue, `beat window is "before,after"`},
	{"beat_window negative", with(rhythmWaveProps(), KeyBeatWindow, "-1,36"), KeyBeatWindow, ErrBadValue, `e.g. "72,36"`},
	{"beat_window after 0", with(rhythmWaveProps(), KeyBeatWindow, "72,0"), KeyBeatWindow, ErrBadValue, `"before,after"`},
	{"beat_window text", with(rhythmWaveProps(), KeyBeatWindow, "0.4s,0.2s"), KeyBeatWindow, ErrBadValue, "samples at ecgstation.fs"},
	{"beat_window three", with(rhythmWaveProps(), KeyBeatWindow, "1,2,3"), KeyBeatWindow, ErrBadValue, `"before,after"`},
	{"beat_window past MaxWindow", with(rhythmWaveProps(), KeyBeatWindow, "65536,1"), KeyBeatWindow, ErrBadValue, `"before,after"`},
	{"beat_window too many values", with(rhythmWaveProps(), KeyLeads, "16", KeyBeatWindow, "5000,5000"), KeyBeatWindow, ErrBadValue, "5120000 values (window 32 beats × 16 leads × 10000 samples), at most 4194304"},
	{"outputs none scores", with(beatProps(), KeyOutputs, "emb:embedding"), KeyOutputs, ErrBadValue, "exactly one"},
	{"outputs both scores", with(beatProps(), KeyOutputs, "p:probabilities,l:logits"), KeyOutputs, ErrBadValue, "exactly one"},
	{"outputs bad meaning", with(beatProps(), KeyOutputs, "p:scores"), KeyOutputs, ErrBadValue, `meaning "scores"`},
}

func TestParseMetaErrors(t *testing.T) {
	cases := metaErrorCases
	for _, k := range RequiredKeys {
		cases = append(cases, struct {
			name    string
			props   map[string]string
			key     string
			kind    error
			message string
		}{"missing " + k, with(beatProps(), k, "\x00"), k, ErrMissingKey, k + " is missing"})
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			m, err := ParseMeta(c.props)
			var me *MetaError
			if !errors.As(err, &me) {
				t.Fatalf("ParseMeta = %+v, %v; want a *MetaError", m, err)
			}
			if me.Key != c.key || !errors.Is(err, c.kind) || !errors.Is(err, ErrMetadata) {
				t.Errorf("error %q: key %q, want %q and kind %v", err, me.Key, c.key, c.kind)
			}
			if !strings.Contains(err.Error(), c.message) {
				t.Errorf("error %q does not say %q", err, c.message)
			}
		})
	}
}

func TestParseMeta(t *testing.T) {
	cases := []struct {
		name  string
		props map[string]string
		want  Meta
	}{
		{"example beat", beatProps(), Meta{Task: TaskBeat, Fs: 360, Before: 90, After: 166, Leads: 2,
			Classes: []string{"N", "S", "V", "F", "Q"},
			Inputs:  []Port{{"x", Waveform}, {"rr", RRFeatures}}, Outputs: []Port{{"probs", Probabilities}, {"emb", Embedding}},
			Normalize: NormZScore, RRFeatures: []string{"rr_prev", "rr_next", "rr_prev_ratio", "rr_next_ratio"},
			Version: "0.1.0", Name: "example-beat", Train: map[string]string{"options": "untrained example, seed=1"}}},
		{"lead names, logits, spaces", with(beatProps(), KeyLeads, " MLII , V1", KeyOutputs, "l : logits",
			KeyInputs, "x:waveform", KeyRRFeatures, "", KeyName, "\x00", KeyTask, " beat ", KeyFs, "250.5", KeyWindow, "0, 100"),
			Meta{Task: TaskBeat, Fs: 250.5, Before: 0, After: 100, Leads: 2, LeadNames: []string{"MLII", "V1"},
				Classes: []string{"N", "S", "V", "F", "Q"}, Inputs: []Port{{"x", Waveform}}, Outputs: []Port{{"l", Logits}},
				Normalize: NormZScore, Version: "0.1.0", Train: map[string]string{"options": "untrained example, seed=1"}}},
		{"rhythm", rhythmProps(), Meta{Task: TaskRhythm, Fs: 250, Segment: 32, Leads: 1,
			Classes: []string{"AFIB", "AFL", "OTHER"}, Inputs: []Port{{"rr", RRFeatures}}, Outputs: []Port{{"probs", Probabilities}},
			Normalize: NormNone, RRFeatures: []string{"rr_prev", "rr_prev_ratio", "rr_local"}, Version: "test", Train: map[string]string{}}},
		{"rhythm with waveform", with(rhythmWaveProps(), KeyBeatWindow, " 72 , 36 ", KeyLeads, "II,V1"), Meta{Task: TaskRhythm, Fs: 180, Segment: 32,
			Before: 72, After: 36, Leads: 2, LeadNames: []string{"II", "V1"},
			Classes: []string{"AFIB", "AFL", "OTHER"}, Inputs: []Port{{"rr", RRFeatures}, {"x", Waveform}}, Outputs: []Port{{"probs", Probabilities}},
			Normalize: NormZScore, RRFeatures: []string{"rr_prev", "rr_prev_ratio", "rr_local"}, Version: "test", Train: map[string]string{}}},
		{"rhythm beat window before 0", with(rhythmWaveProps(), KeyBeatWindow, "0,36"), Meta{Task: TaskRhythm, Fs: 180, Segment: 32,
			Before: 0, After: 36, Leads: 1,
			Classes: []string{"AFIB", "AFL", "OTHER"}, Inputs: []Port{{"rr", RRFeatures}, {"x", Waveform}}, Outputs: []Port{{"probs", Probabilities}},
			Normalize: NormZScore, RRFeatures: []string{"rr_prev", "rr_prev_ratio", "rr_local"}, Version: "test", Train: map[string]string{}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			got, err := ParseMeta(c.props)
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(*got, c.want) {
				t.Errorf("ParseMeta =\n%+v\nwant\n%+v", *got, c.want)
			}
		})
	}
}

func TestMetaID(t *testing.T) {
	m, _ := ParseMeta(beatProps())
	if got := m.ID(); got != "example-beat@0.1.0" {
		t.Errorf("ID = %q", got)
	}
	m, _ = ParseMeta(rhythmProps())
	if got := m.ID(); got != "rhythm@test" {
		t.Errorf("ID = %q", got)
	}
}

// FuzzParseMeta checks that ParseMeta never panics, and that what it
// accepts is self-consistent. The seeds are the table's cases, one value
// replaced at a time; base "rhythm-waveform" starts from a rhythm model
// with a waveform input (and ecgstation.beat_window).
func FuzzParseMeta(f *testing.F) {
	keys := append(append([]string{}, RequiredKeys...), optionalKeys...)
	for _, c := range metaErrorCases {
		base := c.props[KeyTask]
		if _, ok := c.props[KeyBeatWindow]; ok && base == "rhythm" {
			base = "rhythm-waveform"
		}
		for _, k := range keys {
			f.Add(base, k, c.props[k])
		}
	}
	for _, k := range keys {
		f.Add("beat", k, beatProps()[k])
		f.Add("rhythm", k, rhythmProps()[k])
		f.Add("rhythm-waveform", k, rhythmWaveProps()[k])
	}
	f.Fuzz(func(t *testing.T, task, key, val string) {
		base := beatProps()
		switch task {
		case "rhythm":
			base = rhythmProps()
		case "rhythm-waveform":
			base = rhythmWaveProps()
		}
		m, err := ParseMeta(with(base, key, val))
		if err != nil {
			var me *MetaError
			if !errors.As(err, &me) || !errors.Is(err, ErrMetadata) {
				t.Fatalf("error %v is not a *MetaError", err)
			}
			return
		}
		checkMetaInvariants(t, m)
	})
}

func checkMetaInvariants(t *testing.T, m *Meta) {
	t.Helper()
	if m.Fs <= 0 || len(m.Classes) < 2 || m.Leads < 1 || m.Version == "" {
		t.Fatalf("accepted an unusable contract: %+v", m)
	}
	if m.Task == TaskBeat && (m.WindowLen() < 1 || m.Segment != 0) {
		t.Fatalf("beat window %d+%d, segment %d", m.Before, m.After, m.Segment)
	}
	if m.Task == TaskRhythm && m.Segment < 2 {
		t.Fatalf("rhythm segment %d", m.Segment)
	}
	_, wave := m.Input(Waveform)
	if _, rr := m.Input(RRFeatures); m.Task == TaskRhythm && !rr {
		t.Fatalf("rhythm model without rr_features: %+v", m.Inputs)
	}
	if m.Task == TaskRhythm && wave && (m.WindowLen() < 1 || m.Segment*m.Leads*m.WindowLen() > MaxRhythmWave) {
		t.Fatalf("rhythm beat window %d+%d of %d beats × %d leads", m.Before, m.After, m.Segment, m.Leads)
	}
	if m.Task == TaskRhythm && !wave && m.WindowLen() != 0 {
		t.Fatalf("rhythm model without a waveform has beat window %d+%d", m.Before, m.After)
	}
	if _, ok := m.Input(RRFeatures); ok != (len(m.RRFeatures) > 0) {
		t.Fatalf("rr input %v but %d rr features", ok, len(m.RRFeatures))
	}
	if s := m.Scores(); s.Meaning != Probabilities && s.Meaning != Logits {
		t.Fatalf("no scores output: %+v", m.Outputs)
	}
}
