// Package cinc reads the PhysioNet/Computing in Cardiology Challenge 2017
// training set (AF classification from a short single-lead ECG): a folder of
// WFDB records (A00001.hea + A00001.mat, 300 Hz, 9 to 61 s, read by
// store/wfdb: the .mat file is format 16 after a 24-byte prefix) and
// REFERENCE.csv, the label of each whole recording, one line per record:
//
//	A00001,N
//	A00002,N
//	A00004,A
//	A00005,~
//
// N is normal rhythm, A atrial fibrillation, O another rhythm, ~ too noisy to
// classify. The file has no header line; line ends may be LF or CRLF, a
// trailing blank line is allowed. ReadReference parses it; Open reads a
// folder's REFERENCE.csv and returns the records with their header paths.
package cinc
