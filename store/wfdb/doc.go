// Package wfdb reads and writes PhysioNet WFDB records: headers (.hea),
// signal files (.dat) and MIT-format annotation files (.atr, .qrs, ...).
//
// The full description of the formats is in the WFDB man pages header(5),
// signal(5) and annot(5); this comment is a worked summary.
//
// (Fuller examples of the header and annotation formats follow below.)
package wfdb
