// Package store keeps ECG Station's labels in a bbolt database file and
// reads and writes record files (sub-packages wfdb, edf, ishne).
//
// # The label database
//
// One bbolt file holds every record a laptop has seen, every reader's label
// set of it, the model's suggestions, the undo and redo history of each
// label set, and an append-only audit log. DB implements
// annotate.Repository: an annotate.Session commits each accepted reader
// command through DB.Commit in one bbolt Update (one fsync) before the
// command counts as done.
//
// The bucket tree (schema version 2). Integers in keys are big-endian so
// that bbolt's byte order is numeric order and Cursor.Seek(sampleKey(t0))
// answers "the beats from t0 on"; values are JSON where they are small and
// read rarely, and a compact binary form where there are 100,000 of them.
//
//	meta/                          bucket
//	  app      = "ecgstation labels"        marks the file as ours
//	  schema   = u64 BE                     schema version (SchemaVersion)
//	paths/                         bucket (schema 2)
//	  <record path> = <record id>           last known path -> record id
//	records/                       bucket
//	  <record id>/                 bucket per record; id = hex SHA-256 of the content
//	    info   = JSON {"path", "info": annotate.RecordInfo, "added", "seen"}
//	    model/                     the model layer: what the models suggested
//	      layer     = JSON {"rev": u64, "status": annotate.Status}
//	      beats/    <sample u64 BE> = beat value
//	      episodes/ <id u64 BE>     = episode value (IDs 1..n in output order)
//	      noise/    <id u64 BE>     = noise value
//	    readers/
//	      <reader id>/             one reader's label set (layer)
//	        layer     = JSON {"rev": u64, "status": {"State", "By", "At"}}
//	        beats/    <sample u64 BE> = beat value        live beats only
//	        deleted/  <sample u64 BE> = <reader id>       beats a reader deleted
//	        episodes/ <id u64 BE>     = episode value     tombstones: deleted = 1
//	        noise/    <id u64 BE>     = noise value       tombstones: deleted = 1
//	        undo/     <seq u64 BE>    = JSON annotate.Entry {"Edit", "Diff", "When"}
//	        redo/     <seq u64 BE>    = JSON annotate.Entry
//	    audit/     <seq u64 BE> = JSON AuditEntry  (append-only; seq from 1)
//
// Binary values (varint = encoding/binary's zig-zag varint, uvarint its
// unsigned one; f32 = IEEE 754 little-endian):
//
//	provenance = source u8 | confidence f32 | who (uvarint len, bytes)
//	             | probs (uvarint n, n x f32)
//	beat       = code u8 | chan i8 | flags u8 | review u8 | provenance
//	episode    = start varint | end varint | deleted u8 | review u8
//	             | rhythm (uvarint len, bytes) | provenance
//	noise      = start varint | end varint | lead varint | deleted u8
//	             | reason (uvarint len, bytes) | provenance
//
// For example the model beat N at sample 370 with confidence 0.5 from
// "beatnet@1" and no probabilities is stored under key
// 00 00 00 00 00 00 01 72 as
//
//	01 00 00 00  02  00 00 00 3f  09 "beatnet@1"  00
//
// Each label carries its provenance (annotate.Source: model, detector,
// reader, propagated or reference; who: "name@version" or the reader id;
// the model's class probabilities) and review state (unreviewed, confirmed,
// changed). A reader's label set starts as the model layer merged in (or
// another reader's labels, for an unblinded second read), so a blinded
// second reader never sees another reader's labels.
//
// Undo and redo stacks are stored with the label set and move in the same
// transaction as the labels (see annotate.CommitKind), so they survive a
// restart. The audit log records who, when, the action and the reader's
// reason, and for reader commands the value before and after of every
// label touched.
//
// # Schema versions
//
// meta/schema holds the version; migrations lists the steps in order and
// OpenDB runs the missing ones in one transaction. Version 1 made meta and
// records; version 2 added paths. A file with a newer version is refused
// (ErrDBNewer) and never written.
//
// # Bad files
//
// OpenDB first opens an existing file read-only, which writes nothing, and
// checks it: a damaged file (bad meta pages, truncated) gives ErrDBCorrupt,
// a newer schema ErrDBNewer, a bbolt file of another program ErrNotDB, a
// file another running instance holds (bbolt's flock, waited for
// DBOptions.LockTimeout) ErrDBLocked. None of them is truncated or rewritten.
// A file without write permission opens read-only and DB.ReadOnly says why.
package store
