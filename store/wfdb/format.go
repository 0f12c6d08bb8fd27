package wfdb

import "encoding/binary"

// format describes how one signal format packs samples into bytes. Samples
// come in groups: groupSamples samples in groupBytes bytes (1 in 2 for
// format 16, 2 in 3 for 212, 3 in 4 for 310 and 311). need[k] is the number
// of bytes of a group that must exist for its sample k to be complete, which
// is how a file that ends inside a group is read (signal(5)).
type format struct {
	groupSamples int
	groupBytes   int
	need         []int
	bits         int  // sample width: the range of a stored value
	diff         bool // format 8 stores first differences
	flac         bool // FLAC-compressed (508, 516, 524): not decoded here
	// decode fills dst (len = groups*groupSamples) from whole groups in src.
	decode func(dst []int32, src []byte)
	// encode packs whole groups of src into dst (len = groups*groupBytes).
	encode func(dst []byte, src []int32)
}

var formats = map[int]*format{
	0:   {groupSamples: 1, groupBytes: 0, need: []int{0}, bits: 16},
	8:   {1, 1, []int{1}, 8, true, false, decode8, encode8},
	16:  {1, 2, []int{2}, 16, false, false, decode16, encode16},
	24:  {1, 3, []int{3}, 24, false, false, decode24, encode24},
	32:  {1, 4, []int{4}, 32, false, false, decode32, encode32},
	61:  {1, 2, []int{2}, 16, false, false, decode61, encode61},
	80:  {1, 1, []int{1}, 8, false, false, decode80, encode80},
	160: {1, 2, []int{2}, 16, false, false, decode160, encode160},
	212: {2, 3, []int{2, 3}, 12, false, false, decode212, encode212},
	310: {3, 4, []int{2, 4, 4}, 10, false, false, decode310, encode310},
	311: {3, 4, []int{2, 3, 4}, 10, false, false, decode311, encode311},
	508: {groupSamples: 1, groupBytes: 1, need: []int{1}, bits: 8, flac: true},
	516: {groupSamples: 1, groupBytes: 1, need: []int{1}, bits: 16, flac: true},
	524: {groupSamples: 1, groupBytes: 1, need: []int{1}, bits: 24, flac: true},
}

// formatInfo returns the description of a WFDB signal format, nil if unknown.
func formatInfo(f int) *format { return formats[f] }

// defaultADCRes is the ADC resolution assumed when a header gives none
// (the table wfdb-python uses).
func defaultADCRes(f int) int {
	if fi := formatInfo(f); fi != nil && f != 0 {
		return fi.bits
	}
	return 12
}

// invalid is the stored value that marks a missing sample in formats that
// store amplitudes (the lowest value of the format's range: -2048 for 212,
// -32768 for 16, as WFDB's getvec tests it); ok is false for formats 0
// and 8 (first differences) and the FLAC formats, which have none.
func (f *format) invalid() (v int32, ok bool) {
	if f.diff || f.flac || f.decode == nil {
		return 0, false
	}
	return int32(-1 << (f.bits - 1)), true
}

// markInvalid replaces the format's invalid value in dst with InvalidSample,
// as getvec returns WFDB_INVALID_SAMPLE for it.
func (f *format) markInvalid(dst []int32) {
	v, ok := f.invalid()
	if !ok || v == InvalidSample {
		return
	}
	for i, x := range dst {
		if x == v {
			dst[i] = InvalidSample
		}
	}
}

// sampleRange is the range of values a format can store.
func (f *format) sampleRange() (lo, hi int64) {
	return -1 << (f.bits - 1), 1<<(f.bits-1) - 1
}

func decode8(dst []int32, src []byte) {
	for i := range dst {
		dst[i] = int32(int8(src[i]))
	}
}

func encode8(dst []byte, src []int32) {
	for i, v := range src {
		dst[i] = byte(int8(v))
	}
}

func decode16(dst []int32, src []byte) {
	src = src[:2*len(dst)]
	for i := range dst {
		dst[i] = int32(int16(binary.LittleEndian.Uint16(src[2*i:])))
	}
}

func encode16(dst []byte, src []int32) {
	for i, v := range src {
		binary.LittleEndian.PutUint16(dst[2*i:], uint16(v))
	}
}

func decode24(dst []int32, src []byte) {
	for i := range dst {
		b := src[3*i : 3*i+3]
		dst[i] = int32(uint32(b[0])<<8|uint32(b[1])<<16|uint32(b[2])<<24) >> 8
	}
}

