package store

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"
	"time"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestBlockEncodingExample checks the beat block example in the package
// comment.
func TestBlockEncodingExample(t *testing.T) {
	b := annotate.Beat{Sample: 370, Code: annotate.Normal,
		Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1", Confidence: 0.5}}
	want, _ := hex.DecodeString("01" + "01" + "01" + "09" + hex.EncodeToString([]byte("beatnet@1")) +
		"00" + "01000000" + "02" + "0000003f" + "00" + "00")
	if got := appendBlock(nil, []annotate.Beat{b}, nil); !bytes.Equal(got, want) {
		t.Errorf("block = % x\nwant    % x", got, want)
	}
}

// sampleDiff touches every kind of label, with and without values.
func sampleDiff() annotate.Diff {
	bt := modelBeats(2)
	v := bt[1]
	v.Code, v.Review = annotate.PVC, annotate.Changed
	ep := annotate.EpisodeEntry{ID: 2, Episode: annotate.Episode{Start: 10, End: 900, Rhythm: "(AFIB",
		Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "ann"}, Review: annotate.Changed}}
	no := annotate.NoiseEntry{ID: 1, Noise: annotate.Noise{Start: 5, End: 50, Lead: -1, Reason: "lead off"}}
	at := time.Date(2026, 3, 4, 5, 6, 7, 8, time.UTC)
	return annotate.Diff{
		Beats: []annotate.BeatChange{{Sample: bt[0].Sample, Before: &bt[0]},
			{Sample: v.Sample, Before: &bt[1], After: &v}},
		Tombs:    []annotate.TombChange{{Sample: bt[0].Sample, After: &annotate.Tomb{Sample: bt[0].Sample, By: "ann"}}},
		Episodes: []annotate.EpisodeChange{{ID: 2, After: &ep}},
		Noise:    []annotate.NoiseChange{{ID: 1, Before: &no}},
		Status: &annotate.StatusChange{Before: annotate.Status{State: annotate.StateInProgress},
			After: annotate.Status{State: annotate.StateSignedOff, By: "ann", At: at}},
	}
}

var auditCases = []struct {
	name string
	a    AuditEntry
}{
	{"do with diff", AuditEntry{Seq: 7, When: time.Date(2026, 1, 2, 3, 4, 5, 6, time.UTC), Who: "ann", Kind: "do",
		Action: annotate.ActRelabel, Note: "2 beats to V", Why: "wide QRS", Diff: ptr(sampleDiff())}},
	{"model save", AuditEntry{Seq: 1, When: time.Unix(1e9, 0).UTC(), Who: "beatnet@1", Kind: "model",
		Action: "save model output", Note: "3 beats"}},
	{"empty diff, zero time", AuditEntry{Seq: 2, Kind: "undo", Who: "b", Diff: &annotate.Diff{}}},
}

func ptr[T any](v T) *T { return &v }

func TestAuditRoundTrip(t *testing.T) {
	for _, tt := range auditCases {
		t.Run(tt.name, func(t *testing.T) {
			v := encodeAudit(nil, tt.a)
			got, err := decodeAudit(u64(tt.a.Seq), v)
			if err != nil || !reflect.DeepEqual(got, tt.a) {
				t.Fatalf("decode = %+v, %v\nwant %+v", got, err, tt.a)
			}
			kind, who, err := auditWho(u64(tt.a.Seq), v)
			if err != nil || kind != tt.a.Kind || who != tt.a.Who {
				t.Errorf("auditWho = %q %q %v", kind, who, err)
			}
		})
	}
}

func TestAuditDecodeErrors(t *testing.T) {
	good := encodeAudit(nil, auditCases[0].a)
	model := encodeAudit(nil, auditCases[1].a) // ends with the diff flag
	for _, tt := range []struct {
		name string
		v    []byte
	}{
		{"empty", nil},
		{"unknown format", []byte{9, 0, 0}},
		{"cut", good[:len(good)/2]},
		{"trailing", append(bytes.Clone(good), 0)},
		{"bad JSON", []byte("{\"Who\":")},
		{"bad flag", append(bytes.Clone(model[:len(model)-1]), 2)},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := decodeAudit(u64(1), tt.v); !errors.Is(err, ErrDBCorrupt) {
				t.Errorf("err = %v, want ErrDBCorrupt", err)
			}
		})
	}
}

