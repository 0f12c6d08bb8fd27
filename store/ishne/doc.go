// Package ishne reads and writes ISHNE Holter ECG files (".ecg"), the
// standard output format of the International Society for Holter and
// Noninvasive Electrocardiology, version 1.0 (Badilini F., "The ISHNE
// Holter standard output file format", Annals of Noninvasive
// Electrocardiology 3(3), 1998).
//
// Where the facts come from: the layout below follows the published
// standard as implemented in public readers: EDFbrowser's ishne2edf.cpp
// (Teunis van Beelen: offsets, the checks on a header, CRC-CCITT with
// initial value 0xFFFF over bytes 10 to the end of the variable-length
// block) and the Python ishneholterlib (field offsets, lead and quality
// code tables, -9 for absent, the CRC as "CRC-16/CCITT-FALSE"). No ISHNE
// file is in the shared data: the tests write their own with Write.
//
// # The format by example
//
// All numbers are little-endian; text fields are NUL-padded. A two-lead
// recording at 200 Hz starts:
//
//	offset size  field                          example
//	     0    8  magic number                   "ISHNE1.0"
//	     8    2  CRC of bytes 10..ECG block     0x3A7F (uint16)
//	    10    4  variable-length block size     0
//	    14    4  samples per lead               17280000 (24 h)
//	    18    4  offset of var-length block     522
//	    22    4  offset of ECG block            522 + block size
//	    26    2  file version                   1
//	    28   40  first name                     PHI
//	    68   40  last name                      PHI
//	   108   20  patient ID                     PHI
//	   128    2  sex                            0 unknown, 1 male, 2 female (PHI)
//	   130    2  race                           0 unknown, 1 white, 2 black, 3 oriental (PHI)
//	   132    6  birth date  day, month, year   PHI
//	   138    6  record date day, month, year   5, 3, 2024
//	   144    6  file date   day, month, year
//	   150    6  start time  hour, min, sec     8, 30, 15
//	   156    2  number of leads                2 (1..12)
//	   158   24  lead codes, 12 x int16         6 (II), 15 (V5), then -9 (absent)
//	   182   24  lead quality, 12 x int16       1 (good) ...
//	   206   24  resolution nV, 12 x int16      2500, 2500 (2.5 uV per unit)
//	   230    2  pacemaker code                 0 none
//	   232   40  recorder type                  "digital"
//	   272    2  sampling rate, Hz              200
//	   274   80  proprietary text
//	   354   80  copyright text
//	   434   88  reserved
//	   522    n  variable-length block
//	 522+n       ECG block: int16 samples, leads interleaved:
//	             II[0] V5[0] II[1] V5[1] ...
//
// A lead's resolution r nV per digital unit gives annotate.Lead Gain
// 10^6/r units per mV, Baseline 0, Units "mV" (here 400 per mV).
//
// # Patient data
//
// Names, ID, sex, race and birth date are protected health information.
// They never enter annotate.RecordInfo (Comments stays empty); File.Patient
// returns them for a reader's screen only. The free-text fields
// (proprietary, copyright, reserved, variable-length block) may hold
// anything and are only in File.Header.
//
// # Errors
//
// Bad input gives a *ParseError naming the file, the byte offset and the
// field, wrapping a named error; a CRC mismatch wraps a *CRCError (which
// wraps ErrCRC) with both values. FuzzISHNE checks that no input panics.
package ishne