func encode24(dst []byte, src []int32) {
	for i, v := range src {
		dst[3*i], dst[3*i+1], dst[3*i+2] = byte(v), byte(v>>8), byte(v>>16)
	}
}

func decode32(dst []int32, src []byte) {
	for i := range dst {
		dst[i] = int32(binary.LittleEndian.Uint32(src[4*i:]))
	}
}

func encode32(dst []byte, src []int32) {
	for i, v := range src {
		binary.LittleEndian.PutUint32(dst[4*i:], uint32(v))
	}
}

func decode61(dst []int32, src []byte) {
	for i := range dst {
		dst[i] = int32(int16(binary.BigEndian.Uint16(src[2*i:])))
	}
}

func encode61(dst []byte, src []int32) {
	for i, v := range src {
		binary.BigEndian.PutUint16(dst[2*i:], uint16(v))
	}
}

func decode80(dst []int32, src []byte) {
	for i := range dst {
		dst[i] = int32(src[i]) - 128
	}
}

func encode80(dst []byte, src []int32) {
	for i, v := range src {
		dst[i] = byte(v + 128)
	}
}

func decode160(dst []int32, src []byte) {
	for i := range dst {
		dst[i] = int32(binary.LittleEndian.Uint16(src[2*i:])) - 32768
	}
}

func encode160(dst []byte, src []int32) {
	for i, v := range src {
		binary.LittleEndian.PutUint16(dst[2*i:], uint16(v+32768))
	}
}

// decode212: two 12-bit samples in three bytes; the middle byte holds the
// high nibble of the first sample (low half) and of the second (high half).
func decode212(dst []int32, src []byte) {
	for i := 0; i+1 < len(dst); i += 2 {
		b := src[3*i/2 : 3*i/2+3]
		dst[i] = int32(uint32(b[0])<<20|uint32(b[1]&0x0f)<<28) >> 20
		dst[i+1] = int32(uint32(b[2])<<20|uint32(b[1]&0xf0)<<24) >> 20
	}
}

func encode212(dst []byte, src []int32) {
	for i := 0; i+1 < len(src); i += 2 {
		a, b := uint32(src[i]), uint32(src[i+1])
		o := dst[3*i/2 : 3*i/2+3]
		o[0] = byte(a)
		o[1] = byte(a>>8)&0x0f | byte(b>>4)&0xf0
		o[2] = byte(b)
	}
}

// decode310: three 10-bit samples in two little-endian 16-bit words; the
// first two sit in bits 1..10 of each word, the third is split over the top
// five bits of both (low part in the first word).
func decode310(dst []int32, src []byte) {
	for i := 0; i+2 < len(dst); i += 3 {
		b := src[4*i/3 : 4*i/3+4]
		w0 := uint32(b[0]) | uint32(b[1])<<8
		w1 := uint32(b[2]) | uint32(b[3])<<8
		dst[i] = int32(w0<<21) >> 22
		dst[i+1] = int32(w1<<21) >> 22
		dst[i+2] = int32((w0>>11|(w1>>11)<<5)<<22) >> 22
	}
}

func encode310(dst []byte, src []int32) {
	for i := 0; i+2 < len(src); i += 3 {
		a, b, c := uint32(src[i])&0x3ff, uint32(src[i+1])&0x3ff, uint32(src[i+2])&0x3ff
		w0 := a<<1 | (c&0x1f)<<11
		w1 := b<<1 | (c>>5)<<11
		o := dst[4*i/3 : 4*i/3+4]
		o[0], o[1], o[2], o[3] = byte(w0), byte(w0>>8), byte(w1), byte(w1>>8)
	}
}

// decode311: three 10-bit samples in one little-endian 32-bit word, in bits
// 0..9, 10..19 and 20..29.
func decode311(dst []int32, src []byte) {
	for i := 0; i+2 < len(dst); i += 3 {
		w := binary.LittleEndian.Uint32(src[4*i/3:])
		dst[i] = int32(w<<22) >> 22
		dst[i+1] = int32(w<<12) >> 22
		dst[i+2] = int32(w<<2) >> 22
	}
}

func encode311(dst []byte, src []int32) {
	for i := 0; i+2 < len(src); i += 3 {
		w := uint32(src[i])&0x3ff | (uint32(src[i+1])&0x3ff)<<10 | (uint32(src[i+2])&0x3ff)<<20
		binary.LittleEndian.PutUint32(dst[4*i/3:], w)
	}
}
