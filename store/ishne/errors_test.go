package ishne

import (
	"bytes"
	"errors"
	"testing"
)

type errorCase struct {
	name   string
	file   func(testing.TB) []byte
	err    error
	offset int64
}

// errorCases start from a valid two-lead file of 10 samples and change it;
// unless the case is about the CRC, the CRC is recomputed afterwards so the
// intended check is the one that fails.
func errorCases() []errorCase {
	good := func(t testing.TB) []byte { return encode(t, twoLeads(), patient, samples(2, 10)) }
	set16 := func(off int, v int16) func(testing.TB) []byte {
		return func(t testing.TB) []byte { b := good(t); le.PutUint16(b[off:], uint16(v)); return fixCRC(b) }
	}
	set32 := func(off int, v int32) func(testing.TB) []byte {
		return func(t testing.TB) []byte { b := good(t); le.PutUint32(b[off:], uint32(v)); return fixCRC(b) }
	}
	return []errorCase{
		{"empty", func(testing.TB) []byte { return nil }, ErrShortHeader, 0},
		{"header cut", func(t testing.TB) []byte { return good(t)[:300] }, ErrShortHeader, 300},
		{"magic", func(t testing.TB) []byte { b := good(t); copy(b, "ISHNE2.0"); return b }, ErrMagic, 0},
		{"CRC after a changed name", func(t testing.TB) []byte { b := good(t); b[offFirst] ^= 1; return b }, ErrCRC, offCRC},
		{"CRC after a changed var block", func(t testing.TB) []byte {
			h := twoLeads()
			h.VarBlock = []byte("abc")
			b := encode(t, h, patient, samples(2, 10))
			b[headerSize+1] = 'X'
			return b
		}, ErrCRC, offCRC},
		{"negative var block size", set32(offVarSize, -4), ErrOffsets, offVarSize},
		{"var block offset", set32(offVarOffset, 512), ErrOffsets, offVarOffset},
		{"ECG offset", set32(offECGOffset, 530), ErrOffsets, offECGOffset},
		{"var block beyond the file", func(t testing.TB) []byte {
			b := good(t)
			le.PutUint32(b[offVarSize:], 1000)
			le.PutUint32(b[offECGOffset:], 1522)
			return b
		}, ErrShortFile, offECGOffset},
		{"no leads", set16(offNLeads, 0), ErrLeadCount, offNLeads},
		{"13 leads", set16(offNLeads, 13), ErrLeadCount, offNLeads},
		{"sampling rate 0", set16(offFs, 0), ErrFs, offFs},
		{"resolution 0", set16(offRes+2, 0), ErrResolution, offRes + 2},
		{"negative ECG size", set32(offECGSize, -1), ErrSampleCount, offECGSize},
		{"more samples than the file holds", set32(offECGSize, 11), ErrShortFile, offECGSize},
		{"data cut", func(t testing.TB) []byte { b := good(t); return b[:len(b)-1] }, ErrShortFile, offECGSize},
	}
}

func TestOpenErrors(t *testing.T) {
	for _, c := range errorCases() {
		t.Run(c.name, func(t *testing.T) {
			_, err := openBytes(c.file(t))
			pe := wantParseError(t, err, c.err)
			if pe.Offset != c.offset || pe.File != "mem.ecg" || pe.Field == "" {
				t.Errorf("error at byte %d (%s), want %d: %v", pe.Offset, pe.Field, c.offset, err)
			}
		})
	}
}

func TestCRCErrorValues(t *testing.T) {
	b := encode(t, twoLeads(), patient, samples(2, 1))
	stored := le.Uint16(b[offCRC:])
	b[offLast] ^= 0x20
	_, err := openBytes(b)
	var ce *CRCError
	if !errors.As(err, &ce) || ce.Stored != stored || ce.Computed != crcBitwise(b[offVarSize:headerSize]) {
		t.Fatalf("error = %v, want a *CRCError with stored 0x%04X", err, stored)
	}
}

// crcBitwise is CRC-16/CCITT-FALSE computed bit by bit, independent of
// the table in crc.go.
func crcBitwise(b []byte) uint16 {
	crc := uint16(0xFFFF)
	for _, c := range b {
		for i := 7; i >= 0; i-- {
			bit := (c>>i)&1 != 0
			top := crc&0x8000 != 0
			crc <<= 1
			if bit != top {
				crc ^= 0x1021
			}
		}
	}
	return crc
}

// TestCRC checks the CRC against the catalogue check value of
// CRC-16/CCITT-FALSE ("123456789" -> 0x29B1, Greg Cook's CRC catalogue)
// and against the bitwise form.
func TestCRC(t *testing.T) {
	if got := crcUpdate(crcInit, []byte("123456789")); got != 0x29B1 {
		t.Errorf("CRC(123456789) = 0x%04X, want 0x29B1", got)
	}
	msg := bytes.Repeat([]byte{0x00, 0xff, 0x5a, 0x13}, 128)
	if a, b := crcUpdate(crcInit, msg), crcBitwise(msg); a != b {
		t.Errorf("table 0x%04X, bitwise 0x%04X", a, b)
	}
}
