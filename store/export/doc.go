// Package export takes labels out of a label database (store.DB) and brings
// them in again:
//
//   - Export writes a training set that numpy and PyTorch load directly:
//     beats.npz (one row per beat: waveform x [n, leads, window] in mV at the
//     export rate, label y, RR features, who labelled it, split), rhythm.npz
//     (fixed-length segments with their rhythm class) and manifest.json (the
//     record hashes, label-set revisions, model versions and options the set
//     was made from, so it can be rebuilt). With Options.Formats it also
//     writes CSV tables or WFDB annotation files. docs/export-format.md
//     describes every array and manifest field.
//   - ToWFDB turns a label set into WFDB annotations (beats, rhythm changes,
//     noise marks) for the annotation writer of store/wfdb.
//   - WriteBundle and ImportBundle carry reader label sets between laptops
//     as a label bundle (gzip-compressed JSON Lines, see bundle.go); Merge
//     merges an incoming label set, listing conflicts instead of overwriting
//     a reader's labels.
//   - ImportAnnotations brings WFDB annotation files in as a named reader's
//     labels (RegisterRecord records the record's identity first).
//
// Beats are split between train, val and test by patient (record), never
// within a record, and balancing (Options.Balance) touches the train split
// only, so val and test keep the true class mix.
package export
