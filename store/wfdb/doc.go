// Package wfdb reads and writes PhysioNet WFDB records: headers (.hea),
// signal files (.dat) and MIT-format annotation files (.atr, .qrs, ...).
// The formats are defined by the WFDB man pages header(5), signal(5) and
// annot(5); what follows is a worked summary of what this package reads.
//
// # Headers
//
// A header is text. Lines starting with '#' are comments (kept in
// Header.Comments); blank lines are ignored. MIT-BIH record 100:
//
//	100 2 360 650000
//	100.dat 212 200 11 1024 995 -22131 0 MLII
//	100.dat 212 200 11 1024 1011 20052 0 V5
//	# 69 M 1085 1629 x1
//
// The record line is "name nsignals fs nsamples [basetime [basedate]]":
// 2 signals at 360 frames per second, 650000 frames. Everything after the
// signal count may be left out (fs then defaults to 250 Hz, and the length
// is taken from the signal file's size). fs may carry a counter frequency
// and base counter value ("250/24000(0)"); the base time is [[h:]m:]s[.ms],
// the base date DD/MM/YYYY.
//
// Each signal line is
//
//	file format[xSPF][:SKEW][+OFFSET] gain[(baseline)][/units] adcres adczero init checksum blocksize description
//
// in the made-up line "r.dat 212x4:2+512 12.84(-1605)/mmHg 12 0 -943 -23651 0 ABP":
// format 212, 4 samples per frame, stored 2 frames late (skew), the file's
// first 512 bytes skipped; 12.84 ADC units per mmHg with -1605 meaning
// 0 mmHg; a 12-bit ADC whose mid-range is 0; first sample -943; the 16-bit
// sum of all samples -23651 (a header may write it unsigned); block size 0;
// description "ABP". Fields may be left off from the right. A gain of 0 or
// none means 200 (DefaultGain) and an uncalibrated signal, the baseline
// defaults to the ADC zero and the units to mV. Record.Info reports voltages
// (V, mV, uV, nV) in mV with the gain scaled, so annotate.Lead.Physical
// gives millivolts.
//
// A frame holds SPF samples of each signal; Fs counts frames. Read returns
// one value per frame (when SPF > 1 the sum over the frame divided by SPF,
// truncated toward zero, as WFDB's getvec) and ReadRaw every sample.
// A skewed signal's sample t is stored in frame t+skew; samples that would
// lie beyond the file read as InvalidSample, and GetvecFrames says where
// getvec (and so rdsamp) stops: the largest skew before the end. Each
// amplitude format's lowest value (-2048 in 212, -32768 in 16, -128 in 80)
// marks a missing sample and reads as InvalidSample, as getvec returns it.
// That is what ReadMarked and ReadRaw give (dumps and exports use them);
// Read, the annotate.Signal that detectors, models and strips read, gives
// the signal's baseline (0 physical units) for every missing sample, so a
// gap is a flat line rather than a -32768 spike.
//
// A multi-segment header names its segments instead of signals:
//
//	s25047-2704-05-04-10-44/20 3 125 543240 10:44:18.529 04/05/2704
//	3234460_layout 0
//	~ 25740
//	3234460_0001 28637
//
// "/20" gives the number of segments; each line is "segment nframes", and
// "~" is a null segment (no data: InvalidSample). If the first segment has
// length 0 it is the layout header (variable layout): its signal lines,
// whose file is "~", list every signal of the record with its gain, and
// each segment holds some of them (matched by description), in its own
// gains, which reads rescale to the layout's, as WFDB does. Without a layout
// segment (fixed layout) every segment has the same signals. A Record reads
// a multi-segment record as one continuous signal.
//
// # Signal files
//
// Signals sharing a file are interleaved frame by frame. Formats (all
// little-endian unless stated):
//
//	8    8-bit first differences; value = previous value + difference,
//	     starting from the header's initial value
//	16   16-bit two's complement          61   16-bit, big-endian
//	24   24-bit two's complement          32   32-bit two's complement
//	80   8-bit offset binary (v-128)      160  16-bit offset binary (v-32768)
//	212  two 12-bit samples in 3 bytes: byte 0 = low 8 bits of sample 0,
//	     byte 1 = high nibbles (sample 0 low half, sample 1 high half),
//	     byte 2 = low 8 bits of sample 1
//	310  three 10-bit samples in two 16-bit words: bits 1..10 of each word
//	     are samples 0 and 1; sample 2 is bits 11..15 of both (low part first)
//	311  three 10-bit samples in one 32-bit word, bits 0..9, 10..19, 20..29
//
// A file may end inside a packed group; the samples whose bits are all
// present are read. FLAC formats 508, 516 and 524 are recognised in headers
// but not decoded (ErrFormat).
//
// Reads are lazy and random access: Read decodes only the frames asked for,
// with positioned reads (ReadAt), so a strip of a 14-day record costs the
// same as one of a minute and concurrent reads are safe. Format 8 needs the
// running value before the first frame read; a checkpoint index of running
// values every 16384 frames is built lazily as far as reads have gone.
// Verify reads a record once and checks each signal's first sample and
// 16-bit checksum against its header line.
//
// # Annotation files
//
// An MIT annotation file is a stream of 16-bit little-endian words; the top
// 6 bits are a code A, the low 10 bits data I. A in 1..58 is an annotation
// whose sample number is the previous one plus I. Pseudo-codes modify it:
//
//	A=59 SKIP  the next 4 bytes (two words, high word first) are a signed
//	           32-bit step added to the time; the annotation word that
//	           follows then has a small I (WFDB writes 0)
//	A=60 NUM   I is the num field of this and (until changed) later annotations
//	A=61 SUB   I is the subtype of this annotation only
//	A=62 CHN   I is the chan field, persisting like NUM
//	A=63 AUX   I bytes of text follow, padded to an even count ("(AFIB")
//	0x0000     end of file
//
// For example the start of mitdb 100.atr,
//
//	12 70  03 FC  28 4E 00 00  3B 04 ...
//
// is a rhythm change "+" (A=28) at sample 18 with aux "(N\x00" (3 bytes and
// a pad byte; Aux keeps the NUL, Text drops it), then a
// normal beat (A=1) 59 samples later. Pseudo-annotations follow the
// annotation they modify. A note (A=22) at sample 0 with aux
// "## time resolution: 500" records the sampling frequency the file was made
// at; WFDB follows it with SKIP -1 and a code-0 word of step 1, which this
// package reads as a code-0 (NOTQRS) annotation at sample 0, as it is
// stored. WriteAnnotations encodes as WFDB's putann does and Aux keeps its
// bytes, so ReadAnnotations then WriteAnnotations gives a file written by
// WFDB back byte for byte.
//
// # Labels
//
// FromLabels turns a record's labels (beats, rhythm episodes, pauses, noise
// stretches) into annotations and ToLabels reads them back; they are the
// only conversion between the two in the project. A 2-lead label set with
// an AF episode holding a pause, and noise on lead 1, is written as
//
//	1000  +  (AFIB          the episode starts
//	1100  N                 beats at their own samples
//	1300  N
//	1300  "  PAUSE 2.000 s  num 1: shares the beat's sample
//	1800  N
//	2000  ~  subtype 2      lead 1 noisy (bit 1)
//	2500  ~  subtype 0      clean again
//	9000  +  (N             the episode ends
//
// docs/export-format.md gives every rule.
package wfdb
