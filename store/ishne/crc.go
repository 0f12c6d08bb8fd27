package ishne

// crcTable is the byte-wise table of the CRC-16/CCITT polynomial
// x^16 + x^12 + x^5 + 1 (0x1021), most significant bit first.
var crcTable = func() (t [256]uint16) {
	for i := range t {
		r := uint16(i) << 8
		for range 8 {
			if r&0x8000 != 0 {
				r = r<<1 ^ 0x1021
			} else {
				r <<= 1
			}
		}
		t[i] = r
	}
	return t
}()

// crcInit is the initial register value the ISHNE standard uses.
const crcInit = 0xFFFF

// crcUpdate continues a CRC-16/CCITT (init 0xFFFF, no reflection, no final
// XOR: the "CCITT-FALSE" variant) over b.
func crcUpdate(crc uint16, b []byte) uint16 {
	for _, c := range b {
		crc = crcTable[byte(crc>>8)^c] ^ crc<<8
	}
	return crc
}
