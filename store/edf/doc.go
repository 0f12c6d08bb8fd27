// Package edf reads and writes EDF, EDF+ and BDF files: the European Data
// Format of Kemp et al. (1992), its EDF+ extension (Kemp and Olivan 2003,
// continuous EDF+C and discontinuous EDF+D, with time-stamped annotation
// lists), and BioSemi's 24-bit BDF variant.
//
// # The format by example
//
// A file is a header of 256 bytes, then 256 bytes per signal, then data
// records. Every header field is printable ASCII padded with spaces. A
// two-lead EDF+ Holter with 1-s records at 250 Hz starts:
//
//	offset  bytes  field                          example
//	     0      8  version                        "0       " (BDF: "\xffBIOSEMI")
//	     8     80  local patient identification   "MCH-0234567 F 02-MAY-1951 Haagse_Harry"  (PHI)
//	    88     80  local recording identification "Startdate 05-MAR-2024 PSG-1234 tech holter-7"
//	   168      8  start date dd.mm.yy            "05.03.24"  (85..99 = 19xx, 00..84 = 20xx)
//	   176      8  start time hh.mm.ss            "08.30.15"
//	   184      8  header bytes                   "1024" = 256 * (signals + 1)
//	   192     44  reserved                       "EDF+C" or "EDF+D" (plain EDF: blank; BDF: "24BIT")
//	   236      8  number of data records         "86400" (-1 while recording)
//	   244      8  duration of a data record, s   "1"
//	   252      4  number of signals              "3"
//
// The per-signal fields follow, each one for all signals in turn (all the
// labels, then all the transducers, ...), so with ns signals field k of
// signal i sits at 256 + ns*start(k) + i*width(k):
//
//	start width field                 signal 0            signal 1   signal 2
//	    0    16 label                 "ECG V5"            "ECG II"   "EDF Annotations"
//	   16    80 transducer type       "AgAgCl electrode"  ...        ""
//	   96     8 physical dimension    "uV"                "uV"       ""
//	  104     8 physical minimum      "-3276.8"           ...        "-1"
//	  112     8 physical maximum      "3276.7"            ...        "1"
//	  120     8 digital minimum       "-32768"            ...        "-32768"
//	  128     8 digital maximum       "32767"             ...        "32767"
//	  136    80 prefiltering          "HP:0.05Hz LP:40Hz" ...        ""
//	  216     8 samples per record    "250"               "250"      "30"
//	  224    32 reserved
//
// Each data record then holds, signal after signal, that signal's samples
// for the record's duration: here 250 little-endian int16 values of lead
// 0, 250 of lead 1 and 30 int16 "samples" (60 bytes) of annotation text.
// BDF samples are 24-bit little-endian two's complement instead.
//
// A digital value d means PhysMin + (d-DigMin)*(PhysMax-PhysMin)/(DigMax-DigMin)
// in the signal's dimension; here 10 digital units per uV. This package
// turns that into an annotate.Lead: Gain 10000 per mV, Baseline 0, Units
// "mV" (see lead for the rules).
//
// # EDF+ annotations
//
// The "EDF Annotations" signal carries text, not samples: time-stamped
// annotation lists (TALs), each "+onset[\x15duration]\x14text\x14...\x00",
// onsets in seconds after the header's start time. The first TAL of every
// data record is the time-keeping TAL giving that record's onset, with an
// empty text. The 60 bytes of record 0 above might read
//
//	+0\x14\x14\x00+12.52\x14(AFIB\x14\x00+15.1\x150.5\x14Artifact\x14\x00\x00\x00...
//
// that is: record 0 starts at 0 s; an "(AFIB" annotation at 12.52 s; an
// "Artifact" lasting 0.5 s at 15.1 s; zero padding.
//
// In EDF+C the records follow each other. In EDF+D a record's time-keeping
// onset may jump ahead, leaving a gap: File.Segments and File.Gaps say
// where, and File.Read presents one timeline with the gaps filled by each
// lead's baseline.
//
// # Leads and rates
//
// annotate.Signal has one sampling rate; EDF signals may each have their
// own. File presents as leads the ordinary signals at the highest rate of
// the ECG-labelled signals (or of all signals when none is labelled ECG or
// EKG); File.Signals lists every signal with its own rate.
//
// # Patient data
//
// The patient and recording identification fields are protected health
// information. They never enter annotate.RecordInfo (its Comments stay
// empty); File.PatientID and File.RecordingID return them for a reader's
// screen only.
//
// # Errors
//
// Bad input gives a *ParseError naming the file, the byte offset and the
// field, wrapping one of the named errors (ErrVersion, ErrNumber, ...). No
// input makes the package panic; FuzzEDF, FuzzBDF and FuzzTAL check that.
package edf
