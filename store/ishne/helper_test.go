package ishne

import (
	"bytes"
	"errors"
	"testing"
)

// twoLeads is a header for a two-lead 200 Hz recording.
func twoLeads() Header {
	return Header{
		FileVersion: 1, RecordDate: Date{5, 3, 2024}, FileDate: Date{6, 3, 2024},
		StartTime: Clock{8, 30, 15}, Pacemaker: 0, Recorder: "digital", Fs: 200,
		Leads: []LeadInfo{{LeadII, QualityGood, 2500}, {LeadV5, QualityIntermitNoise, 1000}},
	}
}

// patient is a made-up patient.
var patient = Patient{FirstName: "Harry", LastName: "Haagse", ID: "MCH-0234567", Sex: 1, Race: 0, BirthDate: Date{2, 5, 1951}}

// wave is the deterministic digital value of lead j at sample i.
func wave(j int, i int64) int32 {
	x := (i*7919 + int64(j)*104729 + i*i*31) % 65536
	return int32(x - 32768)
}

// samples builds n samples for each of the leads.
func samples(leads int, n int64) [][]int32 {
	out := make([][]int32, leads)
	for j := range out {
		out[j] = make([]int32, n)
		for i := range out[j] {
			out[j][i] = wave(j, int64(i))
		}
	}
	return out
}

func encode(t testing.TB, h Header, p Patient, s [][]int32) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := Write(&buf, h, p, s); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func openBytes(b []byte) (*File, error) {
	return NewReader(bytes.NewReader(b), int64(len(b)), "mem.ecg")
}

// fixCRC recomputes the header CRC after a test changed header bytes.
func fixCRC(b []byte) []byte {
	if len(b) < headerSize {
		return b
	}
	end := int64(headerSize) + int64(i32(b, offVarSize))
	if end < headerSize || end > int64(len(b)) {
		end = headerSize
	}
	le.PutUint16(b[offCRC:], crcUpdate(crcInit, b[offVarSize:end]))
	return b
}

func wantParseError(t *testing.T, err, target error) *ParseError {
	t.Helper()
	var pe *ParseError
	if !errors.As(err, &pe) || !errors.Is(err, target) {
		t.Fatalf("error = %v, want a *ParseError wrapping %v", err, target)
	}
	return pe
}