// TestAuditReadsSchema2JSON checks that a JSON entry (schema 2) decodes.
func TestAuditReadsSchema2JSON(t *testing.T) {
	v := []byte(`{"Seq":3,"When":"2026-01-02T03:04:05Z","Who":"ann","Kind":"do","Action":"relabel","Note":"","Why":"","Diff":{}}`)
	a, err := decodeAudit(u64(3), v)
	if err != nil || a.Who != "ann" || a.Kind != "do" || a.Diff == nil || a.Seq != 3 {
		t.Errorf("decode = %+v, %v", a, err)
	}
}

func TestTimeKeepsOffset(t *testing.T) {
	for _, tm := range []time.Time{{}, time.Unix(0, 1).UTC(), time.Date(2026, 6, 1, 12, 0, 0, 5, time.FixedZone("", 5*3600+1800))} {
		r := reader{b: appendTime(nil, tm)}
		got := r.time()
		if err := r.done("time", nil); err != nil || !got.Equal(tm) || got.Format(time.RFC3339Nano) != tm.Format(time.RFC3339Nano) {
			t.Errorf("time %v -> %v, %v", tm, got, err)
		}
	}
}

func TestHeadRoundTrip(t *testing.T) {
	h := head{Rev: 9, Folded: 300, Pending: 4, Undo: 7, Redo: 1,
		Status: annotate.Status{State: annotate.StateSignedOff, By: "ann", At: time.Unix(1e9, 0).UTC()}}
	got, err := decodeHead([]byte("k"), encodeHead(nil, h))
	if err != nil || !reflect.DeepEqual(got, h) {
		t.Errorf("head = %+v, %v", got, err)
	}
	if _, err := decodeHead([]byte("k"), []byte{2, 0}); !errors.Is(err, ErrDBCorrupt) {
		t.Errorf("unknown head format: %v", err)
	}
}

func TestBlockRoundTrip(t *testing.T) {
	beats := modelBeats(1300)
	beats[5].Prov.Who, beats[6].Prov.Probs = "other@2", nil
	beats[7].Chan, beats[7].Flags = -1, annotate.FlagNoisy
	var got []annotate.Beat
	for i := 0; i < len(beats); i += blockBeats {
		blk := beats[i:min(i+blockBeats, len(beats))]
		var err error
		if got, err = decodeBlock(got, sampleKey(blk[0].Sample), appendBlock(nil, blk, nil)); err != nil {
			t.Fatal(err)
		}
	}
	if !reflect.DeepEqual(got, beats) {
		t.Error("blocks do not round-trip")
	}
	bad := appendBlock(nil, beats[:3], nil)
	one := beats[0]
	one.Prov.Probs = nil
	whoPast := appendBlock(nil, []annotate.Beat{one}, nil)
	whoPast[len(whoPast)-2] = 5 // who index (then probs count 0): past the table
	for name, v := range map[string][]byte{"cut": bad[:len(bad)-3], "format": append([]byte{7}, bad[1:]...),
		"who index": whoPast} {
		if _, err := decodeBlock(nil, sampleKey(1000), v); !errors.Is(err, ErrDBCorrupt) {
			t.Errorf("%s: err = %v", name, err)
		}
	}
}

// FuzzDecodeAudit checks that the audit, head and block decoders never
// panic, and that what decodes encodes to a form that decodes again to the
// same value.
func FuzzDecodeAudit(f *testing.F) {
	for _, c := range auditCases {
		f.Add(encodeAudit(nil, c.a))
	}
	f.Add(encodeHead(nil, head{Rev: 1, Undo: 1}))
	f.Add(appendBlock(nil, modelBeats(3), nil))
	f.Fuzz(func(t *testing.T, v []byte) {
		if a, err := decodeAudit(u64(1), v); err == nil && (len(v) == 0 || v[0] != '{') {
			a2, err := decodeAudit(u64(1), encodeAudit(nil, a))
			if err != nil || !bytes.Equal(encodeAudit(nil, a2), encodeAudit(nil, a)) {
				t.Errorf("audit entry does not round-trip: %v", err)
			}
		}
		if h, err := decodeHead(nil, v); err == nil {
			if h2, err := decodeHead(nil, encodeHead(nil, h)); err != nil || h2.Rev != h.Rev || h2.Undo != h.Undo {
				t.Errorf("head does not round-trip: %v", err)
			}
		}
		if bs, err := decodeBlock(nil, sampleKey(1), v); err == nil && len(bs) > 0 {
			if _, err := decodeBlock(nil, sampleKey(1), appendBlock(nil, bs, nil)); err != nil {
				t.Errorf("block does not round-trip: %v", err)
			}
		}
	})
}
