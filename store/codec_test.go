package store

import (
	"bytes"
	"encoding/hex"
	"errors"
	"reflect"
	"testing"

	"github.com/ecgstation/ecgstation/annotate"
)

// TestBeatEncodingExample checks the example in the package comment.
func TestBeatEncodingExample(t *testing.T) {
	b := annotate.Beat{Sample: 370, Code: annotate.Normal,
		Prov: annotate.Provenance{Source: annotate.SourceModel, Who: "beatnet@1", Confidence: 0.5}}
	want, _ := hex.DecodeString("01000000" + "02" + "0000003f" + "09" + hex.EncodeToString([]byte("beatnet@1")) + "00")
	if got := encodeBeat(nil, b); !bytes.Equal(got, want) {
		t.Errorf("value = % x\nwant    % x", got, want)
	}
	if k := sampleKey(370); !bytes.Equal(k, []byte{0, 0, 0, 0, 0, 0, 1, 0x72}) {
		t.Errorf("key = % x", k)
	}
}

var codecCases = []struct {
	name string
	key  []byte
	val  []byte
	ok   bool
}{
	{"model beat", sampleKey(370), encodeBeat(nil, modelBeats(1)[0]), true},
	{"reader beat", sampleKey(1), encodeBeat(nil, annotate.Beat{Code: annotate.PVC, Review: annotate.Changed,
		Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "ann"}}), true},
	{"empty value", sampleKey(1), nil, false},
	{"short key", []byte{1, 2}, encodeBeat(nil, modelBeats(1)[0]), false},
	{"probs cut", sampleKey(1), encodeBeat(nil, modelBeats(1)[0])[:20], false},
	{"huge probs count", sampleKey(1), []byte{1, 0, 0, 0, 2, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0x0f}, false},
	{"trailing bytes", sampleKey(1), append(encodeBeat(nil, modelBeats(1)[0]), 7), false},
}

func TestDecodeBeat(t *testing.T) {
	for _, tt := range codecCases {
		t.Run(tt.name, func(t *testing.T) {
			b, err := decodeBeat(tt.key, tt.val)
			if (err == nil) != tt.ok {
				t.Fatalf("err = %v, want ok %v", err, tt.ok)
			}
			if err != nil && !errors.Is(err, ErrDBCorrupt) {
				t.Errorf("error does not wrap ErrDBCorrupt: %v", err)
			}
			if err == nil && !bytes.Equal(encodeBeat(nil, b), tt.val) {
				t.Error("re-encoding differs")
			}
		})
	}
}

func TestEpisodeNoiseRoundTrip(t *testing.T) {
	e := annotate.EpisodeEntry{ID: 3, Deleted: true, Episode: annotate.Episode{Start: 10, End: 99, Rhythm: "AFIB",
		Review: annotate.Changed, Prov: annotate.Provenance{Source: annotate.SourceReader, Who: "ann"}}}
	got, err := decodeEpisode(u64(3), encodeEpisode(nil, e))
	if err != nil || !reflect.DeepEqual(got, e) {
		t.Errorf("episode = %+v, %v", got, err)
	}
	n := annotate.NoiseEntry{ID: 4, Noise: annotate.Noise{Start: 5, End: 6, Lead: -1, Reason: "lead off"}}
	gn, err := decodeNoise(u64(4), encodeNoise(nil, n))
	if err != nil || !reflect.DeepEqual(gn, n) {
		t.Errorf("noise = %+v, %v", gn, err)
	}
}

// FuzzDecode checks the value decoders never panic and that what decodes
// encodes to a canonical form that decodes again to the same value.
func FuzzDecode(f *testing.F) {
	for _, c := range codecCases {
		f.Add(c.key, c.val)
	}
	f.Add(u64(1), encodeEpisode(nil, annotate.EpisodeEntry{Episode: annotate.Episode{Start: 1, End: 2, Rhythm: "VT"}}))
	f.Add(u64(1), encodeNoise(nil, annotate.NoiseEntry{Noise: annotate.Noise{Start: 1, End: 2, Reason: "x"}}))
	f.Fuzz(func(t *testing.T, k, v []byte) {
		if b, err := decodeBeat(k, v); err == nil {
			canon := encodeBeat(nil, b)
			b2, err := decodeBeat(k, canon)
			if err != nil || !bytes.Equal(encodeBeat(nil, b2), canon) {
				t.Errorf("beat does not round-trip: %v", err)
			}
		}
		if e, err := decodeEpisode(k, v); err == nil {
			if _, err := decodeEpisode(k, encodeEpisode(nil, e)); err != nil {
				t.Errorf("episode does not round-trip: %v", err)
			}
		}
		if n, err := decodeNoise(k, v); err == nil {
			if _, err := decodeNoise(k, encodeNoise(nil, n)); err != nil {
				t.Errorf("noise does not round-trip: %v", err)
			}
		}
	})
}
